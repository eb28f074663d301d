"""Merging two records of one person (``services.merge_persons``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tsunagu.core.models import Organization, User
from tsunagu.core.services import history_for
from tsunagu.core.tests.factories import OrganizationFactory
from tsunagu.people import merging, services
from tsunagu.people.models import Consent, HouseholdMember, Person

from .factories import ConsentFactory, HouseholdFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(protecting_worker: User) -> tuple[Person, Person]:
    """One woman registered twice: 髙橋 (by a counter) and 高橋 (by an import)."""
    fields = {
        "given_name": "花子",
        "family_name_kana": "たかはし",
        "given_name_kana": "はなこ",
        "birth_date": datetime.date(1941, 3, 2),
    }
    source = services.create_person(actor=protecting_worker, family_name="髙橋", **fields)
    target = services.create_person(actor=protecting_worker, family_name="高橋", **fields)
    return source, target


@pytest.fixture
def recorded_hooks() -> Iterator[list[tuple[Any, ...]]]:
    calls: list[tuple[Any, ...]] = []

    def move_cases(source: Person, target: Person, actor: User | None) -> dict[str, Any]:
        calls.append((source.pk, target.pk, actor))
        return {"cases": 2}

    merging.register_merge_hook(move_cases)
    yield calls
    merging.unregister_merge_hook(move_cases)


def test_it_moves_households_and_consents_and_keeps_history(
    twins: tuple[Person, Person], protecting_worker: User, recorded_hooks: list[tuple[Any, ...]]
) -> None:
    source, target = twins
    membership = HouseholdMemberFactory(person=source)
    consent = ConsentFactory(person=source)
    services.update_person(source, actor=protecting_worker, expected_version=1, notes="重複")

    merged = services.merge_persons(
        source, target, actor=protecting_worker, reason="同一人物（髙/高の表記ゆれ）"
    )

    assert merged.pk == target.pk
    membership.refresh_from_db()
    consent.refresh_from_db()
    assert membership.person_id == target.pk
    assert consent.person_id == target.pk
    source.refresh_from_db()
    assert source.merged_into_id == target.pk
    assert source.is_archived
    assert source.archive_reason == "同一人物（髙/高の表記ゆれ）"
    assert Person.objects.current().filter(pk=source.pk).count() == 0
    # Hooks of other apps ran, and what they moved is in the audit event.
    assert recorded_hooks == [(source.pk, target.pk, protecting_worker)]
    event = history_for(target).filter(action="people.person.merged").get()
    assert event.data["source"] == {"id": str(source.uuid), "name": "髙橋 花子"}
    assert event.data["household_memberships"] == [membership.pk]
    assert event.data["consents"] == [consent.pk]
    assert event.data["hooks"] == {f"{__name__}.recorded_hooks.<locals>.move_cases": {"cases": 2}}
    # The source's own history stays readable, and the target's includes it.
    assert history_for(source).filter(action="people.person.merged_into").exists()
    actions = [event.action for event in services.person_history(target)]
    assert actions.count("people.person.created") == 2
    assert "people.person.updated" in actions
    assert "people.person.merged" in actions
    assert "people.person.merged_into" in actions


def test_a_hook_that_fails_undoes_the_whole_merge(
    twins: tuple[Person, Person], protecting_worker: User
) -> None:
    source, target = twins
    membership = HouseholdMemberFactory(person=source)

    def refuse(source: Person, target: Person, actor: User | None) -> None:
        raise RuntimeError("casework could not move its rows")

    merging.register_merge_hook(refuse)
    try:
        with pytest.raises(RuntimeError):
            services.merge_persons(source, target, actor=protecting_worker, reason="重複")
    finally:
        merging.unregister_merge_hook(refuse)
    membership.refresh_from_db()
    source.refresh_from_db()
    assert membership.person_id == source.pk
    assert source.merged_into_id is None
    assert not source.is_archived


def test_a_household_both_records_are_in_is_not_doubled(
    twins: tuple[Person, Person], protecting_worker: User
) -> None:
    source, target = twins
    household = HouseholdFactory()
    HouseholdMemberFactory(household=household, person=target)
    duplicate = HouseholdMemberFactory(
        household=household, person=source, relationship=HouseholdMember.Relationship.OTHER
    )
    services.merge_persons(source, target, actor=protecting_worker, reason="重複")
    duplicate.refresh_from_db()
    assert duplicate.person_id == target.pk
    assert duplicate.left_on is not None
    assert household.memberships.filter(left_on__isnull=True).count() == 1


def test_a_protected_source_makes_the_target_protected(
    twins: tuple[Person, Person], protecting_worker: User, protecting_division: Organization
) -> None:
    source, target = twins
    Person.objects.filter(pk=source.pk).update(
        is_protected=True, protecting_organization=protecting_division
    )
    services.merge_persons(source, target, actor=protecting_worker, reason="重複")
    target.refresh_from_db()
    assert target.is_protected
    assert target.protecting_organization == protecting_division


def test_outsiders_cannot_merge_a_protected_record(
    twins: tuple[Person, Person],
    other_worker: User,
    administrator: User,
    protecting_division: Organization,
) -> None:
    source, target = twins
    Person.objects.filter(pk=source.pk).update(
        is_protected=True, protecting_organization=protecting_division
    )
    for outsider in (other_worker, administrator):
        with pytest.raises(PermissionDenied):
            services.merge_persons(source, target, actor=outsider, reason="重複")


def test_records_protected_by_different_organisations_are_not_merged(
    twins: tuple[Person, Person], protecting_worker: User, protecting_division: Organization
) -> None:
    source, target = twins
    other = OrganizationFactory()
    protecting_worker.memberships.create(organization=other, role="caseworker")
    Person.objects.filter(pk=source.pk).update(
        is_protected=True, protecting_organization=protecting_division
    )
    Person.objects.filter(pk=target.pk).update(is_protected=True, protecting_organization=other)
    with pytest.raises(services.MergeError):
        services.merge_persons(source, target, actor=protecting_worker, reason="重複")


def test_it_refuses_merges_that_make_no_sense(
    twins: tuple[Person, Person], protecting_worker: User
) -> None:
    source, target = twins
    with pytest.raises(services.MergeError):
        services.merge_persons(source, source, actor=protecting_worker, reason="重複")
    with pytest.raises(services.MergeError):
        services.merge_persons(source, target, actor=protecting_worker, reason="")
    services.merge_persons(source, target, actor=protecting_worker, reason="重複")
    with pytest.raises(services.MergeError):
        services.merge_persons(source, target, actor=protecting_worker, reason="もう一度")
    with pytest.raises(services.MergeError):
        services.merge_persons(target, source, actor=protecting_worker, reason="逆向き")


def test_a_merged_record_cannot_be_edited_and_old_forms_are_stale(
    twins: tuple[Person, Person], protecting_worker: User
) -> None:
    source, target = twins
    services.merge_persons(source, target, actor=protecting_worker, reason="重複")
    with pytest.raises(services.StaleEditError):
        services.update_person(target, actor=protecting_worker, expected_version=1, notes="古い")
    source.refresh_from_db()
    with pytest.raises(services.MergeError):
        services.update_person(
            source, actor=protecting_worker, expected_version=source.version, notes="x"
        )
    assert Consent.objects.filter(person=source).count() == 0
