"""Opening hours: is_open, next_opening and describe, in Japan time, with Japan's holidays.

The schedules here are unsaved ``Schedule`` instances: the functions are pure and
never touch the database. Dates used below (all 2025 unless said):
- Mon 2 June … Fri 6 June; Wednesdays in June: 4, 11, 18, 25; Fridays: 6, 13, 20, 27.
- Mon 13 January 成人の日; Tue 6 May 振替休日; Mon 21 July 海の日.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import jpholiday
import pytest
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tsunagu.directory import schedules
from tsunagu.directory.models import Schedule
from tsunagu.directory.schedules import (
    TOKYO,
    ByDay,
    describe,
    is_open,
    next_opening,
    occurs_on,
    parse_byday,
    parse_bymonthday,
)

UTC = dt.UTC


def make(**fields: Any) -> Schedule:
    """A weekday 9:00–17:00 schedule unless ``fields`` say otherwise."""
    values: dict[str, Any] = {
        "freq": "WEEKLY",
        "byday": "MO,TU,WE,TH,FR",
        "opens_at": dt.time(9),
        "closes_at": dt.time(17),
    }
    values.update(fields)
    return Schedule(**values)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


# -- parsing ---------------------------------------------------------------------------------------
def test_it_parses_weekdays_with_and_without_ordinals() -> None:
    assert parse_byday("MO, 2we,-1FR") == [ByDay(0), ByDay(2, 2), ByDay(4, -1)]
    assert parse_byday("") == []
    for bad in ("MON", "6MO", "0MO", "MO;TU", "-6FR"):
        with pytest.raises(ValueError):
            parse_byday(bad)


def test_it_parses_days_of_the_month() -> None:
    assert parse_bymonthday("1, 15,-1") == [1, 15, -1]
    for bad in ("0", "32", "-32", "x"):
        with pytest.raises(ValueError):
            parse_bymonthday(bad)


# -- weekly ----------------------------------------------------------------------------------------
def test_it_is_open_during_weekday_hours_and_closed_outside_them() -> None:
    office = [make()]
    assert is_open(office, at(2025, 6, 2, 9, 0))  # opening minute included
    assert is_open(office, at(2025, 6, 2, 16, 59))
    assert not is_open(office, at(2025, 6, 2, 17, 0))  # closing minute excluded
    assert not is_open(office, at(2025, 6, 2, 8, 59))
    assert not is_open(office, at(2025, 6, 7, 10, 0))  # Saturday


def test_it_reads_times_in_japan_time() -> None:
    office = [make()]
    # 00:30 UTC is 9:30 in Tokyo; 09:30 UTC is 18:30.
    assert is_open(office, dt.datetime(2025, 6, 2, 0, 30, tzinfo=UTC))
    assert not is_open(office, dt.datetime(2025, 6, 2, 9, 30, tzinfo=UTC))
    # Sunday 23:30 UTC is Monday 8:30 in Tokyo.
    assert not is_open(office, dt.datetime(2025, 6, 1, 23, 30, tzinfo=UTC))
    assert is_open(office, dt.datetime(2025, 6, 2, 9, 30))  # naive: already Japan time


def test_it_is_closed_on_a_national_holiday_only_when_the_schedule_says_so() -> None:
    coming_of_age_day = at(2025, 1, 13)
    substitute_holiday = at(2025, 5, 6)
    assert not is_open([make(closed_on_holidays=True)], coming_of_age_day)
    assert not is_open([make(closed_on_holidays=True)], substitute_holiday)
    assert is_open([make(closed_on_holidays=False)], coming_of_age_day)


def test_it_is_closed_over_the_new_year_when_the_schedule_says_so() -> None:
    office = [make(closed_year_end=True)]
    assert is_open(office, at(2025, 12, 26))
    assert not is_open(office, at(2025, 12, 29))
    assert not is_open(office, at(2026, 1, 2))
    assert is_open(office, at(2026, 1, 5))


def test_it_is_always_open_when_open_24_hours() -> None:
    hotline = [make(byday="", open_24h=True, opens_at=None, closes_at=None)]
    assert is_open(hotline, at(2025, 6, 7, 3, 0))
    assert is_open(hotline, at(2025, 1, 1, 0, 0))


def test_it_opens_all_day_on_the_given_days_when_open_24_hours() -> None:
    weekend = [make(byday="SA,SU", open_24h=True, opens_at=None, closes_at=None)]
    assert is_open(weekend, at(2025, 6, 7, 0, 0))
    assert is_open(weekend, at(2025, 6, 8, 23, 59))
    assert not is_open(weekend, at(2025, 6, 9, 0, 0))


def test_it_opens_every_other_week_counting_from_the_first_date() -> None:
    fortnightly = [make(byday="MO", interval=2, dtstart=dt.date(2025, 6, 2))]
    assert is_open(fortnightly, at(2025, 6, 2))
    assert not is_open(fortnightly, at(2025, 6, 9))
    assert is_open(fortnightly, at(2025, 6, 16))
    assert not is_open(fortnightly, at(2025, 5, 26))  # before the first date


def test_it_uses_the_weekday_of_the_first_date_when_no_weekdays_are_given() -> None:
    thursdays = [make(byday="", dtstart=dt.date(2025, 6, 5))]
    assert is_open(thursdays, at(2025, 6, 12))
    assert not is_open(thursdays, at(2025, 6, 11))


def test_it_opens_every_day_when_no_rule_limits_the_days() -> None:
    daily = [make(freq="", byday="")]
    assert all(is_open(daily, at(2025, 6, day)) for day in range(1, 31))


# -- monthly ---------------------------------------------------------------------------------------
def test_it_opens_on_the_second_wednesday_of_the_month() -> None:
    salon = [make(freq="MONTHLY", byday="2WE", opens_at=dt.time(10), closes_at=dt.time(12))]
    assert is_open(salon, at(2025, 6, 11, 10, 30))
    assert not is_open(salon, at(2025, 6, 4, 10, 30))
    assert not is_open(salon, at(2025, 6, 18, 10, 30))


def test_it_opens_on_the_last_friday_of_the_month() -> None:
    cafe = [make(freq="MONTHLY", byday="-1FR")]
    assert is_open(cafe, at(2025, 6, 27))
    assert not is_open(cafe, at(2025, 6, 20))
    assert is_open(cafe, at(2025, 2, 28))


def test_it_opens_on_days_of_the_month_counted_from_either_end() -> None:
    pantry = [make(freq="MONTHLY", byday="", bymonthday="15,-1")]
    assert is_open(pantry, at(2025, 6, 15))
    assert is_open(pantry, at(2025, 6, 30))
    assert is_open(pantry, at(2025, 2, 28))
    assert not is_open(pantry, at(2025, 6, 29))


def test_it_needs_both_weekday_and_day_of_month_when_both_are_given() -> None:
    friday_13th = [make(freq="MONTHLY", byday="FR", bymonthday="13")]
    assert is_open(friday_13th, at(2025, 6, 13))
    assert not is_open(friday_13th, at(2025, 6, 20))
    assert not is_open(friday_13th, at(2025, 7, 13))


def test_it_takes_ordinals_as_monthly_even_without_a_frequency() -> None:
    assert is_open([make(freq="", byday="2WE")], at(2025, 6, 11))
    assert not is_open([make(freq="", byday="2WE")], at(2025, 6, 4))


def test_it_opens_every_other_month_counting_from_the_first_date() -> None:
    bimonthly = [
        make(freq="MONTHLY", byday="", bymonthday="1", interval=2, dtstart=dt.date(2025, 1, 1))
    ]
    assert is_open(bimonthly, at(2025, 3, 1))
    assert not is_open(bimonthly, at(2025, 2, 1))


# -- validity, until and count ---------------------------------------------------------------------
def test_it_is_closed_outside_the_valid_dates() -> None:
    summer = [make(valid_from=dt.date(2025, 7, 1), valid_to=dt.date(2025, 8, 31))]
    assert not is_open(summer, at(2025, 6, 30))
    assert is_open(summer, at(2025, 7, 1))
    assert is_open(summer, at(2025, 8, 29))
    assert not is_open(summer, at(2025, 9, 1))


def test_it_ends_after_until() -> None:
    course = [make(byday="MO", until=dt.date(2025, 6, 9))]
    assert is_open(course, at(2025, 6, 9))
    assert not is_open(course, at(2025, 6, 16))


def test_it_ends_after_count_occurrences_with_holidays_still_counted() -> None:
    # Mondays from 14 July: 14, 21 (海の日, skipped but counted), 28 — then it ends.
    course = [make(byday="MO", dtstart=dt.date(2025, 7, 14), count=3, closed_on_holidays=True)]
    assert is_open(course, at(2025, 7, 14))
    assert not is_open(course, at(2025, 7, 21))
    assert is_open(course, at(2025, 7, 28))
    assert not is_open(course, at(2025, 8, 4))


# -- next opening ----------------------------------------------------------------------------------
def test_next_opening_is_now_when_open() -> None:
    moment = at(2025, 6, 2, 10, 15)
    assert next_opening([make()], moment) == moment


def test_next_opening_skips_the_weekend() -> None:
    assert next_opening([make()], at(2025, 6, 6, 17, 30)) == at(2025, 6, 9, 9, 0)
    assert next_opening([make()], at(2025, 6, 9, 7, 0)) == at(2025, 6, 9, 9, 0)


def test_next_opening_skips_holidays_and_the_new_year() -> None:
    office = [make(closed_on_holidays=True, closed_year_end=True)]
    assert next_opening(office, at(2025, 7, 18, 18, 0)) == at(2025, 7, 22, 9, 0)  # 海の日
    assert next_opening(office, at(2025, 12, 26, 18, 0)) == at(2026, 1, 5, 9, 0)


def test_next_opening_takes_the_earliest_of_several_schedules() -> None:
    morning = make(opens_at=dt.time(9), closes_at=dt.time(12))
    afternoon = make(opens_at=dt.time(13), closes_at=dt.time(17))
    saturday = make(byday="SA", opens_at=dt.time(10), closes_at=dt.time(12))
    both = [morning, afternoon, saturday]
    assert next_opening(both, at(2025, 6, 2, 12, 30)) == at(2025, 6, 2, 13, 0)
    assert next_opening(both, at(2025, 6, 6, 17, 0)) == at(2025, 6, 7, 10, 0)


def test_next_opening_is_in_japan_time_for_a_utc_moment() -> None:
    opening = next_opening([make()], dt.datetime(2025, 6, 6, 9, 0, tzinfo=UTC))  # Fri 18:00 JST
    assert opening == at(2025, 6, 9, 9, 0)
    assert opening is not None and opening.tzinfo == TOKYO


def test_next_opening_is_none_when_nothing_opens_again() -> None:
    ended = [make(valid_to=dt.date(2025, 3, 31))]
    assert next_opening(ended, at(2025, 6, 2)) is None
    assert next_opening([], at(2025, 6, 2)) is None
    assert (
        next_opening([make(opens_at=None, closes_at=None, description="要予約")], at(2025, 6, 2))
        is None
    )


def test_it_treats_a_malformed_imported_rule_as_giving_no_hours() -> None:
    broken = [make(byday="Mondays")]
    assert not is_open(broken, at(2025, 6, 2))
    assert next_opening(broken, at(2025, 6, 2)) is None
    assert describe(broken[0], "en") == "Mondays"


# -- describe --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"byday": "MO,WE,FR", "closed_on_holidays": True},
            "Mon, Wed, Fri 9:00–17:00 (closed on public holidays)",
        ),
        ({"opens_at": dt.time(8, 30), "closes_at": dt.time(17, 15)}, "Mon–Fri 8:30–17:15"),
        ({"byday": "SA,SU,MO,TU"}, "Mon, Tue, Sat, Sun 9:00–17:00"),
        ({"byday": "SU,MO,TU,WE,TH,FR,SA"}, "Every day 9:00–17:00"),
        (
            {"byday": "", "open_24h": True, "opens_at": None, "closes_at": None},
            "Every day 24 hours",
        ),
        (
            {"closed_on_holidays": True, "closed_year_end": True},
            "Mon–Fri 9:00–17:00 (closed on public holidays and over the New Year holidays)",
        ),
        (
            {"byday": "SA", "closed_year_end": True},
            "Sat 9:00–17:00 (closed over the New Year holidays)",
        ),
        (
            {"freq": "MONTHLY", "byday": "2WE", "opens_at": dt.time(10), "closes_at": dt.time(12)},
            "Monthly on 2nd Wed 10:00–12:00",
        ),
        ({"freq": "MONTHLY", "byday": "1MO,-1FR"}, "Monthly on 1st Mon, last Fri 9:00–17:00"),
        (
            {"freq": "MONTHLY", "byday": "", "bymonthday": "15,-1"},
            "Monthly on day 15, last day 9:00–17:00",
        ),
        (
            {"freq": "MONTHLY", "byday": "FR", "bymonthday": "13"},
            "Monthly on Fri falling on day 13 9:00–17:00",
        ),
        (
            {"byday": "TH", "interval": 2, "dtstart": dt.date(2025, 6, 5)},
            "Every 2 weeks on Thu 9:00–17:00",
        ),
        (
            {"freq": "MONTHLY", "byday": "", "bymonthday": "1", "interval": 3},
            "Every 3 months on day 1 9:00–17:00",
        ),
        (
            {"opens_at": None, "closes_at": None, "description": "予約制です。"},
            "予約制です。",
        ),
    ],
)
def test_it_describes_a_schedule_in_english(fields: dict[str, Any], expected: str) -> None:
    assert describe(make(**fields), "en") == expected


def test_it_names_the_days_in_japanese() -> None:
    # The weekday names come from Django's own Japanese catalogue.
    assert describe(make(byday="MO,WE,FR"), "ja").startswith("月")


def test_it_describes_a_schedule_in_japanese() -> None:
    schedule = make(byday="MO,WE,FR", closed_on_holidays=True)
    assert describe(schedule, "ja") == "月・水・金 9:00–17:00（祝日休み）"


def test_it_describes_in_the_active_language_by_default() -> None:
    with translation.override("en"):
        assert describe(make()) == "Mon–Fri 9:00–17:00"
        assert str(make()) == "Mon–Fri 9:00–17:00"


# -- properties ------------------------------------------------------------------------------------
WEEKDAY_CODES = schedules.WEEKDAY_CODES
HOLIDAYS = [day for day, _ in jpholiday.between(dt.date(2020, 1, 1), dt.date(2030, 12, 31))]

moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31), timezones=st.just(TOKYO)
)
any_zone_moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 2),
    max_value=dt.datetime(2030, 12, 30),
    timezones=st.sampled_from([TOKYO, UTC, dt.timezone(dt.timedelta(hours=-10))]),
)
minutes = st.integers(min_value=0, max_value=24 * 60 - 1)


@st.composite
def hours(draw: st.DrawFn) -> tuple[dt.time, dt.time]:
    opens = draw(st.integers(min_value=0, max_value=24 * 60 - 2))
    closes = draw(st.integers(min_value=opens + 1, max_value=24 * 60 - 1))
    return dt.time(opens // 60, opens % 60), dt.time(closes // 60, closes % 60)


@st.composite
def any_schedule(draw: st.DrawFn) -> Schedule:
    freq = draw(st.sampled_from(["", "WEEKLY", "MONTHLY"]))
    weekdays = draw(st.lists(st.sampled_from(WEEKDAY_CODES), unique=True, max_size=7))
    if freq == "MONTHLY":
        ordinals = st.sampled_from(["", "1", "2", "3", "4", "5", "-1", "-2"])
        byday = ",".join(f"{draw(ordinals)}{code}" for code in weekdays)
        bymonthday = ",".join(
            str(number)
            for number in draw(
                st.lists(st.integers(min_value=-31, max_value=31).filter(bool), max_size=3)
            )
        )
    else:
        byday, bymonthday = ",".join(weekdays), ""
    open_24h = draw(st.booleans())
    opens_at, closes_at = (None, None) if open_24h else draw(hours())
    start = draw(st.none() | st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)))
    interval = draw(st.integers(min_value=1, max_value=3))
    return Schedule(
        freq=freq,
        byday=byday,
        bymonthday=bymonthday,
        interval=interval,
        dtstart=start if (start is not None and (interval > 1 or draw(st.booleans()))) else None,
        valid_from=draw(
            st.none() | st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1))
        ),
        valid_to=draw(
            st.none() | st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2031, 1, 1))
        ),
        count=draw(st.none() | st.integers(min_value=1, max_value=20)),
        opens_at=opens_at,
        closes_at=closes_at,
        open_24h=open_24h,
        closed_on_holidays=draw(st.booleans()),
        closed_year_end=draw(st.booleans()),
        wkst=draw(st.sampled_from(["", *WEEKDAY_CODES])),
    )


@given(moment=any_zone_moments)
def test_property_open_24_hours_with_no_limits_is_always_open(moment: dt.datetime) -> None:
    hotline = make(freq="", byday="", open_24h=True, opens_at=None, closes_at=None)
    assert is_open([hotline], moment)
    assert next_opening([hotline], moment) == moment.astimezone(TOKYO)


@given(schedule=any_schedule(), holiday=st.sampled_from(HOLIDAYS), minute=minutes)
def test_property_closed_on_holidays_is_never_open_on_a_holiday(
    schedule: Schedule, holiday: dt.date, minute: int
) -> None:
    schedule.closed_on_holidays = True
    moment = dt.datetime.combine(holiday, dt.time(minute // 60, minute % 60), tzinfo=TOKYO)
    assert not is_open([schedule], moment)


@given(
    weekdays=st.lists(st.sampled_from(WEEKDAY_CODES), unique=True, min_size=1),
    span=hours(),
    moment=moments,
)
def test_property_weekly_hours_match_a_plain_reading(
    weekdays: list[str], span: tuple[dt.time, dt.time], moment: dt.datetime
) -> None:
    schedule = make(byday=",".join(weekdays), opens_at=span[0], closes_at=span[1])
    expected = WEEKDAY_CODES[moment.weekday()] in weekdays and span[0] <= moment.time() < span[1]
    assert is_open([schedule], moment) is expected


@given(
    ordinal=st.sampled_from([1, 2, 3, 4, 5, -1, -2]),
    weekday=st.integers(min_value=0, max_value=6),
    day=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_property_nth_weekday_of_the_month(ordinal: int, weekday: int, day: dt.date) -> None:
    schedule = make(freq="MONTHLY", byday=f"{ordinal}{WEEKDAY_CODES[weekday]}")
    length = calendar.monthrange(day.year, day.month)[1]
    nth = (day.day - 1) // 7 + 1 if ordinal > 0 else -((length - day.day) // 7 + 1)
    assert occurs_on(schedule, day) is (day.weekday() == weekday and nth == ordinal)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    schedule_list=st.lists(any_schedule(), min_size=1, max_size=3),
    moment=moments,
    fraction=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_property_next_opening_is_the_first_open_moment(
    schedule_list: list[Schedule], moment: dt.datetime, fraction: float
) -> None:
    opening = next_opening(schedule_list, moment)
    assume(opening is not None)
    assert opening is not None
    assert opening >= moment
    assert is_open(schedule_list, opening)
    if opening > moment:
        # Closed from `moment` up to the opening: at a random point and just before it.
        # timedelta * float rounds to the microsecond: keep the point before the opening.
        between = min(
            moment + (opening - moment) * fraction, opening - dt.timedelta(microseconds=1)
        )
        assert not is_open(schedule_list, between)
        assert not is_open(schedule_list, max(moment, opening - dt.timedelta(seconds=1)))


@given(schedule=any_schedule(), language=st.sampled_from(["en", "ja"]))
def test_property_describe_always_says_something(schedule: Schedule, language: str) -> None:
    text = describe(schedule, language)
    assert text
    if not schedule.open_24h and schedule.opens_at is not None:
        assert f"{schedule.opens_at.hour}:{schedule.opens_at.minute:02d}" in text
