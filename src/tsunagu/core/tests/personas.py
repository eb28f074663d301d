"""The named people every test uses, so a test reads like a sentence about them.

Each persona is a plain function that creates a user (and her memberships) and
returns it; ``conftest.py`` re-exports each as a pytest fixture of the same name.
Organisations are found by name with ``get_or_create`` so that they are the very
organisations a plan import creates from its 担当課 cells: 障害福祉課 in the seed
plan's responsibilities is the organisation ``officer_disability`` belongs to.

==================== ============================== ===============================
persona              who                            what she may do in the plan
==================== ============================== ===============================
anonymous            nobody signed in (``None``)    public pages only
officer_disability   plan officer, 障害福祉課        edit 障害福祉課's progress reports
officer_other        plan officer, 高齢者いきいき課  edit another division's reports
manager_disability   manager, 障害福祉課             approve 障害福祉課's reports
plan_owner_officer   plan officer, 福祉総務課        run the plan (福祉総務課 owns it)
administrator        superuser and staff            everything
directory_editor     directory editor, 福祉総務課    edit every directory service
==================== ============================== ===============================
"""

from __future__ import annotations

from tsunagu.core.models import Membership, Organization, User

from .factories import MembershipFactory, UserFactory

DISABILITY_DIVISION = "障害福祉課"
OTHER_DIVISION = "高齢者いきいき課"
PLAN_OWNER_DIVISION = "福祉総務課"


def organization(name: str) -> Organization:
    """The city division called ``name``, created if this test has not met it yet."""
    found, _ = Organization.objects.get_or_create(
        name=name, defaults={"kind": Organization.Kind.CITY_DIVISION}
    )
    return found


def _member(username: str, display_name: str, division: str, role: str) -> User:
    user = UserFactory(username=username, display_name=display_name)
    MembershipFactory(user=user, organization=organization(division), role=role)
    return user


def anonymous() -> None:
    """Nobody is signed in; a test client without a login."""
    return None


def officer_disability() -> User:
    return _member(
        "officer_disability", "障害 花子", DISABILITY_DIVISION, Membership.Role.PLAN_OFFICER
    )


def officer_other() -> User:
    return _member("officer_other", "高齢 次郎", OTHER_DIVISION, Membership.Role.PLAN_OFFICER)


def manager_disability() -> User:
    return _member("manager_disability", "障害 課長", DISABILITY_DIVISION, Membership.Role.MANAGER)


def plan_owner_officer() -> User:
    return _member(
        "plan_owner_officer", "福祉 総務", PLAN_OWNER_DIVISION, Membership.Role.PLAN_OFFICER
    )


def administrator() -> User:
    return UserFactory(
        username="administrator", display_name="管理 者", is_superuser=True, is_staff=True
    )


def directory_editor() -> User:
    return _member(
        "directory_editor", "案内 編集", PLAN_OWNER_DIVISION, Membership.Role.DIRECTORY_EDITOR
    )
