"""The directory's staff pages: permissions, the editor, verification, status, history,
the list with its filters and export, and their query counts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tsunagu.core.models import Area, AuditEvent
from tsunagu.directory import policies
from tsunagu.directory.forms import ServiceEditor
from tsunagu.directory.models import (
    Location,
    Phone,
    Schedule,
    Service,
    ServiceStatus,
    TargetGroup,
    TaxonomyTerm,
)

from . import factories, staff_world

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "directory_editor",
    "council_staff",
    "officer_disability",  # staff of the division that provides division_service
    "officer_other",  # staff of a division with no service in the directory
    "plain_staff",
    "administrator",
]


@pytest.fixture
def council_staff(db: None) -> Any:
    return staff_world.council_staff()


@pytest.fixture
def plain_staff(db: None) -> Any:
    return staff_world.plain_staff()


@pytest.fixture
def world() -> dict[str, Any]:
    return staff_world.make_world()


def client_for(persona: str, request: pytest.FixtureRequest) -> Client:
    client = Client()
    user = request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    return client


def statuses(**overrides: int) -> dict[str, int]:
    """Every signed-in persona gets ``200`` unless overridden; anonymous goes to login."""
    base = {persona: 200 for persona in PERSONAS}
    base["anonymous"] = 302
    base.update(overrides)
    return base


def edit_statuses(owner: str | None, ok: int = 200) -> dict[str, int]:
    """Managers and ``owner`` get ``ok``; everyone else signed in gets 404."""
    result = {persona: 404 for persona in PERSONAS}
    result.update({"anonymous": 302, "directory_editor": ok, "administrator": ok})
    if owner:
        result[owner] = ok
    return result


# -- the permission matrix ---------------------------------------------------------------------
def get_cases(w: dict[str, Any]) -> list[tuple[str, str, dict[str, int]]]:
    council, division, npo = (
        w[k].uuid for k in ("council_service", "division_service", "npo_service")
    )
    return [
        ("list", reverse("directory:staff_list"), statuses()),
        ("list_keyword", reverse("directory:staff_list") + "?q=食堂&sort=-verified", statuses()),
        ("export", reverse("directory:staff_export") + "?status=active", statuses()),
        ("needs_checking", reverse("directory:staff_needs_checking"), statuses()),
        (
            "create",
            reverse("directory:staff_create"),
            statuses(officer_other=404, plain_staff=404),
        ),
        ("detail_council", reverse("directory:staff_detail", args=[council]), statuses()),
        ("detail_npo", reverse("directory:staff_detail", args=[npo]), statuses()),
        (
            "edit_council",
            reverse("directory:staff_edit", args=[council]),
            edit_statuses("council_staff"),
        ),
        (
            "edit_division",
            reverse("directory:staff_edit", args=[division]),
            edit_statuses("officer_disability"),
        ),
        ("edit_npo", reverse("directory:staff_edit", args=[npo]), edit_statuses(None)),
        (
            "unknown_service",
            reverse("directory:staff_detail", args=["00000000-0000-0000-0000-000000000000"]),
            statuses(**{p: 404 for p in PERSONAS if p != "anonymous"}),
        ),
        ("import", reverse("directory:staff_import"), edit_statuses(None)),
        ("home", reverse("core:home"), statuses()),
    ]


def post_cases(w: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, int]]]:
    council, division, npo = (
        w[k].uuid for k in ("council_service", "division_service", "npo_service")
    )
    return [
        (
            "verify_council",
            reverse("directory:staff_verify", args=[council]),
            {},
            edit_statuses("council_staff", ok=302),
        ),
        (
            "verify_division",
            reverse("directory:staff_verify", args=[division]),
            {},
            edit_statuses("officer_disability", ok=302),
        ),
        (
            "close_npo",
            reverse("directory:staff_status", args=[npo]),
            {"status": ServiceStatus.TEMPORARILY_CLOSED, "reason": "改修工事のため"},
            edit_statuses(None, ok=302),
        ),
        (
            "close_division",
            reverse("directory:staff_status", args=[division]),
            {"status": ServiceStatus.INACTIVE, "reason": "事業終了"},
            edit_statuses("officer_disability", ok=302),
        ),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_every_page_with_the_expected_status(
    persona: str, world: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    client = client_for(persona, request)
    cases = get_cases(world)
    results = {name: client.get(url).status_code for name, url, _expected in cases}
    assert results == {name: expected[persona] for name, _url, expected in cases}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_every_write_with_the_expected_status(
    persona: str, world: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    cases = post_cases(world)
    results = {}
    for name, url, data, _expected in cases:
        client = client_for(persona, request)
        results[name] = client.post(url, data).status_code
    assert results == {name: expected[persona] for name, _url, _data, expected in cases}


def test_it_refuses_get_on_the_write_actions(world: dict[str, Any], administrator: Any) -> None:
    client = Client()
    client.force_login(administrator)
    uuid = world["npo_service"].uuid
    assert client.get(reverse("directory:staff_verify", args=[uuid])).status_code == 405
    assert client.get(reverse("directory:staff_status", args=[uuid])).status_code == 405


def test_it_requires_a_csrf_token_on_writes(world: dict[str, Any], administrator: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    response = client.post(reverse("directory:staff_verify", args=[world["npo_service"].uuid]))
    assert response.status_code == 403
    world["npo_service"].refresh_from_db()
    assert world["npo_service"].last_verified_at is None


def test_it_leaves_a_foreign_service_untouched_after_a_refused_edit(
    world: dict[str, Any], council_staff: Any, client: Client
) -> None:
    client.force_login(council_staff)
    service = world["division_service"]
    response = client.post(
        reverse("directory:staff_edit", args=[service.uuid]), {"name": "乗っ取り"}
    )
    assert response.status_code == 404
    service.refresh_from_db()
    assert service.name == "障害者相談支援"
    assert not AuditEvent.objects.filter(action__startswith="directory.").exists()


# -- the editor ----------------------------------------------------------------------------------
def post_data(editor: ServiceEditor) -> dict[str, Any]:
    """What the browser would send for the editor as it is shown."""
    data: dict[str, Any] = {}
    all_forms: list[forms.BaseForm] = [editor.form, editor.translation]
    for formset in editor.formsets.values():
        all_forms.append(formset.management_form)
        all_forms.extend(formset.forms)
    for form in all_forms:
        for field in form:
            value = field.value()
            if field.field.disabled or value is None:
                continue
            if isinstance(field.field.widget, forms.CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[field.html_name] = str(getattr(value, "pk", value))
    return data


def editor_for(user: Any, service: Service | None = None) -> ServiceEditor:
    return ServiceEditor(
        None, service=service, organizations=policies.editable_organizations(user), plan=None
    )


def rows(prefix: str, *items: dict[str, Any], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.fixture
def kamakura_areas() -> dict[str, Area]:
    city = Area.objects.create(kind=Area.Kind.CITY, code="kamakura", name="鎌倉市")
    ofuna = Area.objects.create(
        kind=Area.Kind.REGION, code="region-ofuna", name="大船", parent=city
    )
    kamakura = Area.objects.create(
        kind=Area.Kind.REGION, code="region-kamakura", name="鎌倉", parent=city
    )
    district = Area.objects.create(
        kind=Area.Kind.WELFARE_COMMISSIONER_DISTRICT,
        code="district-07",
        name="第7地区",
        parent=ofuna,
    )
    return {"city": city, "ofuna": ofuna, "kamakura": kamakura, "district": district}


def new_service_data(world: dict[str, Any], areas: dict[str, Area]) -> dict[str, Any]:
    elderly = TargetGroup.objects.get(code="elderly")
    carers = TargetGroup.objects.get(code="carers")
    term = TaxonomyTerm.objects.get(code="elderly.support-centres")
    return {
        "organization": str(world["council_provider"].pk),
        "name": "大船地域包括支援センター",
        "name_kana": "おおふなちいきほうかつしえんせんたー",
        "description": "高齢者の総合相談窓口です。",
        "url": "www.example.jp/ofuna",
        "minimum_age": "６５",
        "eligibility_description": "大船地域にお住まいの65歳以上の方と家族",
        "target_groups": [str(elderly.pk), str(carers.pk)],
        "taxonomy_terms": [str(term.pk)],
        "areas": [str(areas["ofuna"].pk)],
        "en-name": "Ofuna Community General Support Centre",
        **rows(
            "locations",
            {
                "name": "大船支所",
                "location_type": "physical",
                "area": str(areas["ofuna"].pk),
                "postal_code": "２４７００５６",
                "state_province": "神奈川県",
                "city": "鎌倉市",
                "address_1": "大船2-1-26",
                "transportation": "大船駅東口から徒歩7分",
            },
            {
                "name": "一時避難所",
                "location_type": "physical",
                "is_sensitive": "on",
                "state_province": "神奈川県",
                "city": "鎌倉市",
                "address_1": "秘密町1-1",
            },
        ),
        **rows("phones", {"number": "０４６７－４７－００００", "type": "voice"}),
        **rows(
            "schedules",
            {
                "freq": "WEEKLY",
                "interval": "1",
                "byday": "月〜金",
                "opens_at": "８：３０",
                "closes_at": "17:15",
                "closed_on_holidays": "on",
            },
        ),
        **rows("cost_options", {"option": "相談", "amount": "0"}),
        **rows("required_documents", {"document": "介護保険被保険者証"}),
    }


def test_it_creates_a_service_with_every_child_and_audits_it(
    world: dict[str, Any], kamakura_areas: dict[str, Area], council_staff: Any, client: Client
) -> None:
    client.force_login(council_staff)
    data = new_service_data(world, kamakura_areas)
    data["mark_verified"] = "on"

    response = client.post(reverse("directory:staff_create"), data)

    service = Service.objects.get(name="大船地域包括支援センター")
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:staff_detail", args=[service.uuid])
    assert service.organization == world["council_provider"]
    assert service.minimum_age == 65
    assert service.url == "https://www.example.jp/ofuna"
    assert service.created_by == council_staff
    assert {g.code for g in service.target_groups.all()} == {"elderly", "carers"}
    assert [t.code for t in service.taxonomy_terms.all()] == ["elderly.support-centres"]
    assert [row.area for row in service.service_areas.all()] == [kamakura_areas["ofuna"]]
    assert service.translations.get(language="en").name == "Ofuna Community General Support Centre"
    office, shelter = (link.location for link in service.service_at_locations.order_by("pk"))
    assert office.organization == world["council_provider"]
    assert office.addresses.get().formatted() == "〒247-0056 神奈川県鎌倉市大船2-1-26"
    assert shelter.is_sensitive
    assert service.phones.get().number == "0467-47-0000"
    schedule = service.schedules.get()
    assert (schedule.byday, schedule.opens_at) == ("MO,TU,WE,TH,FR", dt.time(8, 30))
    assert service.cost_options.get().option == "相談"
    assert service.required_documents.get().document == "介護保険被保険者証"
    assert service.last_verified_at is not None and service.verified_by == council_staff

    created, verified = AuditEvent.objects.filter(object_id=str(service.pk)).order_by("at")
    assert (created.action, verified.action) == (
        "directory.service.created",
        "directory.service.verified",
    )
    assert created.actor == council_staff
    assert created.data["changes"]["name"] == [None, "大船地域包括支援センター"]
    assert created.data["changes"]["phones"] == [None, ["0467-47-0000 voice"]]
    assert created.data["changes"]["confidential_addresses"] == [
        None,
        ["一時避難所: 神奈川県鎌倉市秘密町1-1"],
    ]
    assert "秘密町" not in str(created.data["changes"]["locations"])
    # The new service is searchable at once.
    listed = client.get(reverse("directory:staff_list") + "?q=包括支援")
    assert "大船地域包括支援センター" in listed.content.decode()


def test_it_keeps_every_typed_value_and_names_the_field_when_hours_close_before_opening(
    world: dict[str, Any], kamakura_areas: dict[str, Area], council_staff: Any, client: Client
) -> None:
    client.force_login(council_staff)
    data = new_service_data(world, kamakura_areas)
    data["schedules-0-opens_at"] = "17:00"
    data["schedules-0-closes_at"] = "09:00"
    data["maximum_age"] = "18"  # below the minimum age of 65
    data["locations-0-postal_code"] = "24-70056"

    response = client.post(reverse("directory:staff_create"), data)

    assert response.status_code == 200
    assert not Service.objects.filter(name="大船地域包括支援センター").exists()
    assert not AuditEvent.objects.exists()
    editor = response.context["editor"]
    schedule_errors = editor.formsets["schedules"].forms[0].errors
    assert "Closing time must be after opening time" in schedule_errors["closes_at"][0]
    assert "maximum_age" in editor.form.errors
    assert "postal_code" in editor.formsets["locations"].forms[0].errors
    html = response.content.decode()
    assert "The service was not saved" in html
    # The summary links to each place that needs attention.
    assert 'href="#schedules-0"' in html and 'href="#id_maximum_age"' in html
    for typed in (
        "大船地域包括支援センター",
        "Ofuna Community General Support Centre",
        "大船駅東口から徒歩7分",
        "秘密町1-1",
        "介護保険被保険者証",
        'value="24-70056"',
        'value="17:00"',
    ):
        assert typed in html, typed


def test_it_names_each_problem_of_a_place_and_its_hours(
    world: dict[str, Any], kamakura_areas: dict[str, Area], council_staff: Any, client: Client
) -> None:
    client.force_login(council_staff)
    data = new_service_data(world, kamakura_areas)
    del data["locations-0-city"]
    data["schedules-0-byday"] = "2WE"  # an ordinal needs a monthly rule
    data["schedules-0-opens_at"] = "9時"
    data["cost_options-0-valid_from"] = "2025-04-01"
    data["cost_options-0-valid_to"] = "2024-03-31"

    editor = client.post(reverse("directory:staff_create"), data).context["editor"]

    assert "city" in editor.formsets["locations"].forms[0].errors
    schedule_errors = editor.formsets["schedules"].forms[0].errors
    assert "monthly" in schedule_errors["byday"][0]
    assert "opens_at" in schedule_errors
    assert "valid_to" in editor.formsets["cost_options"].forms[0].errors


def test_it_refuses_an_organisation_outside_the_users_scope(
    world: dict[str, Any], kamakura_areas: dict[str, Area], council_staff: Any, client: Client
) -> None:
    client.force_login(council_staff)
    data = new_service_data(world, kamakura_areas)
    data["organization"] = str(world["division_provider"].pk)

    response = client.post(reverse("directory:staff_create"), data)

    assert response.status_code == 200
    assert "organization" in response.context["editor"].form.errors
    assert not Service.objects.filter(name="大船地域包括支援センター").exists()


def test_it_links_plan_initiatives_by_their_numbers(
    world: dict[str, Any], kamakura_plan: Any, directory_editor: Any, client: Client
) -> None:
    client.force_login(directory_editor)
    service = world["npo_service"]
    url = reverse("directory:staff_edit", args=[service.uuid])
    data = post_data(client.get(url).context["editor"])

    data["initiatives"] = "１－２－１－１、 9-9-9-9"
    refused = client.post(url, data)
    assert "9-9-9-9" in refused.context["editor"].form.errors["initiatives"][0]
    assert "１－２－１－１、 9-9-9-9" in refused.content.decode()

    data["initiatives"] = "１－２－１－１、5-1-1-1"
    assert client.post(url, data).status_code == 302
    assert sorted(i.code for i in service.initiatives.all()) == ["1-2-1-1", "5-1-1-1"]
    event = AuditEvent.objects.get(action="directory.service.updated")
    assert event.data["changes"] == {"initiatives": [[], ["1-2-1-1", "5-1-1-1"]]}


def test_it_updates_children_in_place_and_audits_only_what_changed(
    world: dict[str, Any], directory_editor: Any, client: Client
) -> None:
    service = world["npo_service"]
    kept = factories.PhoneFactory(service=service, number="0467-22-1111")
    factories.PhoneFactory(service=service, number="0467-22-2222")
    factories.ScheduleFactory(service=service)
    client.force_login(directory_editor)
    url = reverse("directory:staff_edit", args=[service.uuid])
    data = post_data(client.get(url).context["editor"])
    assert data["phones-0-key"] == str(kept.uuid)

    data["name"] = "かまくらこども食堂"
    data["phones-0-description"] = "平日のみ"
    data["phones-1-DELETE"] = "on"
    data["schedules-0-closes_at"] = "15:00"
    data["schedules-1-byday"] = "土"
    data["schedules-1-opens_at"] = "10:00"
    data["schedules-1-closes_at"] = "12:00"

    response = client.post(url, data)

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "かまくらこども食堂"
    assert list(Phone.objects.filter(service=service)) == [kept]  # the same row, updated
    kept.refresh_from_db()
    assert kept.description == "平日のみ"
    assert [s.closes_at for s in Schedule.objects.filter(service=service).order_by("pk")] == [
        dt.time(15),
        dt.time(12),
    ]
    event = AuditEvent.objects.get(action="directory.service.updated")
    assert event.actor == directory_editor
    changes = event.data["changes"]
    assert set(changes) == {"name", "phones", "schedules"}
    assert changes["name"] == ["こども食堂", "かまくらこども食堂"]
    assert changes["phones"][1] == ["0467-22-1111 voice 平日のみ"]
    assert len(changes["schedules"][1]) == 2


def test_it_writes_no_event_when_nothing_changed(
    world: dict[str, Any], directory_editor: Any, client: Client
) -> None:
    service = world["npo_service"]
    factories.PhoneFactory(service=service)
    client.force_login(directory_editor)
    url = reverse("directory:staff_edit", args=[service.uuid])
    data = post_data(client.get(url).context["editor"])

    assert client.post(url, data).status_code == 302
    assert not AuditEvent.objects.filter(action="directory.service.updated").exists()


def test_it_removes_a_place_only_this_service_used(
    world: dict[str, Any], directory_editor: Any, client: Client
) -> None:
    service, other = world["npo_service"], world["council_service"]
    own = factories.ServiceAtLocationFactory(service=service).location
    shared = factories.ServiceAtLocationFactory(service=service).location
    factories.ServiceAtLocationFactory(service=other, location=shared)
    client.force_login(directory_editor)
    url = reverse("directory:staff_edit", args=[service.uuid])
    data = post_data(client.get(url).context["editor"])
    data["locations-0-DELETE"] = "on"
    data["locations-1-DELETE"] = "on"

    assert client.post(url, data).status_code == 302
    assert not service.service_at_locations.exists()
    assert not Location.objects.filter(pk=own.pk).exists()
    assert Location.objects.filter(pk=shared.pk).exists()
    assert other.service_at_locations.get().location == shared


# -- reading a service and its history -----------------------------------------------------------
def test_it_shows_history_with_diffs_but_hides_confidential_addresses_from_readers(
    world: dict[str, Any], kamakura_areas: dict[str, Area], council_staff: Any, plain_staff: Any
) -> None:
    editor_client, reader = Client(), Client()
    editor_client.force_login(council_staff)
    reader.force_login(plain_staff)
    editor_client.post(reverse("directory:staff_create"), new_service_data(world, kamakura_areas))
    service = Service.objects.get(name="大船地域包括支援センター")
    url = reverse("directory:staff_detail", args=[service.uuid])

    as_editor = editor_client.get(url).content.decode()
    as_reader = reader.get(url).content.decode()

    assert "秘密町1-1" in as_editor
    assert "秘密町1-1" not in as_reader
    assert "大船2-1-26" in as_reader  # the public address is not hidden
    assert "Service created" in as_reader or "作成" in as_reader
    assert "changed (confidential)" in as_reader or "非公開" in as_reader
    assert 'action="' + reverse("directory:staff_verify", args=[service.uuid]) not in as_reader
    assert reverse("directory:staff_edit", args=[service.uuid]) in as_editor


# -- verification ------------------------------------------------------------------------------------
def test_it_walks_a_stale_service_through_verification(
    world: dict[str, Any], officer_disability: Any, client: Client
) -> None:
    service = world["division_service"]
    stale = timezone.now() - dt.timedelta(days=400)
    Service.objects.filter(pk=service.pk).update(last_verified_at=stale)
    Service.objects.exclude(pk=service.pk).update(last_verified_at=timezone.now())
    client.force_login(officer_disability)
    listing = client.get(reverse("directory:staff_needs_checking"))
    assert [row["service"] for row in listing.context["rows"]] == [service]
    assert listing.context["rows"][0]["editable"]
    home = client.get(reverse("core:home")).content.decode()
    assert "1 service you keep needs checking" in home or "1件" in home

    next_url = reverse("directory:staff_needs_checking") + "?scope=mine"
    response = client.post(
        reverse("directory:staff_verify", args=[service.uuid]), {"next": next_url}
    )

    assert response.status_code == 302 and response["Location"] == next_url
    service.refresh_from_db()
    assert service.verified_by == officer_disability
    assert service.last_verified_at is not None and service.last_verified_at > stale
    assert not service.needs_verification()
    event = AuditEvent.objects.get(action="directory.service.verified")
    assert event.data["changes"]["last_verified_at"][0] == stale.isoformat()
    assert client.get(next_url).context["rows"] == []


def test_it_ignores_a_next_address_on_another_site(
    world: dict[str, Any], administrator: Any, client: Client
) -> None:
    client.force_login(administrator)
    service = world["npo_service"]
    response = client.post(
        reverse("directory:staff_verify", args=[service.uuid]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("directory:staff_detail", args=[service.uuid])


# -- status ---------------------------------------------------------------------------------------
def test_it_asks_why_before_deactivating_and_keeps_the_choice(
    world: dict[str, Any], administrator: Any, client: Client
) -> None:
    client.force_login(administrator)
    service = world["npo_service"]
    url = reverse("directory:staff_status", args=[service.uuid])

    refused = client.post(url, {"status": ServiceStatus.INACTIVE, "reason": ""})

    assert refused.status_code == 200
    assert "reason" in refused.context["status_form"].errors
    assert 'value="inactive" selected' in refused.content.decode()
    service.refresh_from_db()
    assert service.status == ServiceStatus.ACTIVE

    assert client.post(url, {"status": "inactive", "reason": "令和7年3月で終了"}).status_code == 302
    service.refresh_from_db()
    assert service.status == ServiceStatus.INACTIVE
    event = AuditEvent.objects.get(action="directory.service.status_changed")
    assert event.data == {
        "changes": {"status": ["active", "inactive"]},
        "reason": "令和7年3月で終了",
    }

    assert client.post(url, {"status": "active"}).status_code == 302  # reopening needs no reason
    service.refresh_from_db()
    assert service.status == ServiceStatus.ACTIVE
    history = client.get(reverse("directory:staff_detail", args=[service.uuid])).context["history"]
    assert [row["event"].action for row in history] == [
        "directory.service.status_changed",
        "directory.service.status_changed",
    ]
    assert history[1]["reason"] == "令和7年3月で終了"
    status_change = history[1]["changes"][0]
    assert (status_change["old"], status_change["new"]) == (
        str(ServiceStatus.ACTIVE.label),
        str(ServiceStatus.INACTIVE.label),
    )


# -- the list --------------------------------------------------------------------------------------
def names(response: Any) -> list[str]:
    return [service.name for service in response.context["listing"].services]


def test_it_filters_the_list_by_keyword_category_area_status_and_checking(
    world: dict[str, Any], kamakura_areas: dict[str, Area], plain_staff: Any, client: Client
) -> None:
    client.force_login(plain_staff)
    term = TaxonomyTerm.objects.get(code="food.kodomo-shokudo")
    world["npo_service"].taxonomy_terms.add(term)
    factories.ServiceAreaFactory(service=world["npo_service"], area=kamakura_areas["kamakura"])
    closed = factories.ServiceFactory(
        name="閉鎖した食堂", name_kana="へいさしたしょくどう", status=ServiceStatus.INACTIVE
    )
    stale = [closed.pk, world["division_service"].pk]
    Service.objects.exclude(pk__in=stale).update(last_verified_at=timezone.now())
    url = reverse("directory:staff_list")

    assert names(client.get(url)) == [
        "こども食堂",
        "障害者相談支援",
        "閉鎖した食堂",
        "ボランティアセンター",
    ]
    assert sorted(names(client.get(url + "?q=食堂"))) == ["こども食堂", "閉鎖した食堂"]
    assert names(client.get(url + "?category=food")) == ["こども食堂"]
    # Services for the whole city serve 大船 too; こども食堂 is for 鎌倉 only.
    assert names(client.get(url + "?area=region-ofuna")) == [
        "障害者相談支援",
        "閉鎖した食堂",
        "ボランティアセンター",
    ]
    assert names(client.get(url + "?status=inactive")) == ["閉鎖した食堂"]
    checking = client.get(url + "?needs_checking=on")
    assert names(checking) == ["障害者相談支援"]  # an inactive service is not checked any more
    assert checking.context["listing"].needs_checking == 1
    assert client.get(url).context["listing"].needs_checking == 1
    bad = client.get(url + "?category=no-such-thing&q=食堂")
    assert "category" in bad.context["form"].errors
    assert sorted(names(bad)) == ["こども食堂", "閉鎖した食堂"]  # the valid filters still apply


def test_it_sorts_by_each_column_and_keeps_the_filters_in_the_links(
    world: dict[str, Any], plain_staff: Any, client: Client
) -> None:
    client.force_login(plain_staff)
    Service.objects.filter(pk=world["council_service"].pk).update(
        last_verified_at=timezone.now() - dt.timedelta(days=10)
    )
    Service.objects.filter(pk=world["npo_service"].pk).update(last_verified_at=timezone.now())
    url = reverse("directory:staff_list")

    by_name = client.get(url)
    assert names(by_name) == ["こども食堂", "障害者相談支援", "ボランティアセンター"]
    assert names(client.get(url + "?sort=-name")) == names(by_name)[::-1]
    assert names(client.get(url + "?sort=verified")) == [
        "障害者相談支援",  # never verified: most overdue first
        "ボランティアセンター",
        "こども食堂",
    ]
    assert names(client.get(url + "?sort=organization")) == [
        "こども食堂",  # えぬぴーおー…
        "ボランティアセンター",  # かまくらししゃかい…
        "障害者相談支援",  # かまくらししょうがい…
    ]
    keyword = client.get(url + "?q=相談&sort=-verified&status=active")
    # Every service here offers 相談; newest verification first, never verified last.
    assert names(keyword) == ["こども食堂", "ボランティアセンター", "障害者相談支援"]
    headers = keyword.context["headers"]
    assert headers["verified"]["state"] == "descending"
    assert "q=%E7%9B%B8%E8%AB%87" in headers["name"]["query"]
    assert "status=active" in headers["name"]["query"]
    assert 'aria-sort="descending"' in keyword.content.decode()


def test_it_paginates_and_answers_htmx_with_the_rows_only(plain_staff: Any, client: Client) -> None:
    for number in range(55):
        factories.ServiceFactory(name=f"サービス{number:02d}", name_kana=f"さーびす{number:02d}")
    client.force_login(plain_staff)
    url = reverse("directory:staff_list")

    first = client.get(url)
    second = client.get(url + "?page=2")
    fragment = client.get(url + "?page=2", headers={"HX-Request": "true"})

    assert len(names(first)) == 50 and len(names(second)) == 5
    assert first.context["listing"].total == 55
    assert "55" in first.content.decode()
    assert names(fragment) == names(second)
    assert "<html" not in fragment.content.decode()
    assert "<html" in second.content.decode()
    assert names(client.get(url + "?page=99")) == names(second)  # past the end: the last page
    garbled = client.get(url + "?page=abc&sort=nonsense")
    assert names(garbled) == names(first)  # falls back to the first page by name
    assert "Some filters could not be used" not in garbled.content.decode()


def test_it_exports_the_filtered_list_to_excel_and_audits_it(
    world: dict[str, Any], plain_staff: Any, client: Client
) -> None:
    factories.PhoneFactory(service=world["npo_service"], number="0467-00-1234")
    world["npo_service"].target_groups.add(TargetGroup.objects.get(code="children"))
    client.force_login(plain_staff)

    response = client.get(reverse("directory:staff_export") + "?q=食堂")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert len(table) == 2
    row = dict(zip(table[0], table[1], strict=True))
    assert "こども食堂" in row.values()
    assert "0467-00-1234" in row.values()
    assert str(world["npo_service"].uuid) in row.values()
    event = AuditEvent.objects.get(action="directory.services.exported")
    assert event.actor == plain_staff
    assert event.data == {"filters": {"q": "食堂"}, "count": 1, "format": "xlsx"}


# -- query counts ----------------------------------------------------------------------------------
def add_services(count: int, areas: dict[str, Area]) -> None:
    terms = list(TaxonomyTerm.objects.filter(parent__code="elderly")[:3])
    group = TargetGroup.objects.get(code="elderly")
    for number in range(count):
        service = factories.ServiceFactory(
            name=f"介護相談{number}", name_kana=f"かいごそうだん{number}"
        )
        service.taxonomy_terms.set(terms)
        service.target_groups.add(group)
        factories.ServiceAreaFactory(service=service, area=areas["ofuna"])
        factories.PhoneFactory(service=service)


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


LIST_PAGES = [
    reverse("directory:staff_list"),
    reverse("directory:staff_list") + "?q=介護&sort=verified",
    reverse("directory:staff_list") + "?category=elderly&area=region-ofuna&needs_checking=on",
    reverse("directory:staff_list") + "?sort=-organization",
    reverse("directory:staff_needs_checking"),
    reverse("directory:staff_export") + "?status=active",
]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_it_makes_a_constant_number_of_queries_for_3_or_30_services(
    url: str, kamakura_areas: dict[str, Area], council_staff: Any, client: Client
) -> None:
    client.force_login(council_staff)
    add_services(3, kamakura_areas)
    client.get(url)  # the search engine caches its synonym list once per process
    few = count_queries(client, url)
    add_services(27, kamakura_areas)
    many = count_queries(client, url)
    assert many == few
    # Every page: session, user. The list: the filter form's categories and areas;
    # counts of the services and of those needing checking; the page's ids; the
    # services with their organisations; their categories; their areas; memberships
    # and whether the user may create (the "New service" button): 12. A keyword adds
    # the search, its count and the sorting of the matches; a category its term tree
    # (2); an area the area, its children (one query per level) and the parents. The
    # export adds target groups and phones and the audit event.
    assert few <= 18, f"{url} makes {few} queries"
