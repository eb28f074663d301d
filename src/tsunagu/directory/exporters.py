"""Exporting the directory: the CSV/Excel template (which ``import_directory`` reads
back) and HSDS 3 JSON / NDJSON (``directory.hsds.service_to_hsds``, fully nested).

Confidential addresses (shelters) are left out unless ``include_sensitive``: the
place keeps its name and is marked 住所非公開, so that importing the file again
keeps the stored address. Every export writes an audit event with its row count.

Spreadsheet cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@`` …) are neutralised: CSV cells get a leading ``'`` (which the importer
removes again), Excel cells are written as text.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tsunagu.core.models import Area, User
from tsunagu.core.services import log_action

from .hsds import prefetch_services, service_to_hsds
from .importers.cells import format_address, format_phone, join_multi, neutralise_formula
from .importers.columns import COLUMNS, MULTI
from .importers.hours import format_hours
from .importers.languages import language_cell_value
from .importers.tabular import HELP_SHEET, SERVICE_SHEET, STATUS_NAMES
from .models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)

EXPORTED = "directory.services.exported"
FORMATS = ("csv", "xlsx", "hsds", "ndjson")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "hsds": "application/json",
    "ndjson": "application/x-ndjson",
}
SUFFIXES = {"csv": "csv", "xlsx": "xlsx", "hsds": "json", "ndjson": "ndjson"}
# Cells Excel would turn into numbers (dropping a phone's leading 0) are text.
TEXT_COLUMNS = ("phones", "fax", "postal_code", "id")
WIDTHS = {"id": 38, "name": 28, "organization": 24, "description": 48, "hours": 32, "address": 36}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1A3D8F")


@dataclass
class ExportResult:
    content: bytes
    format: str
    count: int
    filename: str
    content_type: str
    notices: list[str] = field(default_factory=list)


def export_directory(
    format: str,
    *,
    services: QuerySet[Service] | None = None,
    include_sensitive: bool = False,
    template: bool = False,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> ExportResult:
    """The services (default: all, every status) as ``format``; ``template`` gives the
    empty CSV/Excel template. Writes the audit event for a real export."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}; expected one of {FORMATS}")
    if template:
        if format not in ("csv", "xlsx"):
            raise ValueError("the template is a CSV or Excel file")
        content = dump_csv([]) if format == "csv" else dump_xlsx([])
        return ExportResult(
            content, format, 0, f"directory-template.{SUFFIXES[format]}", CONTENT_TYPES[format]
        )
    queryset = (services if services is not None else Service.objects.all()).order_by(
        "organization__name", "name_kana", "name", "pk"
    )
    notices: list[str] = []
    if format in ("csv", "xlsx"):
        loaded = list(prefetch_rows(queryset))
        names = _Names()
        rows = [
            service_row(service, include_sensitive=include_sensitive, names=names)
            for service in loaded
        ]
        several = sum(1 for service in loaded if len(service.service_at_locations.all()) > 1)
        if several:
            notices.append(
                _(
                    "%(count)s services are offered at more than one place; the spreadsheet holds the first place of each (importing it keeps the others). Export HSDS JSON for everything."
                )
                % {"count": several}
            )
        _name_organizations(rows, loaded)
        content = dump_csv(rows) if format == "csv" else dump_xlsx(rows)
        count = len(rows)
    else:
        objects = [
            service_to_hsds(service, public=not include_sensitive)
            for service in prefetch_services(queryset)
        ]
        if format == "hsds":
            text = json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
        else:
            text = "".join(
                json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"
                for item in objects
            )
        content = text.encode("utf-8")
        count = len(objects)
    log_action(
        EXPORTED,
        actor=actor,
        data={"format": format, "count": count, "include_sensitive": include_sensitive},
        request=request,
    )
    stamp = timezone.localdate().isoformat()
    return ExportResult(
        content,
        format,
        count,
        f"directory-{stamp}.{SUFFIXES[format]}",
        CONTENT_TYPES[format],
        notices,
    )


# -- spreadsheet rows ------------------------------------------------------------------------------
def prefetch_rows(services: QuerySet[Service]) -> QuerySet[Service]:
    """Services with everything :func:`service_row` reads, in a fixed number of queries."""
    return services.select_related("organization").prefetch_related(
        "translations",
        Prefetch("taxonomy_terms", queryset=TaxonomyTerm.objects.order_by("sort_order", "pk")),
        "target_groups",
        "initiatives",
        Prefetch("phones", queryset=Phone.objects.order_by("pk")),
        Prefetch("schedules", queryset=Schedule.objects.order_by("pk")),
        "languages",
        "required_documents",
        Prefetch("service_areas__area", queryset=Area.objects.all()),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.order_by("pk").prefetch_related(
                Prefetch(
                    "location",
                    queryset=Location.objects.select_related("area").prefetch_related(
                        Prefetch("addresses", queryset=Address.objects.order_by("pk")),
                        "accessibility",
                    ),
                )
            ),
        ),
    )


class _Names:
    """Names where they are unambiguous, codes where they are not, so that the
    export imports back to the same categories, groups and areas."""

    def __init__(self) -> None:
        self.term_names = Counter(
            name for name in TaxonomyTerm.objects.values_list("name", flat=True)
        )
        self.area_names = Counter(name for name in Area.objects.values_list("name", flat=True))

    def term(self, term: TaxonomyTerm) -> str:
        return term.name if self.term_names[term.name] == 1 else term.code

    def area(self, area: Area) -> str:
        return area.name if self.area_names[area.name] == 1 else area.code


def service_row(
    service: Service, *, include_sensitive: bool = False, names: _Names | None = None
) -> dict[str, Any]:
    """One row of the template for ``service``, keyed by column key."""
    names = names or _Names()
    translation = next((item for item in service.translations.all() if item.language == "en"), None)
    phones = list(service.phones.all())
    row: dict[str, Any] = {
        "id": str(service.uuid),
        "name": service.name,
        "name_kana": service.name_kana,
        "alternate_name": service.alternate_name,
        "organization": service.organization.name,
        "organization_kana": service.organization.name_kana,
        "status": STATUS_NAMES.get(ServiceStatus(service.status), service.status),
        "description": service.description,
        "eligibility": service.eligibility_description,
        "target_groups": join_multi([group.name for group in service.target_groups.all()]),
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "categories": join_multi([names.term(term) for term in service.taxonomy_terms.all()]),
        "application_process": service.application_process,
        "fees": service.fees_description,
        "required_documents": join_multi(
            [document.document for document in service.required_documents.all()]
        ),
        "hours": format_hours(list(service.schedules.all())),
        "phones": join_multi(
            [format_phone(p.number, p.extension) for p in phones if p.type != Phone.PhoneType.FAX]
        ),
        "fax": join_multi(
            [format_phone(p.number, p.extension) for p in phones if p.type == Phone.PhoneType.FAX]
        ),
        "email": service.email,
        "url": service.url,
        "languages": join_multi(
            [language_cell_value(item.code, item.name) for item in service.languages.all()]
        ),
        "interpretation": service.interpretation_services,
        "areas": join_multi(
            [names.area(item.area) for item in service.service_areas.all() if item.area]
        ),
        "initiatives": join_multi([initiative.code for initiative in service.initiatives.all()]),
        "alert": service.alert,
        "name_en": translation.name if translation else "",
        "description_en": translation.description if translation else "",
        "eligibility_en": translation.eligibility_description if translation else "",
        "application_en": translation.application_process if translation else "",
        "fees_en": translation.fees_description if translation else "",
        "last_verified": timezone.localtime(service.last_verified_at).date().isoformat()
        if service.last_verified_at
        else "",
    }
    links = list(service.service_at_locations.all())
    if links:
        row.update(_place_cells(links[0].location, include_sensitive, names))
    return row


def _place_cells(location: Location, include_sensitive: bool, names: _Names) -> dict[str, Any]:
    hidden = location.is_sensitive and not include_sensitive
    cells: dict[str, Any] = {
        "location_name": location.name,
        "is_sensitive": "はい" if location.is_sensitive else "いいえ",
        "location_area": names.area(location.area) if location.area else "",
        "accessibility": join_multi(
            [item.description for item in location.accessibility.all() if item.description]
        ),
    }
    if hidden:
        return cells
    order: dict[str, int] = {Location.LocationType.PHYSICAL: 0, Location.LocationType.POSTAL: 1}
    addresses = sorted(location.addresses.all(), key=lambda a: (order.get(a.address_type, 2), a.pk))
    if addresses:
        address = addresses[0]
        cells["postal_code"] = address.postal_code
        cells["address"] = format_address(
            address.state_province,
            address.region,
            address.city,
            address.address_1,
            address.address_2,
        )
    cells["latitude"] = location.latitude
    cells["longitude"] = location.longitude
    cells["transportation"] = location.transportation
    return cells


def _name_organizations(rows: list[dict[str, Any]], services: list[Service]) -> None:
    """An organisation whose name another shares is written by its id."""
    counts = Counter(Organization.objects.values_list("name", flat=True))
    for row, service in zip(rows, services, strict=True):
        if counts[service.organization.name] > 1:
            row["organization"] = str(service.organization.uuid)


# -- files -----------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.normalize() else str(value)
    return value


def dump_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    """UTF-8 with a BOM and CRLF line ends, as Excel opens it without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.header for column in COLUMNS])
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = _plain(row.get(column.key))
            cells.append(neutralise_formula(value) if isinstance(value, str) else value)
        writer.writerow(cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def dump_xlsx(rows: Iterable[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SERVICE_SHEET
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(column.key, 16)
        if column.key in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "B2"
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(COLUMNS, start=1):
            value = row.get(column.key)
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=index)
            if isinstance(value, Decimal):
                cell.value = float(value)
            elif isinstance(value, int):
                cell.value = value
            else:
                # Always text: a cell starting with "=" must not become a formula.
                cell.value = str(value)
                cell.data_type = "s"
                cell.quotePrefix = str(value).startswith(("=", "+", "-", "@"))
                cell.alignment = Alignment(vertical="top", wrap_text="\n" in str(value))
    _help_sheet(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def help_lines() -> list[list[str]]:
    """The 説明 sheet: one line per column (header, meaning, how to write it, example)."""
    lines = [[_("Column"), _("Meaning"), _("How to write it"), _("Example")]]
    for column in COLUMNS:
        how = f"{column.format} {MULTI}" if column.multi else str(column.format)
        if column.required:
            how = _("Required.") + " " + how
        lines.append([column.header, str(column.meaning), how, column.example])
    return lines


def _help_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(HELP_SHEET)
    sheet.cell(row=1, column=1, value=_("Directory import template")).font = Font(
        bold=True, size=14
    )
    intro = [
        _(
            "One row per service, on the sheet 「%(sheet)s」. Only サービス名 and 運営団体 are required."
        )
        % {"sheet": SERVICE_SHEET},
        _(
            "A column you leave out leaves that information as it is; an empty cell clears it (empty place cells keep the place)."
        ),
        _("Keep the ID column when you edit an export, so that the rows update the same services."),
        _("Check first with: tsunagu import_directory FILE --dry-run"),
    ]
    for offset, text in enumerate(intro, start=2):
        sheet.cell(row=offset, column=1, value=text)
    start = len(intro) + 3
    for row_offset, line in enumerate(help_lines()):
        for column_index, text in enumerate(line, start=1):
            cell = sheet.cell(row=start + row_offset, column=column_index, value=text)
            cell.data_type = "s"
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if row_offset == 0:
                cell.font = HEADER_FONT
                cell.fill = HEADER_FILL
    for letter, width in zip("ABCD", (22, 48, 60, 36), strict=True):
        sheet.column_dimensions[letter].width = width
