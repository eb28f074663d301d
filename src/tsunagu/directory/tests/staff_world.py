"""The people and services the staff-page tests share.

Besides the personas of ``core.tests.personas`` (``directory_editor``,
``officer_disability`` as staff of 障害福祉課, ``officer_other`` as staff of another
division, ``administrator``), the directory needs two more people:

=============== ==================================== =====================================
person          who                                  what she may do in the directory
=============== ==================================== =====================================
council_staff   社協 staff of 市社会福祉協議会         edit the council's own services
plain_staff     a staff login with no role           read the staff pages
=============== ==================================== =====================================

``make_world()`` creates one service per kind of provider: the council's, 障害福祉課's
and an NPO's that no tsunagu organisation is linked to.
"""

from __future__ import annotations

from typing import Any

from tsunagu.core.models import Membership, Organization, User
from tsunagu.core.tests import personas
from tsunagu.core.tests.factories import MembershipFactory, UserFactory

from . import factories

COUNCIL = "市社会福祉協議会"


def council() -> Organization:
    found, _ = Organization.objects.get_or_create(
        name=COUNCIL, defaults={"kind": Organization.Kind.COUNCIL}
    )
    return found


def council_staff() -> User:
    user = UserFactory(username="council_staff", display_name="社協 職員")
    MembershipFactory(user=user, organization=council(), role=Membership.Role.COUNCIL_STAFF)
    return user


def plain_staff() -> User:
    return UserFactory(username="plain_staff", display_name="一般 職員")


def make_world() -> dict[str, Any]:
    """Three providers and one service each."""
    council_provider = factories.OrganizationFactory(
        name="鎌倉市社会福祉協議会",
        name_kana="かまくらししゃかいふくしきょうぎかい",
        core_organization=council(),
    )
    division_provider = factories.OrganizationFactory(
        name="鎌倉市 障害福祉課",
        name_kana="かまくらししょうがいふくしか",
        core_organization=personas.organization(personas.DISABILITY_DIVISION),
    )
    npo = factories.OrganizationFactory(
        name="NPO法人 かまくら子ども食堂", name_kana="えぬぴーおーほうじんかまくらこどもしょくどう"
    )
    return {
        "council_service": factories.ServiceFactory(
            organization=council_provider,
            name="ボランティアセンター",
            name_kana="ぼらんてぃあせんたー",
        ),
        "division_service": factories.ServiceFactory(
            organization=division_provider,
            name="障害者相談支援",
            name_kana="しょうがいしゃそうだんしえん",
        ),
        "npo_service": factories.ServiceFactory(
            organization=npo, name="こども食堂", name_kana="こどもしょくどう"
        ),
        "council_provider": council_provider,
        "division_provider": division_provider,
        "npo": npo,
    }
