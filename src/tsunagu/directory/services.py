"""Writes of the directory: services with their children, verification, status.

Every write runs in one transaction, re-indexes the service once at its end and
appends an audit event whose ``data["changes"]`` is ``{key: [old, new]}`` over a
snapshot of the service (see :func:`snapshot`). Staff pages, imports and
commands call these functions rather than saving models themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.models import Area, AuditEvent, User
from tsunagu.core.services import field_changes, log_action
from tsunagu.textsearch.index import deferred_indexing

from .models import (
    Address,
    CostOption,
    Location,
    Organization,
    Phone,
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

# The service's own fields that the staff form edits (status and verification have
# their own actions).
SERVICE_FIELDS = (
    "name",
    "name_kana",
    "alternate_name",
    "description",
    "url",
    "email",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "application_process",
    "fees_description",
    "interpretation_services",
    "alert",
    "accreditations",
)
LOCATION_FIELDS = (
    "name",
    "name_kana",
    "location_type",
    "area",
    "transportation",
    "is_sensitive",
    "latitude",
    "longitude",
    "url",
)
ADDRESS_FIELDS = ("postal_code", "state_province", "city", "address_1", "address_2")
PHONE_FIELDS = ("number", "extension", "type", "description")
SCHEDULE_FIELDS = (
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "opens_at",
    "closes_at",
    "open_24h",
    "closed_on_holidays",
    "closed_year_end",
    "valid_from",
    "valid_to",
    "dtstart",
    "description",
    "notes",
)
COST_OPTION_FIELDS = ("option", "amount", "amount_description", "valid_from", "valid_to")
DOCUMENT_FIELDS = ("document", "uri")

# Snapshot keys whose values only those who may edit the service see.
CONFIDENTIAL_KEYS = frozenset({"confidential_addresses"})

Row = dict[str, Any]


@dataclass
class ServiceData:
    """What a service is, as a form (or an import) says it.

    A child list left as ``None`` is not touched; a list replaces the children:
    rows carrying the ``uuid`` of an existing child update it, rows without one
    are added, and existing children missing from the list are removed.
    """

    organization: Organization
    fields: dict[str, Any]
    target_groups: Sequence[TargetGroup] | None = None
    taxonomy_terms: Sequence[TaxonomyTerm] | None = None
    initiatives: Sequence[Any] | None = None  # plans.Initiative
    areas: Sequence[Area] | None = None
    # {"en": {"name": …, "description": …}}; an all-blank language removes its translation.
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    locations: list[Row] | None = None  # LOCATION_FIELDS + ADDRESS_FIELDS (+ uuid)
    phones: list[Row] | None = None
    schedules: list[Row] | None = None
    cost_options: list[Row] | None = None
    required_documents: list[Row] | None = None


# -- snapshot ---------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value for the audit log."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def _location_line(location: Location) -> str:
    parts = [location.name]
    if location.area is not None:
        parts.append(location.area.name)
    address = location.public_address()
    if address is not None:
        parts.append(address.formatted())
    if location.transportation and not location.is_sensitive:
        parts.append(location.transportation)
    return " / ".join(parts)


def snapshot(service: Service) -> dict[str, Any]:
    """Everything the staff form edits, as plain values, for diffs in the audit log.

    Confidential addresses are kept apart (``confidential_addresses``) so that the
    history can hide them from readers who may not see them.
    """
    data: dict[str, Any] = {field: _plain(getattr(service, field)) for field in SERVICE_FIELDS}
    data["organization"] = service.organization.name
    data["status"] = service.status
    data["target_groups"] = sorted(group.name for group in service.target_groups.all())
    data["taxonomy_terms"] = sorted(term.name for term in service.taxonomy_terms.all())
    data["initiatives"] = sorted(initiative.code for initiative in service.initiatives.all())
    data["service_areas"] = [
        str(area) for area in service.service_areas.select_related("area").order_by("pk")
    ]
    translations = {t.language: t for t in service.translations.all()}
    for language in sorted({"en", *translations}):
        translation = translations.get(language)
        for name in Service.TRANSLATED_FIELDS:
            data[f"{language}.{name}"] = getattr(translation, name) if translation else ""
    locations = [
        link.location
        for link in service.service_at_locations.select_related("location__area")
        .prefetch_related("location__addresses")
        .order_by("pk")
    ]
    data["locations"] = [_location_line(location) for location in locations]
    data["confidential_locations"] = [loc.name for loc in locations if loc.is_sensitive]
    data["confidential_addresses"] = [
        f"{location.name}: {address.formatted()}"
        for location in locations
        if location.is_sensitive
        for address in location.addresses.all()
    ]
    data["phones"] = [
        " ".join(
            part
            for part in (str(phone), phone.get_type_display(), phone.description)  # type: ignore[attr-defined]
            if part
        )
        for phone in service.phones.order_by("pk")
    ]
    data["schedules"] = [
        " ".join(part for part in (schedule.describe("ja"), schedule.notes) if part)
        for schedule in service.schedules.order_by("pk")
    ]
    data["cost_options"] = [str(option) for option in service.cost_options.order_by("pk")]
    data["required_documents"] = [
        " ".join(part for part in (document.document, document.uri) if part)
        for document in service.required_documents.order_by("pk")
    ]
    return data


def _empty(value: Any) -> bool:
    return value in (None, "", [], False)


# -- create and update ----------------------------------------------------------------------------
def create_service(
    data: ServiceData,
    *,
    actor: User,
    verify: bool = False,
    request: HttpRequest | None = None,
) -> Service:
    """A new active service with its children; audited as ``directory.service.created``."""
    with transaction.atomic(), deferred_indexing():
        service = Service(created_by=actor)
        _write(service, data, actor=actor)
        after = snapshot(service)
        log_action(
            "directory.service.created",
            actor=actor,
            obj=service,
            data={
                "changes": {key: [None, value] for key, value in after.items() if not _empty(value)}
            },
            request=request,
        )
        if verify:
            _verify(service, actor=actor, request=request)
    return service


def update_service(
    service: Service,
    data: ServiceData,
    *,
    actor: User,
    verify: bool = False,
    request: HttpRequest | None = None,
) -> Service:
    """Apply ``data``; audited as ``directory.service.updated`` with what changed."""
    with transaction.atomic(), deferred_indexing():
        service = (
            Service.objects.select_for_update().select_related("organization").get(pk=service.pk)
        )
        before = snapshot(service)
        _write(service, data, actor=actor)
        changes = field_changes(before, snapshot(service))
        if changes:
            log_action(
                "directory.service.updated",
                actor=actor,
                obj=service,
                data={"changes": changes},
                request=request,
            )
        if verify:
            _verify(service, actor=actor, request=request)
    return service


def _write(service: Service, data: ServiceData, *, actor: User) -> None:
    service.organization = data.organization
    for name in SERVICE_FIELDS:
        if name in data.fields:
            setattr(service, name, data.fields[name])
    service.updated_by = actor
    service.full_clean()
    service.save()
    if data.target_groups is not None:
        service.target_groups.set(data.target_groups)
    if data.taxonomy_terms is not None:
        service.taxonomy_terms.set(data.taxonomy_terms)
    if data.initiatives is not None:
        service.initiatives.set(data.initiatives)
    if data.areas is not None:
        _sync_areas(service, data.areas)
    for language, values in data.translations.items():
        _sync_translation(service, language, values)
    if data.locations is not None:
        _sync_locations(service, data.locations, actor=actor)
    if data.phones is not None:
        _sync_children(service.phones.all(), data.phones, Phone, PHONE_FIELDS, service=service)
    if data.schedules is not None:
        _sync_children(
            service.schedules.all(), data.schedules, Schedule, SCHEDULE_FIELDS, service=service
        )
    if data.cost_options is not None:
        _sync_children(
            service.cost_options.all(),
            data.cost_options,
            CostOption,
            COST_OPTION_FIELDS,
            service=service,
        )
    if data.required_documents is not None:
        _sync_children(
            service.required_documents.all(),
            data.required_documents,
            RequiredDocument,
            DOCUMENT_FIELDS,
            service=service,
        )


def _sync_areas(service: Service, areas: Iterable[Area]) -> None:
    wanted = {area.pk: area for area in areas}
    existing = {row.area_id: row for row in service.service_areas.all()}
    for area_id, row in existing.items():
        if area_id not in wanted:
            row.delete()
    for area_id, area in wanted.items():
        if area_id not in existing:
            ServiceArea.objects.create(service=service, area=area, name=area.name)


def _sync_translation(service: Service, language: str, values: dict[str, str]) -> None:
    translation = service.translations.filter(language=language).first()
    if not any(values.get(name) for name in Service.TRANSLATED_FIELDS):
        if translation is not None:
            translation.delete()
        return
    translation = translation or ServiceTranslation(service=service, language=language)
    for name in Service.TRANSLATED_FIELDS:
        setattr(translation, name, values.get(name, ""))
    translation.full_clean()
    translation.save()


def _row_error(model: type[models.Model], number: int, exc: ValidationError) -> ValidationError:
    return ValidationError(
        _("%(record)s %(number)s: %(errors)s")
        % {
            "record": model._meta.verbose_name,
            "number": number,
            "errors": " ".join(exc.messages),
        }
    )


def _sync_children(
    existing: models.QuerySet[Any],
    rows: list[Row],
    model: type[models.Model],
    fields: tuple[str, ...],
    **parent: Any,
) -> None:
    by_uuid = {child.uuid: child for child in existing}
    kept: set[UUID] = set()
    for number, row in enumerate(rows, start=1):
        child = by_uuid.get(row.get("uuid"))  # type: ignore[arg-type]
        if child is None:
            child = model(**parent)
        else:
            kept.add(child.uuid)
        for name in fields:
            if name in row:
                setattr(child, name, row[name])
        try:
            child.full_clean()
        except ValidationError as exc:
            raise _row_error(model, number, exc) from None
        child.save()
    for key, child in by_uuid.items():
        if key not in kept:
            child.delete()


def _sync_locations(service: Service, rows: list[Row], *, actor: User) -> None:
    links = {
        link.location.uuid: link for link in service.service_at_locations.select_related("location")
    }
    kept: set[UUID] = set()
    for number, row in enumerate(rows, start=1):
        link = links.get(row.get("uuid"))  # type: ignore[arg-type]
        if link is None:
            location = Location(organization=service.organization, created_by=actor)
        else:
            location = link.location
            kept.add(location.uuid)
        for name in LOCATION_FIELDS:
            if name in row:
                setattr(location, name, row[name])
        location.updated_by = actor
        try:
            location.full_clean()
        except ValidationError as exc:
            raise _row_error(Location, number, exc) from None
        location.save()
        if link is None:
            ServiceAtLocation.objects.create(service=service, location=location)
        _sync_address(location, row, number)
    for key, link in links.items():
        if key in kept:
            continue
        location = link.location
        link.delete()
        # A place no other service uses goes with its last service.
        if not location.service_at_locations.exists():
            location.delete()


def _sync_address(location: Location, row: Row, number: int) -> None:
    if not any(name in row for name in ADDRESS_FIELDS):
        return
    addresses = sorted(
        location.addresses.all(),
        key=lambda a: (a.address_type != Address.AddressType.PHYSICAL, a.pk),
    )
    address = addresses[0] if addresses else None
    if not any(row.get(name) for name in ADDRESS_FIELDS):
        if address is not None:
            address.delete()
        return
    address = address or Address(location=location)
    for name in ADDRESS_FIELDS:
        setattr(address, name, row.get(name) or "")
    try:
        address.full_clean()
    except ValidationError as exc:
        raise _row_error(Address, number, exc) from None
    address.save()


# -- verification and status ----------------------------------------------------------------------
def _verify(service: Service, *, actor: User, request: HttpRequest | None) -> None:
    before = service.last_verified_at
    service.last_verified_at = timezone.now()
    service.verified_by = actor
    # Confirming the details is not a change of them: updated_at (HSDS last_modified) stays.
    service.save(update_fields=["last_verified_at", "verified_by"])
    log_action(
        "directory.service.verified",
        actor=actor,
        obj=service,
        data={
            "changes": {
                "last_verified_at": [
                    before.isoformat() if before else None,
                    service.last_verified_at.isoformat(),
                ]
            }
        },
        request=request,
    )


def verify_service(service: Service, *, actor: User, request: HttpRequest | None = None) -> Service:
    """Someone confirmed the service's details are current."""
    with transaction.atomic():
        service = (
            Service.objects.select_for_update().select_related("organization").get(pk=service.pk)
        )
        _verify(service, actor=actor, request=request)
    return service


# The statuses staff move a service to, and whether a reason is required.
REASON_REQUIRED = frozenset(
    {ServiceStatus.INACTIVE, ServiceStatus.TEMPORARILY_CLOSED, ServiceStatus.DEFUNCT}
)


def change_status(
    service: Service,
    status: str,
    *,
    actor: User,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Service:
    """Deactivate, close for a while, retire or reactivate a service (never delete it)."""
    if status not in ServiceStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses offered.")})
    if status in REASON_REQUIRED and not reason.strip():
        raise ValidationError({"reason": _("Say why, so that colleagues know later.")})
    with transaction.atomic():
        service = (
            Service.objects.select_for_update().select_related("organization").get(pk=service.pk)
        )
        if service.status == status:
            raise ValidationError(
                {
                    "status": _("The service is already %(status)s.")
                    % {"status": service.get_status_display()}  # type: ignore[attr-defined]
                }
            )
        before = service.status
        service.status = status
        service.updated_by = actor
        service.save(update_fields=["status", "updated_by", "updated_at"])
        log_action(
            "directory.service.status_changed",
            actor=actor,
            obj=service,
            data={"changes": {"status": [before, status]}, "reason": reason.strip()},
            request=request,
        )
    return service


def log_export(
    *, actor: User, filters: dict[str, Any], count: int, request: HttpRequest | None = None
) -> AuditEvent:
    return log_action(
        "directory.services.exported",
        actor=actor,
        data={"filters": filters, "count": count, "format": "xlsx"},
        request=request,
    )
