"""HSDS 3.0 JSON → :class:`ImportBatch`: fully nested service objects, as
``/api/hsds/services/{id}`` returns them.

Accepted: an array of services, a Page object (``{"contents": [...], ...}``), one
service object, or NDJSON (one service per line). What HSDS has no field for in
tsunagu travels as ``docs/hsds-mapping.md`` says (``tsunagu-*`` attributes,
``x_translations``, ``x_name_kana``, ``is_demo`` metadata) and is read back here.

A service object is the whole record: a field it leaves out is empty (tsunagu's
own exports leave out empty values), while a list it leaves out (``phones`` …) is
not given and leaves the stored ones alone; a list that is given replaces them.
Places are never deleted, only unlinked. Parts of HSDS tsunagu has no place for
(funding, programs, byweekno …) and references it cannot resolve from another
system (a parent organisation it does not hold, a taxonomy it does not use) are
reported as warnings, so that the specification's own examples import.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.db import models
from django.utils.translation import gettext as _

from tsunagu.directory.models import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationTranslation,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
)

from .batch import ENTRY, LINE, Entity, ImportBatch, Ref, Replace, RowError, ServiceRecord

TARGET_GROUPS = "tsunagu-target-group"
INITIATIVES = "tsunagu-plan-initiative"
AREAS = "tsunagu-area"
SCHEDULE_FLAGS = "tsunagu-schedule"
LOCATION_FLAGS = "tsunagu-location"
CONFIDENTIAL = "confidential-address"
FLAG_FIELDS = {
    "closed-on-holidays": "closed_on_holidays",
    "open-24h": "open_24h",
    "closed-new-year": "closed_year_end",
}
# tsunagu reads every schedule in Japan time; HSDS exports say so with 9.
JAPAN_OFFSET = Decimal(9)

FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Organization: (
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "legal_status",
        "year_incorporated",
    ),
    Service: (
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "alert",
        "accreditations",
    ),
    Location: (
        "location_type",
        "url",
        "name",
        "alternate_name",
        "description",
        "transportation",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ),
    Address: (
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ),
    Accessibility: ("description", "details", "url"),
    ServiceAtLocation: ("description",),
    Contact: ("name", "title", "department", "email"),
    Phone: ("number", "extension", "type", "description"),
    Language: ("name", "code", "note"),
    Schedule: (
        "valid_from",
        "valid_to",
        "dtstart",
        "timezone",
        "until",
        "count",
        "wkst",
        "freq",
        "interval",
        "byday",
        "bymonthday",
        "description",
        "opens_at",
        "closes_at",
        "schedule_link",
        "attending_type",
        "notes",
    ),
    ServiceArea: ("name", "description"),
    CostOption: (
        "valid_from",
        "valid_to",
        "option",
        "currency",
        "amount",
        "amount_description",
    ),
    RequiredDocument: ("document", "uri"),
}
# The records whose name has a kana reading (``x_name_kana``; HSDS has no field for it).
KANA = (Organization, Service, Location)
# Keys read elsewhere (nested lists, references) or that only repeat the nesting.
HANDLED = {
    "id",
    "attributes",
    "metadata",
    "x_translations",
    "x_name_kana",
    "organization",
    "organization_id",
    "service_id",
    "location_id",
    "phone_id",
    "contact_id",
    "service_at_location_id",
    "last_modified",
    "assured_date",
    "phones",
    "schedules",
    "service_areas",
    "service_at_locations",
    "languages",
    "cost_options",
    "required_documents",
    "contacts",
    "location",
    "addresses",
    "accessibility",
    "locations",
    "parent_organization_id",
    "uri",
    "link_id",
}


class _Reader:
    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch

    # -- messages ---------------------------------------------------------------------------------
    def warn(self, record: ServiceRecord, path: str, message: str) -> None:
        self.batch.warnings.append(RowError(record.row, path, message, self.batch.unit))

    def error(self, record: ServiceRecord, path: str, message: str) -> None:
        record.errors.append(RowError(record.row, path, message, self.batch.unit))

    # -- shapes -----------------------------------------------------------------------------------
    def objects(
        self, record: ServiceRecord, data: dict[str, Any], key: str, path: str
    ) -> list[tuple[str, dict[str, Any]]] | None:
        """The objects of a nested list; None when the list is not given."""
        if key not in data or data[key] is None:
            return None
        items = data[key]
        if not isinstance(items, list):
            self.error(record, f"{path}.{key}", _("Expected a list."))
            return None
        found = []
        for index, item in enumerate(items):
            here = f"{path}.{key}[{index}]"
            if isinstance(item, dict):
                found.append((here, item))
            else:
                self.error(record, here, _("Expected an object."))
        return found

    def entity(
        self,
        record: ServiceRecord,
        model: type[models.Model],
        data: dict[str, Any],
        path: str,
        *,
        parents: dict[str, Entity] | None = None,
        skip: tuple[str, ...] = (),
    ) -> Entity:
        entity = Entity(model, where=path)
        entity.uuid = self.uuid(record, data.get("id"), f"{path}.id")
        for name in FIELDS[model]:
            if name in skip:
                continue
            value = data.get(name)
            if isinstance(value, dict | list):
                self.error(
                    record, f"{path}.{name}", _("Expected a single value, not a list or an object.")
                )
                continue
            entity.set(name, value, f"{path}.{name}")
        if model in KANA and data.get("x_name_kana") is not None:
            # Like x_translations: a file without the key (any other system's) leaves the
            # stored reading alone.
            kana = data["x_name_kana"]
            if isinstance(kana, dict | list):
                self.error(
                    record,
                    f"{path}.x_name_kana",
                    _("Expected a single value, not a list or an object."),
                )
            else:
                entity.set("name_kana", kana, f"{path}.x_name_kana")
        for key, value in data.items():
            if (
                key not in FIELDS[model]
                and key not in HANDLED
                and not key.startswith("x_")
                and value not in (None, "", [], {})
            ):
                self.warn(
                    record,
                    f"{path}.{key}",
                    _("tsunagu has no place for “%(key)s”; it was not imported.") % {"key": key},
                )
        entity.parents.update(parents or {})
        return entity

    def uuid(self, record: ServiceRecord, value: Any, path: str) -> UUID | None:
        if value in (None, ""):
            return None
        try:
            return UUID(str(value))
        except ValueError:
            self.error(record, path, _("An HSDS id must be a UUID."))
            return None

    # -- a service --------------------------------------------------------------------------------
    def service(self, row: int, path: str, data: Any) -> ServiceRecord:
        service = Entity(Service, where=path, match=("name",))
        record = ServiceRecord(row, service)
        if not isinstance(data, dict):
            self.error(record, path, _("Expected a service object."))
            return record
        record.name = str(data.get("name") or "")
        organization = self.service_organization(record, data, path)
        if organization is None:
            return record
        built = self.entity(record, Service, data, path, parents={"organization": organization})
        service.uuid, service.values, service.labels = built.uuid, built.values, built.labels
        service.parents = built.parents
        service.set("last_verified_at", data.get("assured_date"), f"{path}.assured_date")
        record.add(service)
        self.demo_flag(record, service, data, path)
        self.translations(record, service, data, path, ServiceTranslation, "service")
        self.service_attributes(record, service, data, path)
        self.phones(record, data, path, "service", service)
        self.schedules(record, data, path, "service", service)
        self.children(record, data, path, "service", service, "service_areas", ServiceArea)
        self.children(record, data, path, "service", service, "cost_options", CostOption)
        self.children(
            record, data, path, "service", service, "required_documents", RequiredDocument
        )
        self.languages(record, data, path, "service", service)
        self.contacts(record, data, path, "service", service)
        self.service_at_locations(record, data, path, service, organization)
        return record

    def service_organization(
        self, record: ServiceRecord, data: dict[str, Any], path: str
    ) -> Entity | None:
        nested = data.get("organization")
        if isinstance(nested, dict):
            return self.organization(record, nested, f"{path}.organization")
        organization_id = self.uuid(record, data.get("organization_id"), f"{path}.organization_id")
        if organization_id is None:
            self.error(
                record,
                f"{path}.organization",
                _("A service needs its organization (or organization_id)."),
            )
            return None
        entity = Entity(
            Organization, where=f"{path}.organization_id", uuid=organization_id, match="uuid_only"
        )
        record.add(entity)
        return entity

    def organization(self, record: ServiceRecord, data: dict[str, Any], path: str) -> Entity:
        entity = self.entity(record, Organization, data, path)
        entity.match = ("name",)
        parent = self.uuid(
            record, data.get("parent_organization_id"), f"{path}.parent_organization_id"
        )
        entity.refs["parent"] = (
            Ref(
                "organization",
                str(parent),
                f"{path}.parent_organization_id",
                uuid=parent,
                soft=True,
            )
            if parent is not None
            else None
        )
        record.add(entity)
        self.demo_flag(record, entity, data, path)
        self.translations(record, entity, data, path, OrganizationTranslation, "organization")
        self.contacts(record, data, path, "organization", entity)
        self.phones(record, data, path, "organization", entity)
        for here, item in self.objects(record, data, "locations", path) or []:
            # An organisation's places are added and updated, never removed by an import.
            self.location(record, item, here, entity)
        return entity

    def demo_flag(
        self, record: ServiceRecord, entity: Entity, data: dict[str, Any], path: str
    ) -> None:
        metadata = self.objects(record, data, "metadata", path)
        if metadata is None:
            return
        demo = any(
            item.get("field_name") == "is_demo"
            and str(item.get("replacement_value")).lower() == "true"
            for _here, item in metadata
        )
        entity.set("is_demo", demo, f"{path}.metadata")

    def translations(
        self,
        record: ServiceRecord,
        owner: Entity,
        data: dict[str, Any],
        path: str,
        model: type[ServiceTranslation] | type[OrganizationTranslation],
        parent_field: str,
    ) -> None:
        if "x_translations" not in data or data["x_translations"] is None:
            return
        here = f"{path}.x_translations"
        translations = data["x_translations"]
        if not isinstance(translations, dict):
            self.error(
                record, here, _('Expected an object of languages, e.g. {"en": {"name": …}}.')
            )
            return
        owner.replaces.append(Replace("translations"))
        fields = (Service if model is ServiceTranslation else Organization).TRANSLATED_FIELDS
        for language, values in translations.items():
            where = f"{here}.{language}"
            if not isinstance(values, dict):
                self.error(record, where, _("Expected an object of translated fields."))
                continue
            if language == "ja":
                self.error(
                    record, where, _("Japanese is the original language, not a translation.")
                )
                continue
            entity = Entity(model, where=where, match=("language",))
            entity.parents[parent_field] = owner
            entity.set("language", language, where)
            for name in fields:
                entity.set(name, values.get(name) or "", f"{where}.{name}")
            for name in values:
                if name not in fields:
                    self.warn(
                        record,
                        f"{where}.{name}",
                        _("tsunagu has no place for “%(key)s”; it was not imported.")
                        % {"key": name},
                    )
            record.add(entity)

    def service_attributes(
        self, record: ServiceRecord, service: Entity, data: dict[str, Any], path: str
    ) -> None:
        attributes = self.objects(record, data, "attributes", path)
        if attributes is None:
            return
        terms: list[Ref] = []
        groups: list[Ref] = []
        initiatives: list[Ref] = []
        for here, attribute in attributes:
            taxonomy, code, term_id, label = self.term(record, attribute, here)
            if taxonomy == TARGET_GROUPS:
                groups.append(Ref("target_group", code, label, uuid=term_id))
            elif taxonomy == INITIATIVES:
                initiatives.append(Ref("initiative", code, label, soft=True))
            elif taxonomy in (AREAS, SCHEDULE_FLAGS, LOCATION_FLAGS):
                self.warn(
                    record,
                    here,
                    _("This attribute does not apply to a service; it was not imported."),
                )
            else:
                terms.append(Ref("term", code, label, taxonomy=taxonomy, uuid=term_id, soft=True))
        service.many.update(
            {"taxonomy_terms": terms, "target_groups": groups, "initiatives": initiatives}
        )

    def term(
        self, record: ServiceRecord, attribute: dict[str, Any], path: str
    ) -> tuple[str, str, UUID | None, str]:
        term = (
            attribute.get("taxonomy_term")
            if isinstance(attribute.get("taxonomy_term"), dict)
            else {}
        )
        assert isinstance(term, dict)
        detail = (
            term.get("taxonomy_detail") if isinstance(term.get("taxonomy_detail"), dict) else {}
        )
        assert isinstance(detail, dict)
        taxonomy = str(term.get("taxonomy") or detail.get("name") or "")
        code = str(term.get("code") or term.get("name") or "")
        term_id = self.uuid(
            record, term.get("id") or attribute.get("taxonomy_term_id"), f"{path}.taxonomy_term.id"
        )
        return taxonomy, code, term_id, f"{path}.taxonomy_term"

    # -- nested records ---------------------------------------------------------------------------
    def children(
        self,
        record: ServiceRecord,
        data: dict[str, Any],
        path: str,
        parent_field: str,
        parent: Entity,
        key: str,
        model: type[models.Model],
    ) -> None:
        items = self.objects(record, data, key, path)
        if items is None:
            return
        parent.replaces.append(Replace(key))
        for here, item in items:
            entity = self.entity(record, model, item, here, parents={parent_field: parent})
            if model is ServiceArea:
                self.service_area(record, entity, item, here)
            record.add(entity)

    def service_area(
        self, record: ServiceRecord, entity: Entity, item: dict[str, Any], path: str
    ) -> None:
        uri = str(item.get("uri") or "")
        if uri.startswith("tsunagu:area:"):
            entity.refs["area"] = Ref(
                "area", uri.removeprefix("tsunagu:area:"), f"{path}.uri", soft=True
            )
        else:
            entity.refs["area"] = None

    def phones(
        self,
        record: ServiceRecord,
        data: dict[str, Any],
        path: str,
        parent_field: str,
        parent: Entity,
    ) -> None:
        items = self.objects(record, data, "phones", path)
        if items is None:
            return
        parent.replaces.append(Replace("phones"))
        for here, item in items:
            phone = self.entity(record, Phone, item, here, parents={parent_field: parent})
            record.add(phone)
            self.languages(record, item, here, "phone", phone)

    def languages(
        self,
        record: ServiceRecord,
        data: dict[str, Any],
        path: str,
        parent_field: str,
        parent: Entity,
    ) -> None:
        items = self.objects(record, data, "languages", path)
        if items is None:
            return
        parent.replaces.append(Replace("languages"))
        for here, item in items:
            record.add(self.entity(record, Language, item, here, parents={parent_field: parent}))

    def contacts(
        self,
        record: ServiceRecord,
        data: dict[str, Any],
        path: str,
        parent_field: str,
        parent: Entity,
    ) -> None:
        items = self.objects(record, data, "contacts", path)
        if items is None:
            return
        parent.replaces.append(Replace("contacts"))
        for here, item in items:
            contact = self.entity(record, Contact, item, here, parents={parent_field: parent})
            record.add(contact)
            self.phones(record, item, here, "contact", contact)

    def schedules(
        self,
        record: ServiceRecord,
        data: dict[str, Any],
        path: str,
        parent_field: str,
        parent: Entity,
    ) -> None:
        items = self.objects(record, data, "schedules", path)
        if items is None:
            return
        parent.replaces.append(Replace("schedules"))
        for here, item in items:
            schedule = self.entity(record, Schedule, item, here, parents={parent_field: parent})
            for name in ("opens_at", "closes_at"):
                value = item.get(name)
                if isinstance(value, str) and len(value) > 8 and value[-6] in "+-":
                    if value[-6:] != "+09:00":
                        self.warn(
                            record,
                            f"{here}.{name}",
                            _("Times are read as Japan time; the offset %(offset)s was ignored.")
                            % {"offset": value[-6:]},
                        )
                    schedule.values[name] = value[:-6]
            timezone = item.get("timezone")
            try:
                if timezone is not None and Decimal(str(timezone)) == JAPAN_OFFSET:
                    schedule.values["timezone"] = None
            except InvalidOperation:
                pass
            if str(item.get("freq") or "").upper() == "WEEKLY" and item.get("bymonthday"):
                # RFC 5545 forbids BYMONTHDAY in a weekly rule: it cannot mean anything.
                self.warn(
                    record,
                    f"{here}.bymonthday",
                    _(
                        "Days of the month do not apply to a weekly schedule; they were not imported."
                    ),
                )
                schedule.values["bymonthday"] = ""
            attributes = self.objects(record, item, "attributes", here)
            if attributes is not None:
                flags = set()
                for where, attribute in attributes:
                    taxonomy, code, _term_id, _label = self.term(record, attribute, where)
                    if taxonomy == SCHEDULE_FLAGS and code in FLAG_FIELDS:
                        flags.add(FLAG_FIELDS[code])
                    else:
                        self.warn(
                            record,
                            where,
                            _("This attribute does not apply to a schedule; it was not imported."),
                        )
                for name in FLAG_FIELDS.values():
                    schedule.set(name, name in flags, f"{here}.attributes")
            record.add(schedule)

    def location(
        self, record: ServiceRecord, data: dict[str, Any], path: str, organization: Entity
    ) -> Entity:
        attributes = self.objects(record, data, "attributes", path)
        confidential = False
        area: Ref | None = None
        for where, attribute in attributes or []:
            taxonomy, code, _term_id, label = self.term(record, attribute, where)
            if taxonomy == LOCATION_FLAGS and code == CONFIDENTIAL:
                confidential = True
            elif taxonomy == AREAS:
                area = Ref("area", code, label, soft=True)
            else:
                self.warn(
                    record,
                    where,
                    _("This attribute does not apply to a place; it was not imported."),
                )
        # A confidential place exported for the public comes without its address,
        # position, access, area and external identifier: what is not given is kept,
        # not cleared.
        withheld = tuple(
            name
            for name in (
                "transportation",
                "latitude",
                "longitude",
                "external_identifier",
                "external_identifier_type",
            )
            if confidential and data.get(name) in (None, "")
        )
        location = self.entity(record, Location, data, path, skip=withheld)
        location.hints["sensitive_policy"] = "keep"
        self.position(record, location, path)
        if attributes is not None:
            location.set("is_sensitive", confidential, f"{path}.attributes")
            if area is not None or not confidential:
                location.refs["area"] = area
        organization_id = data.get("organization_id")
        if organization_id in (None, ""):
            location.refs["organization"] = None  # a full object: no organisation
        elif str(organization_id) == str(organization.uuid):
            location.parents["organization"] = organization
        else:
            uuid = self.uuid(record, organization_id, f"{path}.organization_id")
            if uuid is not None:
                location.refs["organization"] = Ref(
                    "organization", str(uuid), f"{path}.organization_id", uuid=uuid, soft=True
                )
        record.add(location)
        items = self.objects(record, data, "addresses", path)
        if items is not None and (items or not confidential):
            location.replaces.append(Replace("addresses"))
        for here, item in items or []:
            address = self.entity(record, Address, item, here, parents={"location": location})
            if str(item.get("country") or "JP").upper() != "JP":
                # Japanese postal codes are checked as such; other countries' are not.
                address.hints["foreign"] = True
            record.add(address)
        self.children(record, data, path, "location", location, "accessibility", Accessibility)
        self.languages(record, data, path, "location", location)
        self.contacts(record, data, path, "location", location)
        self.phones(record, data, path, "location", location)
        self.schedules(record, data, path, "location", location)
        return location

    def position(self, record: ServiceRecord, location: Entity, path: str) -> None:
        """Coordinates off the globe are dropped with a warning (the HSDS examples have them)."""
        limits = {"latitude": 90, "longitude": 180}
        for name, limit in limits.items():
            value = location.values.get(name)
            if value in (None, ""):
                continue
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                continue  # the model field says what is wrong
            if abs(number) > limit:
                self.warn(
                    record,
                    f"{path}.{name}",
                    _(
                        "%(value)s is not a %(field)s on Earth; the place was imported without its position."
                    )
                    % {"value": value, "field": name},
                )
                location.values.pop("latitude", None)
                location.values.pop("longitude", None)
                return

    def service_at_locations(
        self,
        record: ServiceRecord,
        data: dict[str, Any],
        path: str,
        service: Entity,
        organization: Entity,
    ) -> None:
        items = self.objects(record, data, "service_at_locations", path)
        if items is None:
            return
        service.replaces.append(Replace("service_at_locations"))
        for here, item in items:
            nested = item.get("location")
            if not isinstance(nested, dict):
                self.error(
                    record,
                    f"{here}.location",
                    _("A service at a location needs its location object."),
                )
                continue
            location = self.location(record, nested, f"{here}.location", organization)
            link = self.entity(
                record,
                ServiceAtLocation,
                item,
                here,
                parents={"service": service, "location": location},
            )
            link.match = ()
            record.add(link)
            self.contacts(record, item, here, "service_at_location", link)
            self.phones(record, item, here, "service_at_location", link)
            self.schedules(record, item, here, "service_at_location", link)


def read_hsds(data: bytes, *, ndjson: bool | None = None) -> ImportBatch:
    """Read HSDS JSON (array, Page, one object) or NDJSON; ``ndjson`` None detects it."""
    batch = ImportBatch(format="ndjson" if ndjson else "hsds", unit=ENTRY, encoding="UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        batch.errors.append(
            RowError(
                None,
                "",
                _("HSDS JSON must be UTF-8 text (byte %(position)s cannot be read).")
                % {"position": exc.start},
                ENTRY,
            )
        )
        return batch
    if not text.strip():
        batch.errors.append(RowError(None, "", _("The file is empty."), ENTRY))
        return batch
    reader = _Reader(batch)
    if not ndjson:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            if ndjson is None and exc.msg == "Extra data":
                return _read_ndjson(text, batch, reader)
            batch.errors.append(
                RowError(
                    None,
                    "",
                    _("The file is not valid JSON: %(error)s at line %(line)s, column %(column)s.")
                    % {"error": exc.msg, "line": exc.lineno, "column": exc.colno},
                    ENTRY,
                )
            )
            return batch
        if isinstance(document, list):
            entries = [(index + 1, f"$[{index}]", item) for index, item in enumerate(document)]
        elif isinstance(document, dict) and isinstance(document.get("contents"), list):
            entries = [
                (index + 1, f"$.contents[{index}]", item)
                for index, item in enumerate(document["contents"])
            ]
        elif isinstance(document, dict):
            entries = [(1, "$", document)]
        else:
            batch.errors.append(
                RowError(
                    None,
                    "",
                    _("Expected a service object, an array of services or a page of them."),
                    ENTRY,
                )
            )
            return batch
        batch.records = [reader.service(row, path, item) for row, path, item in entries]
        return batch
    return _read_ndjson(text, batch, reader)


def _read_ndjson(text: str, batch: ImportBatch, reader: _Reader) -> ImportBatch:
    batch.format = "ndjson"
    batch.unit = LINE
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            record = ServiceRecord(number, Entity(Service, where="$"))
            record.errors.append(
                RowError(
                    number,
                    "$",
                    _("Not valid JSON: %(error)s at column %(column)s.")
                    % {"error": exc.msg, "column": exc.colno},
                    LINE,
                )
            )
            batch.records.append(record)
            continue
        batch.records.append(reader.service(number, "$", item))
    return batch
