"""tsunagu load_reference_data [--organizations FILE] [--areas FILE]: organisations and areas.

Upserts the organisation tree (with aliases) by name and the area tree by code, in
one transaction: a file with any error changes nothing, and running the command
again with the same files changes nothing either.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_slug
from django.db import models, transaction

from tsunagu.core.models import Area, Organization, OrganizationAlias

DATA_DIR = Path(settings.PROJECT_DIR) / "data" / "kamakura"
DEFAULT_ORGANIZATIONS = DATA_DIR / "organizations.yaml"
DEFAULT_AREAS = DATA_DIR / "areas.yaml"

ORGANIZATION_KEYS = {"name", "name_kana", "kind", "is_public", "aliases", "children"}
ALIAS_KEYS = {"alias", "note"}
AREA_KEYS = {"code", "name", "name_kana", "kind", "description", "children"}


class ReferenceDataError(Exception):
    """The file cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass
class ReferenceDataReport:
    counts: dict[str, Counts] = field(default_factory=dict)
    dry_run: bool = False


class _DryRun(Exception):
    pass


def _upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, str]:
    """Create or update one row; the outcome is ``created``, ``updated`` or ``unchanged``."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = [key for key, value in values.items() if getattr(instance, key) != value]
    if not changed:
        return instance, "unchanged"
    for key in changed:
        setattr(instance, key, values[key])
    instance.save()
    return instance, "updated"


def read_yaml(path: Path, root_key: str) -> list[dict[str, Any]]:
    if not path.exists():
        raise ReferenceDataError([f"{path}: no such file"])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ReferenceDataError([f"{path}: not valid YAML: {exc}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get(root_key), list):
        raise ReferenceDataError([f"{path}: expected a mapping with a list under {root_key!r}"])
    return data[root_key]


def _walk(
    entries: list[dict[str, Any]], parent: dict[str, Any] | None = None
) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Every entry with its parent entry, parents first."""
    for entry in entries:
        yield entry, parent
        children = entry.get("children") if isinstance(entry, dict) else None
        if isinstance(children, list):
            yield from _walk(children, entry)


def _check_entry(entry: Any, allowed: set[str], required: tuple[str, ...], where: str) -> list[str]:
    if not isinstance(entry, dict):
        return [f"{where}: expected a mapping, got {entry!r}"]
    errors = [f"{where}: unknown key {key!r}" for key in entry if key not in allowed]
    errors += [f"{where}: {key} is missing" for key in required if not entry.get(key)]
    return errors


def validate_organizations(entries: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    names: set[str] = set()
    aliases: set[str] = set()
    kinds = set(Organization.Kind.values)
    for index, (entry, _parent) in enumerate(_walk(entries), start=1):
        where = (
            f"organisation #{index} ({entry.get('name', '?') if isinstance(entry, dict) else '?'})"
        )
        problems = _check_entry(entry, ORGANIZATION_KEYS, ("name", "kind"), where)
        errors += problems
        if problems:
            continue
        if entry["kind"] not in kinds:
            errors.append(
                f"{where}: kind {entry['kind']!r} is not one of {', '.join(sorted(kinds))}"
            )
        if entry["name"] in names:
            errors.append(f"{where}: the name appears twice")
        names.add(entry["name"])
        for alias in entry.get("aliases") or []:
            alias_problems = _check_entry(alias, ALIAS_KEYS, ("alias",), f"{where}, alias")
            errors += alias_problems
            if alias_problems:
                continue
            if alias["alias"] in aliases:
                errors.append(f"{where}: alias {alias['alias']} appears twice")
            aliases.add(alias["alias"])
    for alias in sorted(aliases & names):
        errors.append(f"{alias} is both an organisation's name and an alias; an alias must be new")
    taken = Organization.objects.filter(name__in=aliases).exclude(name__in=names)
    for organization in taken:
        errors.append(
            f"{organization.name} is an alias in the file but already an organisation's name"
        )
    return errors


def validate_areas(entries: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    codes: set[str] = set()
    kinds = set(Area.Kind.values)
    for index, (entry, _parent) in enumerate(_walk(entries), start=1):
        where = f"area #{index} ({entry.get('code', '?') if isinstance(entry, dict) else '?'})"
        problems = _check_entry(entry, AREA_KEYS, ("code", "name", "kind"), where)
        errors += problems
        if problems:
            continue
        try:
            validate_slug(entry["code"])
        except ValidationError:
            errors.append(f"{where}: code must be a slug (letters, digits, - and _)")
        if entry["kind"] not in kinds:
            errors.append(
                f"{where}: kind {entry['kind']!r} is not one of {', '.join(sorted(kinds))}"
            )
        if entry["code"] in codes:
            errors.append(f"{where}: the code appears twice")
        codes.add(entry["code"])
    return errors


def upsert_organizations(entries: list[dict[str, Any]]) -> tuple[Counts, Counts]:
    """Organisations by name, then their aliases; returns (organisations, aliases) counts."""
    organization_counts, alias_counts = Counts(), Counts()
    saved: dict[int, Organization] = {}
    for position, (entry, parent) in enumerate(_walk(entries), start=1):
        organization, outcome = _upsert(
            Organization,
            {"name": entry["name"]},
            {
                "kind": entry["kind"],
                "name_kana": entry.get("name_kana") or "",
                "is_public": bool(entry.get("is_public", True)),
                "parent": saved[id(parent)] if parent is not None else None,
                "sort_order": position,
            },
        )
        saved[id(entry)] = organization
        organization_counts.add(outcome)
        for alias in entry.get("aliases") or []:
            _alias, outcome = _upsert(
                OrganizationAlias,
                {"alias": alias["alias"]},
                {"organization": organization, "note": " ".join((alias.get("note") or "").split())},
            )
            alias_counts.add(outcome)
    return organization_counts, alias_counts


def upsert_areas(entries: list[dict[str, Any]]) -> Counts:
    counts = Counts()
    saved: dict[int, Area] = {}
    for position, (entry, parent) in enumerate(_walk(entries), start=1):
        area, outcome = _upsert(
            Area,
            {"code": entry["code"]},
            {
                "kind": entry["kind"],
                "name": entry["name"],
                "name_kana": entry.get("name_kana") or "",
                "description": " ".join((entry.get("description") or "").split()),
                "parent": saved[id(parent)] if parent is not None else None,
                "sort_order": position,
            },
        )
        saved[id(entry)] = area
        counts.add(outcome)
    return counts


def load_reference_data(
    organizations: Path | None = DEFAULT_ORGANIZATIONS,
    areas: Path | None = DEFAULT_AREAS,
    *,
    dry_run: bool = False,
) -> ReferenceDataReport:
    """Load both files, all or nothing. Pass ``None`` to skip one of them."""
    organization_entries = read_yaml(organizations, "organizations") if organizations else []
    area_entries = read_yaml(areas, "areas") if areas else []
    errors = validate_organizations(organization_entries) + validate_areas(area_entries)
    if errors:
        raise ReferenceDataError(errors)
    report = ReferenceDataReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            if organizations:
                report.counts["organizations"], report.counts["aliases"] = upsert_organizations(
                    organization_entries
                )
            if areas:
                report.counts["areas"] = upsert_areas(area_entries)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


class Command(BaseCommand):
    help = (
        "Load organisations (with parents and aliases) and areas from YAML files; "
        "idempotent, all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organizations",
            type=Path,
            default=DEFAULT_ORGANIZATIONS,
            help=f"organisations file (default: {DEFAULT_ORGANIZATIONS})",
        )
        parser.add_argument(
            "--areas",
            type=Path,
            default=DEFAULT_AREAS,
            help=f"areas file (default: {DEFAULT_AREAS})",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_reference_data(
                options["organizations"], options["areas"], dry_run=options["dry_run"]
            )
        except ReferenceDataError as exc:
            raise CommandError(
                "reference data not loaded; nothing was changed.\n"
                + "\n".join(f"  {error}" for error in exc.errors)
            ) from None
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "dry_run": report.dry_run,
                        "counts": {key: counts.as_dict() for key, counts in report.counts.items()},
                    },
                    indent=2,
                )
            )
            return
        labels = {
            "organizations": "organisations",
            "aliases": "organisation aliases",
            "areas": "areas",
        }
        for key, counts in report.counts.items():
            self.stdout.write(
                f"{labels[key]}: {counts.total} ({counts.created} created, "
                f"{counts.updated} updated, {counts.unchanged} unchanged)"
            )
        if report.dry_run:
            self.stdout.write(self.style.SUCCESS("Dry run: nothing was written."))
