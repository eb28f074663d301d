"""Finding a person by name in kanji or kana, or by date of birth (``services.search_persons``)."""

from __future__ import annotations

import datetime

import pytest

from tsunagu.people.models import Person
from tsunagu.people.services import search_persons

from .factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def residents() -> dict[str, Person]:
    def make(family: str, given: str, family_kana: str, given_kana: str, born: str) -> Person:
        return PersonFactory(
            family_name=family,
            given_name=given,
            family_name_kana=family_kana,
            given_name_kana=given_kana,
            birth_date=datetime.date.fromisoformat(born),
        )

    return {
        "hanako": make("髙橋", "花子", "タカハシ", "ハナコ", "1941-03-02"),
        "taro": make("高橋", "太郎", "たかはし", "たろう", "1938-07-15"),
        "kyoko": make("渡邊", "恭子", "わたなべ", "きょうこ", "1989-01-08"),
        "sakura": make("佐藤", "さくら", "さとう", "さくら", "2019-05-01"),
        "hanako_sato": make("佐藤", "花子", "さとう", "はなこ", "1941-03-02"),
    }


def names(queryset: object) -> list[str]:
    return [person.full_name for person in queryset]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("高橋", ["髙橋 花子", "高橋 太郎"]),
        ("髙橋", ["髙橋 花子", "高橋 太郎"]),
        ("高橋花子", ["髙橋 花子"]),
        ("高橋　花子", ["髙橋 花子"]),
        ("渡辺", ["渡邊 恭子"]),
        ("花子", ["佐藤 花子", "髙橋 花子"]),
    ],
)
def test_it_finds_by_the_written_name(
    residents: dict[str, Person], text: str, expected: list[str]
) -> None:
    assert sorted(names(search_persons(text, Person.objects.all()))) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("たかはし", ["髙橋 花子", "高橋 太郎"]),
        ("タカハシ", ["髙橋 花子", "高橋 太郎"]),
        ("ﾀｶﾊｼ", ["髙橋 花子", "高橋 太郎"]),
        ("たかは", ["髙橋 花子", "高橋 太郎"]),
        ("たかはしはなこ", ["髙橋 花子"]),
        ("キヨウコ", ["渡邊 恭子"]),
        ("さくら", ["佐藤 さくら"]),
        ("サクラ", ["佐藤 さくら"]),
    ],
)
def test_it_finds_by_the_reading_in_any_script_and_width(
    residents: dict[str, Person], text: str, expected: list[str]
) -> None:
    assert sorted(names(search_persons(text, Person.objects.all()))) == sorted(expected)


def test_a_reading_ranks_family_names_that_start_with_it_first(
    residents: dict[str, Person],
) -> None:
    # はな is inside two given names and starts no family name…
    found = names(search_persons("はな", Person.objects.all()))
    assert sorted(found) == ["佐藤 花子", "髙橋 花子"]
    # …until someone's family name starts with it.
    PersonFactory(
        family_name="花田", given_name="一郎", family_name_kana="はなだ", given_name_kana="いちろう"
    )
    assert names(search_persons("はな", Person.objects.all()))[0] == "花田 一郎"


@pytest.mark.parametrize(
    "text", ["1941-03-02", "1941/3/2", "19410302", "昭和16年3月2日", "S16.3.2", "s16/3/2"]
)
def test_it_finds_by_the_date_of_birth_in_any_form(residents: dict[str, Person], text: str) -> None:
    assert sorted(names(search_persons(text, Person.objects.all()))) == ["佐藤 花子", "髙橋 花子"]


def test_it_finds_by_wareki_first_years(residents: dict[str, Person]) -> None:
    assert names(search_persons("令和元年5月1日", Person.objects.all())) == ["佐藤 さくら"]
    assert names(search_persons("H1.1.8", Person.objects.all())) == ["渡邊 恭子"]


def test_it_ands_the_words(residents: dict[str, Person]) -> None:
    everyone = Person.objects.all()
    assert sorted(names(search_persons("はなこ S16.3.2", everyone))) == ["佐藤 花子", "髙橋 花子"]
    assert names(search_persons("高橋 S16.3.2", everyone)) == ["髙橋 花子"]
    assert names(search_persons("さとう 花子", everyone)) == ["佐藤 花子"]
    assert names(search_persons("高橋 1999-01-01", everyone)) == []


def test_it_searches_only_the_given_persons(residents: dict[str, Person]) -> None:
    mine = Person.objects.filter(pk=residents["taro"].pk)
    assert names(search_persons("たかはし", mine)) == ["高橋 太郎"]


def test_blank_text_finds_nobody(residents: dict[str, Person]) -> None:
    assert names(search_persons("", Person.objects.all())) == []
    assert names(search_persons(" 　", Person.objects.all())) == []


def test_an_impossible_date_finds_nobody(residents: dict[str, Person]) -> None:
    assert names(search_persons("平成31年5月1日", Person.objects.all())) == []


def test_a_search_is_one_query(
    residents: dict[str, Person], django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(1):  # type: ignore[operator]
        list(search_persons("たかはし 高橋 S16.3.2", Person.objects.all()))
