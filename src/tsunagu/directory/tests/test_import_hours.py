"""The opening-hours cell of the template: 「月-金 9:00-17:00 祝日休み」 ⇄ Schedule rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.directory.importers.cells import CellError
from tsunagu.directory.importers.hours import (
    CODES,
    format_hours,
    format_schedule,
    parse_hours,
    rule_key,
)
from tsunagu.directory.models import Schedule


def one(text: str) -> dict[str, Any]:
    [schedule] = parse_hours(text)
    return schedule


def test_weekdays_with_hours_and_holidays_closed() -> None:
    schedule = one("月-金 9:00-17:00 祝日休み")
    assert (schedule["freq"], schedule["byday"]) == ("WEEKLY", "MO,TU,WE,TH,FR")
    assert (schedule["opens_at"], schedule["closes_at"]) == (dt.time(9), dt.time(17))
    assert schedule["closed_on_holidays"] and not schedule["closed_year_end"]


@pytest.mark.parametrize(
    ("text", "freq", "byday", "bymonthday"),
    [
        ("第2水 13:30-15:30", "MONTHLY", "2WE", ""),
        ("第1・3土 12:00-14:00", "MONTHLY", "1SA,3SA", ""),
        ("毎月第1・第3土曜日 12:00-14:00", "MONTHLY", "1SA,3SA", ""),
        ("第2水・最終金 13:00-15:00", "MONTHLY", "2WE,-1FR", ""),
        ("毎月15日・末日 10:00-11:00", "MONTHLY", "", "15,-1"),
        ("月・水・金 9:00-12:00", "WEEKLY", "MO,WE,FR", ""),
        ("土日 10:00-16:00", "WEEKLY", "SA,SU", ""),
        ("平日 8:30-17:15", "WEEKLY", "MO,TU,WE,TH,FR", ""),
        ("毎日 6:00-22:00", "WEEKLY", "", ""),
        ("金-月 18:00-20:00", "WEEKLY", "MO,FR,SA,SU", ""),
    ],
)
def test_days_are_read_as_rules(text: str, freq: str, byday: str, bymonthday: str) -> None:
    schedule = one(text)
    assert (schedule["freq"], schedule["byday"], schedule["bymonthday"]) == (
        freq,
        byday,
        bymonthday,
    )


def test_japanese_ways_of_writing_times_and_full_width_characters() -> None:
    assert one("月～金　９：００－１７：００")["opens_at"] == dt.time(9)
    schedule = one("火曜日 9時から12時半まで")
    assert (schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "TU",
        dt.time(9),
        dt.time(12, 30),
    )
    assert one("水 13時30分〜15時")["opens_at"] == dt.time(13, 30)


def test_24_hours() -> None:
    assert one("24時間") | {} == one("24時間") and one("24時間")["open_24h"]
    assert one("24時間")["byday"] == ""
    assert one("土日 24時間")["byday"] == "SA,SU"


def test_several_entries_and_closures_that_apply_to_all() -> None:
    schedules = parse_hours("平日 8:30-17:15、土 9:00-12:00\n祝日・年末年始休み")
    assert [s["byday"] for s in schedules] == ["MO,TU,WE,TH,FR", "SA"]
    assert all(s["closed_on_holidays"] and s["closed_year_end"] for s in schedules)


def test_a_lunch_break_gives_two_schedules() -> None:
    schedules = parse_hours("月-金 9:00-12:00・13:00-17:00（祝日除く）")
    assert [(s["opens_at"], s["closes_at"]) for s in schedules] == [
        (dt.time(9), dt.time(12)),
        (dt.time(13), dt.time(17)),
    ]
    assert all(s["closed_on_holidays"] for s in schedules)


def test_anything_else_as_an_rrule() -> None:
    schedule = one("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;DTSTART=2025-04-05 10:00-12:00")
    assert (schedule["interval"], schedule["dtstart"], schedule["byday"]) == (
        2,
        dt.date(2025, 4, 5),
        "SA",
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("月-金", "Give the hours"),
        ("9:00-17:00", "Say which days"),
        ("月-金 9:00-24:00", "24:00"),
        ("土日祝 10:00-16:00", "Cannot read 「祝 10:00-16:00」"),
        ("いつでも", "Cannot read"),
        ("月-金 第2水 9:00-10:00", "one kind of day"),
        ("24時間 9:00-17:00", "not both"),
        ("RRULE:FREQ=WEEKLY;FOO=1 9:00-10:00", "FOO=1"),
    ],
)
def test_unreadable_hours_say_what_to_write(text: str, says: str) -> None:
    with pytest.raises(CellError, match=says.replace("(", r"\(")):
        parse_hours(text)


# -- writing them back -----------------------------------------------------------------------------
def schedule(**values: Any) -> Schedule:
    defaults: dict[str, Any] = {
        "freq": "WEEKLY",
        "byday": "MO,TU,WE,TH,FR",
        "opens_at": dt.time(9),
        "closes_at": dt.time(17),
    }
    return Schedule(**(defaults | values))


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ({}, "月-金 9:00-17:00"),
        (
            {"closed_on_holidays": True, "closed_year_end": True},
            "月-金 9:00-17:00 祝日・年末年始休み",
        ),
        ({"byday": "FR,MO"}, "月・金 9:00-17:00"),
        ({"freq": "MONTHLY", "byday": "2WE,4WE,-1FR"}, "第2・4水・最終金 9:00-17:00"),
        ({"freq": "MONTHLY", "byday": "", "bymonthday": "1,-1"}, "毎月1日・末日 9:00-17:00"),
        ({"byday": "", "open_24h": True, "opens_at": None, "closes_at": None}, "24時間"),
        (
            {"byday": "SA", "interval": 2, "dtstart": dt.date(2025, 4, 5)},
            "RRULE:FREQ=WEEKLY;BYDAY=SA;INTERVAL=2;DTSTART=2025-04-05 9:00-17:00",
        ),
        ({"freq": "MONTHLY", "byday": "-2FR"}, "RRULE:FREQ=MONTHLY;BYDAY=-2FR 9:00-17:00"),
        ({"freq": ""}, "RRULE:BYDAY=MO,TU,WE,TH,FR 9:00-17:00"),
    ],
)
def test_schedules_are_written_short_where_they_can_be(values: dict[str, Any], text: str) -> None:
    written = format_schedule(schedule(**values))
    assert written == text
    assert [rule_key(item) for item in parse_hours(text)] == [rule_key(schedule(**values))]


def test_a_schedule_without_hours_has_no_cell_text() -> None:
    assert format_schedule(schedule(opens_at=None, closes_at=None, description="要予約")) is None
    assert format_hours([schedule(), schedule(byday="SA", opens_at=dt.time(10))]) == (
        "月-金 9:00-17:00、土 10:00-17:00"
    )


@given(
    days=st.sets(st.sampled_from(CODES), min_size=1),
    opens=st.integers(min_value=0, max_value=22 * 60),
    length=st.integers(min_value=1, max_value=90),
    holidays=st.booleans(),
    monthly=st.booleans(),
    ordinal=st.sampled_from([1, 2, 3, 4, 5, -1]),
)
def test_any_weekly_or_monthly_schedule_survives_the_cell(
    days: set[str], opens: int, length: int, holidays: bool, monthly: bool, ordinal: int
) -> None:
    closes = min(opens + length, 23 * 60 + 59)
    byday = ",".join(f"{ordinal}{code}" if monthly else code for code in sorted(days))
    original = schedule(
        freq="MONTHLY" if monthly else "WEEKLY",
        byday=byday,
        opens_at=dt.time(opens // 60, opens % 60),
        closes_at=dt.time(closes // 60, closes % 60),
        closed_on_holidays=holidays,
    )
    text = format_schedule(original)
    assert text is not None
    assert [rule_key(item) for item in parse_hours(text)] == [rule_key(original)]
