"""Importing HSDS 3 JSON: our own exports round-trip, the specification's examples
import, and a bad entry changes nothing and is named by entry and JSON path."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tsunagu.core.models import AuditEvent
from tsunagu.directory.exporters import export_directory
from tsunagu.directory.importers import read_directory_file
from tsunagu.directory.loading import LoadReport, load_directory
from tsunagu.directory.models import (
    Address,
    Contact,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceTranslation,
)

from .import_world import dump, rich_directory, wipe

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parent / "data" / "hsds-3.0" / "examples"


def load_json(data: Any, **options: Any) -> LoadReport:
    return load_directory(read_directory_file(json.dumps(data).encode("utf-8")), **options)


def exported(*, include_sensitive: bool = True) -> list[dict[str, Any]]:
    result = export_directory("hsds", include_sensitive=include_sensitive)
    data = json.loads(result.content)
    assert isinstance(data, list)
    return data


# -- round trip ------------------------------------------------------------------------------------
def test_it_imports_an_hsds_export_into_an_empty_directory_as_the_same_data() -> None:
    rich_directory()
    before = dump(hsds_only=True)
    export = export_directory("hsds", include_sensitive=True).content
    wipe()
    assert Service.objects.count() == 0

    report = load_directory(read_directory_file(export, name="directory.json"))

    assert report.errors == [], [str(error) for error in report.errors]
    assert report.counts()["created"] == 3
    assert dump(hsds_only=True) == before


def test_a_place_of_another_organisation_finds_it_even_when_it_comes_later_in_the_file() -> None:
    world = rich_directory()
    before = dump(hsds_only=True)
    data = list(reversed(exported()))  # the council's salon, at the city's office, first
    wipe()

    report = load_json(data)

    assert (report.errors, report.warnings) == ([], [])
    assert dump(hsds_only=True) == before
    office = Location.objects.get(uuid=world["office"].uuid)
    assert office.organization is not None and office.organization.name == "鎌倉市 地域共生課"


def test_it_finds_nothing_to_change_when_an_export_is_imported_again() -> None:
    rich_directory()
    before = dump()

    report = load_directory(read_directory_file(export_directory("ndjson").content, "ndjson"))

    assert report.errors == []
    assert report.counts() | {"warnings": 0} == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "skipped": 0,
        "errors": 0,
        "warnings": 0,
    }
    assert dump() == before


def test_a_public_export_does_not_clear_a_confidential_address_when_imported_again() -> None:
    world = rich_directory()
    before = dump()
    data = exported(include_sensitive=False)
    shelter = next(
        sal["location"]
        for service in data
        for sal in service["service_at_locations"]
        if sal["location"]["id"] == str(world["shelter"].uuid)
    )
    assert "addresses" not in shelter or shelter["addresses"] == []
    assert "latitude" not in shelter

    report = load_json(data)

    assert report.errors == []
    assert dump() == before
    assert Address.objects.filter(location=world["shelter"], address_1="秘密町1-1").exists()


def test_it_updates_what_the_file_changed_and_removes_what_it_dropped() -> None:
    world = rich_directory()
    data = exported()
    desk = next(item for item in data if item["id"] == str(world["desk"].uuid))
    desk["description"] = "新しい説明"
    desk["phones"] = [phone for phone in desk["phones"] if phone["number"] != "0467-23-3001"]
    del desk["alternate_name"]  # an empty value is left out of a full object

    report = load_json(data)

    assert report.errors == []
    assert [outcome.name for outcome in report.updated] == ["福祉総合相談窓口"]
    service = Service.objects.get(pk=world["desk"].pk)
    assert service.description == "新しい説明"
    assert service.alternate_name == ""
    assert not Phone.objects.filter(number="0467-23-3001").exists()
    # The shared phone is under the contact too: still there.
    assert Phone.objects.filter(number="0467-23-3100", contact__isnull=False).exists()


# -- the specification's examples ------------------------------------------------------------------
def test_it_imports_the_full_service_example_merging_records_that_share_an_id() -> None:
    report = load_directory(read_directory_file(EXAMPLES / "service_full.json"))

    assert report.errors == [], [str(e) for e in report.errors]
    assert report.counts()["created"] == 1
    service = Service.objects.get()
    assert service.name == "Community Counselling"
    assert service.organization.name == "Example Organization Inc."
    # One phone id appears under the organisation, the service, its contacts and the
    # place: one phone, held by all of them.
    phone = Phone.objects.get()
    assert (phone.service, phone.organization, phone.contact) == (
        service,
        service.organization,
        Contact.objects.get(),
    )
    assert Schedule.objects.count() == 1
    assert Location.objects.get().latitude is None  # 100° is off the globe: warned, dropped
    assert any("latitude" in warning.field for warning in report.warnings)
    assert any("funding" in warning.field for warning in report.warnings)


def test_it_imports_the_service_list_example_and_then_finds_it_unchanged() -> None:
    first = load_directory(read_directory_file(EXAMPLES / "service_list.json"))
    again = load_directory(read_directory_file(EXAMPLES / "service_list.json"))

    assert first.errors == [] and first.counts()["created"] == 1
    assert again.counts()["unchanged"] == 1


# -- bad files -------------------------------------------------------------------------------------
def test_one_bad_entry_changes_nothing_and_is_named_by_entry_and_json_path() -> None:
    world = rich_directory()
    data = exported()
    before = dump()
    events = AuditEvent.objects.count()
    data[0]["name"] = "書き換えた名前"
    bad = data[1]
    bad["service_at_locations"][0]["location"]["addresses"] = [
        {
            "id": "not-a-uuid",
            "address_1": "",
            "city": "鎌倉市",
            "state_province": "神奈川県",
            "postal_code": "1234",
            "country": "JP",
            "address_type": "physical",
        }
    ]
    del world

    report = load_json(data)

    assert not report.written
    assert dump() == before
    assert AuditEvent.objects.count() == events
    fields = {(error.row, error.field) for error in report.errors}
    assert (2, "$[1].service_at_locations[0].location.addresses[0].id") in fields
    assert (2, "$[1].service_at_locations[0].location.addresses[0].postal_code") in fields
    assert (2, "$[1].service_at_locations[0].location.addresses[0].address_1") in fields
    assert report.skipped_rows == [2]
    assert "entry 2" in str(report.errors[0])


def test_skip_invalid_writes_the_good_entries_and_reports_the_bad_one() -> None:
    good = json.loads((EXAMPLES / "service_full.json").read_text())
    bad = copy.deepcopy(good)
    bad["id"] = "5b4ed1b8-8a8c-4a3a-9d3c-1b9a5a1f0c11"
    bad["name"] = ""
    bad["minimum_age"] = "twelve"

    report = load_json([good, bad], skip_invalid=True)

    assert report.written
    assert [outcome.name for outcome in report.created] == ["Community Counselling"]
    assert report.skipped_rows == [2]
    assert {error.field for error in report.errors} == {"$[1].name", "$[1].minimum_age"}
    assert Service.objects.count() == 1


def test_ndjson_errors_name_the_line() -> None:
    good = json.loads((EXAMPLES / "service_full.json").read_text())
    text = json.dumps(good) + "\n\n{not json\n"

    report = load_directory(read_directory_file(text.encode(), "ndjson"))

    assert not report.written
    assert [(error.row, error.field) for error in report.errors] == [(3, "$")]
    assert str(report.errors[0]).startswith("line 3")
    assert Service.objects.count() == 0


def test_a_repeated_id_with_different_values_is_an_error() -> None:
    data = json.loads((EXAMPLES / "service_full.json").read_text())
    data["phones"][0]["number"] = "0120-000-000"  # same id as the organisation's phone

    report = load_json(data)

    assert not report.written
    assert any(
        error.field.endswith("phones[0].number") and "more than once" in error.message
        for error in report.errors
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"[1, 2", "not valid JSON"),
        (b'"a string"', "Expected a service object"),
        (b"\xff\xfe\x00", "UTF-8"),
    ],
)
def test_unreadable_json_is_refused_with_a_reason(content: bytes, message: str) -> None:
    report = load_directory(read_directory_file(content, "hsds"))
    assert not report.written
    assert message in str(report.errors[0])


def test_it_keeps_translations_and_demo_flags() -> None:
    rich_directory()
    data = exported()
    wipe()
    load_json(data)
    desk = Service.objects.get(name="福祉総合相談窓口")
    assert ServiceTranslation.objects.get(service=desk).name == "One-stop welfare consultation"
    assert Organization.objects.get(name="鎌倉市社会福祉協議会").is_demo
    assert Service.objects.get(name="ふれあいサロン").is_demo


def test_kana_readings_travel_as_x_name_kana_and_a_file_without_them_keeps_the_stored_ones() -> (
    None
):
    world = rich_directory()
    data = exported()
    desk = next(service for service in data if service["id"] == str(world["desk"].uuid))
    assert desk["x_name_kana"] == world["desk"].name_kana
    assert desk["organization"]["x_name_kana"] == world["desk"].organization.name_kana
    office = desk["service_at_locations"][0]["location"]
    assert office["x_name_kana"] == "かまくらしやくしょ ほんちょうしゃ"
    shelter = next(
        sal["location"]
        for service in data
        for sal in service["service_at_locations"]
        if sal["location"]["id"] == str(world["shelter"].uuid)
    )
    assert "x_name_kana" not in shelter  # no reading: no key (never null)
    desk["x_name_kana"] = "ふくしそうごうそうだんまどぐち"
    del office["x_name_kana"]

    report = load_json([desk])

    assert report.errors == []
    assert Service.objects.get(pk=world["desk"].pk).name_kana == "ふくしそうごうそうだんまどぐち"
    assert (
        Location.objects.get(pk=world["office"].pk).name_kana == "かまくらしやくしょ ほんちょうしゃ"
    )
