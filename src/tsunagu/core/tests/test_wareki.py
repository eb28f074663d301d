"""Dates typed in 西暦 or 和暦 (``core.wareki``)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.core.wareki import JapaneseDateField, WarekiError, format_wareki, parse_date

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1941-03-02", D(1941, 3, 2)),
        ("1941/3/2", D(1941, 3, 2)),
        ("1941.3.2", D(1941, 3, 2)),
        ("1941年3月2日", D(1941, 3, 2)),
        ("19410302", D(1941, 3, 2)),
        ("１９４１－０３－０２", D(1941, 3, 2)),
        ("１９４１／３／２", D(1941, 3, 2)),
        (" 1941-03-02 ", D(1941, 3, 2)),
        ("昭和16年3月2日", D(1941, 3, 2)),
        ("昭和１６年３月２日", D(1941, 3, 2)),
        ("昭和 16年 3月 2日", D(1941, 3, 2)),
        ("昭和16.3.2", D(1941, 3, 2)),
        ("昭和16/3/2", D(1941, 3, 2)),
        ("昭16.3.2", D(1941, 3, 2)),
        ("㍼16.3.2", D(1941, 3, 2)),
        ("S16.3.2", D(1941, 3, 2)),
        ("s16/3/2", D(1941, 3, 2)),
        ("Ｓ１６．３．２", D(1941, 3, 2)),
        ("S160302", D(1941, 3, 2)),
        ("令和元年5月1日", D(2019, 5, 1)),
        ("令和1年5月1日", D(2019, 5, 1)),
        ("R1.5.1", D(2019, 5, 1)),
        ("平成31年4月30日", D(2019, 4, 30)),
        ("H31.4.30", D(2019, 4, 30)),
        ("平成元年1月8日", D(1989, 1, 8)),
        ("昭和64年1月7日", D(1989, 1, 7)),
        ("昭和元年12月25日", D(1926, 12, 25)),
        ("大正15年12月24日", D(1926, 12, 24)),
        ("大正元年7月30日", D(1912, 7, 30)),
        ("明治45年7月29日", D(1912, 7, 29)),
        ("明治元年10月23日", D(1868, 10, 23)),
        ("M33.1.1", D(1900, 1, 1)),
        ("T5.6.7", D(1916, 6, 7)),
    ],
)
def test_it_reads_the_forms_staff_type(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",  # 平成 ended on 4月30日
        "令和元年4月30日",  # 令和 began on 5月1日
        "昭和64年1月8日",
        "昭和元年12月24日",
        "大正15年12月25日",
        "大正元年7月29日",
        "明治45年7月30日",
        "明治元年10月22日",
        "昭和99年1月1日",
    ],
)
def test_it_refuses_a_date_outside_its_era(text: str) -> None:
    with translation.override("en"), pytest.raises(WarekiError) as error:
        parse_date(text)
    assert "ran from" in str(error.value) or "began on" in str(error.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "昭和",
        "1941-02-30",
        "昭和16年2月30日",
        "41/3/2",
        "X16.3.2",
        "1941-3",
        "昭和0年1月1日",
        "あした",
    ],
)
def test_it_refuses_what_is_not_a_date_and_says_what_to_type(text: str) -> None:
    with translation.override("en"), pytest.raises(ValueError) as error:
        parse_date(text)
    assert str(error.value) == "Enter the date as 1941-03-02 or 昭和16年3月2日."


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(1941, 3, 2), "昭和16年3月2日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(1989, 1, 8), "平成元年1月8日"),
        (D(1926, 12, 25), "昭和元年12月25日"),
        (D(1912, 7, 30), "大正元年7月30日"),
        (D(1900, 1, 1), "明治33年1月1日"),
    ],
)
def test_it_writes_wareki(day: datetime.date, expected: str) -> None:
    assert format_wareki(day) == expected


def test_it_has_no_era_before_meiji() -> None:
    with pytest.raises(ValueError):
        format_wareki(D(1868, 10, 22))


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_it_reads_back_what_it_writes(day: datetime.date) -> None:
    assert parse_date(format_wareki(day)) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%Y%m%d")) == day


def test_the_form_field_cleans_both_calendars() -> None:
    field = JapaneseDateField(required=False)
    assert field.clean("S16.3.2") == D(1941, 3, 2)
    assert field.clean("") is None
    assert field.prepare_value(D(1941, 3, 2)) == "1941-03-02"
    assert not field.has_changed(D(1941, 3, 2), "昭和16年3月2日")


def test_the_form_field_reports_a_wrong_date_as_a_form_error() -> None:
    from django.core.exceptions import ValidationError

    with translation.override("en"), pytest.raises(ValidationError) as error:
        JapaneseDateField().clean("昭和16年13月1日")
    assert error.value.messages == ["Enter the date as 1941-03-02 or 昭和16年3月2日."]
