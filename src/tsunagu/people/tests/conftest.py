"""Personas for people's tests, beside the shared ones in ``tsunagu.core.tests.personas``.

=================== ================================ ==============================
persona             who                              sees a protected person's …
=================== ================================ ==============================
protecting_worker   caseworker, 地域共生課            address and contacts (her
                    (the protecting organisation)    division protects the person)
other_worker        caseworker, 高齢者いきいき課       name only
administrator       superuser (root conftest)        name only
=================== ================================ ==============================
"""

from __future__ import annotations

import pytest

from tsunagu.core.models import Membership, Organization, User
from tsunagu.core.tests.factories import MembershipFactory, UserFactory
from tsunagu.core.tests.personas import OTHER_DIVISION, organization

PROTECTING_DIVISION = "地域共生課"


@pytest.fixture
def protecting_division(db: None) -> Organization:
    return organization(PROTECTING_DIVISION)


@pytest.fixture
def protecting_worker(protecting_division: Organization) -> User:
    user = UserFactory(username="protecting_worker", display_name="共生 相談員")
    MembershipFactory(user=user, organization=protecting_division, role=Membership.Role.CASEWORKER)
    return user


@pytest.fixture
def other_worker(db: None) -> User:
    user = UserFactory(username="other_worker", display_name="高齢 相談員")
    MembershipFactory(
        user=user, organization=organization(OTHER_DIVISION), role=Membership.Role.CASEWORKER
    )
    return user
