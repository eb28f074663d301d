"""The directory's demo data: about 150 made-up services of a Kamakura-sized city.

`load_directory_demo()` reads ``data/kamakura/directory/`` (the files' shape is in
that folder's README.md) and upserts every record by the uuid written in the
files, so running it again updates what changed and adds nothing twice. Rows that
hang off a service or a place (phones, hours, addresses …) get uuids derived from
their parent's, so they are stable too; rows the files no longer list are removed,
and so are demo services and organisations the files no longer list. Real
(non-demo) records are never touched: a file uuid that belongs to one is an error.

Every service carries the notice 「【デモ】架空の情報です…」 and ``is_demo``; demo
organisations and places say so in their description. The plan's initiatives are
linked when a current plan is loaded (``tsunagu load_demo`` loads the plan first).

Registered with ``core.demo`` when this module is imported (``DirectoryConfig.ready``).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from tsunagu.core.demo import DemoContext, register_demo_loader
from tsunagu.core.models import Area
from tsunagu.core.models import Organization as CoreOrganization
from tsunagu.plans.models import Initiative, Plan
from tsunagu.textsearch.index import deferred_indexing

from .models import (
    Accessibility,
    Address,
    CostOption,
    Frequency,
    Language,
    Location,
    LocationType,
    Organization,
    OrganizationTranslation,
    Phone,
    PhoneType,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTranslation,
    TargetGroup,
    TaxonomyTerm,
)

DATA_DIR = Path(settings.PROJECT_DIR) / "data" / "kamakura" / "directory"
WELFARE_TAXONOMY = "tsunagu-welfare"
TOKYO = ZoneInfo("Asia/Tokyo")

DEMO_ALERT = "【デモ】架空の情報です。実在の窓口・連絡先ではありません。"
DEMO_ORGANIZATION_NOTE = "【デモ】架空の団体・窓口の情報です。"
DEMO_LOCATION_NOTE = "【デモ】架空の場所です。住所・位置はおおよそのものです。"
DEMO_ENGLISH_NOTE = "[Demo] Fictional information, not a real service or contact."

LANGUAGE_NAMES = {
    "ja": "日本語",
    "en": "英語",
    "zh": "中国語",
    "ko": "韓国語",
    "vi": "ベトナム語",
    "es": "スペイン語",
    "pt": "ポルトガル語",
    "tl": "タガログ語",
    "ne": "ネパール語",
    "id": "インドネシア語",
    "th": "タイ語",
    "jsl": "日本手話",
}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

ORGANIZATION_KEYS = {
    "key",
    "id",
    "name",
    "kana",
    "also",
    "core",
    "legal_status",
    "year",
    "description",
    "email",
    "website",
    "en",
}
LOCATION_KEYS = {
    "key",
    "id",
    "name",
    "kana",
    "org",
    "description",
    "type",
    "url",
    "address",
    "building",
    "postal",
    "lat",
    "lon",
    "area",
    "access",
    "accessibility",
    "sensitive",
    "phone",
}
SERVICE_KEYS = {
    "id",
    "org",
    "name",
    "kana",
    "also",
    "description",
    "eligibility",
    "ages",
    "groups",
    "categories",
    "initiatives",
    "apply",
    "fees",
    "costs",
    "documents",
    "areas",
    "languages",
    "interpretation",
    "phones",
    "email",
    "url",
    "at",
    "hours",
    "verified",
    "status",
    "alert",
    "en",
}
TRANSLATION_KEYS = {"name", "description", "eligibility", "apply", "fees"}
HOURS_KEYS = {"days", "monthly", "monthdays", "time", "24h", "closed", "note", "attending"}
PHONE_KEYS = {"number", "type", "note", "languages"}
COST_KEYS = {"option", "amount", "note"}
PLACE_KEYS = {"place", "note", "hours"}
CLOSURES = {"holidays", "new-year"}


class DemoDataError(Exception):
    """The demo files cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class DemoFiles:
    organizations: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    services: list[dict[str, Any]]
    hours_presets: dict[str, Any]


@dataclass
class DirectoryDemoReport:
    """What a load did: per model, rows created, updated, unchanged and deleted."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    initiatives_linked: bool = True

    def add(self, model: type[models.Model], outcome: str, n: int = 1) -> None:
        self.counts.setdefault(model.__name__, Counter())[outcome] += n

    def changed(self) -> int:
        return sum(
            counter["created"] + counter["updated"] + counter["deleted"] + counter["relinked"]
            for counter in self.counts.values()
        )

    def of(self, model: type[models.Model]) -> Counter[str]:
        return self.counts.get(model.__name__, Counter())


# -- reading and checking the files --------------------------------------------------------------
def _read(path: Path, errors: list[str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        errors.append(f"{path.name}: cannot be read: {exc}")
        return {}
    if not isinstance(data, dict):
        errors.append(f"{path.name}: expected a mapping at the top")
        return {}
    return data


def read_demo_files(data_dir: Path = DATA_DIR) -> DemoFiles:
    """The files' records, checked for shape and cross-references (not against the database)."""
    errors: list[str] = []
    common = _read(data_dir / "organizations.yaml", errors)
    places = _read(data_dir / "locations.yaml", errors)
    organizations = common.get("organizations") or []
    presets = common.get("hours_presets") or {}
    locations = places.get("locations") or []
    services: list[dict[str, Any]] = []
    for path in sorted((data_dir / "services").glob("*.yaml")):
        for entry in _read(path, errors).get("services") or []:
            if isinstance(entry, dict):
                entry = {**entry, "_file": path.name}
            services.append(entry)
    if not services:
        errors.append(f"{data_dir / 'services'}: no services found")

    seen_ids: set[str] = set()

    def check(entry: Any, allowed: set[str], required: Iterable[str], where: str) -> bool:
        if not isinstance(entry, dict):
            errors.append(f"{where}: expected a mapping")
            return False
        unknown = set(entry) - allowed - {"_file"}
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        for key in required:
            if not entry.get(key):
                errors.append(f"{where}: {key} is missing")
        raw_id = entry.get("id")
        try:
            value = str(uuid.UUID(str(raw_id)))
        except ValueError:
            errors.append(f"{where}: id {raw_id!r} is not a uuid")
            return False
        if value in seen_ids:
            errors.append(f"{where}: id {value} is used twice")
        seen_ids.add(value)
        return True

    org_keys: set[str] = set()
    for index, org in enumerate(organizations):
        where = f"organizations.yaml #{index + 1} {org.get('name', '') if isinstance(org, dict) else ''}"
        if check(org, ORGANIZATION_KEYS, ("key", "id", "name"), where):
            if org["key"] in org_keys:
                errors.append(f"{where}: key {org['key']!r} is used twice")
            org_keys.add(org["key"])
            _check_translation(org.get("en"), where, errors)
    location_keys: set[str] = set()
    for index, location in enumerate(locations):
        where = f"locations.yaml #{index + 1} {location.get('name', '') if isinstance(location, dict) else ''}"
        if check(location, LOCATION_KEYS, ("key", "id", "name"), where):
            if location["key"] in location_keys:
                errors.append(f"{where}: key {location['key']!r} is used twice")
            location_keys.add(location["key"])
            if location.get("org") and location["org"] not in org_keys:
                errors.append(f"{where}: unknown organisation {location['org']!r}")
            if location.get("type", "physical") == "physical" and not location.get("address"):
                errors.append(f"{where}: a physical place needs an address")
    for name, preset in presets.items():
        _check_hours(preset, f"hours preset {name!r}", presets, errors)
    names: set[str] = set()
    for service in services:
        where = f"{service.get('_file', '?')}: {service.get('name', '?') if isinstance(service, dict) else service}"
        if not check(service, SERVICE_KEYS, ("id", "org", "name", "description"), where):
            continue
        if service["name"] in names:
            errors.append(f"{where}: another service has the same name")
        names.add(service["name"])
        if service["org"] not in org_keys:
            errors.append(f"{where}: unknown organisation {service['org']!r}")
        for place in service.get("at") or []:
            key = place.get("place") if isinstance(place, dict) else place
            if isinstance(place, dict):
                unknown = set(place) - PLACE_KEYS
                if unknown:
                    errors.append(f"{where}: place keys {sorted(unknown)} unknown")
                for hours in place.get("hours") or []:
                    _check_hours(hours, where, presets, errors)
            if key not in location_keys:
                errors.append(f"{where}: unknown place {key!r}")
        for hours in service.get("hours") or []:
            _check_hours(hours, where, presets, errors)
        for phone in service.get("phones") or []:
            if isinstance(phone, dict) and (set(phone) - PHONE_KEYS or not phone.get("number")):
                errors.append(f"{where}: a phone needs a number and only {sorted(PHONE_KEYS)}")
        for cost in service.get("costs") or []:
            if not isinstance(cost, dict) or set(cost) - COST_KEYS:
                errors.append(f"{where}: a cost takes only {sorted(COST_KEYS)}")
        ages = service.get("ages")
        if ages is not None and (not isinstance(ages, list) or len(ages) != 2):
            errors.append(f"{where}: ages is [minimum, maximum] (either may be ~)")
        for code in service.get("languages") or []:
            if code not in LANGUAGE_NAMES:
                errors.append(f"{where}: unknown language {code!r}")
        _check_translation(service.get("en"), where, errors)
        verified = service.get("verified")
        if verified is not None and not (isinstance(verified, int) and verified >= 0):
            errors.append(f"{where}: verified is a number of days ago, or ~ for never")
    if errors:
        raise DemoDataError(errors)
    return DemoFiles(organizations, locations, services, presets)


def _check_translation(value: Any, where: str, errors: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or set(value) - TRANSLATION_KEYS or not value.get("name"):
        errors.append(f"{where}: en needs a name and takes only {sorted(TRANSLATION_KEYS)}")


def _check_hours(value: Any, where: str, presets: Mapping[str, Any], errors: list[str]) -> None:
    if isinstance(value, str):
        if value not in presets:
            errors.append(f"{where}: unknown hours preset {value!r}")
        return
    try:
        _schedule_values(value, presets)
    except ValueError as exc:
        errors.append(f"{where}: hours {value!r}: {exc}")


# -- turning entries into field values ------------------------------------------------------------
def _days(value: str) -> str:
    """``MO-FR`` → ``MO,TU,WE,TH,FR``; ``daily`` → every day (no byday)."""
    value = str(value).strip().upper()
    if value == "DAILY":
        return ""
    parts: list[str] = []
    for part in value.split(","):
        part = part.strip()
        if "-" in part:
            first, last = part.split("-")
            if first not in WEEKDAYS or last not in WEEKDAYS:
                raise ValueError(f"{part!r} is not a range of weekdays such as MO-FR")
            parts.extend(WEEKDAYS[WEEKDAYS.index(first) : WEEKDAYS.index(last) + 1])
        elif part in WEEKDAYS:
            parts.append(part)
        else:
            raise ValueError(f"{part!r} is not a weekday")
    return ",".join(parts)


_TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _schedule_values(entry: Any, presets: Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(entry, str):
        entry = presets[entry]
    if not isinstance(entry, dict):
        raise ValueError("expected a preset name or a mapping")
    unknown = set(entry) - HOURS_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    if ("days" in entry) == ("monthly" in entry or "monthdays" in entry):
        raise ValueError("give either days (weekly) or monthly/monthdays")
    closed = set(entry.get("closed") or [])
    if closed - CLOSURES:
        raise ValueError(f"closed takes {sorted(CLOSURES)}")
    values: dict[str, Any] = {
        "freq": Frequency.WEEKLY if "days" in entry else Frequency.MONTHLY,
        "byday": _days(entry["days"]) if "days" in entry else str(entry.get("monthly") or ""),
        "bymonthday": str(entry.get("monthdays") or ""),
        "opens_at": None,
        "closes_at": None,
        "open_24h": bool(entry.get("24h")),
        "closed_on_holidays": "holidays" in closed,
        "closed_year_end": "new-year" in closed,
        "description": entry.get("note") or "",
        "attending_type": entry.get("attending") or "",
    }
    if values["open_24h"]:
        if "time" in entry:
            raise ValueError("24h and time exclude each other")
    else:
        match = _TIME_RANGE.match(str(entry.get("time") or ""))
        if match is None:
            raise ValueError("time must look like 08:30-17:15 (or say 24h: true)")
        hour1, minute1, hour2, minute2 = (int(group) for group in match.groups())
        values["opens_at"] = dt.time(hour1, minute1)
        values["closes_at"] = dt.time(hour2, minute2)
        if values["opens_at"] >= values["closes_at"]:
            raise ValueError("closing time must be after opening time")
    from .models.base import validate_byday, validate_bymonthday

    try:
        validate_byday(values["byday"])
        validate_bymonthday(values["bymonthday"])
    except Exception as exc:  # ValidationError: report it as the file's error
        raise ValueError(str(exc)) from None
    return values


def _derived(parent: uuid.UUID, name: str) -> uuid.UUID:
    """A child row's stable uuid: the same parent and name give the same uuid on every load."""
    return uuid.uuid5(parent, name)


def _coordinate(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.000001"))


def _verified_at(days_ago: int | None, today: dt.date) -> dt.datetime | None:
    if days_ago is None:
        return None
    day = today - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=TOKYO)


# -- writing --------------------------------------------------------------------------------------
class _Writer:
    def __init__(self, report: DirectoryDemoReport):
        self.report = report

    def upsert(
        self, model: type[models.Model], record_uuid: uuid.UUID, values: dict[str, Any]
    ) -> Any:
        manager = model._default_manager
        instance = manager.filter(uuid=record_uuid).first()
        if instance is None:
            self.report.add(model, "created")
            return manager.create(uuid=record_uuid, **values)
        if getattr(instance, "is_demo", True) is False:
            raise DemoDataError(
                [f"{model.__name__} {record_uuid} exists and is not demo data; not overwritten"]
            )
        changed = [key for key, value in values.items() if getattr(instance, key) != value]
        if not changed:
            self.report.add(model, "unchanged")
            return instance
        for key in changed:
            setattr(instance, key, values[key])
        instance.save()
        self.report.add(model, "updated")
        return instance

    def prune(self, queryset: models.QuerySet[Any], keep: Iterable[uuid.UUID]) -> None:
        stale = queryset.exclude(uuid__in=list(keep))
        count = stale.count()
        if count:
            stale.delete()
            self.report.add(queryset.model, "deleted", count)

    def set_m2m(self, manager: Any, objects: list[models.Model], model: type) -> None:
        current = set(manager.values_list("pk", flat=True))
        wanted = {obj.pk for obj in objects}
        if current != wanted:
            manager.set(objects)
            self.report.add(model, "relinked")


def _upsert_translation(
    writer: _Writer,
    model: type[models.Model],
    parent_field: str,
    parent: Any,
    entry: dict[str, Any] | None,
    fields: Mapping[str, str],
) -> None:
    wanted: list[uuid.UUID] = []
    if entry:
        translation_uuid = _derived(parent.uuid, "translation:en")
        values = {parent_field: parent, "language": "en"}
        values.update({field: (entry.get(key) or "").strip() for key, field in fields.items()})
        if values.get("description"):
            values["description"] = f"{values['description']}\n{DEMO_ENGLISH_NOTE}"
        writer.upsert(model, translation_uuid, values)
        wanted.append(translation_uuid)
    writer.prune(model._default_manager.filter(**{parent_field: parent}), wanted)


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _write_schedules(
    writer: _Writer,
    owner_field: str,
    owner: Any,
    entries: list[Any],
    presets: Mapping[str, Any],
) -> None:
    wanted = []
    for index, entry in enumerate(entries):
        schedule_uuid = _derived(owner.uuid, f"schedule:{index}")
        values = _schedule_values(entry, presets)
        values[owner_field] = owner
        writer.upsert(Schedule, schedule_uuid, values)
        wanted.append(schedule_uuid)
    writer.prune(Schedule.objects.filter(**{owner_field: owner}), wanted)


def _phone_entries(raw: Any) -> list[dict[str, Any]]:
    entries = []
    for phone in raw or []:
        entries.append({"number": phone} if isinstance(phone, str) else dict(phone))
    return entries


def _write_phones(writer: _Writer, owner_field: str, owner: Any, raw: Any) -> None:
    wanted = []
    for index, phone in enumerate(_phone_entries(raw)):
        phone_uuid = _derived(owner.uuid, f"phone:{index}")
        instance = writer.upsert(
            Phone,
            phone_uuid,
            {
                owner_field: owner,
                "number": str(phone["number"]),
                "type": phone.get("type") or PhoneType.VOICE,
                "description": _text(phone.get("note")),
            },
        )
        wanted.append(phone_uuid)
        language_uuids = []
        for code in phone.get("languages") or []:
            language_uuid = _derived(phone_uuid, f"language:{code}")
            writer.upsert(
                Language,
                language_uuid,
                {"phone": instance, "code": code, "name": LANGUAGE_NAMES[code]},
            )
            language_uuids.append(language_uuid)
        writer.prune(Language.objects.filter(phone=instance), language_uuids)
    writer.prune(Phone.objects.filter(**{owner_field: owner}), wanted)


@dataclass
class _References:
    areas: dict[str, Area]
    core_organizations: dict[str, CoreOrganization]
    terms: dict[str, TaxonomyTerm]
    groups: dict[str, TargetGroup]
    initiatives: dict[str, Initiative] | None  # None: no current plan loaded


def _references(files: DemoFiles) -> _References:
    plan = Plan.objects.filter(is_current=True).order_by("-last_fiscal_year", "pk").first()
    initiatives = None
    if plan is not None:
        initiatives = {
            initiative.code: initiative
            for initiative in Initiative.objects.filter(plan=plan, archived_at__isnull=True)
        }
    refs = _References(
        areas={area.code: area for area in Area.objects.all()},
        core_organizations={org.name: org for org in CoreOrganization.objects.all()},
        terms={
            term.code: term for term in TaxonomyTerm.objects.filter(taxonomy__name=WELFARE_TAXONOMY)
        },
        groups={group.code: group for group in TargetGroup.objects.all()},
        initiatives=initiatives,
    )
    errors: list[str] = []
    for org in files.organizations:
        if org.get("core") and org["core"] not in refs.core_organizations:
            errors.append(
                f"organisation {org['name']}: no tsunagu organisation named {org['core']!r} "
                "(load the reference data first)"
            )
    for location in files.locations:
        if location.get("area") and location["area"] not in refs.areas:
            errors.append(f"place {location['name']}: unknown area {location['area']!r}")
    for service in files.services:
        where = f"{service['_file']}: {service['name']}"
        for code in service.get("areas") or []:
            if code not in refs.areas:
                errors.append(f"{where}: unknown area {code!r}")
        for code in service.get("categories") or []:
            if code not in refs.terms:
                errors.append(f"{where}: unknown category {code!r}")
        for code in service.get("groups") or []:
            if code not in refs.groups:
                errors.append(f"{where}: unknown target group {code!r}")
        if refs.initiatives is not None:
            for code in service.get("initiatives") or []:
                if str(code) not in refs.initiatives:
                    errors.append(f"{where}: the current plan has no initiative {code!r}")
    if errors:
        raise DemoDataError(errors)
    return refs


def load_directory_demo(
    data_dir: Path = DATA_DIR, *, today: dt.date | None = None
) -> DirectoryDemoReport:
    """Upsert the demo organisations, places and services; all or nothing.

    Needs the reference data (areas, tsunagu organisations) and the taxonomy (a
    migration loads it); links plan initiatives when a current plan is loaded.
    """
    files = read_demo_files(data_dir)
    today = today or timezone.localdate()
    report = DirectoryDemoReport()
    writer = _Writer(report)
    with transaction.atomic(), deferred_indexing():
        refs = _references(files)
        report.initiatives_linked = refs.initiatives is not None
        organizations = _write_organizations(writer, files, refs)
        locations = _write_locations(writer, files, organizations, refs)
        for entry in files.services:
            _write_service(writer, entry, files, organizations, locations, refs, today)
        writer.prune(
            Service.objects.filter(is_demo=True), [uuid.UUID(str(s["id"])) for s in files.services]
        )
        writer.prune(
            Organization.objects.filter(is_demo=True),
            [uuid.UUID(str(o["id"])) for o in files.organizations],
        )
    return report


def _write_organizations(
    writer: _Writer, files: DemoFiles, refs: _References
) -> dict[str, Organization]:
    result: dict[str, Organization] = {}
    for entry in files.organizations:
        core = refs.core_organizations.get(entry.get("core") or "")
        description = _text(entry.get("description"))
        organization = writer.upsert(
            Organization,
            uuid.UUID(str(entry["id"])),
            {
                "name": entry["name"],
                "name_kana": _text(entry.get("kana")),
                "alternate_name": _text(entry.get("also")),
                "description": f"{description}\n{DEMO_ORGANIZATION_NOTE}".strip(),
                "email": _text(entry.get("email")),
                "website": _text(entry.get("website")),
                "legal_status": _text(entry.get("legal_status")),
                "year_incorporated": entry.get("year"),
                "core_organization_id": core.pk if core else None,
                "is_demo": True,
            },
        )
        _upsert_translation(
            writer,
            OrganizationTranslation,
            "organization",
            organization,
            entry.get("en"),
            {"name": "name", "description": "description"},
        )
        result[entry["key"]] = organization
    return result


def _write_locations(
    writer: _Writer,
    files: DemoFiles,
    organizations: Mapping[str, Organization],
    refs: _References,
) -> dict[str, Location]:
    result: dict[str, Location] = {}
    for entry in files.locations:
        description = _text(entry.get("description"))
        area = refs.areas.get(entry.get("area") or "")
        org = organizations.get(entry.get("org") or "")
        location = writer.upsert(
            Location,
            uuid.UUID(str(entry["id"])),
            {
                "name": entry["name"],
                "name_kana": _text(entry.get("kana")),
                "description": f"{description}\n{DEMO_LOCATION_NOTE}".strip(),
                "location_type": entry.get("type") or LocationType.PHYSICAL,
                "url": _text(entry.get("url")),
                "latitude": _coordinate(entry.get("lat")),
                "longitude": _coordinate(entry.get("lon")),
                "area_id": area.pk if area else None,
                "organization_id": org.pk if org else None,
                "transportation": _text(entry.get("access")),
                "is_sensitive": bool(entry.get("sensitive")),
            },
        )
        address_uuids = []
        if entry.get("address"):
            address_uuid = _derived(location.uuid, "address:physical")
            writer.upsert(
                Address,
                address_uuid,
                {
                    "location": location,
                    "address_1": _text(entry["address"]),
                    "address_2": _text(entry.get("building")),
                    "city": "鎌倉市",
                    "state_province": "神奈川県",
                    "postal_code": _text(entry.get("postal")),
                    "address_type": LocationType.PHYSICAL,
                },
            )
            address_uuids.append(address_uuid)
        writer.prune(Address.objects.filter(location=location), address_uuids)
        accessibility_uuids = []
        for index, text in enumerate(entry.get("accessibility") or []):
            accessibility_uuid = _derived(location.uuid, f"accessibility:{index}")
            writer.upsert(
                Accessibility, accessibility_uuid, {"location": location, "description": text}
            )
            accessibility_uuids.append(accessibility_uuid)
        writer.prune(Accessibility.objects.filter(location=location), accessibility_uuids)
        _write_phones(writer, "location", location, [entry["phone"]] if entry.get("phone") else [])
        result[entry["key"]] = location
    return result


def _write_service(
    writer: _Writer,
    entry: dict[str, Any],
    files: DemoFiles,
    organizations: Mapping[str, Organization],
    locations: Mapping[str, Location],
    refs: _References,
    today: dt.date,
) -> Service:
    organization = organizations[entry["org"]]
    minimum_age, maximum_age = entry.get("ages") or (None, None)
    alert = DEMO_ALERT + (f" {entry['alert']}" if entry.get("alert") else "")
    service: Service = writer.upsert(
        Service,
        uuid.UUID(str(entry["id"])),
        {
            "organization_id": organization.pk,
            "name": entry["name"],
            "name_kana": _text(entry.get("kana")),
            "alternate_name": _text(entry.get("also")),
            "description": _text(entry.get("description")),
            "url": _text(entry.get("url")),
            "email": _text(entry.get("email")) or organization.email,
            "status": entry.get("status") or ServiceStatus.ACTIVE,
            "interpretation_services": _text(entry.get("interpretation")),
            "application_process": _text(entry.get("apply")),
            "fees_description": _text(entry.get("fees")),
            "eligibility_description": _text(entry.get("eligibility")),
            "minimum_age": minimum_age,
            "maximum_age": maximum_age,
            "alert": alert,
            "last_verified_at": _verified_at(entry.get("verified"), today),
            "is_demo": True,
        },
    )
    writer.set_m2m(
        service.target_groups, [refs.groups[code] for code in entry.get("groups") or []], Service
    )
    writer.set_m2m(
        service.taxonomy_terms,
        [refs.terms[code] for code in entry.get("categories") or []],
        Service,
    )
    if refs.initiatives is not None:
        writer.set_m2m(
            service.initiatives,
            [refs.initiatives[str(code)] for code in entry.get("initiatives") or []],
            Service,
        )
    _upsert_translation(
        writer,
        ServiceTranslation,
        "service",
        service,
        entry.get("en"),
        {
            "name": "name",
            "description": "description",
            "eligibility": "eligibility_description",
            "apply": "application_process",
            "fees": "fees_description",
        },
    )

    wanted: list[uuid.UUID] = []
    for index, cost in enumerate(entry.get("costs") or []):
        cost_uuid = _derived(service.uuid, f"cost:{index}")
        amount = cost.get("amount")
        writer.upsert(
            CostOption,
            cost_uuid,
            {
                "service": service,
                "option": _text(cost.get("option")),
                "amount": Decimal(str(amount)).quantize(Decimal("0.01"))
                if amount is not None
                else None,
                "amount_description": _text(cost.get("note")),
            },
        )
        wanted.append(cost_uuid)
    writer.prune(CostOption.objects.filter(service=service), wanted)

    wanted = []
    for index, document in enumerate(entry.get("documents") or []):
        document_uuid = _derived(service.uuid, f"document:{index}")
        writer.upsert(RequiredDocument, document_uuid, {"service": service, "document": document})
        wanted.append(document_uuid)
    writer.prune(RequiredDocument.objects.filter(service=service), wanted)

    wanted = []
    for code in entry.get("areas") or []:
        area = refs.areas[code]
        area_uuid = _derived(service.uuid, f"area:{code}")
        writer.upsert(ServiceArea, area_uuid, {"service": service, "area": area, "name": area.name})
        wanted.append(area_uuid)
    writer.prune(ServiceArea.objects.filter(service=service), wanted)

    wanted = []
    for code in entry.get("languages") or ["ja"]:
        language_uuid = _derived(service.uuid, f"language:{code}")
        writer.upsert(
            Language,
            language_uuid,
            {"service": service, "code": code, "name": LANGUAGE_NAMES[code]},
        )
        wanted.append(language_uuid)
    writer.prune(Language.objects.filter(service=service), wanted)

    _write_phones(writer, "service", service, entry.get("phones"))
    _write_schedules(writer, "service", service, entry.get("hours") or [], files.hours_presets)

    wanted = []
    for place in entry.get("at") or []:
        spec = place if isinstance(place, dict) else {"place": place}
        location = locations[spec["place"]]
        sal = writer.upsert(
            ServiceAtLocation,
            _derived(service.uuid, f"at:{location.uuid}"),
            {"service": service, "location": location, "description": _text(spec.get("note"))},
        )
        wanted.append(sal.uuid)
        _write_schedules(
            writer, "service_at_location", sal, spec.get("hours") or [], files.hours_presets
        )
    writer.prune(ServiceAtLocation.objects.filter(service=service), wanted)
    return service


# -- `tsunagu load_demo` --------------------------------------------------------------------------
def load_for_demo_command(context: DemoContext) -> None:
    try:
        report = load_directory_demo()
    except DemoDataError as exc:
        from django.core.management.base import CommandError

        raise CommandError(
            "directory demo data not loaded:\n" + "\n".join(f"  {e}" for e in exc.errors)
        ) from None
    services = report.of(Service)
    total = services["created"] + services["updated"] + services["unchanged"]
    context.write(
        f"directory: {total} demo services ({services['created']} new, "
        f"{services['updated']} updated), {report.changed()} rows changed in all"
    )
    if not report.initiatives_linked:
        context.write(
            "directory: no current plan, so services are not linked to initiatives", "warning"
        )


register_demo_loader("directory", load_for_demo_command, order=20)
