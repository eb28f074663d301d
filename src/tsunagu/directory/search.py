"""Finding services: keyword (textsearch) plus the directory's filters.

Every way of searching the directory — the public pages, the HSDS API, the
`search_directory` command and casework's suggestions — goes through
`find_services`, so they agree on what a filter means:

- category: the taxonomy term or any term below it;
- area: services for the whole city (no service area), for that area, for an area
  that contains it, or for a part of it;
- target group: services for that group or for everyone (全世代);
- language: a language the service (or one of its places or phones) offers;
- open now: a schedule of the service, its places or its place-specific hours is open.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tsunagu.core.models import Area
from tsunagu.textsearch import search as textsearch
from tsunagu.textsearch.index import DocumentField, register
from tsunagu.textsearch.query import Query

from . import schedules
from .models import (
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceTranslation,
    TargetGroup,
    TaxonomyTerm,
)

KIND = "directory.service"
EVERYONE = "everyone"
MAX_PER_PAGE = 100


# -- the index ------------------------------------------------------------------------------------
def service_document(service: Service) -> list[DocumentField]:
    """What a service is found by: names, text, categories, groups, places; every
    language it is written in (a search in English finds the English text)."""
    translations = list(service.translations.all())
    locations = [sal.location for sal in service.service_at_locations.all()]
    return [
        DocumentField(
            "name",
            str(_("name")),
            " ".join(
                filter(
                    None, [service.name, service.alternate_name, *(t.name for t in translations)]
                )
            ),
            "title",
        ),
        DocumentField("organization", str(_("organisation")), service.organization.name, "title"),
        DocumentField(
            "description",
            str(_("description")),
            "\n".join(filter(None, [service.description, *(t.description for t in translations)])),
        ),
        DocumentField(
            "eligibility",
            str(_("who can use it")),
            "\n".join(
                filter(
                    None,
                    [
                        service.eligibility_description,
                        *(t.eligibility_description for t in translations),
                    ],
                )
            ),
        ),
        DocumentField(
            "application",
            str(_("how to apply")),
            "\n".join(
                filter(
                    None,
                    [service.application_process, *(t.application_process for t in translations)],
                )
            ),
        ),
        DocumentField(
            "categories",
            str(_("categories")),
            " ".join(f"{term.name} {term.name_en}" for term in service.taxonomy_terms.all()),
            # A service filed under 認知症 is about 認知症 as much as its name says.
            "title",
        ),
        DocumentField(
            "target_groups",
            str(_("target groups")),
            " ".join(f"{group.name} {group.name_en}" for group in service.target_groups.all()),
        ),
        DocumentField(
            "places",
            str(_("places")),
            # Names and public access notes only: a confidential address is not searchable.
            " ".join(
                filter(
                    None,
                    (
                        part
                        for location in locations
                        for part in (
                            location.name,
                            "" if location.is_sensitive else location.transportation,
                        )
                    ),
                )
            ),
        ),
    ]


def indexed_services() -> QuerySet[Service]:
    return Service.objects.select_related("organization").prefetch_related(
        "translations",
        "taxonomy_terms",
        "target_groups",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location"),
        ),
    )


def register_services() -> None:
    register(
        Service,
        kind=KIND,
        document=service_document,
        queryset=indexed_services,
        dependents=[
            (ServiceTranslation, lambda translation: [translation.service]),
            (ServiceAtLocation, lambda sal: [sal.service]),
            (Organization, lambda organization: organization.services.all()),
            (
                Location,
                lambda location: Service.objects.filter(service_at_locations__location=location),
            ),
        ],
        m2m_fields=["taxonomy_terms", "target_groups"],
    )


# -- filters --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServiceFilters:
    """What a search asks for; every field optional, all of them AND-ed."""

    q: str = ""
    categories: tuple[str, ...] = ()  # taxonomy term codes (or uuids)
    area: str = ""  # Area.code
    target_groups: tuple[str, ...] = ()  # TargetGroup.code
    language: str = ""  # ISO 639 code, e.g. "en"
    open_at: datetime | None = None  # "open now": the moment to check
    organization: str = ""  # directory Organization uuid
    modified_after: datetime | None = None
    include_inactive: bool = False
    initiatives: tuple[str, ...] = ()  # plan initiative codes, e.g. "4-1-5-7"


class FilterError(ValueError):
    """A filter names something that does not exist (unknown category, area …)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


def _term_ids(codes: Iterable[str]) -> set[int]:
    """The terms with these codes (or uuids) and every term below them."""
    codes = [c for c in codes if c]
    if not codes:
        return set()
    roots = set(
        TaxonomyTerm.objects.filter(Q(code__in=codes) | Q(uuid__in=_uuids(codes))).values_list(
            "pk", flat=True
        )
    )
    if not roots:
        raise FilterError("category", str(_("Unknown category.")))
    parents = dict(TaxonomyTerm.objects.values_list("pk", "parent_id"))
    found = set(roots)
    changed = True
    while changed:
        before = len(found)
        found |= {pk for pk, parent in parents.items() if parent in found}
        changed = len(found) != before
    return found


def _uuids(values: Iterable[str]) -> list[str]:
    import uuid

    result = []
    for value in values:
        try:
            result.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return result


def _area_ids(code: str) -> set[int]:
    """The area, the areas that contain it and the areas inside it."""
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise FilterError("area", str(_("Unknown area.")))
    ids = area.descendant_ids() | {area.pk}
    parent_ids = dict(Area.objects.values_list("pk", "parent_id"))
    current = parent_ids.get(area.pk)
    while current is not None:
        ids.add(current)
        current = parent_ids.get(current)
    return ids


def filtered_services(
    filters: ServiceFilters, base: QuerySet[Service] | None = None
) -> QuerySet[Service]:
    """The services that pass every filter except the keyword."""
    services = base if base is not None else Service.objects.all()
    if not filters.include_inactive:
        services = services.filter(status=Service.Status.ACTIVE)
    if filters.categories:
        services = services.filter(taxonomy_terms__in=_term_ids(filters.categories))
    if filters.area:
        services = services.filter(
            Q(service_areas__isnull=True) | Q(service_areas__area__in=_area_ids(filters.area))
        )
    if filters.target_groups:
        known = set(
            TargetGroup.objects.filter(code__in=filters.target_groups).values_list(
                "code", flat=True
            )
        )
        unknown = set(filters.target_groups) - known
        if unknown:
            raise FilterError("target_group", str(_("Unknown target group.")))
        services = services.filter(target_groups__code__in=[*filters.target_groups, EVERYONE])
    if filters.language:
        code = filters.language.lower()
        services = services.filter(
            Q(languages__code__iexact=code)
            | Q(service_at_locations__location__languages__code__iexact=code)
            | Q(phones__languages__code__iexact=code)
        )
    if filters.organization:
        services = services.filter(organization__uuid__in=_uuids([filters.organization]) or [None])
    if filters.modified_after is not None:
        # HSDS: modified on or after the given moment.
        services = services.filter(updated_at__gte=filters.modified_after)
    if filters.initiatives:
        services = services.filter(initiatives__code__in=filters.initiatives)
    if filters.open_at is not None:
        services = services.filter(pk__in=open_service_ids(services, filters.open_at))
    # Joins through many-valued relations repeat rows; one row per service.
    return services.distinct() if _has_multi_joins(filters) else services


def _has_multi_joins(filters: ServiceFilters) -> bool:
    return bool(
        filters.categories
        or filters.area
        or filters.target_groups
        or filters.language
        or filters.initiatives
    )


def open_service_ids(services: QuerySet[Service], at: datetime) -> set[int]:
    """Ids among `services` with a schedule open at `at` (service, place or both)."""
    candidates = services.order_by().values("pk")
    rows = Schedule.objects.filter(
        Q(service__in=candidates)
        | Q(service_at_location__service__in=candidates)
        | Q(location__service_at_locations__service__in=candidates)
    ).values_list(
        "pk",
        "service_id",
        "service_at_location__service_id",
        "location__service_at_locations__service_id",
    )
    by_schedule: dict[int, set[int]] = {}
    for pk, service_id, sal_service_id, location_service_id in rows:
        owners = by_schedule.setdefault(pk, set())
        owners.update(i for i in (service_id, sal_service_id, location_service_id) if i)
    open_ids: set[int] = set()
    for schedule in Schedule.objects.filter(pk__in=by_schedule):
        if schedules.is_open([schedule], at):
            open_ids |= by_schedule[schedule.pk]
    return open_ids


# -- searching ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServicePage:
    """One page of services, best first, with what the search matched."""

    services: list[Service]
    total: int
    page: int
    per_page: int
    query: Query | None = None
    scores: dict[int, float] = field(default_factory=dict)
    relaxed: bool = False

    @property
    def total_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def explain(self, service: Service, *, width: int | None = 80) -> list[textsearch.FieldMatch]:
        if self.query is None:
            return []
        return textsearch.explain(service_document(service), self.query, width=width)


def find_services(
    filters: ServiceFilters,
    *,
    page: int = 1,
    per_page: int = 20,
    base: QuerySet[Service] | None = None,
    prefetch: QuerySet[Service] | None = None,
) -> ServicePage:
    """Services passing `filters`, best first (by relevance with a keyword, else by
    kana order). `prefetch` is the queryset the page's services are loaded with."""
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    offset = (page - 1) * per_page
    candidates = filtered_services(filters, base)
    loader = prefetch if prefetch is not None else Service.objects.select_related("organization")
    if filters.q.strip():
        result = textsearch.search(
            KIND, filters.q, limit=per_page, offset=offset, restrict=candidates
        )
        by_pk = loader.in_bulk(result.pks)
        return ServicePage(
            services=[by_pk[pk] for pk in result.pks if pk in by_pk],
            total=result.total,
            page=page,
            per_page=per_page,
            query=result.query,
            scores=result.scores(),
            relaxed=result.relaxed,
        )
    total = candidates.count()
    pks = list(
        candidates.order_by("name_kana", "name", "pk").values_list("pk", flat=True)[
            offset : offset + per_page
        ]
    )
    by_pk = loader.in_bulk(pks)
    return ServicePage(
        services=[by_pk[pk] for pk in pks if pk in by_pk], total=total, page=page, per_page=per_page
    )
