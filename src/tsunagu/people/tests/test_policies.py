"""Who sees which persons and whose contacts (``people.policies``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import translation

from tsunagu.core.models import AuditEvent, Organization, User
from tsunagu.core.policies import AnyUser
from tsunagu.people import policies
from tsunagu.people.models import Person

from .factories import HouseholdFactory, HouseholdMemberFactory, PersonFactory

pytestmark = pytest.mark.django_db

HIDDEN = "Hidden: protected under a support measure"


@pytest.fixture
def protected(protecting_division: Organization) -> Person:
    return PersonFactory(
        address="鎌倉市秘密町1-2-3",
        phone="0467-99-1234",
        mobile_phone="090-9999-1234",
        email="hidden@example.jp",
        is_protected=True,
        protecting_organization=protecting_division,
    )


# -- contact details --------------------------------------------------------------------------------


def test_the_protecting_organisation_sees_the_contacts(
    protected: Person, protecting_worker: User
) -> None:
    assert policies.can_see_contact_details(protecting_worker, protected)
    shown = policies.redact(protected, protecting_worker)
    assert not shown.contacts_hidden
    assert shown.address == "鎌倉市秘密町1-2-3"
    assert shown.phone == "0467-99-1234"


@pytest.mark.parametrize("who", ["other_worker", "administrator", "manager_disability"])
def test_nobody_else_sees_them_not_even_an_administrator(
    protected: Person, who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    assert not policies.can_see_contact_details(user, protected)
    with translation.override("en"):
        shown = policies.redact(protected, user)
    assert shown.contacts_hidden
    for value in (
        shown.postal_code,
        shown.address,
        shown.area,
        shown.phone,
        shown.mobile_phone,
        shown.email,
    ):
        assert value == HIDDEN
    assert shown.full_name == protected.full_name  # the name is not hidden
    assert "秘密町" not in repr(shown)


def test_an_unprotected_persons_contacts_are_shown_to_staff(other_worker: User) -> None:
    person = PersonFactory(address="鎌倉市御成町18-10")
    assert policies.can_see_contact_details(other_worker, person)
    shown = policies.redact(person, other_worker)
    assert shown.address == "鎌倉市御成町18-10"
    assert shown.birth_date_wareki.startswith("昭和")


def test_nobody_signed_out_sees_contacts() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not policies.can_see_contact_details(AnonymousUser(), PersonFactory())


def test_a_protected_person_is_never_exportable(protected: Person) -> None:
    assert not policies.is_exportable_contact(protected)
    assert policies.is_exportable_contact(PersonFactory())


def test_protection_stays_after_its_renewal_date(protected: Person, other_worker: User) -> None:
    import datetime

    protected.protected_until = datetime.date(2000, 1, 1)
    protected.protected_from = datetime.date(1999, 1, 1)
    protected.save()
    assert not policies.can_see_contact_details(other_worker, protected)


def test_a_household_address_is_hidden_while_a_protected_person_lives_there(
    protected: Person, protecting_worker: User, other_worker: User
) -> None:
    household = HouseholdFactory()
    membership = HouseholdMemberFactory(household=household, person=protected)
    assert not policies.can_see_household_address(other_worker, household)
    assert policies.can_see_household_address(protecting_worker, household)
    assert not policies.is_exportable_household_address(household)
    # The household she left (the address she fled) is no secret.
    import datetime

    membership.left_on = datetime.date(2020, 1, 1)
    membership.save()
    assert policies.can_see_household_address(other_worker, household)
    assert policies.is_exportable_household_address(household)


# -- which persons ------------------------------------------------------------------------------------


@pytest.fixture
def scope_by_notes() -> Iterator[None]:
    """A stand-in for casework's scope: a user sees persons whose notes name her division."""

    def mentioned(user: AnyUser) -> Q | None:
        from tsunagu.core.policies import organization_ids_for

        names = list(
            Organization.objects.filter(pk__in=organization_ids_for(user)).values_list(
                "name", flat=True
            )
        )
        if not names:
            return None
        condition = Q(pk__in=[])
        for name in names:
            condition |= Q(notes__contains=name)
        return condition

    policies.register_scope(mentioned)
    yield
    policies.unregister_scope(mentioned)


def test_without_scopes_nobody_sees_anyone(protecting_worker: User, administrator: User) -> None:
    PersonFactory()
    assert not policies.visible_persons(protecting_worker).exists()
    assert not policies.visible_persons(administrator).exists()


def test_a_user_sees_the_union_of_the_scopes(
    scope_by_notes: None, protecting_worker: User, other_worker: User, administrator: User
) -> None:
    mine = PersonFactory(notes="地域共生課が対応")
    theirs = PersonFactory(notes="高齢者いきいき課が対応")
    both = PersonFactory(notes="地域共生課と高齢者いきいき課")

    def everyone(user: AnyUser) -> Q | None:
        return Q(pk=theirs.pk) if user == protecting_worker else None

    assert set(policies.visible_persons(protecting_worker)) == {mine, both}
    policies.register_scope(everyone)
    try:
        assert set(policies.visible_persons(protecting_worker)) == {mine, theirs, both}
        assert policies.visible_persons(protecting_worker).count() == 3  # no duplicates
    finally:
        policies.unregister_scope(everyone)
    assert set(policies.visible_persons(other_worker)) == {theirs, both}
    # Administrators get no bypass here.
    assert not policies.visible_persons(administrator).exists()


def test_the_access_helper_404s_outside_scope_and_audits_reads(
    scope_by_notes: None, protecting_worker: User, other_worker: User
) -> None:
    person = PersonFactory(notes="地域共生課が対応")
    found = policies.get_person_for_user(protecting_worker, person.uuid, purpose="相談対応")
    assert found == person
    event = AuditEvent.objects.get(action="people.person.viewed")
    assert (event.actor, event.object_id, event.purpose) == (
        protecting_worker,
        str(person.pk),
        "相談対応",
    )
    with pytest.raises(Http404):
        policies.get_person_for_user(other_worker, person.uuid)
    with pytest.raises(Http404):
        policies.get_person_for_user(protecting_worker, "not-a-uuid")
    assert AuditEvent.objects.filter(action="people.person.viewed").count() == 1


def test_administrators_reach_everyone_only_by_saying_why(
    administrator: User, other_worker: User
) -> None:
    PersonFactory()
    persons = policies.persons_for_administration(administrator, purpose="重複の点検")
    assert persons.count() == 1
    event = AuditEvent.objects.get(action="people.persons.administered")
    assert (event.actor, event.purpose) == (administrator, "重複の点検")
    with pytest.raises(ValueError):
        policies.persons_for_administration(administrator, purpose=" ")
    with pytest.raises(PermissionDenied):
        policies.persons_for_administration(other_worker, purpose="見たい")
