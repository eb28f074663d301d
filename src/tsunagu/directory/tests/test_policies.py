"""Who may edit which directory service (``directory.policies``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tsunagu.core.models import Membership
from tsunagu.core.tests.factories import MembershipFactory, UserFactory
from tsunagu.directory import policies
from tsunagu.directory.models import Service

from . import staff_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return staff_world.make_world()


def editable_names(user: Any) -> set[str]:
    return set(policies.editable_services(user).values_list("name", flat=True))


def test_it_lets_directory_editors_and_administrators_edit_everything(
    world: dict[str, Any], directory_editor: Any, administrator: Any
) -> None:
    everything = set(Service.objects.values_list("name", flat=True))
    assert editable_names(directory_editor) == everything
    assert editable_names(administrator) == everything
    assert policies.can_create(directory_editor)
    assert policies.can_import(directory_editor)


def test_it_lets_council_staff_edit_only_the_councils_services(world: dict[str, Any]) -> None:
    staff = staff_world.council_staff()
    assert editable_names(staff) == {"ボランティアセンター"}
    assert policies.can_edit_service(staff, world["council_service"])
    assert not policies.can_edit_service(staff, world["division_service"])
    assert list(policies.editable_organizations(staff)) == [world["council_provider"]]
    assert not policies.can_import(staff)


def test_it_lets_division_staff_edit_their_divisions_services(
    world: dict[str, Any], officer_disability: Any, officer_other: Any
) -> None:
    assert editable_names(officer_disability) == {"障害者相談支援"}
    assert editable_names(officer_other) == set()
    assert policies.can_create(officer_disability)
    assert not policies.can_create(officer_other)


def test_it_gives_roles_outside_a_division_read_only_access(world: dict[str, Any]) -> None:
    auditor = UserFactory(username="auditor")
    disability = world["division_provider"].core_organization
    MembershipFactory(user=auditor, organization=disability, role=Membership.Role.AUDITOR)
    for user in (auditor, staff_world.plain_staff()):
        assert policies.can_view(user)
        assert editable_names(user) == set()
        assert not policies.can_create(user)
        assert policies.get_service_for_viewing(user, world["npo_service"].uuid)
        with pytest.raises(Http404):
            policies.get_service_for_editing(user, world["division_service"].uuid)


def test_it_answers_404_for_a_service_outside_scope_or_unknown(
    world: dict[str, Any], officer_disability: Any
) -> None:
    assert policies.get_service_for_editing(officer_disability, world["division_service"].uuid)
    with pytest.raises(Http404):
        policies.get_service_for_editing(officer_disability, world["council_service"].uuid)
    with pytest.raises(Http404):
        policies.get_service_for_viewing(officer_disability, "00000000-0000-0000-0000-000000000000")


def test_it_shows_nothing_to_anonymous_visitors(world: dict[str, Any]) -> None:
    anonymous = AnonymousUser()
    assert not policies.can_view(anonymous)
    assert editable_names(anonymous) == set()
    with pytest.raises(Http404):
        policies.get_service_for_viewing(anonymous, world["npo_service"].uuid)
