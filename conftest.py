"""Shared pytest fixtures: fast password hashing, the named personas and the seed plan.

pyproject.toml already points pytest at ``tsunagu.settings`` and ``src``; this file
only adds fixtures. The personas live in ``tsunagu.core.tests.personas`` so that a
test reads ``def test_it_…(officer_disability): …`` and the people are the same in
every module.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tsunagu.core.tests import personas

if TYPE_CHECKING:
    from tsunagu.core.models import User
    from tsunagu.plans.models import Plan

SEED_TEXT = (
    Path(__file__).resolve().parent
    / "data"
    / "plans"
    / "kamakura"
    / "kamakura-welfare-plan-chapter4.txt"
)
SEED_PLAN = {"name": "鎌倉市地域福祉計画", "municipality": "鎌倉市", "fiscal_years": (2020, 2025)}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_password_hashing: keep the configured Argon2 hasher (tests about hashing)"
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use MD5."""
    if request.node.get_closest_marker("real_password_hashing"):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def seed_text_path() -> Path:
    """The text of chapter 4 of 鎌倉市地域福祉計画 (FY2020–2025), as a PDF-to-text tool gives it."""
    return SEED_TEXT


@pytest.fixture(scope="session")
def seed_plan_options() -> dict[str, Any]:
    """What the chapter text does not say itself: the plan's name, city and years."""
    return dict(SEED_PLAN)


@pytest.fixture
def kamakura_plan(db: None, seed_text_path: Path) -> Plan:
    """The seed plan imported into the test database: 5 goals, 203 initiatives.

    Its managing division is 福祉総務課, the organisation of ``plan_owner_officer``.
    """
    from tsunagu.plans.importers import read_plan_file
    from tsunagu.plans.loading import load_plan

    owner = personas.organization(personas.PLAN_OWNER_DIVISION)
    result = read_plan_file(seed_text_path, **SEED_PLAN)
    plan = load_plan(result.document, owner=owner).plan
    assert plan is not None
    return plan


# -- personas (see tsunagu/core/tests/personas.py) ----------------------------------------------
@pytest.fixture
def anonymous() -> None:
    """Nobody signed in."""
    return personas.anonymous()


@pytest.fixture
def officer_disability(db: None) -> User:
    return personas.officer_disability()


@pytest.fixture
def officer_other(db: None) -> User:
    return personas.officer_other()


@pytest.fixture
def manager_disability(db: None) -> User:
    return personas.manager_disability()


@pytest.fixture
def plan_owner_officer(db: None) -> User:
    return personas.plan_owner_officer()


@pytest.fixture
def administrator(db: None) -> User:
    return personas.administrator()


@pytest.fixture
def directory_editor(db: None) -> User:
    return personas.directory_editor()
