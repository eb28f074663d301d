"""Exporting the directory: the template imports back unchanged, formulas are
neutralised, confidential addresses stay out unless asked for, every export is audited."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tsunagu.core.models import AuditEvent
from tsunagu.directory.exporters import EXPORTED, export_directory
from tsunagu.directory.importers import read_directory_file
from tsunagu.directory.importers.columns import HEADERS
from tsunagu.directory.loading import load_directory
from tsunagu.directory.models import Service

from .factories import OrganizationFactory, ServiceFactory
from .hsds_schemas import assert_valid
from .import_world import dump, rich_directory, wipe

pytestmark = pytest.mark.django_db


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM without asking
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_spreadsheet_export_imports_back_as_unchanged(fmt: str) -> None:
    rich_directory()
    before = dump()

    report = load_directory(read_directory_file(export_directory(fmt).content, fmt))

    assert report.errors == [], [str(error) for error in report.errors]
    assert [outcome.status for outcome in report.outcomes] == ["unchanged"] * 3
    assert dump() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_spreadsheet_export_rebuilds_the_same_spreadsheet_in_an_empty_directory(
    fmt: str,
) -> None:
    rich_directory()
    first = export_directory(fmt, include_sensitive=True).content
    wipe()

    report = load_directory(read_directory_file(first, fmt))

    assert report.errors == [], [str(error) for error in report.errors]
    assert report.counts()["created"] == 3
    second = export_directory(fmt, include_sensitive=True).content
    if fmt == "csv":
        assert second == first
    else:
        sheets = [load_workbook(io.BytesIO(data))["サービス"] for data in (first, second)]
        for before, after in zip(sheets[0].values, sheets[1].values, strict=True):
            assert dict(zip(HEADERS, before, strict=True)) == dict(zip(HEADERS, after, strict=True))


def test_the_csv_holds_what_a_person_would_type() -> None:
    rich_directory()
    rows = csv_rows(export_directory("csv").content)
    header, lines = rows[0], {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert header == HEADERS
    desk = lines["福祉総合相談窓口"]
    assert desk["電話番号"] == "0467-23-3000（内線123）、0467-23-3100"
    assert desk["FAX番号"] == "0467-23-3001"
    assert desk["受付時間"] == (
        "月-金 9:00-17:00 祝日・年末年始休み、第2水・最終金 13:30-15:30、"
        "RRULE:FREQ=WEEKLY;BYDAY=SA;INTERVAL=2;DTSTART=2025-04-05 10:00-12:00"
    )
    assert desk["対象者区分"] == "高齢者、外国人"
    assert desk["分類"] == "福祉総合相談窓口、訪問・アウトリーチ"
    assert desk["対象地域"] == "鎌倉地域、腰越地域"
    assert desk["住所"] == "神奈川県鎌倉市御成町18-10 本庁舎2階"
    assert desk["最終確認日"] == "2025-04-01"
    assert desk["サービス名（英語）"] == "One-stop welfare consultation"
    assert lines["ふれあいサロン"]["状態"] == "一時休止"


def test_formulas_are_neutralised_in_csv_and_written_as_text_in_excel() -> None:
    organization = OrganizationFactory(name="@SUM(1+1)")
    ServiceFactory(organization=organization, name="+cmd|' /C calc'!A0", description="=1+1")
    ServiceFactory(organization=organization, name="-2+3", description="-1")

    lines = csv_rows(export_directory("csv").content)[1:]
    cells = {cell for line in lines for cell in line}
    assert {"'@SUM(1+1)", "'+cmd|' /C calc'!A0", "'=1+1", "'-2+3", "-1"} <= cells

    sheet = load_workbook(io.BytesIO(export_directory("xlsx").content))["サービス"]
    written = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    formulas = [cell for cell in written if cell.data_type == "f"]
    assert formulas == []
    assert {"=1+1", "+cmd|' /C calc'!A0", "@SUM(1+1)"} <= {cell.value for cell in written}


def test_confidential_addresses_stay_out_unless_asked_for() -> None:
    world = rich_directory()
    shelter = world["shelter"]

    public = export_directory("csv").content.decode("utf-8-sig")
    hsds = export_directory("hsds").content.decode()
    assert "秘密町" not in public and "秘密町" not in hsds
    assert "女性のための一時保護施設" in public  # the place itself is named, marked 住所非公開

    staff = export_directory("csv", include_sensitive=True).content.decode("utf-8-sig")
    staff_hsds = json.loads(export_directory("hsds", include_sensitive=True).content)
    assert "秘密町1-1" in staff
    assert any(
        sal["location"]["id"] == str(shelter.uuid) and sal["location"]["addresses"]
        for service in staff_hsds
        for sal in service["service_at_locations"]
    )
    events = AuditEvent.objects.filter(action=EXPORTED)
    assert sorted(
        (e.data["format"], e.data["include_sensitive"], e.data["count"]) for e in events
    ) == [("csv", False, 3), ("csv", True, 3), ("hsds", False, 3), ("hsds", True, 3)]


def test_the_hsds_export_is_valid_hsds_and_ndjson_is_one_service_a_line() -> None:
    rich_directory()
    services = json.loads(export_directory("hsds").content)
    for service in services:
        assert_valid(service, "compiled/service.json")
    lines = export_directory("ndjson").content.decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [service["id"] for service in services]


def test_the_template_is_the_headers_and_a_guide_to_them() -> None:
    rows = csv_rows(export_directory("csv", template=True).content)
    assert rows == [HEADERS]

    workbook = load_workbook(io.BytesIO(export_directory("xlsx", template=True).content))
    assert workbook.sheetnames == ["サービス", "説明"]
    assert [cell.value for cell in workbook["サービス"][1]] == HEADERS
    guide = {row[0] for row in workbook["説明"].iter_rows(values_only=True) if row and row[0]}
    assert set(HEADERS) <= guide
    # A template is not an export of anyone's data.
    assert not AuditEvent.objects.filter(action=EXPORTED).exists()


def test_services_with_several_places_are_said_to_hold_only_the_first() -> None:
    rich_directory()
    assert export_directory("csv").notices == []
    from .factories import ServiceAtLocationFactory

    ServiceAtLocationFactory(service=Service.objects.get(name="ふれあいサロン"))
    assert "1 services are offered at more than one place" in export_directory("csv").notices[0]


def test_the_committed_templates_and_the_guide_list_every_column() -> None:
    root = Path(__file__).resolve().parents[4]
    templates = root / "data" / "templates"
    assert csv_rows((templates / "directory-template.csv").read_bytes()) == [HEADERS]
    workbook = load_workbook(templates / "directory-template.xlsx")
    assert [cell.value for cell in workbook["サービス"][1]] == HEADERS
    guide = (root / "docs" / "directory-import.md").read_text(encoding="utf-8")
    missing = [header for header in HEADERS if f"| {header} |" not in guide]
    assert missing == [], "regenerate the column table of docs/directory-import.md"
