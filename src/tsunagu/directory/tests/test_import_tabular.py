"""Importing the CSV/Excel template: what a city hall saves from Excel, read right,
and every mistake named by row and Japanese header with nothing written."""

from __future__ import annotations

import csv
import io
from typing import Any, cast

import pytest
from openpyxl import Workbook

from tsunagu.core.models import AuditEvent
from tsunagu.directory.importers import read_directory_file
from tsunagu.directory.importers.cells import MAX_CELL_CHARS
from tsunagu.directory.loading import IMPORTED, LoadReport, load_directory
from tsunagu.directory.models import (
    Address,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceTranslation,
)
from tsunagu.plans.tests.factories import InitiativeFactory

from .factories import AddressFactory, LocationFactory, ServiceAtLocationFactory, ServiceFactory
from .import_world import dump, make_areas

pytestmark = pytest.mark.django_db

FULL_ROW = {
    "サービス名": "福祉総合相談窓口",
    "サービス名（ふりがな）": "ふくしそうごうそうだんまどぐち",
    "運営団体": "鎌倉市 地域共生課",
    "状態": "実施中",
    "概要": "暮らしの困りごとを分野を問わずお聞きします。",
    "対象者区分": "高齢者、foreign_residents",
    "対象年齢（下限）": "１８",
    "分類": "福祉総合相談窓口、general.outreach",
    "必要書類": "本人確認書類（運転免許証、保険証など）、印鑑",
    "受付時間": "月-金 8:30-17:15 祝日・年末年始休み、第2水 13:30-15:30",
    "電話番号": "0467-23-3000（内線123）、0467-23-3100",
    "FAX番号": "0467-23-3001",
    "対応言語": "英語、vi、やさしい日本語",
    "対象地域": "鎌倉地域、koshigoe",
    "計画の取組": "１-１-１-１",
    "施設名": "鎌倉市役所 本庁舎",
    "郵便番号": "〒248-8686",
    "住所": "神奈川県鎌倉市御成町18-10 本庁舎2階",
    "緯度": "35.319225",
    "経度": "139.546687",
    "住所非公開": "いいえ",
    "施設の地域": "鎌倉",
    "バリアフリー": "車いす対応トイレあり",
    "サービス名（英語）": "One-stop welfare consultation",
    "最終確認日": "令和7年4月1日",
}


def csv_bytes(
    rows: list[dict[str, Any]], encoding: str = "utf-8-sig", delimiter: str = ","
) -> bytes:
    headers: list[str] = []
    for row in rows:
        headers += [header for header in row if header not in headers]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    headers: list[str] = []
    for row in rows:
        headers += [header for header in row if header not in headers]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "サービス"
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def load(content: bytes, fmt: str | None = "csv", **options: Any) -> LoadReport:
    return load_directory(read_directory_file(content, fmt), **options)


def messages(report: LoadReport) -> list[tuple[int | None, str]]:
    return [(error.row, error.field) for error in report.errors]


@pytest.fixture
def areas() -> None:
    make_areas()
    InitiativeFactory(code="1-1-1-1")


# -- a filled-in template --------------------------------------------------------------------------
def test_every_column_of_a_filled_in_template_lands_in_its_place(areas: None) -> None:
    report = load(csv_bytes([FULL_ROW]))

    assert report.errors == [], [str(e) for e in report.errors]
    assert (report.encoding, report.counts()["created"]) == ("UTF-8 (BOM)", 1)
    service = Service.objects.get()
    assert (service.name_kana, service.organization.name, service.minimum_age) == (
        "ふくしそうごうそうだんまどぐち",
        "鎌倉市 地域共生課",
        18,
    )
    assert sorted(service.target_groups.values_list("code", flat=True)) == [
        "elderly",
        "foreign_residents",
    ]
    assert sorted(service.taxonomy_terms.values_list("code", flat=True)) == [
        "general.one-stop",
        "general.outreach",
    ]
    assert list(service.initiatives.values_list("code", flat=True)) == ["1-1-1-1"]
    assert sorted(ServiceArea.objects.values_list("area__code", flat=True)) == [
        "kamakura",
        "koshigoe",
    ]
    assert list(service.required_documents.values_list("document", flat=True)) == [
        "本人確認書類（運転免許証、保険証など）",
        "印鑑",
    ]
    assert sorted(Phone.objects.values_list("number", "extension", "type")) == [
        ("0467-23-3000", 123, "voice"),
        ("0467-23-3001", None, "fax"),
        ("0467-23-3100", None, "voice"),
    ]
    assert sorted(Language.objects.values_list("code", "name")) == [
        ("en", "英語"),
        ("ja", "やさしい日本語"),
        ("vi", "ベトナム語"),
    ]
    assert [s.describe("en") for s in Schedule.objects.order_by("pk")] == [
        "Mon–Fri 8:30–17:15 (closed on public holidays and over the New Year holidays)",
        "Monthly on 2nd Wed 13:30–15:30",
    ]
    location = Location.objects.get()
    assert (location.name, location.area.code if location.area else None) == (
        "鎌倉市役所 本庁舎",
        "kamakura",
    )
    assert str(location.latitude) == "35.319225"
    address = Address.objects.get()
    assert (address.state_province, address.city, address.address_1, address.address_2) == (
        "神奈川県",
        "鎌倉市",
        "御成町18-10",
        "本庁舎2階",
    )
    assert address.postal_code == "248-8686"
    assert ServiceTranslation.objects.get().name == "One-stop welfare consultation"
    assert service.last_verified_at is not None
    assert service.last_verified_at.isoformat().startswith("2025-03-31T15:00")  # 4/1 0:00 JST


def test_it_reads_shift_jis_from_excel_and_says_so() -> None:
    row = {
        "サービス名": "ひきこもり相談",
        "運営団体": "鎌倉市 生活福祉課",
        "概要": "髙橋さん①も相談できます",
    }
    report = load(csv_bytes([row], encoding="cp932"))

    assert report.errors == []
    assert report.encoding == "Shift_JIS (CP932)"
    assert Service.objects.get().description == "髙橋さん①も相談できます"


@pytest.mark.parametrize(
    ("encoding", "delimiter", "said"),
    [("utf-8", ",", "UTF-8"), ("utf-16", "\t", "UTF-16"), ("utf-8-sig", "\t", "UTF-8 (BOM)")],
)
def test_it_reads_utf8_without_bom_and_excel_unicode_text(
    encoding: str, delimiter: str, said: str
) -> None:
    row = {"サービス名": "子ども食堂", "運営団体": "NPO法人つなぐ"}
    report = load(csv_bytes([row], encoding=encoding, delimiter=delimiter))
    assert (report.errors, report.encoding) == ([], said)
    assert Service.objects.filter(name="子ども食堂").exists()


def test_it_reads_an_excel_workbook_with_numbers_and_dates_typed_as_excel_keeps_them() -> None:
    import datetime as dt

    row = {
        "サービス名": "介護予防教室",
        "運営団体": "鎌倉市 高齢者いきいき課",
        "対象年齢（下限）": 65,
        "郵便番号": 2488686,
        "施設名": "福祉センター",
        "住所": "神奈川県鎌倉市御成町20-21",
        "最終確認日": dt.datetime(2025, 4, 1),
    }
    report = load(xlsx_bytes([row]), "xlsx")

    assert report.errors == [], [str(e) for e in report.errors]
    service = Service.objects.get()
    assert service.minimum_age == 65
    assert Address.objects.get().postal_code == "2488686"


def test_each_service_is_indexed_once_when_the_import_is_written(
    monkeypatch: pytest.MonkeyPatch, areas: None
) -> None:
    from tsunagu.textsearch import index

    calls: list[list[int]] = []
    original = index.index_objects

    def counting(entry: Any, objects: Any, **options: Any) -> int:
        if entry.kind == "directory.service":
            calls.append(sorted(obj.pk for obj in objects))
        return original(entry, objects, **options)

    monkeypatch.setattr(index, "index_objects", counting)
    second = FULL_ROW | {"サービス名": "出張相談", "ID": ""}

    report = load(csv_bytes([FULL_ROW, second]))

    assert report.errors == []
    assert calls == [sorted(Service.objects.values_list("pk", flat=True))]


# -- importing again -------------------------------------------------------------------------------
def test_importing_again_updates_by_organisation_and_name_instead_of_duplicating(
    areas: None,
) -> None:
    load(csv_bytes([FULL_ROW]))
    again = load(csv_bytes([FULL_ROW]))
    assert again.counts()["unchanged"] == 1

    changed = FULL_ROW | {"概要": "新しい説明", "電話番号": "0467-23-3000（内線123）"}
    report = load(csv_bytes([changed]))

    assert [outcome.status for outcome in report.outcomes] == ["updated"]
    assert Service.objects.count() == 1
    assert Service.objects.get().description == "新しい説明"
    # The dropped phone is gone; the fax (its own column, still given) stays.
    assert sorted(Phone.objects.values_list("number", flat=True)) == [
        "0467-23-3000",
        "0467-23-3001",
    ]


def test_a_column_left_out_leaves_the_field_alone_and_an_empty_cell_clears_it() -> None:
    service = cast(
        Service, ServiceFactory(name="配食サービス", description="お弁当を届けます", alert="休止中")
    )
    row = {
        "ID": str(service.uuid),
        "サービス名": "配食サービス",
        "運営団体": service.organization.name,
        "お知らせ": "",
    }

    report = load(csv_bytes([row]))

    assert report.errors == []
    service.refresh_from_db()
    assert (service.description, service.alert) == ("お弁当を届けます", "")


def test_empty_place_cells_keep_the_place_and_a_confidential_address_stays_hidden() -> None:
    service = cast(Service, ServiceFactory(name="一時保護の相談"))
    shelter = cast(
        Location,
        LocationFactory(name="一時保護施設", is_sensitive=True, organization=service.organization),
    )
    AddressFactory(location=shelter, address_1="秘密町1-1")
    ServiceAtLocationFactory(service=service, location=shelter)
    exported_row = {
        "ID": str(service.uuid),
        "サービス名": service.name,
        "運営団体": service.organization.name,
        "施設名": "一時保護施設",
        "住所": "",
        "住所非公開": "はい",
    }

    assert load(csv_bytes([exported_row])).errors == []
    assert Address.objects.get(location=shelter).address_1 == "秘密町1-1"

    made_public = load(csv_bytes([exported_row | {"住所非公開": "いいえ"}]))
    assert messages(made_public) == [(2, "住所非公開")]
    assert "cannot make it public" in made_public.errors[0].message
    assert Location.objects.get(pk=shelter.pk).is_sensitive


# -- mistakes --------------------------------------------------------------------------------------
def test_one_bad_row_changes_nothing_and_names_the_row_and_column(areas: None) -> None:
    load(csv_bytes([FULL_ROW]))
    before = dump()
    events = AuditEvent.objects.count()
    rows = [
        FULL_ROW | {"概要": "書き換え"},
        {
            "サービス名": "子ども食堂",
            "運営団体": "NPO法人つなぐ",
            "対象年齢（下限）": "六十五",
            "分類": "こども食堂のようなもの",
        },
        {
            "サービス名": "配食",
            "運営団体": "NPO法人つなぐ",
            "受付時間": "月-金 17:00-9:00",
            "メールアドレス": "not-an-email",
        },
    ]

    report = load(csv_bytes(rows))

    assert not report.written
    assert dump() == before
    assert AuditEvent.objects.count() == events
    assert messages(report) == [
        (3, "対象年齢（下限）"),
        (3, "分類"),
        (4, "メールアドレス"),
        (4, "受付時間"),
    ]
    assert "Unknown category 「こども食堂のようなもの」" in str(report.errors[1])
    # The model's own validator speaks for impossible hours.
    assert "Closing time must be after opening time" in report.errors[3].message
    assert str(report.errors[0]).startswith("row 3 対象年齢（下限）: ")


def test_one_bad_row_of_a_workbook_changes_nothing_either() -> None:
    rows: list[dict[str, Any]] = [
        {"サービス名": "子ども食堂", "運営団体": "NPO法人つなぐ"},
        {"サービス名": "配食", "運営団体": "NPO法人つなぐ", "電話番号": 467233000},
    ]
    report = load(xlsx_bytes(rows), "xlsx")

    assert not report.written
    assert Service.objects.count() == 0
    assert messages(report) == [(3, "電話番号")]
    assert "leading 0" in report.errors[0].message


def test_skip_invalid_writes_the_good_rows_and_lists_the_bad_ones() -> None:
    rows = [
        {"サービス名": "子ども食堂", "運営団体": "NPO法人つなぐ"},
        {"サービス名": "", "運営団体": "NPO法人つなぐ"},
        {
            "サービス名": "配食",
            "運営団体": "NPO法人つなぐ",
            "対象年齢（下限）": "70",
            "対象年齢（上限）": "60",
        },
        {"サービス名": "介護者のつどい", "運営団体": "鎌倉市社会福祉協議会"},
    ]

    report = load(csv_bytes(rows), skip_invalid=True)

    assert report.written
    assert [outcome.name for outcome in report.created] == ["子ども食堂", "介護者のつどい"]
    assert report.skipped_rows == [3, 4]
    assert messages(report) == [(3, "サービス名"), (4, "対象年齢（上限）")]
    assert "maximum age is below the minimum age" in report.errors[1].message
    assert sorted(Service.objects.values_list("name", flat=True)) == [
        "介護者のつどい",
        "子ども食堂",
    ]
    event = AuditEvent.objects.get(action=IMPORTED)
    assert event.data["counts"]["created"] == 2 and event.data["skipped_rows"] == [3, 4]


def test_references_that_do_not_exist_are_named() -> None:
    row = {
        "サービス名": "見守り",
        "運営団体": "鎌倉市",
        "対象地域": "鎌倉地域",
        "対象者区分": "宇宙人",
        "計画の取組": "9-9-9-9",
    }
    report = load(csv_bytes([row]))
    assert messages(report) == [(2, "対象者区分"), (2, "計画の取組"), (2, "対象地域")]
    assert "no areas are set up" in report.errors[2].message


def test_an_address_needs_its_prefecture_unless_the_city_is_known() -> None:
    row = {
        "サービス名": "見守り",
        "運営団体": "鎌倉市",
        "施設名": "公民館",
        "住所": "鎌倉市大船2-1-26",
    }
    report = load(csv_bytes([row]))
    assert messages(report) == [(2, "住所")]
    assert "prefecture" in report.errors[0].message

    AddressFactory(state_province="神奈川県", city="鎌倉市")
    assert load(csv_bytes([row])).errors == []
    assert Address.objects.filter(address_1="大船2-1-26", state_province="神奈川県").exists()


def test_two_organisations_of_the_same_name_must_be_told_apart_by_id() -> None:
    Organization.objects.create(name="つなぐ会")
    Organization.objects.create(name="つなぐ会")
    report = load(csv_bytes([{"サービス名": "見守り", "運営団体": "つなぐ会"}]))
    assert messages(report) == [(2, "運営団体")]
    assert "write the organisation's id" in report.errors[0].message


# -- hostile files ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "fmt", "says"),
    [
        (b"", "csv", "empty"),
        (b"\xef\xbb\xbf", "csv", "empty"),
        ("サービス名,運営団体\n".encode(), "csv", "no services"),
        (b"\x00\x9f\x92\x96\xff\xfe\xfd", "csv", "not text in UTF-8 or Shift_JIS"),
        (b"PK\x03\x04 not really a workbook", "xlsx", "not a readable .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), None, "save the file as .xlsx"),
        ('サービス名,運営団体\n"unterminated,x\n'.encode(), "csv", "cannot be read as CSV"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    content: bytes, fmt: str | None, says: str
) -> None:
    report = load(content, fmt)
    assert not report.written
    assert says in str(report.errors[0])


def test_wrong_headers_say_which_are_unknown_and_which_are_missing() -> None:
    report = load(csv_bytes([{"サービス名": "見守り", "団体": "x", "電話": "0467"}]))

    assert not report.written
    text = " ".join(str(error) for error in report.errors)
    assert "Unknown columns: 「団体」、「電話」" in text
    assert "Missing columns: 「運営団体」" in text
    assert all(error.row == 1 for error in report.errors)


def test_a_huge_cell_is_an_error_not_a_truncation() -> None:
    row = {"サービス名": "見守り", "運営団体": "つなぐ会", "概要": "あ" * (MAX_CELL_CHARS + 1)}
    report = load(csv_bytes([row]))
    assert messages(report) == [(2, "概要")]
    assert Service.objects.count() == 0


def test_a_formula_neutralised_by_an_export_is_read_back_as_text() -> None:
    row = {"サービス名": '\'=HYPERLINK("x")', "運営団体": "'@つなぐ会"}
    assert load(csv_bytes([row])).errors == []
    service = Service.objects.get()
    assert (service.name, service.organization.name) == ('=HYPERLINK("x")', "@つなぐ会")
