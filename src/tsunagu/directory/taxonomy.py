"""Reading and loading a service taxonomy from YAML (tsunagu-welfare v1, or a city's own).

The file shape (see ``data/taxonomy.yaml``)::

    taxonomy: {name: tsunagu-welfare, version: "1", description: ..., uri: ...}
    terms:
      - {code: elderly, name: 高齢・介護, name_en: ..., description: ...,
         terms: [{code: elderly.care-insurance, name: ..., ...}]}

Loading is idempotent and all-or-nothing: terms are matched by ``(taxonomy, code)``,
changed ones updated, new ones created; terms no longer in the file are kept
(services may point at them) and reported. Migration 0003 passes its historical
models, so this module imports no models at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

DEFAULT_TAXONOMY_FILE = Path(__file__).resolve().parent / "data" / "taxonomy.yaml"

_CODE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)*$")
_TERM_FIELDS = ("name", "name_en", "description", "parent_id", "sort_order")


class TaxonomyFileError(ValueError):
    """A taxonomy file that cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class TermRow:
    code: str
    name: str
    name_en: str
    description: str
    parent_code: str | None
    sort_order: int


@dataclass(frozen=True)
class TaxonomyDocument:
    name: str
    version: str
    description: str
    uri: str
    terms: list[TermRow]


@dataclass
class LoadReport:
    taxonomy: str
    taxonomy_created: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "taxonomy": self.taxonomy,
            "taxonomy_created": self.taxonomy_created,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "not_in_file": self.not_in_file,
            "dry_run": self.dry_run,
        }


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_taxonomy(data: Any) -> TaxonomyDocument:
    """Check a loaded YAML/JSON structure and flatten its terms, parents first."""
    errors: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("taxonomy"), dict):
        raise TaxonomyFileError(["the file needs a 'taxonomy' mapping and a 'terms' list"])
    header = data["taxonomy"]
    if not _text(header.get("name")):
        errors.append("taxonomy: 'name' is required")
    rows: list[TermRow] = []
    seen: set[str] = set()

    def walk(items: Any, parent: str | None, where: str) -> None:
        if not isinstance(items, list):
            errors.append(f"{where}: expected a list of terms")
            return
        for index, item in enumerate(items):
            here = f"{where}[{index}]"
            if not isinstance(item, dict):
                errors.append(f"{here}: expected a mapping")
                continue
            code = _text(item.get("code"))
            here = f"{here} ({code})" if code else here
            if not _CODE.match(code):
                errors.append(f"{here}: 'code' must be lower-case words joined by '-' and '.'")
            elif parent is not None and not code.startswith(f"{parent}."):
                errors.append(f"{here}: a child's code must start with {parent + '.'!r}")
            elif code in seen:
                errors.append(f"{here}: the code appears more than once")
            if not _text(item.get("name")):
                errors.append(f"{here}: 'name' is required")
            seen.add(code)
            rows.append(
                TermRow(
                    code=code,
                    name=_text(item.get("name")),
                    name_en=_text(item.get("name_en")),
                    description=_text(item.get("description")),
                    parent_code=parent,
                    sort_order=(len(rows) + 1) * 10,
                )
            )
            if item.get("terms") is not None:
                walk(item["terms"], code, f"{here}.terms")

    walk(data.get("terms"), None, "terms")
    if not rows and not errors:
        errors.append("terms: the taxonomy has no terms")
    if errors:
        raise TaxonomyFileError(errors)
    return TaxonomyDocument(
        name=_text(header.get("name")),
        version=_text(header.get("version")),
        description=_text(header.get("description")),
        uri=_text(header.get("uri")),
        terms=rows,
    )


def read_taxonomy_file(path: Path) -> TaxonomyDocument:
    """A YAML (or JSON, which YAML reads too) taxonomy file, checked."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TaxonomyFileError([f"{path}: {exc}"]) from None
    return parse_taxonomy(data)


def load_taxonomy(
    document: TaxonomyDocument,
    *,
    dry_run: bool = False,
    taxonomy_model: Any = None,
    term_model: Any = None,
) -> LoadReport:
    """Create or update the taxonomy and its terms; ``dry_run`` reports and rolls back."""
    if taxonomy_model is None or term_model is None:
        from tsunagu.directory.models import Taxonomy, TaxonomyTerm

        taxonomy_model, term_model = Taxonomy, TaxonomyTerm

    report = LoadReport(taxonomy=f"{document.name} {document.version}".strip(), dry_run=dry_run)
    with transaction.atomic():
        taxonomy, report.taxonomy_created = taxonomy_model.objects.update_or_create(
            name=document.name,
            version=document.version,
            defaults={"description": document.description, "uri": document.uri},
        )
        existing = {term.code: term for term in term_model.objects.filter(taxonomy=taxonomy)}
        saved: dict[str, Any] = {}
        for row in document.terms:
            parent = saved[row.parent_code] if row.parent_code else None
            values = {
                "name": row.name,
                "name_en": row.name_en,
                "description": row.description,
                "parent_id": parent.pk if parent is not None else None,
                "sort_order": row.sort_order,
            }
            term = existing.get(row.code)
            if term is None:
                term = term_model.objects.create(taxonomy=taxonomy, code=row.code, **values)
                report.created.append(row.code)
            elif any(getattr(term, name) != values[name] for name in _TERM_FIELDS):
                for name, value in values.items():
                    setattr(term, name, value)
                term.save(update_fields=list(_TERM_FIELDS))
                report.updated.append(row.code)
            else:
                report.unchanged += 1
            saved[row.code] = term
        report.not_in_file = sorted(set(existing) - set(saved))
        if dry_run:
            transaction.set_rollback(True)
    return report
