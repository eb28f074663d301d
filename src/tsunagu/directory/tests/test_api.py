"""The public HSDS 3.0 API under /api/hsds/: every response valid against the vendored
HSDS schemas; filters, pagination, languages, confidential places, errors that name
the parameter, constant query counts, rate limits, and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tsunagu.directory import hsds
from tsunagu.directory.api import openapi
from tsunagu.directory.models import Schedule, Service, TargetGroup, Taxonomy, TaxonomyTerm

from .factories import (
    LanguageFactory,
    OrganizationFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceFactory,
)
from .hsds_schemas import assert_valid, assert_valid_page, load
from .hsds_world import RichService, areas, plain_services, rich_service, yesterday

pytestmark = pytest.mark.django_db
API = "/api/hsds"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Rate-limit counts live in the cache; each test starts with none."""
    cache.clear()


@pytest.fixture
def rich() -> RichService:
    return rich_service()


def get(client: Client, path: str, status: int = 200, **params: Any) -> Any:
    response = client.get(f"{API}{path}", params)
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json"
    return response.json()


def names(page: dict[str, Any]) -> list[str]:
    return [item["name"] for item in page["contents"]]


# -- the endpoints' JSON --------------------------------------------------------------------------
def test_it_describes_itself(client: Client) -> None:
    data = get(client, "/")
    assert data["version"] == "3.0"
    assert data["openapi_url"] == "http://testserver/api/schema/"
    assert data["profile"].startswith("https://")


def test_every_endpoint_answers_valid_hsds(client: Client, rich: RichService) -> None:
    service_id = str(rich.service.uuid)
    assert_valid_page(get(client, "/services"), "compiled/service_list.json")
    assert_valid_page(get(client, "/services", full="true"), "compiled/service.json")
    assert_valid(get(client, f"/services/{service_id}"), "compiled/service.json")
    assert_valid_page(get(client, "/organizations"), "organization.json")
    assert_valid_page(get(client, "/organizations", full="true"), "organization.json")
    organization = get(client, f"/organizations/{rich.organization.uuid}", full_service="true")
    assert_valid(organization, "organization.json")
    for service in organization["services"]:
        assert_valid(service, "compiled/service.json")
    assert_valid_page(get(client, "/taxonomies"), "taxonomy.json")
    assert_valid(get(client, f"/taxonomies/{hsds.TARGET_GROUP_TAXONOMY.id}"), "taxonomy.json")
    assert_valid_page(get(client, "/taxonomy_terms", per_page=100), "taxonomy_term.json")
    assert_valid(get(client, f"/taxonomy_terms/{rich.category.uuid}"), "taxonomy_term.json")
    assert_valid_page(get(client, "/service_at_locations"), "service_at_location.json")
    sal = get(client, f"/service_at_locations/{rich.office_sal.uuid}")
    assert_valid(sal, "service_at_location.json")
    assert_valid(sal["service"], "compiled/service.json")
    assert_valid(sal["location"], "location.json")


def test_the_service_endpoint_is_the_serialiser(client: Client, rich: RichService) -> None:
    data = get(client, f"/services/{rich.service.uuid}")
    loaded = hsds.prefetch_services().get(pk=rich.service.pk)
    assert data == hsds.service_to_hsds(loaded)


def test_lists_give_own_fields_and_full_or_minimal_on_request(
    client: Client, rich: RichService
) -> None:
    (entry,) = get(client, "/services")["contents"]
    assert "phones" not in entry and entry["organization"]["id"] == str(rich.organization.uuid)
    (full,) = get(client, "/services", full="true")["contents"]
    assert full["phones"] and full["service_at_locations"]
    assert get(client, "/services", full_service="true")["contents"] == [full]
    (minimal,) = get(client, "/services", minimal="true")["contents"]
    assert minimal == {"id": str(rich.service.uuid), "last_modified": minimal["last_modified"]}
    (organization,) = [
        o
        for o in get(client, "/organizations")["contents"]
        if o["id"] == str(rich.organization.uuid)
    ]
    assert "services" not in organization and "locations" not in organization
    (organization,) = [
        o
        for o in get(client, "/organizations", full="true")["contents"]
        if o["id"] == str(rich.organization.uuid)
    ]
    assert organization["services"][0]["id"] == str(rich.service.uuid)
    assert "phones" not in organization["services"][0]
    assert {loc["name"] for loc in organization["locations"]} == {
        "北地域福祉センター",
        "一時保護施設",
    }


def test_confidential_places_keep_their_address_out_of_every_endpoint(
    client: Client, rich: RichService
) -> None:
    responses = [
        client.get(f"{API}/services/{rich.service.uuid}"),
        client.get(f"{API}/services", {"full": "true"}),
        client.get(f"{API}/organizations/{rich.organization.uuid}", {"full_service": "true"}),
        client.get(f"{API}/organizations", {"full": "true"}),
        client.get(f"{API}/service_at_locations", {"full": "true"}),
        client.get(f"{API}/service_at_locations"),
        client.get(f"{API}/service_at_locations/{rich.shelter_sal.uuid}"),
    ]
    for response in responses:
        assert response.status_code == 200
        text = response.content.decode()
        assert "一時保護施設" in text
        assert "秘密" not in text  # address, access directions, identifier
    shelter = get(client, f"/service_at_locations/{rich.shelter_sal.uuid}")["location"]
    assert shelter["addresses"] == [] and "latitude" not in shelter


def test_lang_en_gives_translated_text(client: Client, rich: RichService) -> None:
    assert names(get(client, "/services")) == ["高齢者総合相談"]
    english = get(client, "/services", lang="en")
    assert names(english) == ["General consultation for older people"]
    assert english["contents"][0]["organization"]["name"] == "Test Welfare Council"
    detail = get(client, f"/services/{rich.service.uuid}", lang="en")
    assert detail["application_process"] == "電話で予約してください。"  # not translated
    term = get(client, f"/taxonomy_terms/{rich.group.uuid}", lang="en")
    assert term["name"] == "Older people"
    assert get(client, "/services", 400, lang="english!")["parameter"] == "lang"


def test_inactive_services_are_left_out_of_lists_but_found_by_id(client: Client) -> None:
    ServiceFactory(name="開いている")
    closed = ServiceFactory(name="終了した", status=Service.Status.DEFUNCT)
    ServiceFactory(name="休止中", status=Service.Status.TEMPORARILY_CLOSED)
    assert names(get(client, "/services")) == ["開いている"]
    assert get(client, f"/services/{closed.uuid}")["status"] == "defunct"


def test_unknown_ids_are_json_404s(client: Client) -> None:
    for path in [
        "/services/00000000-0000-0000-0000-000000000000",
        "/services/not-a-uuid",
        "/services/a/b",
        "/organizations/00000000-0000-0000-0000-000000000000",
        "/taxonomies/00000000-0000-0000-0000-000000000000",
        "/taxonomy_terms/00000000-0000-0000-0000-000000000000",
        "/service_at_locations/00000000-0000-0000-0000-000000000000",
        "/services/",
        "/taxonomy_terms/%0A",  # found by Schemathesis: a newline in an id
        "/services/a%0Ab",
        "/no-such-endpoint",
    ]:
        data = get(client, path, 404)
        assert data["detail"]


# -- filters --------------------------------------------------------------------------------------
def test_search_ranks_by_keyword(client: Client) -> None:
    ServiceFactory(name="介護者のつどい", description="家族の介護をしている方の集まり")
    ServiceFactory(name="子育てひろば", description="親子で遊べる場所")
    assert names(get(client, "/services", search="かいご")) == ["介護者のつどい"]
    too_long = get(client, "/services", 400, search="あ" * 201)
    assert too_long["parameter"] == "search"


def test_keyword_search_combines_with_every_filter(client: Client, rich: RichService) -> None:
    """Found by Schemathesis: a keyword with a filter that joins (language, area …) or
    with "open now" when nothing is open must not be a server error."""
    Service.objects.filter(pk=rich.service.pk).update(name="介護の相談")
    LanguageFactory(service=rich.service, code="vi")
    for params in (
        {"language": "vi"},
        {"area": "h-north"},
        {"target_group": "elderly"},
        {"taxonomy_term_id": "elderly"},
    ):
        found = get(client, "/services", search="かいご", **params)
        assert found["total_items"] == 1, params
    Schedule.objects.all().delete()  # nothing is ever open
    assert get(client, "/services", search="かいご", open_now="true")["contents"] == []
    sals = get(client, "/service_at_locations", language="vi", area="h-north")
    assert sals["total_items"] == 2
    # An empty language code is not a language code.
    assert get(client, "/services", 400, lang="")["parameter"] == "lang"
    assert get(client, "/services", 400, language="")["parameter"] == "language"


def test_taxonomy_term_filter_takes_any_kind_of_term(client: Client, rich: RichService) -> None:
    other = ServiceFactory(name="子育て相談")
    other.taxonomy_terms.add(TaxonomyTerm.objects.get(code="children"))
    other.target_groups.add(TargetGroup.objects.get(code="children"))
    by_term = {
        "category uuid": str(rich.category.uuid),
        "parent category": str(rich.category.parent.uuid),
        "category code": "elderly.care-insurance",
        "target group": str(rich.group.uuid),
        "initiative": hsds.initiative_term_id(rich.initiative.pk),
    }
    for label, term in by_term.items():
        assert names(get(client, "/services", taxonomy_term_id=term)) == ["高齢者総合相談"], label
    # An area term: services for that area, its parts and the whole city.
    assert set(names(get(client, "/services", taxonomy_term_id=hsds.area_term_id("h-north")))) == {
        "高齢者総合相談",
        "子育て相談",
    }
    assert names(get(client, "/services", taxonomy_term_id=hsds.area_term_id("h-south"))) == [
        "子育て相談"
    ]
    unknown = get(client, "/services", 400, taxonomy_term_id="00000000-0000-0000-0000-000000000000")
    assert unknown["parameter"] == "taxonomy_term_id"
    flag = get(client, "/services", 400, taxonomy_term_id=hsds.OPEN_24H.id)
    assert flag["parameter"] == "taxonomy_term_id"


def test_taxonomy_filter(client: Client, rich: RichService) -> None:
    ServiceFactory(name="分類なし")
    welfare = Taxonomy.objects.get(name="tsunagu-welfare")
    for value in (str(welfare.uuid), "tsunagu-welfare"):
        assert names(get(client, "/services", taxonomy_id=value)) == ["高齢者総合相談"]
    assert names(get(client, "/services", taxonomy_id=hsds.INITIATIVE_TAXONOMY.id)) == [
        "高齢者総合相談"
    ]
    # A term and its own taxonomy: the term; a term of another taxonomy: nothing.
    both = {"taxonomy_id": "tsunagu-welfare", "taxonomy_term_id": str(rich.category.uuid)}
    assert names(get(client, "/services", **both)) == ["高齢者総合相談"]
    both["taxonomy_id"] = hsds.TARGET_GROUP_TAXONOMY.id
    assert get(client, "/services", **both)["contents"] == []
    # Even then every other parameter is checked.
    assert get(client, "/services", 400, **both, per_page="0")["parameter"] == "per_page"
    assert get(client, "/services", 400, **both, open_now="1")["parameter"] == "open_now"
    assert get(client, "/services", 400, taxonomy_id="nothing")["parameter"] == "taxonomy_id"
    schedule_flags = get(client, "/services", 400, taxonomy_id=hsds.SCHEDULE_TAXONOMY.id)
    assert schedule_flags["parameter"] == "taxonomy_id"


def test_tsunagu_filters_area_target_group_language_open_now(
    client: Client, rich: RichService
) -> None:
    world = areas()
    everyone = ServiceFactory(name="誰でも")
    everyone.target_groups.add(TargetGroup.objects.get(code="everyone"))
    south = ServiceFactory(name="南の子育て")
    ServiceAreaFactory(service=south, area=world.south)
    south.target_groups.add(TargetGroup.objects.get(code="children"))
    LanguageFactory(service=south, code="vi", name="ベトナム語")
    # Open every day round the clock / a schedule that ended yesterday.
    ScheduleFactory(
        service=everyone,
        byday="MO,TU,WE,TH,FR,SA,SU",
        opens_at=None,
        closes_at=None,
        open_24h=True,
        closed_on_holidays=False,
    )
    ScheduleFactory(service=south, valid_from=dt.date(2020, 1, 1), valid_to=yesterday())

    assert set(names(get(client, "/services", area="h-north-1"))) == {"高齢者総合相談", "誰でも"}
    assert set(names(get(client, "/services", target_group="children"))) == {"南の子育て", "誰でも"}
    assert set(names(get(client, "/services", target_group="elderly,children"))) == {
        "高齢者総合相談",
        "南の子育て",
        "誰でも",
    }
    assert names(get(client, "/services", language="VI")) == ["南の子育て"]
    # (高齢者総合相談 keeps weekday office hours: open or not depending on when this runs.)
    open_now = names(get(client, "/services", open_now="true"))
    assert "誰でも" in open_now and "南の子育て" not in open_now
    assert len(get(client, "/services", open_now="false")["contents"]) == 3
    combined = get(client, "/services", area="h-south", target_group="children")
    assert set(names(combined)) == {"南の子育て", "誰でも"}

    for params, parameter in [
        ({"area": "nowhere"}, "area"),
        ({"target_group": "martians"}, "target_group"),
        ({"language": "日本語"}, "language"),
        ({"open_now": "yes"}, "open_now"),
        ({"organization_id": "00000000-0000-0000-0000-000000000000"}, "organization_id"),
        ({"organization_id": "nope"}, "organization_id"),
        ({"target_group": "elderly", "taxonomy_term_id": str(rich.group.uuid)}, "target_group"),
        ({"area": "h-south", "taxonomy_term_id": hsds.area_term_id("h-north")}, "area"),
    ]:
        error = get(client, "/services", 400, **params)
        assert error["parameter"] == parameter, params
        assert error["detail"]


def test_organization_and_modified_after_filters(client: Client, rich: RichService) -> None:
    other = ServiceFactory(name="別の団体の事業")
    assert names(get(client, "/services", organization_id=str(other.organization.uuid))) == [
        "別の団体の事業"
    ]
    Service.objects.filter(pk=rich.service.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=30)
    )
    week_ago = (timezone.now() - dt.timedelta(days=7)).isoformat()
    assert names(get(client, "/services", modified_after=week_ago)) == ["別の団体の事業"]
    assert len(get(client, "/services", modified_after="2000-01-01T00:00:00Z")["contents"]) == 2
    # Far ends of the calendar do not overflow.
    assert get(client, "/services", modified_after="0001-01-01T00:00:00+23:59")["total_items"] == 2
    assert get(client, "/services", modified_after="9999-12-31T23:59:59-23:59")["total_items"] == 0
    for bad in ("2025-04-01", "yesterday", "2025-02-30T00:00:00Z", "2025-04-01T00:00:00"):
        assert get(client, "/services", 400, modified_after=bad)["parameter"] == "modified_after"


def test_service_at_locations_take_the_service_filters(client: Client, rich: RichService) -> None:
    plain_services(1, name="別の事業")
    everything = get(client, "/service_at_locations")
    assert everything["total_items"] == 3
    filtered = get(client, "/service_at_locations", taxonomy_term_id=str(rich.group.uuid))
    assert {sal["id"] for sal in filtered["contents"]} == {
        str(rich.office_sal.uuid),
        str(rich.shelter_sal.uuid),
    }
    assert filtered["contents"][0]["service"]["name"] == "高齢者総合相談"
    error = get(client, "/service_at_locations", 400, area="nowhere")
    assert error["parameter"] == "area"


def test_taxonomies_and_terms_resolve_every_term_a_service_uses(
    client: Client, rich: RichService
) -> None:
    taxonomy_names = {t["name"] for t in get(client, "/taxonomies", per_page=100)["contents"]}
    assert {"tsunagu-welfare", *(t.name for t in hsds.BUILTIN_TAXONOMIES)} <= taxonomy_names
    service = get(client, f"/services/{rich.service.uuid}", full="true")
    attributes = [
        attribute
        for item in [service, *(sal["location"] for sal in service["service_at_locations"])]
        for attribute in item["attributes"]
    ] + [attribute for schedule in service["schedules"] for attribute in schedule["attributes"]]
    assert len(attributes) >= 6
    for attribute in attributes:
        term = get(client, f"/taxonomy_terms/{attribute['taxonomy_term_id']}")
        assert term == attribute["taxonomy_term"]
        taxonomy = get(client, f"/taxonomies/{term['taxonomy_id']}")
        assert taxonomy == term["taxonomy_detail"]


def test_terms_filter_by_taxonomy_parent_and_top(client: Client, rich: RichService) -> None:
    groups = get(client, "/taxonomy_terms", taxonomy_id="tsunagu-target-group", per_page=100)
    assert groups["total_items"] == TargetGroup.objects.count()
    children = get(
        client, "/taxonomy_terms", parent_id=str(rich.category.parent.uuid), per_page=100
    )
    assert "elderly.care-insurance" in {t["code"] for t in children["contents"]}
    assert all(t["parent_id"] == str(rich.category.parent.uuid) for t in children["contents"])
    top = get(
        client, "/taxonomy_terms", taxonomy_id="tsunagu-welfare", top_only="true", per_page=100
    )
    assert top["contents"] and all("parent_id" not in t for t in top["contents"])
    district = get(client, "/taxonomy_terms", parent_id=hsds.area_term_id("h-north"))
    assert [t["code"] for t in district["contents"]] == ["h-north-1"]
    found = get(client, "/taxonomy_terms", search="高齢者")
    assert "elderly" in {t["code"] for t in found["contents"]}
    assert get(client, "/taxonomy_terms", 400, taxonomy_id="nothing")["parameter"] == "taxonomy_id"
    assert get(client, "/taxonomy_terms", 400, parent_id="nothing")["parameter"] == "parent_id"


# -- pagination -----------------------------------------------------------------------------------
def test_pages_follow_the_hsds_page_object(client: Client) -> None:
    for number in range(5):
        ServiceFactory(name=f"事業{number}", name_kana=f"じぎょう{number}")
    first = get(client, "/services", per_page=2)
    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    assert names(first) == ["事業0", "事業1"]
    last = get(client, "/services", per_page=2, page=3)
    assert (names(last), last["last_page"], last["first_page"], last["size"]) == (
        ["事業4"],
        True,
        False,
        1,
    )
    beyond = get(client, "/services", per_page=2, page=9)
    assert (beyond["contents"], beyond["empty"], beyond["last_page"]) == ([], True, True)
    assert get(client, "/services", per_page=100)["size"] == 5
    nothing = get(client, "/services", search="存在しないことば")
    assert (nothing["total_items"], nothing["total_pages"], nothing["empty"]) == (0, 1, True)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=", "page"),
        ("page=1000001", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("page=1&page=2", "page"),
        ("full=1", "full"),
        ("minimal=True", "minimal"),
    ],
)
def test_bad_paging_is_a_400_naming_the_parameter(
    client: Client, query: str, parameter: str
) -> None:
    for path in (
        "/services",
        "/organizations",
        "/taxonomies",
        "/taxonomy_terms",
        "/service_at_locations",
    ):
        if parameter in ("full", "minimal") and path != "/services":
            continue
        response = client.get(f"{API}{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert response.json()["parameter"] == parameter


def test_other_lists_page_too(client: Client) -> None:
    for number in range(3):
        OrganizationFactory(name=f"団体{number}", name_kana=f"だんたい{number}")
    organizations = get(client, "/organizations", per_page=2, page=2)
    assert (names(organizations), organizations["total_items"]) == (["団体2"], 3)
    assert names(get(client, "/organizations", search="団体1")) == ["団体1"]
    terms = get(client, "/taxonomy_terms", per_page=7)
    total = terms["total_items"]
    # Paging runs across the table and tsunagu's own terms without gaps or repeats.
    seen: list[str] = []
    for page in range(1, terms["total_pages"] + 1):
        seen += [t["id"] for t in get(client, "/taxonomy_terms", per_page=7, page=page)["contents"]]
    assert len(seen) == len(set(seen)) == total


# -- query counts ---------------------------------------------------------------------------------
def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/services?per_page=100",
        "/services?per_page=100&full=true",
        "/services?per_page=100&minimal=true",
        "/services?per_page=100&search=テスト",
        "/services?per_page=100&taxonomy_term_id=elderly.care-insurance&area=h-north",
        "/organizations?per_page=100",
        "/organizations?per_page=100&full=true&full_service=true",
        "/service_at_locations?per_page=100&full=true",
    ],
)
def test_lists_make_the_same_number_of_queries_for_3_or_30_services(
    client: Client, url: str
) -> None:
    areas()
    plain_services(3)
    client.get(f"{API}{url}")  # textsearch loads its synonym table once per process
    few = count_queries(client, f"{API}{url}")
    plain_services(27)
    many = count_queries(client, f"{API}{url}")
    assert many == few, url
    # Counting, one page of ids, the page's records, then one query per kind of nested record.
    assert many <= 45, f"{url}: {many} queries"


def test_list_query_counts_in_detail(client: Client) -> None:
    plain_services(3)
    # count, page of ids, services with organisations, translations, organisation translations
    assert count_queries(client, f"{API}/services") == 5
    # count, page of ids, organisations with parents, translations
    assert count_queries(client, f"{API}/organizations") == 4


# -- HTTP behaviour -------------------------------------------------------------------------------
def test_it_limits_the_rate_per_client_with_a_429(client: Client, settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"hsds": "3/min"},
    }
    for _ in range(3):
        assert client.get(f"{API}/taxonomies").status_code == 200
    response = client.get(f"{API}/services")
    assert response.status_code == 429
    assert response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    # Another address has its own allowance.
    assert client.get(f"{API}/taxonomies", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_allowance(
    client: Client, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"hsds": "2/min"},
    }
    for number in range(2):
        response = client.get(f"{API}/taxonomies", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        assert response.status_code == 200
    response = client.get(f"{API}/taxonomies", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


def test_it_is_public_read_only_cacheable_and_open_to_other_origins(client: Client) -> None:
    response = client.get(f"{API}/services", HTTP_ORIGIN="https://example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(f"{API}/services", {}).status_code == 405
    assert csrf_client.delete(f"{API}/services").status_code == 405
    assert csrf_client.post(f"{API}/no-such-endpoint", {}).json()["detail"]


def test_the_openapi_schema_documents_the_hsds_api(client: Client) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = {path for path in schema["paths"] if path.startswith("/api/hsds/")}
    assert paths == {
        "/api/hsds/",
        "/api/hsds/services",
        "/api/hsds/services/{id}",
        "/api/hsds/organizations",
        "/api/hsds/organizations/{id}",
        "/api/hsds/taxonomies",
        "/api/hsds/taxonomies/{id}",
        "/api/hsds/taxonomy_terms",
        "/api/hsds/taxonomy_terms/{id}",
        "/api/hsds/service_at_locations",
        "/api/hsds/service_at_locations/{id}",
    }
    services = schema["paths"]["/api/hsds/services"]["get"]
    documented = {parameter["name"] for parameter in services["parameters"]}
    assert {
        "search",
        "page",
        "per_page",
        "taxonomy_term_id",
        "area",
        "open_now",
        "lang",
    } <= documented
    assert set(services["responses"]) == {"200", "400", "429"}
    assert "HsdsService" in schema["components"]["schemas"]


@pytest.mark.parametrize(("component", "schema_file"), sorted(openapi.MIRRORS.items()))
def test_the_documented_shapes_mirror_the_hsds_schemas(component: str, schema_file: str) -> None:
    """Same required fields, and every documented property has HSDS's type and format."""
    ours = openapi.COMPONENTS[component]
    theirs = load(schema_file)
    assert ours.get("required", []) == theirs.get("required", [])
    for name, prop in ours["properties"].items():
        if name in openapi.EXTENSIONS:
            continue
        assert name in theirs["properties"], f"{component}.{name} is not in {schema_file}"
        expected = theirs["properties"][name]
        if "$ref" in prop:
            assert "$ref" in expected, f"{component}.{name}"
            continue
        assert prop["type"] == expected.get("type"), f"{component}.{name}"
        assert prop.get("format") == expected.get("format"), f"{component}.{name}"
        assert prop.get("enum") == expected.get("enum"), f"{component}.{name}"
