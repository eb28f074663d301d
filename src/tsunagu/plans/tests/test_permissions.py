"""The permission matrix: every plan URL × every persona → expected status.

Officers get 404, not 403, for other departments' reports, so ids cannot be probed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tsunagu.core.models import Organization
from tsunagu.core.tests import personas
from tsunagu.plans.models import Indicator, Initiative, ProgressReport

PERSONAS = [
    "anonymous",
    "officer_disability",
    "officer_other",
    "manager_disability",
    "plan_owner_officer",
    "administrator",
]
ALL_STAFF = {
    "anonymous": 302,
    "officer_disability": 200,
    "officer_other": 200,
    "manager_disability": 200,
    "plan_owner_officer": 200,
    "administrator": 200,
}


@pytest.fixture
def world(kamakura_plan: Any) -> dict[str, Any]:
    """The seed plan with one submitted report from each of two divisions for FY2025."""
    disability = Organization.objects.get(name=personas.DISABILITY_DIVISION)
    other = Organization.objects.get(name=personas.OTHER_DIVISION)
    own = ProgressReport.objects.create(
        initiative=Initiative.objects.get(code="1-1-2-3"),
        organization=disability,
        fiscal_year=2025,
        status="in_progress",
        evaluation="B",
        achievements="相談支援ネットワーク会議を4回開催",
        state="submitted",
    )
    foreign = ProgressReport.objects.create(
        initiative=Initiative.objects.get(code="1-1-2-2"),
        organization=other,
        fiscal_year=2025,
        status="in_progress",
        evaluation="B",
        achievements="地域包括支援センター連絡会を開催",
        state="submitted",
    )
    return {
        "plan": kamakura_plan,
        "disability": disability,
        "other": other,
        "own_report": own,
        "foreign_report": foreign,
        "indicator": Indicator.objects.filter(plan=kamakura_plan).first(),
    }


def get_cases(w: dict[str, Any]) -> list[tuple[str, str, dict[str, int]]]:
    d, o = w["disability"].pk, w["other"].pk
    own_edit = reverse("plans:progress_edit", args=[2025, "1-1-2-3", d])
    foreign_edit = reverse("plans:progress_edit", args=[2025, "1-1-2-2", o])
    return [
        ("tree", reverse("plans:tree"), ALL_STAFF),
        ("initiative", reverse("plans:initiative", args=["1-1-2-3"]), ALL_STAFF),
        ("departments", reverse("plans:departments"), ALL_STAFF),
        ("department", reverse("plans:department", args=[d]), ALL_STAFF),
        ("guidelines", reverse("plans:guidelines"), ALL_STAFF),
        ("guideline", reverse("plans:guideline", args=["⑤イ"]), ALL_STAFF),
        ("search", reverse("plans:search") + "?q=相談", ALL_STAFF),
        ("my_progress", reverse("plans:my_progress") + "?fy=2025", ALL_STAFF),
        ("not_reported", reverse("plans:not_reported") + "?fy=2025", ALL_STAFF),
        ("dashboard", reverse("plans:dashboard") + "?fy=2025", ALL_STAFF),
        ("indicators", reverse("plans:indicators"), ALL_STAFF),
        ("indicator", reverse("plans:indicator_detail", args=[w["indicator"].pk]), ALL_STAFF),
        ("reports", reverse("plans:reports") + "?fy=2025", ALL_STAFF),
        ("committee_xlsx", reverse("plans:committee_report", args=[2025, "xlsx"]), ALL_STAFF),
        (
            "own_progress_edit",
            own_edit,
            {
                "anonymous": 302,
                "officer_disability": 200,
                "officer_other": 404,
                "manager_disability": 200,
                "plan_owner_officer": 404,
                "administrator": 200,
            },
        ),
        (
            "foreign_progress_edit",
            foreign_edit,
            {
                "anonymous": 302,
                "officer_disability": 404,
                "officer_other": 200,
                "manager_disability": 404,
                "plan_owner_officer": 404,
                "administrator": 200,
            },
        ),
        (
            "department_sheet",
            reverse("plans:department_report", args=[2025, d]),
            {
                "anonymous": 302,
                "officer_disability": 200,
                "officer_other": 404,
                "manager_disability": 200,
                "plan_owner_officer": 200,
                "administrator": 200,
            },
        ),
        ("home", reverse("core:home"), ALL_STAFF),
        (
            "admin",
            "/admin/",
            {
                "anonymous": 302,
                "officer_disability": 302,
                "officer_other": 302,
                "manager_disability": 302,
                "plan_owner_officer": 302,
                "administrator": 200,
            },
        ),
    ]


def post_cases(w: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, int]]]:
    return [
        (
            "approve_own",
            reverse("plans:progress_review", args=[w["own_report"].pk]),
            {"decision": "approve"},
            {
                "anonymous": 302,
                "officer_disability": 404,
                "officer_other": 404,
                "manager_disability": 302,
                "plan_owner_officer": 404,
                "administrator": 302,
            },
        ),
        (
            "record_indicator",
            reverse("plans:indicator_detail", args=[w["indicator"].pk]),
            {
                "record_value": "1",
                "fiscal_year": "2024",
                "value": "42.5",
                "source": "市民意識調査",
                "note": "",
            },
            {
                "anonymous": 302,
                "officer_disability": 404,
                "officer_other": 404,
                "manager_disability": 404,
                "plan_owner_officer": 302,
                "administrator": 302,
            },
        ),
        (
            "edit_foreign",
            reverse("plans:progress_edit", args=[2025, "1-1-2-2", w["other"].pk]),
            {
                "status": "completed",
                "evaluation": "A",
                "achievements": "x",
                "issues": "",
                "next_steps": "",
                "save": "1",
            },
            {
                "anonymous": 302,
                "officer_disability": 404,
                "officer_other": 403,
                "manager_disability": 404,
                "plan_owner_officer": 404,
                "administrator": 403,
            },
        ),
    ]


def client_for(persona: str, request: pytest.FixtureRequest) -> Client:
    client = Client()
    user = request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_every_page_with_the_expected_status(
    persona: str, world: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    client = client_for(persona, request)
    results = {name: client.get(url).status_code for name, url, _expected in get_cases(world)}
    expected = {name: statuses[persona] for name, _url, statuses in get_cases(world)}
    assert results == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_every_write_with_the_expected_status(
    persona: str, world: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    results = {}
    for name, url, data, statuses in post_cases(world):
        client = client_for(persona, request)
        results[name] = (client.post(url, data).status_code, statuses[persona])
    assert {name: got for name, (got, _want) in results.items()} == {
        name: want for name, (_got, want) in results.items()
    }


def test_it_leaves_a_foreign_report_untouched_after_a_refused_write(
    world: dict[str, Any], officer_disability: Any, client: Client
) -> None:
    client.force_login(officer_disability)
    url = reverse("plans:progress_edit", args=[2025, "1-1-2-2", world["other"].pk])
    client.post(
        url, {"status": "completed", "evaluation": "A", "achievements": "書き換え", "save": "1"}
    )
    world["foreign_report"].refresh_from_db()
    assert world["foreign_report"].achievements == "地域包括支援センター連絡会を開催"


def test_it_hides_an_unknown_fiscal_year_behind_404(
    world: dict[str, Any], officer_disability: Any, client: Client
) -> None:
    client.force_login(officer_disability)
    url = reverse("plans:progress_edit", args=[1999, "1-1-2-3", world["disability"].pk])
    assert client.get(url).status_code == 404


def test_it_shows_drafts_only_to_their_own_department(
    world: dict[str, Any], officer_other: Any, officer_disability: Any
) -> None:
    url = reverse("plans:initiative", args=["1-1-2-3"])
    other, own = Client(), Client()
    other.force_login(officer_other)
    own.force_login(officer_disability)
    assert "相談支援ネットワーク会議" not in other.get(url).content.decode()
    assert "相談支援ネットワーク会議" in own.get(url).content.decode()
