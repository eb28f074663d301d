"""Write an :class:`~tsunagu.directory.importers.ImportBatch` into the directory.

All or nothing, and every error at once: the whole file is written inside one
transaction, each service in a savepoint of its own, every record checked with the
model's ``full_clean`` (the same validators the staff pages use) just before it is
saved. A service whose records fail is rolled back to its savepoint and its errors
kept; at the end, any error rolls everything back unless ``skip_invalid`` — then the
good services stay and the report lists the rest. ``dry_run`` always rolls back,
so a dry run reports exactly what a real import would do.

Records are found before they are created: by HSDS id first, then by what the
file says about them (an organisation by name, a service by organisation and name,
a phone by number among its service's phones …), so importing a file again updates
instead of duplicating, and each service is reported created, updated or unchanged.
Search indexing is deferred to the end so that each service is indexed once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.models import Area, User
from tsunagu.core.services import log_action
from tsunagu.plans.models import Initiative
from tsunagu.textsearch.index import deferred_indexing

from .importers.batch import ROW, Entity, ImportBatch, Ref, RowError, ServiceRecord
from .importers.cells import CellError, split_address
from .importers.hours import RULE_FIELDS, rule_key
from .models import (
    Address,
    Contact,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TargetGroup,
    TaxonomyTerm,
)

IMPORTED = "directory.services.imported"
SERVICE_IMPORTED = "directory.service.imported"
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# Records HSDS lets hang off several parents at once; unlinking one parent keeps
# the record while another still holds it.
SHARED_PARENTS: dict[type[models.Model], tuple[str, ...]] = {
    Contact: ("organization", "service", "service_at_location", "location"),
    Phone: ("organization", "service", "location", "service_at_location", "contact"),
    Language: ("service", "location", "phone"),
    Schedule: ("service", "location", "service_at_location"),
}
# Database constraints whose default message ("Constraint … is violated") helps nobody.
CONSTRAINT_MESSAGES = {
    "directory_service_age_range": (
        "maximum_age",
        "The maximum age is below the minimum age.",
    ),
    "directory_costoption_valid_range": ("valid_to", "The end date is before the start date."),
    "directory_schedule_valid_range": ("valid_to", "The end date is before the start date."),
    "directory_location_coordinates": (
        "latitude",
        "Latitude runs from -90 to 90 and longitude from -180 to 180.",
    ),
}


def _constraint_message(name: str) -> tuple[str, str] | None:
    found = CONSTRAINT_MESSAGES.get(name)
    if found is None:
        return None
    field_name, message = found
    # The texts above are marked for translation here, where the language is known.
    translated = {
        "The maximum age is below the minimum age.": _("The maximum age is below the minimum age."),
        "The end date is before the start date.": _("The end date is before the start date."),
        "Latitude runs from -90 to 90 and longitude from -180 to 180.": _(
            "Latitude runs from -90 to 90 and longitude from -180 to 180."
        ),
    }
    return field_name, translated[message]


@dataclass(frozen=True)
class RowOutcome:
    row: int
    status: str
    id: str
    name: str
    organization: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "status": self.status,
            "id": self.id,
            "name": self.name,
            "organization": self.organization,
        }


@dataclass
class LoadReport:
    """What an import did (or, with ``dry_run``, would do)."""

    format: str
    encoding: str = ""
    unit: str = ROW
    dry_run: bool = False
    skip_invalid: bool = False
    outcomes: list[RowOutcome] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    written: bool = False

    def _with(self, status: str) -> list[RowOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def created(self) -> list[RowOutcome]:
        return self._with(CREATED)

    @property
    def updated(self) -> list[RowOutcome]:
        return self._with(UPDATED)

    @property
    def unchanged(self) -> list[RowOutcome]:
        return self._with(UNCHANGED)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped_rows),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "dry_run": self.dry_run,
            "skip_invalid": self.skip_invalid,
            "written": self.written,
            "counts": self.counts(),
            "services": [outcome.as_dict() for outcome in self.outcomes],
            "skipped_rows": self.skipped_rows,
            "errors": [error.as_dict() for error in self.errors],
            "warnings": [warning.as_dict() for warning in self.warnings],
        }


class _Rollback(Exception):
    pass


class _RowFailed(Exception):
    pass


class _Failed:
    """Marks an entity that could not be saved: its children are not tried."""


FAILED = _Failed()


def load_directory(
    batch: ImportBatch,
    *,
    actor: User | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    source: str = "",
    request: HttpRequest | None = None,
) -> LoadReport:
    """Validate and write ``batch``; see the module docstring. Never raises for bad data."""
    report = LoadReport(
        format=batch.format,
        encoding=batch.encoding,
        unit=batch.unit,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        warnings=list(batch.warnings),
    )
    report.errors.extend(batch.errors)
    if batch.errors:
        return report
    if not batch.records:
        report.errors.append(RowError(None, "", _("The file has no services in it."), batch.unit))
        return report
    try:
        with transaction.atomic(), deferred_indexing():
            writer = _Writer(actor, report)
            for record in batch.records:
                writer.write_record(record)
            writer.finish()
            if dry_run or (report.errors and not skip_invalid):
                raise _Rollback
            written = [o for o in report.outcomes if o.status != UNCHANGED]
            log_action(
                IMPORTED,
                actor=actor,
                data={
                    "source": source,
                    "format": batch.format,
                    "encoding": batch.encoding,
                    "counts": report.counts(),
                    "skipped_rows": report.skipped_rows,
                    "services": [o.id for o in written][:1000],
                },
                request=request,
            )
            report.written = True
    except _Rollback:
        pass
    return report


class _Writer:
    def __init__(self, actor: User | None, report: LoadReport) -> None:
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.report = report
        self.resolver = _Resolver()
        # (model, pk) → (row, values as written) for records written by rows that stayed.
        self.seen: dict[tuple[type[models.Model], int], tuple[int, dict[str, Any]]] = {}
        # Organisations a record points at that no entry had brought yet.
        self.pending: list[tuple[int, models.Model, str, Ref]] = []

    def finish(self) -> None:
        """Point records at organisations that later entries of the file brought."""
        for number, instance, name, ref in self.pending:
            found = self.resolver.find_organization(ref)
            if found is None:
                self.report.warnings.append(
                    RowError(
                        number,
                        ref.label,
                        _("No organisation has the id %(id)s.") % {"id": ref.uuid or ref.text}
                        + " "
                        + _("It was not imported."),
                        self.report.unit,
                    )
                )
            elif getattr(instance, f"{name}_id") != found.pk:
                type(instance)._default_manager.filter(pk=instance.pk).update(**{name: found})

    # -- one service ------------------------------------------------------------------------------
    def write_record(self, record: ServiceRecord) -> None:
        errors: list[RowError] = list(record.errors)
        warnings: list[RowError] = []
        row = _Row(record, errors, warnings, dict(self.seen), self.report.unit)
        try:
            with transaction.atomic():
                self._write(row)
                if errors:
                    raise _RowFailed
        except _RowFailed:
            pass
        self.report.warnings.extend(warnings)
        if errors:
            self.report.errors.extend(_without_repeats(errors))
            self.report.skipped_rows.append(record.row)
            return
        self.seen = row.seen
        self.pending.extend(
            (record.row, row.saved[id(entity)], name, ref)
            for entity, name, ref in row.pending
            if isinstance(row.saved.get(id(entity)), models.Model)
        )
        service = row.saved.get(id(record.service))
        assert isinstance(service, Service)
        status = CREATED if row.service_created else UPDATED if row.changed else UNCHANGED
        self.report.outcomes.append(
            RowOutcome(
                record.row, status, str(service.uuid), service.name, service.organization.name
            )
        )
        if status != UNCHANGED and not self.report.dry_run:
            log_action(
                SERVICE_IMPORTED,
                actor=self.actor,
                obj=service,
                data={"row": record.row, "created": status == CREATED},
            )

    def _write(self, row: _Row) -> None:
        for entity in row.record.entities:
            if any(
                not isinstance(row.saved.get(id(parent)), models.Model)
                for parent in entity.parents.values()
            ):
                # Its parent failed: check it on its own, so every error shows at once.
                self._check_detached(entity, row)
                row.saved[id(entity)] = FAILED
                continue
            try:
                with transaction.atomic():
                    row.saved[id(entity)] = self._save(entity, row)
            except _EntityFailed:
                row.saved[id(entity)] = FAILED
        for entity in row.record.entities:
            instance = row.saved.get(id(entity))
            if isinstance(instance, models.Model):
                for replace in entity.replaces:
                    self._replace(entity, instance, replace.related_name, replace.only, row)

    # -- one record -------------------------------------------------------------------------------
    def _save(self, entity: Entity, row: _Row) -> models.Model | None:
        model = entity.model
        instance: models.Model | None = None
        by_id = False
        if entity.uuid is not None:
            instance = model._default_manager.filter(uuid=entity.uuid).first()
            by_id = instance is not None
        if instance is None:
            instance = self._match(entity, row)
        created = instance is None
        if instance is None:
            instance = model()
            if entity.uuid is not None:
                instance.uuid = entity.uuid  # type: ignore[attr-defined]
            for name, value in entity.hints.get("defaults", {}).items():
                setattr(instance, name, value)
            for name, parent in entity.hints.get("default_parents", {}).items():
                setattr(instance, name, row.saved[id(parent)])
        before = _state(instance) if not created else {}
        failed: set[str] = set(row.failed_labels_fields(entity))
        given: dict[str, Any] = {}

        keep_matched = not created and not by_id and entity.hints.get("keep_matched", False)
        values = {} if keep_matched else entity.values
        for name, raw in values.items():
            try:
                value = self._value(instance, name, raw)
            except ValidationError as exc:
                row.error(entity.label(name), exc)
                failed.add(name)
                continue
            setattr(
                instance, cast(models.Field[Any, Any], model._meta.get_field(name)).attname, value
            )
            given[name] = value
        for name, parent in entity.parents.items():
            parent_instance = row.saved[id(parent)]
            setattr(instance, name, parent_instance)
            given[name] = cast(models.Model, parent_instance).pk
        for name, ref in entity.refs.items():
            if ref is not None and ref.kind == "organization" and ref.soft:
                # Another entry of the file may bring that organisation: tried again at the end.
                resolved = self.resolver.find_organization(ref)
                if resolved is None:
                    row.pending.append((entity, name, ref))
                    continue
            else:
                resolved = self.resolver.resolve(ref, row) if ref is not None else None
            if ref is not None and resolved is None:
                if not ref.soft:
                    failed.add(name)
                continue
            setattr(instance, name, resolved)
            given[name] = resolved.pk if resolved is not None else None

        hook = getattr(self, f"_hook_{model._meta.model_name}", None)
        if hook is not None:
            hook(entity, instance, row, failed, given)
        if entity.hints.get("drop_if_blank") and not any(
            getattr(instance, name) for name in entity.hints["drop_if_blank"]
        ):
            if not created:
                instance.delete()
                row.changed = True
            return None

        changed = created or _state(instance) != before
        if changed:
            # A stored record the file leaves as it is was valid when it was saved.
            self._validate(entity, instance, failed, row)
        if failed:
            raise _EntityFailed
        self._check_repeat(entity, instance, created, given, row)
        if changed:
            if hasattr(instance, "updated_by_id"):
                instance.updated_by = self.actor  # type: ignore[attr-defined]
                if created:
                    instance.created_by = self.actor  # type: ignore[attr-defined]
            try:
                with transaction.atomic():
                    instance.save()
            except (IntegrityError, DataError) as exc:
                row.message(
                    entity.where, _("The database refused the record: %(error)s") % {"error": exc}
                )
                raise _EntityFailed from None
            row.changed = True
            if isinstance(instance, Service) and created and entity is row.record.service:
                row.service_created = True
        earlier_row, earlier = row.seen.get((model, instance.pk), (row.record.row, {}))
        row.seen[(model, instance.pk)] = (earlier_row, {**earlier, **given})
        for name, refs in entity.many.items():
            if refs is None:
                continue
            targets = [self.resolver.resolve(ref, row) for ref in refs]
            if any(
                target is None and not ref.soft for target, ref in zip(targets, refs, strict=True)
            ):
                continue
            wanted = {target.pk for target in targets if target is not None}
            manager = getattr(instance, name)
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(list(wanted))
                row.changed = True
        for name, parent in entity.parents.items():
            related = _remote_field(model, name).related_name or ""
            row.kept.setdefault((id(parent), related), set()).add(instance.pk)
        return instance

    def _check_detached(self, entity: Entity, row: _Row) -> None:
        """Validate a record whose parent could not be saved, without saving it."""
        instance = entity.model()
        failed: set[str] = set(row.failed_labels_fields(entity))
        for name, raw in entity.values.items():
            try:
                value = self._value(instance, name, raw)
            except ValidationError as exc:
                row.error(entity.label(name), exc)
                failed.add(name)
                continue
            setattr(instance, _attname(entity.model, name), value)
        for name in entity.parents:
            # Stands in for the parent, so that "belongs to a service" checks pass.
            setattr(instance, _attname(entity.model, name), -1)
            failed.add(name)
        for name, ref in entity.refs.items():
            if ref is not None and self.resolver.resolve(ref, row) is None and not ref.soft:
                failed.add(name)
        hook = getattr(self, f"_hook_{entity.model._meta.model_name}", None)
        if hook is not None and entity.model is not Location:
            hook(entity, instance, row, failed, {})
        try:
            instance.full_clean(
                exclude=sorted(failed | set(entity.hints.get("unchecked", ()))),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, texts in exc.message_dict.items():
                if name in entity.parents:
                    continue
                for text in texts:
                    row.message(entity.label(name) if name != "__all__" else entity.where, text)

    def _value(self, instance: models.Model, name: str, raw: Any) -> Any:
        model_field = cast(models.Field[Any, Any], instance._meta.get_field(name))
        if raw is None or raw == "":
            if model_field.null:
                return None
            if model_field.has_default():
                return model_field.get_default()
            return ""
        if isinstance(model_field, models.DateTimeField) and not isinstance(raw, datetime):
            # A date (HSDS assured_date, the template's 最終確認日) keeps the stored
            # moment when it falls on that day, so re-importing changes nothing.
            day = raw if isinstance(raw, date) else _iso_date(raw)
            if day is not None:
                current = getattr(instance, name)
                if current is not None and timezone.localtime(current).date() == day:
                    return current
                return timezone.make_aware(datetime.combine(day, time.min))
        if isinstance(model_field, models.DecimalField) and isinstance(raw, float):
            raw = str(raw)  # JSON's 35.319225, not the float's 35.31922499999…
        value = model_field.to_python(raw)
        if isinstance(model_field, models.CharField | models.TextField) and isinstance(value, str):
            value = value.strip() if isinstance(model_field, models.CharField) else value
        return value

    def _validate(
        self, entity: Entity, instance: models.Model, failed: set[str], row: _Row
    ) -> None:
        try:
            instance.full_clean(exclude=sorted(failed | set(entity.hints.get("unchecked", ()))))
        except ValidationError as exc:
            messages = exc.message_dict
            fielded = {name for name in messages if name != "__all__"}
            for name, texts in messages.items():
                for text in texts:
                    target = name
                    if name == "__all__":
                        found = next(
                            (
                                _constraint_message(constraint)
                                for constraint in CONSTRAINT_MESSAGES
                                if constraint in text
                            ),
                            None,
                        )
                        if found is not None:
                            target, text = found
                            if target in fielded:
                                continue
                    label = entity.label(target) if target != "__all__" else entity.where
                    row.message(label, text)
                    failed.add(target)

    def _check_repeat(
        self,
        entity: Entity,
        instance: models.Model,
        created: bool,
        given: dict[str, Any],
        row: _Row,
    ) -> None:
        """The same record given twice (an HSDS id repeated) must say the same both times."""
        if created:
            return
        earlier = row.seen.get((entity.model, instance.pk))
        if earlier is None:
            return
        earlier_row, earlier_values = earlier
        for name, value in given.items():
            if name in earlier_values and earlier_values[name] != value:
                row.message(
                    entity.label(name),
                    _(
                        "This record (id %(id)s) appears more than once with different values; here it differs from the one in %(place)s."
                    )
                    % {
                        "id": getattr(instance, "uuid", instance.pk),
                        "place": RowError(earlier_row, "", "", row.unit).location(),
                    },
                )
                raise _EntityFailed

    # -- finding records without an id ------------------------------------------------------------
    def _match(self, entity: Entity, row: _Row) -> models.Model | None:
        match = entity.match
        if match is None:
            return None
        if isinstance(match, str):
            strategy = getattr(self, f"_match_{match}")
            return cast(models.Model | None, strategy(entity, row))
        scope = {name: row.saved[id(parent)] for name, parent in entity.parents.items()}
        criteria: dict[str, Any] = {}
        for name in match:
            if name not in entity.values:
                return None
            try:
                criteria[name] = self._value(entity.model(), name, entity.values[name])
            except ValidationError:
                return None
        found = list(entity.model._default_manager.filter(**scope, **criteria)[:2])
        if len(found) > 1 and entity.model is Organization:
            row.message(
                entity.label("name"),
                _(
                    "Several organisations are named 「%(name)s」; write the organisation's id instead."
                )
                % {"name": criteria.get("name", "")},
            )
            raise _EntityFailed
        return found[0] if found else None

    def _match_uuid_only(self, entity: Entity, row: _Row) -> models.Model | None:
        row.message(
            entity.where,
            _("Nothing in the directory has the id %(id)s.") % {"id": entity.uuid},
        )
        raise _EntityFailed

    def _match_schedule_rule(self, entity: Entity, row: _Row) -> models.Model | None:
        scope = {name: row.saved[id(parent)] for name, parent in entity.parents.items()}
        key = rule_key(_as_schedule_values(entity.values))
        taken = row.kept_pks(Schedule)
        for schedule in Schedule.objects.filter(**scope).order_by("pk"):
            if schedule.pk not in taken and rule_key(schedule) == key:
                return schedule
        return None

    def _match_service_area(self, entity: Entity, row: _Row) -> models.Model | None:
        ref = entity.refs.get("area")
        area = self.resolver.resolve(ref, row) if ref is not None else None
        if area is None:
            return None
        service = row.saved[id(entity.parents["service"])]
        return ServiceArea.objects.filter(service=service, area=area).first()

    def _match_first_address(self, entity: Entity, row: _Row) -> models.Model | None:
        location = cast(Location, row.saved[id(entity.parents["location"])])
        return location.addresses.order_by("address_type", "pk").first()

    def _match_service_place(self, entity: Entity, row: _Row) -> models.Model | None:
        """A spreadsheet row's place: the service's place of that name, else the
        organisation's, else — when the service has exactly one place and no other
        service uses it — that place, renamed. A new or different place replaces
        the service's only place; a service with several keeps the others."""
        service = cast(Service, row.saved[id(entity.hints["service"])])
        organization = cast(Organization, row.saved[id(entity.hints["organization"])])
        name = str(entity.values.get("name", "")).strip()
        current = list(
            Location.objects.filter(service_at_locations__service=service).order_by("pk")
        )
        found = next((location for location in current if location.name == name), None)
        if found is None:
            found = (
                Location.objects.filter(organization=organization, name=name).order_by("pk").first()
            )
        if found is None and len(current) == 1:
            only = current[0]
            if (
                not ServiceAtLocation.objects.filter(location=only)
                .exclude(service=service)
                .exists()
            ):
                found = only
        if len(current) == 1 and found != current[0]:
            ServiceAtLocation.objects.filter(service=service, location=current[0]).delete()
            row.changed = True
        return found

    # -- model hooks ------------------------------------------------------------------------------
    def _hook_location(
        self, entity: Entity, instance: Location, row: _Row, failed: set[str], given: dict[str, Any]
    ) -> None:
        if instance.pk is None or "is_sensitive" not in entity.values:
            return
        was_sensitive = Location.objects.filter(pk=instance.pk, is_sensitive=True).exists()
        if was_sensitive and not instance.is_sensitive:
            instance.is_sensitive = True
            given.pop("is_sensitive", None)
            if entity.hints.get("sensitive_policy") == "keep":
                row.warn(
                    entity.label("is_sensitive"),
                    _(
                        "「%(name)s」 has a confidential address; the file does not say so, so it stays confidential. Change it on the staff page if it should be public."
                    )
                    % {"name": instance.name},
                )
            else:
                row.message(
                    entity.label("is_sensitive"),
                    _(
                        "「%(name)s」 has a confidential address; an import cannot make it public. Change it on the staff page if it should be."
                    )
                    % {"name": instance.name},
                )
                failed.add("is_sensitive")

    def _hook_address(
        self, entity: Entity, instance: Address, row: _Row, failed: set[str], given: dict[str, Any]
    ) -> None:
        if entity.hints.get("foreign"):
            # Another country's postal code is not checked against Japan's format.
            failed_before = set(failed)
            entity.hints.setdefault("unchecked", set()).add("postal_code")
            if len(instance.postal_code) > 10:
                row.message(
                    entity.label("postal_code"), _("A postal code has at most 10 characters.")
                )
                failed.add("postal_code")
            failed |= failed_before
        text = entity.hints.get("address_text")
        if text is None:
            return
        label = entity.label("address_1")
        try:
            prefecture, region, city, line_1, line_2 = split_address(
                text, self.resolver.known_cities()
            )
        except CellError as exc:
            row.message(label, str(exc))
            failed.update({"state_province", "city", "address_1"})
            return
        if not prefecture:
            row.message(
                label,
                _("Write the prefecture too, e.g. 神奈川県%(address)s.")
                % {"address": text.strip()},
            )
            failed.update({"state_province", "city", "address_1"})
            return
        for name, value in (
            ("state_province", prefecture),
            ("region", region),
            ("city", city),
            ("address_1", line_1),
            ("address_2", line_2),
        ):
            setattr(instance, name, value)
            given[name] = value

    def _hook_servicearea(
        self,
        entity: Entity,
        instance: ServiceArea,
        row: _Row,
        failed: set[str],
        given: dict[str, Any],
    ) -> None:
        # HSDS exports send the area's own name when the record has none: an area's
        # name in the file leaves the stored one ("" or the same name) as it is.
        if (
            "name" in entity.values
            and instance.area is not None
            and instance.name == instance.area.name
        ):
            stored = (
                ServiceArea.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
            )
            instance.name = stored if stored in ("", instance.area.name) else ""
            given["name"] = instance.name

    # -- collections ------------------------------------------------------------------------------
    def _replace(
        self, entity: Entity, instance: models.Model, related_name: str, only: Q | None, row: _Row
    ) -> None:
        kept = row.kept.get((id(entity), related_name), set())
        children = getattr(instance, related_name).all()
        if only is not None:
            children = children.filter(only)
        for child in children.exclude(pk__in=kept):
            field_name = _field_for_related(type(child), related_name, type(instance))
            others = [
                name
                for name in SHARED_PARENTS.get(type(child), ())
                if name != field_name and getattr(child, f"{name}_id") is not None
            ]
            if others:
                setattr(child, field_name, None)
                child.save(update_fields=[field_name])
            else:
                child.delete()
            row.changed = True


class _EntityFailed(Exception):
    pass


class _Row:
    """What writing one service needs to remember."""

    def __init__(
        self,
        record: ServiceRecord,
        errors: list[RowError],
        warnings: list[RowError],
        seen: dict[tuple[type[models.Model], int], tuple[int, dict[str, Any]]],
        unit: str,
    ) -> None:
        self.record = record
        self.errors = errors
        self.warnings = warnings
        self.seen = seen
        self.saved: dict[int, Any] = {}
        self.kept: dict[tuple[int, str], set[int]] = {}
        self.changed = False
        self.service_created = False
        self.pending: list[tuple[Entity, str, Ref]] = []
        self.unit = unit
        self.parse_failed = {error.field for error in record.errors}

    def failed_labels_fields(self, entity: Entity) -> Iterable[str]:
        """Fields whose cell could not be read: the model would only repeat the error."""
        return [name for name, label in entity.labels.items() if label in self.parse_failed]

    def message(self, label: str, text: str) -> None:
        self.errors.append(RowError(self.record.row, label, str(text), self.unit))

    def error(self, label: str, exc: ValidationError) -> None:
        for text in exc.messages:
            self.message(label, text)

    def warn(self, label: str, text: str) -> None:
        self.warnings.append(RowError(self.record.row, label, str(text), self.unit))

    def kept_pks(self, model: type[models.Model]) -> set[int]:
        return {pk for (kind, pk) in self.seen_in_row if kind is model}

    @property
    def seen_in_row(self) -> set[tuple[type[models.Model], int]]:
        return {
            (type(instance), instance.pk)
            for instance in self.saved.values()
            if isinstance(instance, models.Model)
        }


def _without_repeats(errors: list[RowError]) -> list[RowError]:
    seen: set[tuple[int | None, str, str]] = set()
    result = []
    for error in errors:
        key = (error.row, error.field, error.message)
        if key not in seen:
            seen.add(key)
            result.append(error)
    return result


def _state(instance: models.Model) -> dict[str, Any]:
    return {
        model_field.attname: getattr(instance, model_field.attname)
        for model_field in instance._meta.concrete_fields
        if model_field.name not in ("updated_at", "updated_by", "created_at", "created_by")
    }


def _as_schedule_values(values: dict[str, Any]) -> dict[str, Any]:
    probe = Schedule()
    result: dict[str, Any] = {}
    for name in RULE_FIELDS:
        raw = values.get(name)
        try:
            model_field = cast(models.Field[Any, Any], Schedule._meta.get_field(name))
            result[name] = (
                model_field.to_python(raw) if raw not in (None, "") else getattr(probe, name)
            )
        except ValidationError:
            result[name] = raw
    return result


def _attname(model: type[models.Model], name: str) -> str:
    return cast(models.Field[Any, Any], model._meta.get_field(name)).attname


def _remote_field(model: type[models.Model], name: str) -> Any:
    return cast(models.ForeignKey[Any, Any], model._meta.get_field(name)).remote_field


def _field_for_related(
    model: type[models.Model], related_name: str, parent_model: type[models.Model]
) -> str:
    for model_field in model._meta.get_fields():
        if (
            isinstance(model_field, models.ForeignKey)
            and model_field.remote_field.related_name == related_name
            and model_field.related_model is parent_model
        ):
            return model_field.name
    raise LookupError(
        f"{model.__name__} has no foreign key {related_name!r} to {parent_model.__name__}"
    )


# -- references to existing data ------------------------------------------------------------------
class _Resolver:
    """Finds areas, categories, target groups, initiatives and organisations by what a
    file calls them; these do not change during an import, so lookups are cached."""

    def __init__(self) -> None:
        self._areas: list[Area] | None = None
        self._terms: list[TaxonomyTerm] | None = None
        self._groups: list[TargetGroup] | None = None
        self._cities: list[tuple[str, str, str]] | None = None
        self._initiatives: dict[str, Initiative] = {}

    def known_cities(self) -> list[tuple[str, str, str]]:
        if self._cities is None:
            self._cities = [
                (prefecture, region, city)
                for prefecture, region, city in Address.objects.values_list(
                    "state_province", "region", "city"
                ).distinct()
                if prefecture and city
            ]
        return self._cities

    def resolve(self, ref: Ref, row: _Row) -> Any:
        method = getattr(self, f"_{ref.kind}")
        found = method(ref, row)
        return found

    def _fail(self, ref: Ref, row: _Row, message: str) -> None:
        if ref.soft:
            row.warn(ref.label, message + " " + _("It was not imported."))
        else:
            row.message(ref.label, message)

    def _area(self, ref: Ref, row: _Row) -> Area | None:
        if self._areas is None:
            self._areas = list(Area.objects.order_by("sort_order", "code"))
        text = _fold(ref.text)
        by_code = [area for area in self._areas if area.code == text]
        if by_code:
            return by_code[0]
        by_name = [area for area in self._areas if _fold(area.name) == text] or [
            area for area in self._areas if _fold(area.name) in (f"{text}地域", f"{text}地区")
        ]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            self._fail(
                ref,
                row,
                _("Several areas are called 「%(text)s」; write the area's code (%(codes)s).")
                % {"text": ref.text, "codes": ", ".join(area.code for area in by_name)},
            )
            return None
        if not self._areas:
            self._fail(
                ref,
                row,
                _("Unknown area 「%(text)s」: no areas are set up in tsunagu yet.")
                % {"text": ref.text},
            )
        else:
            self._fail(
                ref,
                row,
                _("Unknown area 「%(text)s」. Known areas: %(names)s.")
                % {"text": ref.text, "names": "、".join(area.name for area in self._areas[:12])},
            )
        return None

    def _term(self, ref: Ref, row: _Row) -> TaxonomyTerm | None:
        if self._terms is None:
            self._terms = list(TaxonomyTerm.objects.select_related("taxonomy"))
        terms = self._terms
        if ref.taxonomy:
            terms = [term for term in terms if term.taxonomy.name == ref.taxonomy]
            if not terms and ref.uuid is None:
                self._fail(
                    ref,
                    row,
                    _("Unknown taxonomy 「%(taxonomy)s」.") % {"taxonomy": ref.taxonomy},
                )
                return None
        if ref.uuid is not None:
            by_id = [term for term in self._terms if term.uuid == ref.uuid]
            if by_id:
                return by_id[0]
            if not terms:
                self._fail(
                    ref, row, _("Unknown taxonomy 「%(taxonomy)s」.") % {"taxonomy": ref.taxonomy}
                )
                return None
        text = _fold(ref.text)
        for key in ("code", "name", "name_en"):
            found = [term for term in terms if _fold(getattr(term, key)).lower() == text.lower()]
            if len(found) > 1:
                welfare = [term for term in found if term.taxonomy.name == "tsunagu-welfare"]
                found = welfare or found
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                self._fail(
                    ref,
                    row,
                    _("Several categories are called 「%(text)s」; write the code (%(codes)s).")
                    % {"text": ref.text, "codes": ", ".join(term.code for term in found)},
                )
                return None
        self._fail(ref, row, _("Unknown category 「%(text)s」.") % {"text": ref.text})
        return None

    def _target_group(self, ref: Ref, row: _Row) -> TargetGroup | None:
        if self._groups is None:
            self._groups = list(TargetGroup.objects.all())
        text = _fold(ref.text).lower()
        for group in self._groups:
            if text in (group.code, _fold(group.name).lower(), _fold(group.name_en).lower()) or (
                ref.uuid is not None and group.uuid == ref.uuid
            ):
                return group
        self._fail(
            ref,
            row,
            _("Unknown target group 「%(text)s」. Known groups: %(names)s.")
            % {"text": ref.text, "names": "、".join(group.name for group in self._groups)},
        )
        return None

    def _initiative(self, ref: Ref, row: _Row) -> Initiative | None:
        code = "-".join(str(int(part)) for part in _fold(ref.text).split("-") if part.isdigit())
        if code not in self._initiatives:
            found = (
                Initiative.objects.filter(code=code)
                .order_by("-plan__is_current", "-plan__last_fiscal_year", "pk")
                .first()
            )
            if found is None:
                self._fail(
                    ref,
                    row,
                    _("Unknown plan initiative 「%(text)s」; write its number such as 1-1-1-1.")
                    % {"text": ref.text},
                )
                return None
            self._initiatives[code] = found
        return self._initiatives[code]

    def find_organization(self, ref: Ref) -> Organization | None:
        if ref.uuid is not None:
            return Organization.objects.filter(uuid=ref.uuid).first()
        return Organization.objects.filter(name=ref.text).first() if ref.text else None

    def _organization(self, ref: Ref, row: _Row) -> Organization | None:
        found = self.find_organization(ref)
        if found is None:
            self._fail(
                ref, row, _("No organisation has the id %(id)s.") % {"id": ref.uuid or ref.text}
            )
        return found


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def _iso_date(value: Any) -> date | None:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
