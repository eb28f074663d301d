"""Taxonomies and terms as HSDS clients see them: the Taxonomy table plus tsunagu's own.

tsunagu classifies services by more than its category taxonomy: target groups,
plan initiatives and areas are their own tables, and schedule and place flags are
fixed in code (``directory.hsds``). The API lists them all as taxonomies and terms
so that every ``taxonomy_term`` in a response resolves, and lets clients filter
services by any of them. Lists page across the sources in a fixed order, each
source costing a count and a slice, so a page's queries do not grow with the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from tsunagu.core.models import Area
from tsunagu.plans.models import Initiative

from ..hsds import (
    AREA_TAXONOMY,
    BUILTIN_TAXONOMIES,
    BUILTIN_TERMS,
    INITIATIVE_TAXONOMY,
    TARGET_GROUP_TAXONOMY,
    AnyTaxonomy,
    AnyTerm,
    BuiltinTaxonomy,
    area_term_id,
    initiative_term_id,
)
from ..models import TargetGroup, Taxonomy, TaxonomyTerm
from .params import is_uuid

BUILTIN_NAMES = frozenset(taxonomy.name for taxonomy in BUILTIN_TAXONOMIES)


# -- sources of rows, paged together --------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """Rows from a queryset or a fixed list, in order."""

    rows: QuerySet[Any] | Sequence[Any]

    def count(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def slice(self, start: int, stop: int) -> list[Any]:
        return list(self.rows[start:stop])


def page_across(sources: Sequence[Source], offset: int, limit: int) -> tuple[int, list[Any]]:
    """The total over all sources and ``limit`` rows from ``offset`` of their concatenation."""
    counts = [source.count() for source in sources]
    rows: list[Any] = []
    start = offset
    for source, count in zip(sources, counts, strict=True):
        if len(rows) >= limit:
            break
        if start >= count:
            start -= count
            continue
        rows.extend(source.slice(start, min(count, start + limit - len(rows))))
        start = 0
    return sum(counts), rows


def _contains(text: str, *values: str) -> bool:
    folded = text.casefold()
    return any(folded in value.casefold() for value in values)


# -- taxonomies -----------------------------------------------------------------------------------
def table_taxonomies() -> QuerySet[Taxonomy]:
    # A table row may not shadow one of tsunagu's own taxonomies.
    return Taxonomy.objects.exclude(name__in=BUILTIN_NAMES)


def taxonomy_sources(search: str = "") -> list[Source]:
    rows = table_taxonomies()
    builtin: list[BuiltinTaxonomy] = list(BUILTIN_TAXONOMIES)
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(description__icontains=search))
        builtin = [t for t in builtin if _contains(search, t.name, t.description)]
    return [Source(rows), Source(builtin)]


def find_taxonomy(identifier: str) -> AnyTaxonomy | None:
    """A taxonomy by id, or by name (the latest version of a table taxonomy)."""
    for builtin in BUILTIN_TAXONOMIES:
        if identifier in (builtin.id, builtin.name):
            return builtin
    if is_uuid(identifier):
        return table_taxonomies().filter(uuid=identifier).first()
    return table_taxonomies().filter(name=identifier).order_by("-version").first()


# -- terms ----------------------------------------------------------------------------------------
def listed_initiatives() -> QuerySet[Initiative]:
    """The initiatives offered as terms: the current plan's and any a service serves."""
    return (
        Initiative.objects.filter(Q(plan__is_current=True) | Q(directory_services__isnull=False))
        .distinct()
        .order_by("plan_id", "sort_key", "pk")
    )


def table_terms() -> QuerySet[TaxonomyTerm]:
    return (
        TaxonomyTerm.objects.filter(taxonomy__in=table_taxonomies())
        .select_related("taxonomy", "parent")
        .order_by("taxonomy__name", "taxonomy__version", "sort_order", "code", "pk")
    )


def areas() -> QuerySet[Area]:
    return Area.objects.select_related("parent").order_by("sort_order", "code", "pk")


def _find_area(identifier: str) -> Area | None:
    codes = Area.objects.values_list("code", flat=True)
    code = next((c for c in codes if area_term_id(c) == identifier), None)
    return areas().filter(code=code).first() if code is not None else None


def _find_initiative(identifier: str) -> Initiative | None:
    pks = Initiative.objects.values_list("pk", flat=True)
    pk = next((pk for pk in pks if initiative_term_id(pk) == identifier), None)
    return Initiative.objects.filter(pk=pk).first() if pk is not None else None


def find_term(identifier: str) -> AnyTerm | None:
    """Any term by its id: a table term, a target group, an initiative, an area or a flag."""
    if not is_uuid(identifier):
        return None
    identifier = identifier.lower()
    for builtin in BUILTIN_TERMS:
        if builtin.id == identifier:
            return builtin
    term = table_terms().filter(uuid=identifier).first()
    if term is not None:
        return term
    group = TargetGroup.objects.filter(uuid=identifier).first()
    if group is not None:
        return group
    return _find_area(identifier) or _find_initiative(identifier)


@dataclass(frozen=True)
class TermQuery:
    """What `/taxonomy_terms` asks for; ``None`` where not given."""

    taxonomy: AnyTaxonomy | None = None
    parent: AnyTerm | None = None
    top_only: bool = False
    search: str = ""


def term_sources(query: TermQuery) -> list[Source]:
    """The sources of `/taxonomy_terms` in listing order, each filtered by ``query``."""
    table = table_terms()
    groups: QuerySet[TargetGroup] = TargetGroup.objects.order_by("sort_order", "code", "pk")
    initiatives = listed_initiatives()
    area_rows = areas()
    flags: list[Any] = list(BUILTIN_TERMS)

    taxonomy = query.taxonomy
    if taxonomy is not None:
        if isinstance(taxonomy, Taxonomy):
            table = table.filter(taxonomy=taxonomy)
        keep = {
            "table": isinstance(taxonomy, Taxonomy),
            "groups": taxonomy == TARGET_GROUP_TAXONOMY,
            "initiatives": taxonomy == INITIATIVE_TAXONOMY,
            "areas": taxonomy == AREA_TAXONOMY,
        }
        table = table if keep["table"] else table.none()
        groups = groups if keep["groups"] else groups.none()
        initiatives = initiatives if keep["initiatives"] else initiatives.none()
        area_rows = area_rows if keep["areas"] else area_rows.none()
        flags = [flag for flag in flags if flag.taxonomy == taxonomy]
    if query.parent is not None:
        # Only table terms and areas have children; everything else is flat.
        parent = query.parent
        table = table.filter(parent=parent) if isinstance(parent, TaxonomyTerm) else table.none()
        area_rows = (
            area_rows.filter(parent=parent) if isinstance(parent, Area) else area_rows.none()
        )
        groups, initiatives, flags = groups.none(), initiatives.none(), []
    if query.top_only:
        table = table.filter(parent__isnull=True)
        area_rows = area_rows.filter(parent__isnull=True)
    if query.search:
        text = query.search
        table = table.filter(
            Q(name__icontains=text) | Q(name_en__icontains=text) | Q(code__icontains=text)
        )
        groups = groups.filter(
            Q(name__icontains=text) | Q(name_en__icontains=text) | Q(code__icontains=text)
        )
        initiatives = initiatives.filter(Q(title__icontains=text) | Q(code__icontains=text))
        area_rows = area_rows.filter(Q(name__icontains=text) | Q(code__icontains=text))
        flags = [flag for flag in flags if _contains(text, flag.name, flag.name_en, flag.code)]
    return [Source(table), Source(groups), Source(initiatives), Source(area_rows), Source(flags)]
