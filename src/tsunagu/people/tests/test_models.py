"""The people models: derived keys, constraints, household membership rules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tsunagu.core.tests.factories import OrganizationFactory
from tsunagu.people.models import HouseholdMember, Person

from .factories import HouseholdFactory, HouseholdMemberFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_it_derives_the_keys_on_save() -> None:
    person = PersonFactory(
        family_name="髙橋",
        given_name="花子",
        family_name_kana="ﾀｶﾊｼ",
        given_name_kana="ハナコ",
    )
    assert person.name_key == "高橋花子"
    assert person.kana_key == "たかはしはなこ"
    person.family_name = "渡邊"
    person.save(update_fields=["family_name"])
    person.refresh_from_db()
    assert person.name_key == "渡辺花子"


def test_it_keeps_the_name_as_written() -> None:
    person = PersonFactory(family_name="﨑山", given_name="德子")
    person.refresh_from_db()
    assert person.full_name == "﨑山 德子"
    assert person.name_key == "崎山徳子"


def test_it_refuses_a_protected_person_without_a_protecting_organisation() -> None:
    person = PersonFactory.build(is_protected=True)
    with pytest.raises(ValidationError):
        person.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(is_protected=True)


def test_it_accepts_a_protected_person_with_a_protecting_organisation() -> None:
    person = PersonFactory(is_protected=True, protecting_organization=OrganizationFactory())
    person.full_clean()


def test_it_refuses_a_protection_that_ends_before_it_starts() -> None:
    person = PersonFactory.build(
        protected_from=datetime.date(2025, 4, 1), protected_until=datetime.date(2025, 3, 1)
    )
    with pytest.raises(ValidationError):
        person.full_clean()


@pytest.mark.parametrize(
    "kana", ["たかはし", "タカハシ", "ﾀｶﾊｼ", "ジョン＝スミス", "やまだ たろう", ""]
)
def test_it_accepts_kana_readings(kana: str) -> None:
    PersonFactory.build(family_name_kana=kana).full_clean()


@pytest.mark.parametrize("kana", ["高橋", "takahashi", "たかはし1"])
def test_it_refuses_readings_that_are_not_kana(kana: str) -> None:
    with pytest.raises(ValidationError) as error:
        PersonFactory.build(family_name_kana=kana).full_clean()
    assert "family_name_kana" in error.value.message_dict


def test_it_lets_a_person_belong_to_households_over_time() -> None:
    person = PersonFactory()
    HouseholdMemberFactory(person=person, left_on=datetime.date(2020, 3, 31))
    HouseholdMemberFactory(person=person, joined_on=datetime.date(2020, 4, 1))
    assert person.household_memberships.count() == 2
    assert HouseholdMember.objects.filter(person=person).current().count() == 1


def test_it_allows_one_open_membership_and_one_head_per_household() -> None:
    household = HouseholdFactory()
    head = HouseholdMemberFactory(household=household)
    assert head.is_head
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMemberFactory(household=household)  # a second head
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMemberFactory(
            household=household,
            person=head.person,
            relationship=HouseholdMember.Relationship.OTHER,
        )


def test_it_orders_persons_by_reading() -> None:
    PersonFactory(family_name_kana="さとう", given_name_kana="はなこ")
    PersonFactory(family_name_kana="アベ", given_name_kana="ハナコ")
    assert [p.family_name_kana for p in Person.objects.all()] == ["アベ", "さとう"]
