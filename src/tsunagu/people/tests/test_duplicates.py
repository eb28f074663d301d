"""Duplicate detection (``services.find_duplicates``) on the normalised keys."""

from __future__ import annotations

import datetime

import pytest

from tsunagu.core.models import Organization, User
from tsunagu.people.models import Person
from tsunagu.people.services import DuplicateReason, find_duplicates

from .factories import PersonFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(1941, 3, 2)


@pytest.fixture
def hanako() -> Person:
    return PersonFactory(
        family_name="高橋",
        given_name="花子",
        family_name_kana="たかはし",
        given_name_kana="はなこ",
        birth_date=BORN,
        phone="0467-23-3000",
        mobile_phone="",
    )


def test_it_finds_the_same_reading_and_birth_date_typed_differently(hanako: Person) -> None:
    found = find_duplicates(
        {
            "family_name": "髙橋",
            "given_name": "華子",  # another kanji, same reading
            "family_name_kana": "ﾀｶﾊｼ",
            "given_name_kana": "ﾊﾅｺ",
            "birth_date": "昭和16年3月2日",
        }
    )
    assert found == [(hanako, [DuplicateReason.KANA_AND_BIRTH_DATE])]


def test_it_finds_the_same_written_name_and_birth_date(hanako: Person) -> None:
    found = find_duplicates({"family_name": "髙橋", "given_name": "花子", "birth_date": BORN})
    assert found == [(hanako, [DuplicateReason.NAME_AND_BIRTH_DATE])]


def test_it_finds_the_same_reading_and_phone(hanako: Person) -> None:
    found = find_duplicates(
        {
            "family_name_kana": "タカハシ",
            "given_name_kana": "ハナコ",
            "phone": "０４６７２３３０００",
        }
    )
    assert found == [(hanako, [DuplicateReason.KANA_AND_PHONE])]


def test_it_ranks_the_best_match_first(hanako: Person) -> None:
    weaker = PersonFactory(
        family_name="鷹橋", family_name_kana="たかはし", given_name_kana="はなこ", birth_date=BORN
    )
    candidate = PersonFactory.build(
        family_name="高橋",
        given_name="花子",
        family_name_kana="たかはし",
        given_name_kana="はなこ",
        birth_date=BORN,
        phone="0467-23-3000",
    )
    found = find_duplicates(candidate)
    assert [person for person, _reasons in found] == [hanako, weaker]
    assert found[0][1] == [
        DuplicateReason.KANA_AND_BIRTH_DATE,
        DuplicateReason.NAME_AND_BIRTH_DATE,
        DuplicateReason.KANA_AND_PHONE,
    ]


def test_it_does_not_find_a_person_herself_or_merged_and_archived_records(hanako: Person) -> None:
    assert find_duplicates(hanako) == []
    archived = PersonFactory(family_name_kana="たかはし", given_name_kana="はなこ", birth_date=BORN)
    archived.archived_at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    archived.save()
    assert find_duplicates(hanako) == []


def test_it_needs_a_birth_date_or_phone_beside_the_name(hanako: Person) -> None:
    assert find_duplicates({"family_name_kana": "たかはし", "given_name_kana": "はなこ"}) == []
    assert find_duplicates({"family_name": "高橋", "given_name": "花子"}) == []
    assert find_duplicates({"birth_date": BORN}) == []


def test_different_birth_dates_are_different_people(hanako: Person) -> None:
    found = find_duplicates(
        {"family_name_kana": "たかはし", "given_name_kana": "はなこ", "birth_date": "1941-03-03"}
    )
    assert found == []


def test_it_looks_only_where_it_is_told(hanako: Person) -> None:
    data = {"family_name": "高橋", "given_name": "花子", "birth_date": BORN}
    assert find_duplicates(data, queryset=Person.objects.exclude(pk=hanako.pk)) == []


def test_a_protected_persons_phone_is_not_confirmed_to_outsiders(
    hanako: Person, protecting_division: Organization, other_worker: User, protecting_worker: User
) -> None:
    hanako.is_protected = True
    hanako.protecting_organization = protecting_division
    hanako.save()
    data = {"family_name_kana": "たかはし", "given_name_kana": "はなこ", "phone": "0467-23-3000"}
    assert find_duplicates(data, user=other_worker) == []
    assert find_duplicates(data, user=protecting_worker) == [
        (hanako, [DuplicateReason.KANA_AND_PHONE])
    ]
