"""The CSV/Excel template → :class:`ImportBatch`: one service per row.

CSV comes as UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or
Shift_JIS/CP932 (Excel's default "CSV" on Japanese Windows); the reader detects
which and says so. Comma or tab separated. The first row holds the headers
(``columns.COLUMNS``); rows are numbered as the spreadsheet numbers them (the
header is row 1), and every error names the row and the header.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID
from zipfile import BadZipFile

from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from tsunagu.directory.models import (
    Accessibility,
    Address,
    Language,
    Location,
    Organization,
    Phone,
    PhoneType,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTranslation,
)

from .batch import ROW, Entity, ErrorCollector, ImportBatch, Ref, Replace, RowError, ServiceRecord
from .cells import (
    MAX_CELL_CHARS,
    CellError,
    clean_text,
    fold,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_phone,
    parse_postal_code,
    restore_formula,
    split_multi,
)
from .columns import BY_KEY, COLUMNS, PLACE_KEYS, REQUIRED, TRANSLATED, Column, find_column
from .hours import parse_hours
from .languages import parse_language

SERVICE_SHEET = "サービス"
HELP_SHEET = "説明"
# Excel's own limit; a longer CSV is not a spreadsheet someone filled in.
MAX_ROWS = 1_048_576
STATUS_WORDS = {
    "実施中": ServiceStatus.ACTIVE,
    "休止中": ServiceStatus.INACTIVE,
    "休止": ServiceStatus.INACTIVE,
    "一時休止": ServiceStatus.TEMPORARILY_CLOSED,
    "一時休止中": ServiceStatus.TEMPORARILY_CLOSED,
    "廃止": ServiceStatus.DEFUNCT,
    **{value: ServiceStatus(value) for value in ServiceStatus.values},
}
STATUS_NAMES = {
    ServiceStatus.ACTIVE: "実施中",
    ServiceStatus.INACTIVE: "休止中",
    ServiceStatus.TEMPORARILY_CLOSED: "一時休止",
    ServiceStatus.DEFUNCT: "廃止",
}
_SIMPLE = {
    "name": "name",
    "name_kana": "name_kana",
    "alternate_name": "alternate_name",
    "description": "description",
    "eligibility": "eligibility_description",
    "application_process": "application_process",
    "fees": "fees_description",
    "email": "email",
    "url": "url",
    "interpretation": "interpretation_services",
    "alert": "alert",
}


class FileError(Exception):
    """The file cannot be read as a table at all."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- decoding --------------------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of the encoding it was in."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as exc:
            raise FileError(_bad_text(exc)) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise FileError(_bad_text(exc)) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp932"), "Shift_JIS (CP932)"
        except UnicodeDecodeError:
            raise FileError(_bad_text(utf8_error)) from None


def _bad_text(exc: UnicodeDecodeError) -> str:
    return _(
        "The file is not text in UTF-8 or Shift_JIS (byte %(position)s cannot be read). Save it from Excel as “CSV UTF-8” or as an .xlsx workbook."
    ) % {"position": exc.start}


# -- tables ----------------------------------------------------------------------------------------
def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for each non-empty row; FileError for broken quoting."""
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    # Python's own limit would stop a huge cell with a bare csv.Error; ours names it.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_CHARS * 50))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for cells in reader:
            number += 1
            if number > MAX_ROWS:
                raise FileError(_("The file has more rows than a spreadsheet can hold."))
            if any(cell.strip() for cell in cells):
                yield number, cells
    except csv.Error as exc:
        raise FileError(
            _("Row %(number)s cannot be read as CSV: %(error)s")
            % {"number": number + 1, "error": exc}
        ) from None


def xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileError(
            _("The file is not a readable .xlsx workbook (%(error)s).") % {"error": exc}
        ) from None
    names = [name for name in workbook.sheetnames if name != HELP_SHEET]
    if not names:
        raise FileError(_("The workbook has no sheet of services."))
    sheet = workbook[SERVICE_SHEET] if SERVICE_SHEET in names else workbook[names[0]]
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if any(cell is not None and str(cell).strip() for cell in cells):
            yield number, list(cells)


def _cell_text(value: Any, column: Column) -> str:
    """What a spreadsheet cell says, as the text the parsers read."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value.hour}:{value.minute:02d}"
    if isinstance(value, int | float | Decimal):
        if column.key in ("phones", "fax"):
            raise CellError(
                _(
                    "Excel stored the phone number as a number and dropped its leading 0; format the column as text and type it again."
                )
            )
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if column.key == "postal_code" and isinstance(value, int):
            return f"{value:07d}"
        return str(value)
    return restore_formula(str(value))


# -- reading ---------------------------------------------------------------------------------------
def read_table(
    rows: Iterator[tuple[int, list[Any]]], *, format: str, encoding: str = ""
) -> ImportBatch:
    batch = ImportBatch(format=format, encoding=encoding, unit=ROW)
    try:
        header_row = next(rows, None)
        if header_row is None:
            batch.errors.append(
                RowError(None, "", _("The file is empty: it has no header row."), ROW)
            )
            return batch
        header_number, headers = header_row
        columns = _columns(header_number, headers, batch)
        if batch.errors:
            return batch
        for number, cells in rows:
            batch.records.append(_record(number, cells, columns))
    except FileError as exc:
        batch.errors.append(RowError(None, "", exc.message, ROW))
    return batch


def _columns(number: int, headers: list[Any], batch: ImportBatch) -> dict[int, Column]:
    columns: dict[int, Column] = {}
    unknown: list[str] = []
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        text = clean_text(restore_formula(str(header or "")))
        if not text:
            continue
        column = find_column(text.lstrip("\ufeff"))
        if column is None:
            unknown.append(text)
            continue
        if column.key in seen:
            batch.errors.append(
                RowError(
                    number,
                    column.header,
                    _("The column 「%(header)s」 appears twice.") % {"header": column.header},
                    ROW,
                )
            )
            continue
        seen[column.key] = index
        columns[index] = column
    if unknown:
        batch.errors.append(
            RowError(
                number,
                "",
                _("Unknown columns: %(unknown)s. Use the headers of the template (%(template)s).")
                % {
                    "unknown": "、".join(f"「{name}」" for name in unknown),
                    "template": "tsunagu export_directory --template",
                },
                ROW,
            )
        )
    present = {column.header for column in columns.values()}
    missing = [header for header in REQUIRED if header not in present]
    if missing:
        batch.errors.append(
            RowError(
                number,
                "",
                _("Missing columns: %(missing)s.")
                % {"missing": "、".join(f"「{name}」" for name in missing)},
                ROW,
            )
        )
    return columns


def _record(number: int, cells: list[Any], columns: dict[int, Column]) -> ServiceRecord:
    errors: list[RowError] = []
    error = ErrorCollector(number, ROW, errors)
    texts: dict[str, str] = {}
    for index, column in columns.items():
        raw = cells[index] if index < len(cells) else None
        try:
            text = _cell_text(raw, column)
        except CellError as exc:
            error(column.header, str(exc))
            continue
        if len(text) > MAX_CELL_CHARS:
            error(
                column.header,
                _("The cell has %(length)s characters; at most %(limit)s are read.")
                % {"length": len(text), "limit": MAX_CELL_CHARS},
            )
            continue
        texts[column.key] = text
    present = {column.key for column in columns.values()}
    builder = _RowBuilder(number, texts, present, error)
    record = builder.build()
    record.errors = errors + record.errors
    return record


class _RowBuilder:
    def __init__(
        self, number: int, texts: dict[str, str], present: set[str], error: ErrorCollector
    ) -> None:
        self.number = number
        self.texts = texts
        self.present = present
        self.error = error

    def header(self, key: str) -> str:
        return BY_KEY[key].header

    def has(self, key: str) -> bool:
        """The column is in the file and its cell could be read."""
        return key in self.texts

    def text(self, key: str) -> str:
        return clean_text(self.texts.get(key, ""))

    def parse(self, key: str, parser: Any) -> Any:
        try:
            return parser(self.texts.get(key, ""))
        except CellError as exc:
            self.error(self.header(key), str(exc))
            return None

    def build(self) -> ServiceRecord:
        organization = self._organization()
        service = Entity(Service, where="", match=("name",))
        service.parents["organization"] = organization
        record = ServiceRecord(self.number, service, name=self.text("name"))
        record.add(organization)
        record.add(service)
        if self.has("id") and self.text("id"):
            try:
                service.uuid = UUID(fold(self.text("id")))
            except ValueError:
                self.error(
                    self.header("id"),
                    _("Write the id as exported (a UUID), or leave it empty for a new service."),
                )
        for key, name in _SIMPLE.items():
            if self.has(key):
                service.set(name, self.text(key), self.header(key))
        if self.has("status"):
            status = (
                STATUS_WORDS.get(fold(self.text("status")).lower())
                if self.text("status")
                else ServiceStatus.ACTIVE
            )
            if status is None:
                self.error(
                    self.header("status"),
                    _("Write 実施中, 休止中, 一時休止 or 廃止."),
                )
            else:
                service.set("status", status.value, self.header("status"))
        for key in ("minimum_age", "maximum_age"):
            if self.has(key):
                value = self.parse(key, parse_int)
                if value is not None or not self.text(key):
                    service.set(key, value, self.header(key))
        if self.has("last_verified"):
            day = self.parse("last_verified", parse_date)
            if day is not None or not self.text("last_verified"):
                service.set("last_verified_at", day, self.header("last_verified"))
        for key, name, kind in (
            ("categories", "taxonomy_terms", "term"),
            ("target_groups", "target_groups", "target_group"),
            ("initiatives", "initiatives", "initiative"),
        ):
            if self.has(key):
                service.many[name] = [
                    Ref(kind, value, self.header(key)) for value in split_multi(self.text(key))
                ]
        self._translation(record, service)
        self._phones(record, service)
        self._schedules(record, service)
        self._languages(record, service)
        self._documents(record, service)
        self._areas(record, service)
        self._place(record, service, organization)
        return record

    def _organization(self) -> Entity:
        label = self.header("organization")
        organization = Entity(Organization, where=label, match=("name",))
        text = self.text("organization")
        try:
            organization.uuid = UUID(fold(text))
            organization.match = "uuid_only"
        except ValueError:
            organization.set("name", text, label)
        if self.has("organization_kana") and self.text("organization_kana"):
            organization.set(
                "name_kana", self.text("organization_kana"), self.header("organization_kana")
            )
        return organization

    def _translation(self, record: ServiceRecord, service: Entity) -> None:
        keys = [key for key in TRANSLATED if self.has(key)]
        if not keys:
            return
        translation = Entity(ServiceTranslation, where=self.header(keys[0]), match=("language",))
        translation.parents["service"] = service
        translation.set("language", "en", self.header(keys[0]))
        for key in keys:
            translation.set(TRANSLATED[key], self.text(key), self.header(key))
        translation.hints["drop_if_blank"] = tuple(Service.TRANSLATED_FIELDS)
        record.add(translation)

    def _phones(self, record: ServiceRecord, service: Entity) -> None:
        for key, phone_type, only in (
            ("phones", PhoneType.VOICE, ~Q(type=PhoneType.FAX)),
            ("fax", PhoneType.FAX, Q(type=PhoneType.FAX)),
        ):
            if not self.has(key):
                continue
            service.replaces.append(Replace("phones", only))
            for value in split_multi(self.text(key)):
                try:
                    number, extension = parse_phone(value)
                except CellError as exc:
                    self.error(self.header(key), str(exc))
                    continue
                phone = Entity(Phone, where=self.header(key), match=("number", "extension"))
                phone.parents["service"] = service
                phone.set("number", number, self.header(key))
                phone.set("extension", extension, self.header(key))
                phone.hints["defaults"] = {"type": phone_type}
                record.add(phone)

    def _schedules(self, record: ServiceRecord, service: Entity) -> None:
        if not self.has("hours"):
            return
        label = self.header("hours")
        try:
            found = parse_hours(self.text("hours"))
        except CellError as exc:
            self.error(label, str(exc))
            return
        # Schedules without hours (a note only) cannot be written in the cell: kept.
        service.replaces.append(Replace("schedules", Q(open_24h=True) | Q(opens_at__isnull=False)))
        for values in found:
            schedule = Entity(Schedule, where=label, match="schedule_rule")
            schedule.parents["service"] = service
            for name, value in values.items():
                schedule.set(name, value, label)
            schedule.hints["keep_matched"] = True
            record.add(schedule)

    def _languages(self, record: ServiceRecord, service: Entity) -> None:
        if not self.has("languages"):
            return
        label = self.header("languages")
        service.replaces.append(Replace("languages"))
        for value in split_multi(self.text("languages")):
            try:
                code, name, by_name = parse_language(value)
            except CellError as exc:
                self.error(label, str(exc))
                continue
            language = Entity(Language, where=label, match=("name",) if by_name else ("code",))
            language.parents["service"] = service
            if by_name:
                language.set("name", name, label)
                language.hints["defaults"] = {"code": code}
            else:
                language.set("code", code, label)
                language.hints["defaults"] = {"name": name}
            record.add(language)

    def _documents(self, record: ServiceRecord, service: Entity) -> None:
        if not self.has("required_documents"):
            return
        label = self.header("required_documents")
        service.replaces.append(Replace("required_documents"))
        for value in split_multi(self.text("required_documents")):
            document = Entity(RequiredDocument, where=label, match=("document",))
            document.parents["service"] = service
            document.set("document", value, label)
            record.add(document)

    def _areas(self, record: ServiceRecord, service: Entity) -> None:
        if not self.has("areas"):
            return
        label = self.header("areas")
        # Free-text areas (from HSDS files) have no cell to live in: kept.
        service.replaces.append(Replace("service_areas", Q(area__isnull=False)))
        for value in split_multi(self.text("areas")):
            area = Entity(ServiceArea, where=label, match="service_area")
            area.parents["service"] = service
            area.refs["area"] = Ref("area", value, label)
            record.add(area)

    def _place(self, record: ServiceRecord, service: Entity, organization: Entity) -> None:
        given = [key for key in PLACE_KEYS if self.text(key)]
        if not given:
            return  # Empty place cells leave the service's places as they are.
        name_label = self.header("location_name")
        if not self.text("location_name"):
            self.error(
                name_label,
                _("Write the name of the place (施設名) when the other place columns are filled."),
            )
            return
        location = Entity(Location, where=name_label, match="service_place")
        location.set("name", self.text("location_name"), name_label)
        location.hints.update(
            {
                "service": service,
                "organization": organization,
                "default_parents": {"organization": organization},
                "sensitive_policy": "error",
            }
        )
        if self.text("transportation"):
            location.set(
                "transportation", self.text("transportation"), self.header("transportation")
            )
        for key in ("latitude", "longitude"):
            if self.text(key):
                value = self.parse(key, parse_decimal)
                if value is not None:
                    location.set(key, value, self.header(key))
        if self.text("is_sensitive"):
            flag = self.parse("is_sensitive", parse_bool)
            if flag is not None:
                location.set("is_sensitive", flag, self.header("is_sensitive"))
        if self.text("location_area"):
            location.refs["area"] = Ref(
                "area", self.text("location_area"), self.header("location_area")
            )
        record.add(location)

        if self.text("address") or self.text("postal_code"):
            address = Entity(Address, where=self.header("address"), match="first_address")
            address.parents["location"] = location
            if self.text("postal_code"):
                address.set(
                    "postal_code",
                    parse_postal_code(self.text("postal_code")),
                    self.header("postal_code"),
                )
            if self.text("address"):
                address.hints["address_text"] = self.text("address")
                for name in ("address_1", "address_2", "city", "state_province", "region"):
                    address.labels[name] = self.header("address")
            else:
                address.labels["address_1"] = self.header("address")
            address.hints["defaults"] = {"country": "JP"}
            record.add(address)

        if self.text("accessibility"):
            location.replaces.append(Replace("accessibility"))
            for value in split_multi(self.text("accessibility")):
                accessibility = Entity(
                    Accessibility, where=self.header("accessibility"), match=("description",)
                )
                accessibility.parents["location"] = location
                accessibility.set("description", value, self.header("accessibility"))
                record.add(accessibility)

        link = Entity(ServiceAtLocation, where=name_label, match=())
        link.parents["service"] = service
        link.parents["location"] = location
        record.add(link)


def read_csv(data: bytes) -> ImportBatch:
    try:
        text, encoding = decode(data)
    except FileError as exc:
        return ImportBatch(format="csv", errors=[RowError(None, "", exc.message, ROW)])
    text = re.sub(r"\r\n?", "\n", text)
    return read_table(csv_rows(text), format="csv", encoding=encoding)


def read_xlsx(data: bytes) -> ImportBatch:
    try:
        rows = list(xlsx_rows(data))
    except FileError as exc:
        return ImportBatch(format="xlsx", errors=[RowError(None, "", exc.message, ROW)])
    return read_table(iter(rows), format="xlsx")


__all__ = ["COLUMNS", "STATUS_NAMES", "read_csv", "read_xlsx"]
