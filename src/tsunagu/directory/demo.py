"""The directory's demo data: about 150 made-up services of a Kamakura-sized city.

`load_directory_demo()` reads ``data/kamakura/directory/`` (see ``demo_files`` and
that folder's README.md) and upserts every record by the uuid written in the files,
so running it again updates what changed and adds nothing twice. Rows that hang off
a service or a place (phones, hours, addresses …) get uuids derived from their
parent's, so they are stable too; rows the files no longer list are removed, and so
are demo services, organisations and places the files no longer list. Real records
are never touched: a file uuid that belongs to one is an error.

Every service carries the notice 「【デモ】架空の情報です…」 and ``is_demo``; demo
organisations and places say so in their description (which is also how a demo
place is recognised). Plan initiatives are linked when a current plan is loaded
(``tsunagu load_demo`` loads the plan first). All writes happen in one transaction
and the search index is written once, at the end, for the services that changed.

Registered with ``core.demo`` when this module is imported (``DirectoryConfig.ready``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from tsunagu.core.demo import DemoContext, register_demo_loader
from tsunagu.core.models import Area
from tsunagu.core.models import Organization as CoreOrganization
from tsunagu.plans.models import Initiative, Plan
from tsunagu.textsearch.index import deferred_indexing

from .demo_files import LANGUAGE_NAMES, DemoFiles, read_demo_files, schedule_values
from .models import (
    Accessibility,
    Address,
    CostOption,
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


class DemoDataError(Exception):
    """The demo files cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class DirectoryDemoReport:
    """What a load did: per model, rows created, updated, unchanged, relinked and deleted."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    initiatives_linked: bool = True

    def add(self, model: type[models.Model], outcome: str, n: int = 1) -> None:
        if n:
            self.counts.setdefault(model.__name__, Counter())[outcome] += n

    def changed(self) -> int:
        return sum(
            sum(n for outcome, n in counter.items() if outcome != "unchanged")
            for counter in self.counts.values()
        )

    def of(self, model: type[models.Model]) -> Counter[str]:
        return self.counts.get(model.__name__, Counter())


# -- what already exists ---------------------------------------------------------------------------
def _demo_rows() -> dict[type[models.Model], models.QuerySet[Any]]:
    """Per model, the rows that belong to the demo data set (and may be updated or removed)."""
    services = Q(service__is_demo=True)
    places = Location.objects.filter(description__endswith=DEMO_LOCATION_NOTE)
    # Parents first: removing them removes their children too.
    return {
        Service: Service.objects.filter(is_demo=True),
        Organization: Organization.objects.filter(is_demo=True),
        Location: places,
        OrganizationTranslation: OrganizationTranslation.objects.filter(organization__is_demo=True),
        Address: Address.objects.filter(location__in=places),
        Accessibility: Accessibility.objects.filter(location__in=places),
        ServiceTranslation: ServiceTranslation.objects.filter(services),
        CostOption: CostOption.objects.filter(services),
        RequiredDocument: RequiredDocument.objects.filter(services),
        ServiceArea: ServiceArea.objects.filter(services),
        ServiceAtLocation: ServiceAtLocation.objects.filter(services),
        Phone: Phone.objects.filter(services | Q(location__in=places)),
        Language: Language.objects.filter(
            services | Q(phone__service__is_demo=True) | Q(phone__location__in=places)
        ),
        Schedule: Schedule.objects.filter(services | Q(service_at_location__service__is_demo=True)),
    }


class _Writer:
    """Upserts by uuid against a snapshot of the demo rows, and removes what was not written."""

    def __init__(self, report: DirectoryDemoReport):
        self.report = report
        self.existing: dict[type[models.Model], dict[uuid.UUID, Any]] = {
            model: {row.uuid: row for row in rows} for model, rows in _demo_rows().items()
        }
        self.written: dict[type[models.Model], set[uuid.UUID]] = {
            model: set() for model in self.existing
        }

    def upsert(
        self, model: type[models.Model], record_uuid: uuid.UUID, values: dict[str, Any]
    ) -> Any:
        self.written[model].add(record_uuid)
        # Compare foreign keys by id: reading instance.service would query for each row.
        values = {
            (f"{key}_id" if isinstance(value, models.Model) else key): (
                value.pk if isinstance(value, models.Model) else value
            )
            for key, value in values.items()
        }
        instance = self.existing[model].get(record_uuid)
        if instance is None:
            instance = model._default_manager.create(uuid=record_uuid, **values)
            self.existing[model][record_uuid] = instance
            self.report.add(model, "created")
            return instance
        changed = [key for key, value in values.items() if getattr(instance, key) != value]
        if not changed:
            self.report.add(model, "unchanged")
            return instance
        for key in changed:
            setattr(instance, key, values[key])
        instance.save()
        self.report.add(model, "updated")
        return instance

    def remove_unwritten(self) -> None:
        """Delete the demo rows this load did not write (parents first, see _demo_rows)."""
        for model, rows in self.existing.items():
            stale = [row.pk for key, row in rows.items() if key not in self.written[model]]
            if stale:
                _deleted, by_model = model._default_manager.filter(pk__in=stale).delete()
                self.report.add(model, "deleted", by_model.get(model._meta.label, 0))


def _links(field_name: str) -> dict[int, set[int]]:
    """Current many-to-many links of the demo services, by service pk."""
    links: dict[int, set[int]] = {}
    rows = Service.objects.filter(is_demo=True).values_list("pk", field_name)
    for service_pk, target_pk in rows:
        bucket = links.setdefault(service_pk, set())
        if target_pk is not None:
            bucket.add(target_pk)
    return links


@dataclass
class _References:
    """What the files refer to in the database, by the code the files use."""

    areas: dict[str, Area]
    core_organizations: dict[str, CoreOrganization]
    terms: dict[str, TaxonomyTerm]
    groups: dict[str, TargetGroup]
    initiatives: dict[str, Initiative] | None  # None: no current plan loaded
    links: dict[str, dict[int, set[int]]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _References:
        plan = Plan.objects.filter(is_current=True).order_by("-last_fiscal_year", "pk").first()
        initiatives = None
        if plan is not None:
            initiatives = {
                initiative.code: initiative
                for initiative in Initiative.objects.filter(plan=plan, archived_at__isnull=True)
            }
        return cls(
            areas={area.code: area for area in Area.objects.all()},
            core_organizations={org.name: org for org in CoreOrganization.objects.all()},
            terms={
                term.code: term
                for term in TaxonomyTerm.objects.filter(taxonomy__name=WELFARE_TAXONOMY)
            },
            groups={group.code: group for group in TargetGroup.objects.all()},
            initiatives=initiatives,
            links={
                name: _links(name) for name in ("target_groups", "taxonomy_terms", "initiatives")
            },
        )

    def errors(self, files: DemoFiles) -> list[str]:
        errors: list[str] = []
        for org in files.organizations:
            if org.get("core") and org["core"] not in self.core_organizations:
                errors.append(
                    f"organisation {org['name']}: no tsunagu organisation named {org['core']!r} "
                    "(load the reference data first)"
                )
        for place in files.locations:
            if place.get("area") and place["area"] not in self.areas:
                errors.append(f"place {place['name']}: unknown area {place['area']!r}")
        for service in files.services:
            where = f"{service['_file']}: {service['name']}"
            checks: list[tuple[str, Mapping[str, Any], str]] = [
                ("areas", self.areas, "area"),
                ("categories", self.terms, "category"),
                ("groups", self.groups, "target group"),
            ]
            for key, known, what in checks:
                for code in service.get(key) or []:
                    if code not in known:
                        errors.append(f"{where}: unknown {what} {code!r}")
            if self.initiatives is not None:
                for code in service.get("initiatives") or []:
                    if str(code) not in self.initiatives:
                        errors.append(f"{where}: the current plan has no initiative {code!r}")
        return errors


def _real_records_in_the_way(files: DemoFiles) -> list[str]:
    """File uuids that belong to records which are not demo data."""
    clashes = [
        *Organization.objects.filter(uuid__in=files.ids(files.organizations), is_demo=False),
        *Service.objects.filter(uuid__in=files.ids(files.services), is_demo=False),
        *Location.objects.filter(uuid__in=files.ids(files.locations)).exclude(
            description__endswith=DEMO_LOCATION_NOTE
        ),
    ]
    return [
        f"{type(record).__name__} {record.uuid} ({record}) is not demo data; not overwritten"
        for record in clashes
    ]


# -- loading ---------------------------------------------------------------------------------------
def load_directory_demo(
    data_dir: Path = DATA_DIR, *, today: dt.date | None = None
) -> DirectoryDemoReport:
    """Upsert the demo organisations, places and services; all or nothing.

    Needs the reference data (areas, tsunagu organisations) and the taxonomy (a
    migration loads it); links plan initiatives when a current plan is loaded.
    Raises DemoDataError, listing every problem, when the files cannot be loaded.
    """
    files = read_demo_files(data_dir)
    today = today or timezone.localdate()
    report = DirectoryDemoReport()
    with transaction.atomic(), deferred_indexing():
        refs = _References.load()
        errors = files.errors + refs.errors(files) + _real_records_in_the_way(files)
        if errors:
            raise DemoDataError(errors)
        report.initiatives_linked = refs.initiatives is not None
        writer = _Writer(report)
        organizations = {
            entry["key"]: _write_organization(writer, entry, refs) for entry in files.organizations
        }
        locations = {
            entry["key"]: _write_location(writer, entry, organizations, refs)
            for entry in files.locations
        }
        for entry in files.services:
            _write_service(writer, entry, files, organizations, locations, refs, today)
        writer.remove_unwritten()
    return report


def _derived(parent: uuid.UUID, name: str) -> uuid.UUID:
    """A child row's stable uuid: the same parent and name give the same uuid on every load."""
    return uuid.uuid5(parent, name)


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _decimal(value: Any, places: str) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


def _verified_at(days_ago: int | None, today: dt.date) -> dt.datetime | None:
    if days_ago is None:
        return None
    return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(10), tzinfo=TOKYO)


def _write_translation(
    writer: _Writer,
    model: type[models.Model],
    parent_field: str,
    parent: Any,
    entry: Mapping[str, Any] | None,
    fields: Mapping[str, str],
) -> None:
    if not entry:
        return
    values: dict[str, Any] = {parent_field: parent, "language": "en"}
    values.update({field: _text(entry.get(key)) for key, field in fields.items()})
    if values.get("description"):
        values["description"] = f"{values['description']}\n{DEMO_ENGLISH_NOTE}"
    writer.upsert(model, _derived(parent.uuid, "translation:en"), values)


def _write_phones(writer: _Writer, owner_field: str, owner: Any, raw: Iterable[Any]) -> None:
    for index, phone in enumerate(raw):
        spec = {"number": phone} if isinstance(phone, str) else phone
        phone_uuid = _derived(owner.uuid, f"phone:{index}")
        instance = writer.upsert(
            Phone,
            phone_uuid,
            {
                owner_field: owner,
                "number": str(spec["number"]),
                "type": spec.get("type") or PhoneType.VOICE,
                "description": _text(spec.get("note")),
            },
        )
        for code in spec.get("languages") or []:
            writer.upsert(
                Language,
                _derived(phone_uuid, f"language:{code}"),
                {"phone": instance, "code": code, "name": LANGUAGE_NAMES[code]},
            )


def _write_schedules(
    writer: _Writer, owner_field: str, owner: Any, entries: Iterable[Any], files: DemoFiles
) -> None:
    for index, entry in enumerate(entries):
        values = schedule_values(entry, files.hours_presets)
        values[owner_field] = owner
        writer.upsert(Schedule, _derived(owner.uuid, f"schedule:{index}"), values)


def _write_organization(
    writer: _Writer, entry: Mapping[str, Any], refs: _References
) -> Organization:
    core = refs.core_organizations.get(entry.get("core") or "")
    description = _text(entry.get("description"))
    organization: Organization = writer.upsert(
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
    _write_translation(
        writer,
        OrganizationTranslation,
        "organization",
        organization,
        entry.get("en"),
        {"name": "name", "description": "description"},
    )
    return organization


def _write_location(
    writer: _Writer,
    entry: Mapping[str, Any],
    organizations: Mapping[str, Organization],
    refs: _References,
) -> Location:
    area = refs.areas.get(entry.get("area") or "")
    org = organizations.get(entry.get("org") or "")
    description = _text(entry.get("description"))
    location: Location = writer.upsert(
        Location,
        uuid.UUID(str(entry["id"])),
        {
            "name": entry["name"],
            "name_kana": _text(entry.get("kana")),
            "description": f"{description}\n{DEMO_LOCATION_NOTE}".strip(),
            "location_type": entry.get("type") or LocationType.PHYSICAL,
            "url": _text(entry.get("url")),
            "latitude": _decimal(entry.get("lat"), "0.000001"),
            "longitude": _decimal(entry.get("lon"), "0.000001"),
            "area_id": area.pk if area else None,
            "organization_id": org.pk if org else None,
            "transportation": _text(entry.get("access")),
            "is_sensitive": bool(entry.get("sensitive")),
        },
    )
    if entry.get("address"):
        writer.upsert(
            Address,
            _derived(location.uuid, "address:physical"),
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
    for index, text in enumerate(entry.get("accessibility") or []):
        writer.upsert(
            Accessibility,
            _derived(location.uuid, f"accessibility:{index}"),
            {"location": location, "description": text},
        )
    _write_phones(writer, "location", location, [entry["phone"]] if entry.get("phone") else [])
    return location


def _write_links(
    writer: _Writer,
    service: Service,
    field_name: str,
    targets: Sequence[models.Model],
    refs: _References,
) -> None:
    wanted = {target.pk for target in targets}
    if refs.links[field_name].get(service.pk, set()) != wanted:
        getattr(service, field_name).set(targets)
        writer.report.add(Service, "relinked")


def _write_service(
    writer: _Writer,
    entry: Mapping[str, Any],
    files: DemoFiles,
    organizations: Mapping[str, Organization],
    locations: Mapping[str, Location],
    refs: _References,
    today: dt.date,
) -> Service:
    organization = organizations[entry["org"]]
    minimum_age, maximum_age = entry.get("ages") or (None, None)
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
            "alert": f"{DEMO_ALERT} {_text(entry.get('alert'))}".strip(),
            "last_verified_at": _verified_at(entry.get("verified"), today),
            "is_demo": True,
        },
    )
    _write_links(
        writer, service, "target_groups", [refs.groups[c] for c in entry.get("groups") or []], refs
    )
    _write_links(
        writer,
        service,
        "taxonomy_terms",
        [refs.terms[c] for c in entry.get("categories") or []],
        refs,
    )
    if refs.initiatives is not None:
        initiatives = [refs.initiatives[str(c)] for c in entry.get("initiatives") or []]
        _write_links(writer, service, "initiatives", initiatives, refs)
    _write_translation(
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
    for index, cost in enumerate(entry.get("costs") or []):
        writer.upsert(
            CostOption,
            _derived(service.uuid, f"cost:{index}"),
            {
                "service": service,
                "option": _text(cost.get("option")),
                "amount": _decimal(cost.get("amount"), "0.01"),
                "amount_description": _text(cost.get("note")),
            },
        )
    for index, document in enumerate(entry.get("documents") or []):
        writer.upsert(
            RequiredDocument,
            _derived(service.uuid, f"document:{index}"),
            {"service": service, "document": document},
        )
    for code in entry.get("areas") or []:
        area = refs.areas[code]
        writer.upsert(
            ServiceArea,
            _derived(service.uuid, f"area:{code}"),
            {"service": service, "area": area, "name": area.name},
        )
    for code in entry.get("languages") or ["ja"]:
        writer.upsert(
            Language,
            _derived(service.uuid, f"language:{code}"),
            {"service": service, "code": code, "name": LANGUAGE_NAMES[code]},
        )
    _write_phones(writer, "service", service, entry.get("phones") or [])
    _write_schedules(writer, "service", service, entry.get("hours") or [], files)
    for place in entry.get("at") or []:
        spec = place if isinstance(place, dict) else {"place": place}
        location = locations[spec["place"]]
        sal = writer.upsert(
            ServiceAtLocation,
            _derived(service.uuid, f"at:{location.uuid}"),
            {"service": service, "location": location, "description": _text(spec.get("note"))},
        )
        _write_schedules(writer, "service_at_location", sal, spec.get("hours") or [], files)
    return service


# -- `tsunagu load_demo` ---------------------------------------------------------------------------
def load_for_demo_command(context: DemoContext) -> None:
    try:
        report = load_directory_demo()
    except DemoDataError as exc:
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
