"""List pages and dashboards make the same number of queries however much data there is."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.plans.models import IndicatorValue, ProgressReport, Responsibility

PAGES = [
    reverse("plans:tree") + "?fy=2025",
    reverse("plans:dashboard") + "?fy=2025",
    reverse("plans:my_progress") + "?fy=2025",
    reverse("plans:not_reported") + "?fy=2025",
    reverse("plans:departments"),
    reverse("plans:guidelines"),
    reverse("plans:indicators"),
    reverse("plans:initiative", args=["4-1-5-7"]),
]


def add_reports(years: range) -> None:
    ProgressReport.objects.bulk_create(
        ProgressReport(
            initiative_id=r.initiative_id,
            organization_id=r.organization_id,
            fiscal_year=year,
            status="in_progress",
            evaluation="B",
            achievements="実施",
            state="approved",
        )
        for year in years
        for r in Responsibility.objects.all()
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, fiscal_year=year, value=year - 2000)
        for year in years
        for indicator in __import__(
            "tsunagu.plans.models", fromlist=["Indicator"]
        ).Indicator.objects.all()
    )


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_it_makes_a_constant_number_of_queries(
    url: str, kamakura_plan: Any, plan_owner_officer: Any, manager_disability: Any, client: Client
) -> None:
    client.force_login(manager_disability)
    add_reports(range(2025, 2026))
    few = count_queries(client, url)
    add_reports(range(2020, 2025))
    many = count_queries(client, url)
    assert many == few
    # Sessions, user, memberships, plan and the page's own few aggregate queries.
    assert few <= 16, f"{url} makes {few} queries"
