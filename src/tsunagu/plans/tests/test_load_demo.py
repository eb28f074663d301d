"""`tsunagu load_demo`: the Kamakura plan with demo accounts, progress and indicator values."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.core.models import Membership, Organization, User
from tsunagu.plans.demo import DEMO_MARK, DEMO_SOURCE
from tsunagu.plans.models import Indicator, IndicatorValue, Plan, ProgressReport, Responsibility

State = ProgressReport.State


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def sizes() -> dict[str, int]:
    return {
        "reports": ProgressReport.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "organizations": Organization.objects.count(),
        "indicator_values": IndicatorValue.objects.count(),
    }


def memberships_of(username: str) -> set[tuple[str, str]]:
    return set(
        Membership.objects.filter(user__username=username).values_list("organization__name", "role")
    )


@pytest.fixture
def demo(db: None) -> str:
    return load_demo()


@pytest.mark.django_db
def test_it_changes_nothing_when_run_again() -> None:
    load_demo()
    first = sizes()
    states = sorted(
        ProgressReport.objects.values_list(
            "initiative__code", "organization__name", "fiscal_year", "state"
        )
    )

    load_demo()

    assert sizes() == first
    assert first["reports"] > 0
    assert (
        sorted(
            ProgressReport.objects.values_list(
                "initiative__code", "organization__name", "fiscal_year", "state"
            )
        )
        == states
    )
    assert Plan.objects.count() == 1


def test_it_loads_the_plan_owned_by_the_welfare_division(demo: str) -> None:
    plan = Plan.objects.get()
    assert plan.owner is not None and plan.owner.name == "福祉総務課"
    assert plan.goals.count() == 5
    assert plan.initiatives.count() == 203
    # Every department in the plan is in the reference data, so the import made none up.
    assert "organisations not in the reference data" not in demo


def test_it_creates_the_four_accounts_with_their_roles(demo: str) -> None:
    users = {
        user.username: user
        for user in User.objects.filter(username__in=["planner", "officer", "manager", "admin"])
    }
    assert set(users) == {"planner", "officer", "manager", "admin"}
    for user in users.values():
        assert user.display_name, user.username
        assert user.check_password(settings.TSUNAGU_DEMO_PASSWORD)
        assert user.username in demo

    assert memberships_of("planner") == {("福祉総務課", Membership.Role.PLAN_OFFICER)}
    assert memberships_of("officer") == {
        ("障害福祉課", Membership.Role.PLAN_OFFICER),
        ("高齢者いきいき課", Membership.Role.PLAN_OFFICER),
    }
    assert memberships_of("manager") == {
        ("障害福祉課", Membership.Role.MANAGER),
        ("高齢者いきいき課", Membership.Role.MANAGER),
    }
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not users["planner"].is_superuser


def test_it_reports_fy2024_and_leaves_part_of_fy2025_unreported(demo: str) -> None:
    pairs = set(Responsibility.objects.values_list("initiative_id", "organization_id"))
    fy2024 = ProgressReport.objects.filter(fiscal_year=2024)
    fy2025 = ProgressReport.objects.filter(fiscal_year=2025)

    assert set(fy2024.values_list("initiative_id", "organization_id")) == pairs
    assert fy2024.filter(state=State.APPROVED).count() > 0.8 * len(pairs)
    assert not fy2024.filter(state=State.APPROVED, approved_by__isnull=True).exists()
    assert set(fy2024.values_list("status", flat=True)) == set(ProgressReport.Status.values)

    unreported = len(pairs) - fy2025.count()
    assert 0.1 * len(pairs) < unreported < 0.3 * len(pairs)
    assert set(fy2025.values_list("state", flat=True)) == set(State.values)
    assert not fy2025.filter(state=State.RETURNED, review_comment="").exists()
    assert not fy2025.filter(state=State.DRAFT, submitted_at__isnull=False).exists()

    report = fy2024.select_related("initiative").first()
    assert report is not None
    assert report.achievements.startswith(DEMO_MARK)
    assert report.initiative.title in report.achievements


def test_it_marks_every_indicator_value_as_demo(demo: str) -> None:
    indicators = Indicator.objects.all()
    assert indicators.count() > 0
    for indicator in indicators:
        assert indicator.unit
        assert indicator.baseline_year == 2019 and indicator.target_year == 2025
        assert indicator.baseline_value is not None and indicator.target_value is not None
        assert sorted(indicator.values.values_list("fiscal_year", flat=True)) == list(
            range(2020, 2026)
        )
    values = IndicatorValue.objects.all()
    assert values.count() == 6 * indicators.count()
    assert set(values.values_list("source", flat=True)) == {DEMO_SOURCE}
    assert "デモ" in DEMO_SOURCE
    assert not values.filter(note="").exists()


@pytest.mark.django_db
def test_it_takes_the_plans_options_and_ends_with_the_accounts() -> None:
    out = StringIO()
    call_command("load_demo", "--fiscal-years", "2023-2025", "--seed", "7", stdout=out)
    output = out.getvalue()

    assert set(ProgressReport.objects.values_list("fiscal_year", flat=True)) == {2023, 2024, 2025}
    # The account table comes after what every app loaded, just before the last line.
    lines = output.splitlines()
    table = lines.index("Demo accounts (one password for all, from TSUNAGU_DEMO_PASSWORD):")
    assert any(line.startswith("plan: ") for line in lines[:table])
    assert lines[-1].endswith("Demo data loaded.")
    assert [line.split()[0] for line in lines[table + 3 : -1]] == [
        "planner",
        "officer",
        "manager",
        "admin",
    ]


@pytest.mark.django_db
def test_it_refuses_fiscal_years_in_the_wrong_order_and_writes_nothing() -> None:
    with pytest.raises(CommandError, match="2025 comes after 2024"):
        call_command("load_demo", "--fiscal-years", "2025-2024", stdout=StringIO())

    assert not Plan.objects.exists()
    assert not Organization.objects.exists()
