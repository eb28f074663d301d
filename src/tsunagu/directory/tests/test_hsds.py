"""directory.hsds: records as HSDS 3.0 JSON, valid against the vendored schemas,
following docs/hsds-mapping.md for what HSDS has no field for."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagu.directory import hsds
from tsunagu.directory.models import Service, ServiceAtLocation, TargetGroup, Taxonomy

from .hsds_schemas import assert_valid
from .hsds_world import RichService, areas, plain_services, rich_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich() -> RichService:
    return rich_service()


def serialised(service: Service, **kwargs: Any) -> dict[str, Any]:
    loaded = hsds.prefetch_services().get(pk=service.pk)
    return hsds.service_to_hsds(loaded, **kwargs)


def attributes_by_taxonomy(obj: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    result: dict[str, list[dict[str, Any]]] = {}
    for attribute in obj["attributes"]:
        result.setdefault(attribute["taxonomy_term"]["taxonomy"], []).append(attribute)
    return result


def walk(value: Any) -> list[Any]:
    """Every value in a JSON tree."""
    if isinstance(value, dict):
        return [value, *(v for item in value.values() for v in walk(item))]
    if isinstance(value, list):
        return [value, *(v for item in value for v in walk(item))]
    return [value]


def test_it_gives_a_fully_nested_service_valid_against_the_compiled_schema(
    rich: RichService,
) -> None:
    data = serialised(rich.service)
    assert_valid(data, "compiled/service.json")
    assert data["id"] == str(rich.service.uuid)
    assert data["organization"]["id"] == str(rich.organization.uuid)
    assert data["organization"]["parent_organization_id"] == str(rich.organization.parent.uuid)
    assert {sal["location"]["name"] for sal in data["service_at_locations"]} == {
        "北地域福祉センター",
        "一時保護施設",
    }
    assert data["phones"][0]["extension"] == 123
    assert data["phones"][0]["languages"][0]["code"] == "en"
    assert data["contacts"][0]["phones"][0]["number"] == "0467-23-3001"
    assert data["cost_options"][0]["amount"] == 500
    # Non-ASCII in a web address is percent-encoded: HSDS says format "uri".
    assert data["required_documents"][0]["uri"] == "https://example.jp/%E6%9B%B8%E9%A1%9E"
    # The staff exchange form (with confidential addresses) is valid too.
    assert_valid(serialised(rich.service, public=False), "compiled/service.json")


def test_it_leaves_out_empty_values_instead_of_sending_null(rich: RichService) -> None:
    data = serialised(rich.service)
    assert None not in walk(data)
    assert "program_id" not in data
    assert "assurer_email" not in data  # the verifier's e-mail is staff personal data
    # A required field is sent even when empty (HSDS: address.postal_code is required).
    rich.office.addresses.update(postal_code="")
    office = next(
        sal["location"]
        for sal in serialised(rich.service)["service_at_locations"]
        if sal["location"]["name"] == "北地域福祉センター"
    )
    assert office["addresses"][0]["postal_code"] == ""


def test_it_never_sends_a_confidential_place_s_address_publicly(rich: RichService) -> None:
    data = serialised(rich.service)
    shelter = next(
        sal["location"]
        for sal in data["service_at_locations"]
        if sal["location"]["name"] == "一時保護施設"
    )
    assert shelter["addresses"] == []
    for key in ("latitude", "longitude", "transportation", "external_identifier"):
        assert key not in shelter
    text = json.dumps(data, ensure_ascii=False)
    assert "秘密" not in text
    # Its area would narrow it down: not sent either; the withheld address is explained.
    assert [a["taxonomy_term"]["code"] for a in shelter["attributes"]] == ["confidential-address"]

    staff = serialised(rich.service, public=False)
    shelter = next(
        sal["location"]
        for sal in staff["service_at_locations"]
        if sal["location"]["name"] == "一時保護施設"
    )
    assert shelter["addresses"][0]["address_1"] == "秘密町1-1"
    assert shelter["latitude"] == pytest.approx(35.319225)
    assert shelter["external_identifier"] == "秘密の番地コード"
    codes = {
        a["taxonomy_term"]["taxonomy"]: a["taxonomy_term"]["code"] for a in shelter["attributes"]
    }
    assert codes == {"tsunagu-location": "confidential-address", "tsunagu-area": "h-south"}


def test_it_sends_an_ordinary_place_in_full(rich: RichService) -> None:
    data = serialised(rich.service)
    office_sal = next(
        sal for sal in data["service_at_locations"] if sal.get("description") == "窓口"
    )
    office = office_sal["location"]
    assert office["addresses"][0]["address_1"] == "御成町18-10"
    assert office["addresses"][0]["address_2"] == "2階"
    assert office["latitude"] == pytest.approx(35.319225)
    assert office["transportation"] == "北駅から徒歩5分"
    assert office["languages"][0]["code"] == "zh"
    assert office["accessibility"][0]["url"] == "https://example.jp/access"
    assert office["contacts"][0]["name"] == "受付"
    assert len(office["schedules"]) == 1
    area = attributes_by_taxonomy(office)["tsunagu-area"][0]["taxonomy_term"]
    assert area["code"] == "h-north-1"
    assert area["parent_id"] == hsds.area_term_id("h-north")
    # The place-specific hours, phone and contact of the service there.
    assert office_sal["schedules"][0]["byday"] == "MO"
    assert office_sal["phones"][0]["number"] == "0467-23-3003"
    assert office_sal["contacts"][0]["name"] == "窓口担当"


def test_it_classifies_by_category_target_group_and_initiative(rich: RichService) -> None:
    by_taxonomy = attributes_by_taxonomy(serialised(rich.service))
    assert set(by_taxonomy) == {
        "tsunagu-welfare",
        "tsunagu-target-group",
        "tsunagu-plan-initiative",
    }
    category = by_taxonomy["tsunagu-welfare"][0]
    assert category["link_id"] == str(rich.service.uuid)
    assert category["link_entity"] == "service"
    assert category["taxonomy_term_id"] == str(rich.category.uuid)
    assert category["taxonomy_term"]["code"] == "elderly.care-insurance"
    assert category["taxonomy_term"]["parent_id"] == str(rich.category.parent.uuid)
    assert "value" not in category  # HSDS types value as a string; no value, no key
    group = by_taxonomy["tsunagu-target-group"][0]["taxonomy_term"]
    assert (group["id"], group["code"], group["name"]) == (
        str(rich.group.uuid),
        "elderly",
        "高齢者",
    )
    initiative = by_taxonomy["tsunagu-plan-initiative"][0]["taxonomy_term"]
    assert initiative["code"] == rich.initiative.code
    assert initiative["name"] == "高齢者の総合相談"
    assert initiative["taxonomy_id"] == hsds.INITIATIVE_TAXONOMY.id


def test_it_answers_in_english_where_translated_and_keeps_every_translation(
    rich: RichService,
) -> None:
    japanese = serialised(rich.service)
    english = serialised(rich.service, language="en")
    assert japanese["name"] == "高齢者総合相談"
    assert english["name"] == "General consultation for older people"
    assert english["description"] == "Advice for older residents and their families."
    # Untranslated fields fall back to the Japanese original.
    assert english["application_process"] == "電話で予約してください。"
    assert english["organization"]["name"] == "Test Welfare Council"
    group = attributes_by_taxonomy(english)["tsunagu-target-group"][0]["taxonomy_term"]
    assert group["name"] == "Older people"
    for data in (japanese, english):
        assert data["x_translations"] == {
            "en": {
                "name": "General consultation for older people",
                "description": "Advice for older residents and their families.",
            }
        }
        assert data["organization"]["x_translations"]["en"]["name"] == "Test Welfare Council"


def test_it_gives_hours_in_japan_time_with_the_holiday_flags_as_attributes(
    rich: RichService,
) -> None:
    weekdays, saturday = serialised(rich.service)["schedules"]
    assert (weekdays["opens_at"], weekdays["closes_at"]) == ("09:00+09:00", "17:00+09:00")
    assert (weekdays["freq"], weekdays["byday"], weekdays["interval"]) == (
        "WEEKLY",
        "MO,TU,WE,TH,FR",
        1,
    )
    assert weekdays["timezone"] == 9
    assert weekdays["notes"] == "祝日と年末年始は休み"
    assert sorted(a["taxonomy_term"]["code"] for a in weekdays["attributes"]) == [
        "closed-new-year",
        "closed-on-holidays",
    ]
    assert "opens_at" not in saturday
    assert [a["taxonomy_term"]["code"] for a in saturday["attributes"]] == ["open-24h"]


def test_it_names_the_service_area_by_area_with_a_tsunagu_uri(rich: RichService) -> None:
    (service_area,) = serialised(rich.service)["service_areas"]
    assert service_area["name"] == "北地域"
    assert service_area["uri"] == "tsunagu:area:h-north"
    assert "extent_type" not in service_area


def test_it_marks_demo_data_and_dates(rich: RichService) -> None:
    data = serialised(rich.service)
    (demo,) = data["metadata"]
    assert (demo["field_name"], demo["replacement_value"]) == ("is_demo", "true")
    assert data["organization"]["metadata"][0]["field_name"] == "is_demo"
    assert data["last_modified"].startswith(str(rich.service.updated_at.year))
    assert len(data["assured_date"]) == 10  # YYYY-MM-DD
    rich.service.is_demo = False
    rich.service.save()
    assert serialised(rich.service)["metadata"] == []


def test_its_ids_are_stable_across_calls(rich: RichService) -> None:
    assert serialised(rich.service) == serialised(rich.service)
    first = [a["id"] for a in serialised(rich.service)["attributes"]]
    assert len(set(first)) == len(first) == 3


def test_the_list_entry_is_the_service_s_own_fields(rich: RichService) -> None:
    loaded = hsds.prefetch_services(full=False).get(pk=rich.service.pk)
    data = hsds.service_summary_to_hsds(loaded)
    assert_valid(data, "compiled/service_list.json")
    assert "phones" not in data and "attributes" not in data
    assert data["organization"]["name"] == rich.organization.name
    rich.service.refresh_from_db()  # its phones, hours and places, added after it, touched it
    assert hsds.service_minimal_to_hsds(loaded) == {
        "id": str(rich.service.uuid),
        "last_modified": rich.service.updated_at.isoformat(),
    }


def test_organization_service_at_location_taxonomy_and_terms_are_valid(
    rich: RichService,
) -> None:
    organization = hsds.prefetch_organizations(full=True, services=Service.objects.all()).get(
        pk=rich.organization.pk
    )
    data = hsds.organization_to_hsds(
        organization, full=True, services=hsds.listed_services(organization)
    )
    assert_valid(data, "organization.json")
    assert [s["id"] for s in data["services"]] == [str(rich.service.uuid)]
    shelter = next(loc for loc in data["locations"] if loc["name"] == "一時保護施設")
    assert shelter["addresses"] == []

    sal = hsds.prefetch_service_at_locations().get(pk=rich.office_sal.pk)
    sal_data = hsds.service_at_location_to_hsds(sal)
    assert_valid(sal_data, "service_at_location.json")
    assert_valid(sal_data["location"], "location.json")
    assert_valid(sal_data["service"], "compiled/service.json")
    assert "service_at_locations" not in sal_data["service"]

    welfare = Taxonomy.objects.get(name="tsunagu-welfare")
    for taxonomy in [welfare, *hsds.BUILTIN_TAXONOMIES]:
        assert_valid(hsds.taxonomy_to_hsds(taxonomy), "taxonomy.json")
    terms: list[hsds.AnyTerm] = [
        rich.category,
        TargetGroup.objects.get(code="everyone"),
        rich.initiative,
        areas().district,
        *hsds.BUILTIN_TERMS,
    ]
    for term in terms:
        data = hsds.taxonomy_term_to_hsds(term, language="en")
        assert_valid(data, "taxonomy_term.json")
        assert data["id"] == hsds.term_id(term)


def test_a_page_of_services_costs_the_same_queries_however_long(
    django_assert_max_num_queries: Any,
) -> None:
    def count(services: list[Service]) -> int:
        with CaptureQueriesContext(connection) as context:
            loaded = hsds.prefetch_services(Service.objects.filter(pk__in=[s.pk for s in services]))
            for service in loaded:
                hsds.service_to_hsds(service)
        return len(context.captured_queries)

    few = count(plain_services(2))
    many = count(plain_services(12))
    assert few == many
    # Services with organisations, then one query per kind of nested record.
    assert many <= 40


def test_a_page_of_places_costs_the_same_queries_however_long() -> None:
    def count(sals: list[ServiceAtLocation]) -> int:
        with CaptureQueriesContext(connection) as context:
            loaded = hsds.prefetch_service_at_locations(
                ServiceAtLocation.objects.filter(pk__in=[s.pk for s in sals])
            )
            for sal in loaded:
                hsds.service_at_location_to_hsds(sal)
        return len(context.captured_queries)

    def sals(n: int) -> list[ServiceAtLocation]:
        return [s.service_at_locations.get() for s in plain_services(n)]

    assert count(sals(2)) == count(sals(8))
