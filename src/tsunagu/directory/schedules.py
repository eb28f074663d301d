"""Opening hours: HSDS 3 schedules (RFC 5545 recurrence rules) read in Japan time.

Pure functions over anything shaped like ``directory.Schedule`` (see
``ScheduleLike``); nothing here touches the database, so callers prefetch.

What a schedule means here:

- ``freq`` WEEKLY: the weekdays in ``byday`` (``MO,WE,FR``); without ``byday``, the
  weekday of ``dtstart``; without either, every day.
- ``freq`` MONTHLY: ``byday`` may carry ordinals (``2WE`` the second Wednesday,
  ``-1FR`` the last Friday); ``bymonthday`` counts days (``15``, ``-1`` the last day).
  Both given: the day must match both, as RFC 5545 says (``13`` and ``FR`` is
  Friday the 13th).
- No ``freq``: MONTHLY when ``bymonthday`` or an ordinal says so, WEEKLY otherwise.
- ``interval`` counts weeks (from the week of ``dtstart``, weeks starting on
  ``wkst``) or months (from the month of ``dtstart``); ``valid_from`` stands in for
  a missing ``dtstart``. ``count`` and ``until`` end the rule; ``valid_from`` and
  ``valid_to`` bound it; all dates are inclusive.
- Hours are ``[opens_at, closes_at)`` in Asia/Tokyo, or the whole day with
  ``open_24h``. A schedule with neither gives no hours and is never "open".
- ``closed_on_holidays`` skips Japan's national holidays (``jpholiday``: 振替休日
  and 国民の休日 included) and ``closed_year_end`` the New Year closure of public
  offices (年末年始, 29 December to 3 January). Like EXDATE, these skip days
  without changing which day is the n-th under ``count``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import jpholiday
from django.utils import translation
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

TOKYO = ZoneInfo("Asia/Tokyo")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKLY = "WEEKLY"
MONTHLY = "MONTHLY"
# How far next_opening looks ahead: enough for a rule every twelve months.
HORIZON_DAYS = 400

_BYDAY_PART = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


class ScheduleLike(Protocol):
    """The fields of ``directory.Schedule`` these functions read."""

    @property
    def valid_from(self) -> date | None: ...
    @property
    def valid_to(self) -> date | None: ...
    @property
    def dtstart(self) -> date | None: ...
    @property
    def until(self) -> date | None: ...
    @property
    def count(self) -> int | None: ...
    @property
    def wkst(self) -> str: ...
    @property
    def freq(self) -> str: ...
    @property
    def interval(self) -> int | None: ...
    @property
    def byday(self) -> str: ...
    @property
    def bymonthday(self) -> str: ...
    @property
    def opens_at(self) -> time | None: ...
    @property
    def closes_at(self) -> time | None: ...
    @property
    def closed_on_holidays(self) -> bool: ...
    @property
    def closed_year_end(self) -> bool: ...
    @property
    def open_24h(self) -> bool: ...
    @property
    def description(self) -> str: ...


@dataclass(frozen=True)
class ByDay:
    """One part of ``byday``: a weekday (0 = Monday) and, for MONTHLY, which one in the month."""

    weekday: int
    ordinal: int | None = None


# -- parsing ---------------------------------------------------------------------------------------
def parse_byday(value: str | None) -> list[ByDay]:
    """``"MO,2WE,-1FR"`` → ByDay list; ValueError names the part that is wrong."""
    return list(_parse_byday(value or ""))


def parse_bymonthday(value: str | None) -> list[int]:
    """``"1,15,-1"`` → ``[1, 15, -1]``; days run 1…31, or -1…-31 counted from the month's end."""
    return list(_parse_bymonthday(value or ""))


@lru_cache(maxsize=512)
def _parse_byday(value: str) -> tuple[ByDay, ...]:
    days: list[ByDay] = []
    for raw in value.split(","):
        part = raw.strip().upper()
        if not part:
            continue
        match = _BYDAY_PART.match(part)
        if match is None:
            raise ValueError(f"{raw.strip()!r} is not a weekday such as MO, 2WE or -1FR")
        ordinal = int(match.group(1)) if match.group(1) else None
        if ordinal is not None and not (1 <= abs(ordinal) <= 5):
            raise ValueError(f"{raw.strip()!r}: a month has at most five of each weekday")
        days.append(ByDay(WEEKDAY_CODES.index(match.group(2)), ordinal))
    return tuple(days)


@lru_cache(maxsize=512)
def _parse_bymonthday(value: str) -> tuple[int, ...]:
    days: list[int] = []
    for raw in value.split(","):
        part = raw.strip()
        if not part:
            continue
        try:
            number = int(part)
        except ValueError:
            raise ValueError(f"{part!r} is not a day of the month") from None
        if number == 0 or not (-31 <= number <= 31):
            raise ValueError(f"{part!r} is not a day of the month (1…31 or -1…-31)")
        days.append(number)
    return tuple(days)


def effective_freq(schedule: ScheduleLike) -> str:
    if schedule.freq in (WEEKLY, MONTHLY):
        return schedule.freq
    if parse_bymonthday(schedule.bymonthday) or any(
        day.ordinal is not None for day in parse_byday(schedule.byday)
    ):
        return MONTHLY
    return WEEKLY


# -- which days ------------------------------------------------------------------------------------
def is_year_end(day: date) -> bool:
    """年末年始: public offices close from 29 December to 3 January."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


@dataclass(frozen=True)
class _Rule:
    """The recurrence part of a schedule, hashable so that its count end can be cached."""

    freq: str
    bydays: tuple[ByDay, ...]
    monthdays: tuple[int, ...]
    interval: int
    dtstart: date | None
    anchor: date | None
    wkst: str

    @classmethod
    def of(cls, schedule: ScheduleLike) -> _Rule:
        return cls(
            freq=effective_freq(schedule),
            bydays=_parse_byday(schedule.byday or ""),
            monthdays=_parse_bymonthday(schedule.bymonthday or ""),
            interval=max(schedule.interval or 1, 1),
            dtstart=schedule.dtstart,
            anchor=schedule.dtstart or schedule.valid_from,
            wkst=schedule.wkst or "MO",
        )

    def matches(self, day: date) -> bool:
        """Whether ``day`` is one of the rule's days, before validity, count and closures."""
        if self.freq == WEEKLY:
            if self.bydays:
                if day.weekday() not in {part.weekday for part in self.bydays}:
                    return False
            elif self.dtstart is not None and day.weekday() != self.dtstart.weekday():
                return False
            if self.interval > 1 and self.anchor is not None:
                weeks = (_week_start(day, self.wkst) - _week_start(self.anchor, self.wkst)).days
                return (weeks // 7) % self.interval == 0
            return True

        if self.bydays and not any(_matches_byday_in_month(part, day) for part in self.bydays):
            return False
        if self.monthdays and not any(_matches_monthday(n, day) for n in self.monthdays):
            return False
        if (
            not self.bydays
            and not self.monthdays
            and self.dtstart is not None
            and day.day != self.dtstart.day
        ):
            return False
        if self.interval > 1 and self.anchor is not None:
            months = (day.year - self.anchor.year) * 12 + day.month - self.anchor.month
            return months % self.interval == 0
        return True


@lru_cache(maxsize=1024)
def _count_end(rule: _Rule, count: int) -> date:
    """The day of the ``count``-th occurrence from the anchor (holidays count: they are
    exceptions, like EXDATE, not gaps). A rule too sparse to get there within a year per
    occurrence ends where the search stopped."""
    assert rule.anchor is not None
    limit = rule.anchor + timedelta(days=366 * (count * rule.interval + 1))
    seen = 0
    current = rule.anchor
    while current < limit:
        if rule.matches(current):
            seen += 1
            if seen == count:
                return current
        current += timedelta(days=1)
    return limit


def _week_start(day: date, wkst: str) -> date:
    first = WEEKDAY_CODES.index(wkst) if wkst in WEEKDAY_CODES else 0
    return day - timedelta(days=(day.weekday() - first) % 7)


def _matches_byday_in_month(part: ByDay, day: date) -> bool:
    if day.weekday() != part.weekday:
        return False
    if part.ordinal is None:
        return True
    if part.ordinal > 0:
        return (day.day - 1) // 7 + 1 == part.ordinal
    last = calendar.monthrange(day.year, day.month)[1]
    return (last - day.day) // 7 + 1 == -part.ordinal


def _matches_monthday(number: int, day: date) -> bool:
    if number > 0:
        return day.day == number
    last = calendar.monthrange(day.year, day.month)[1]
    return day.day == last + number + 1


def occurs_on(schedule: ScheduleLike, day: date) -> bool:
    """Whether the schedule has hours on ``day`` (a date in Japan)."""
    for first in (schedule.valid_from, schedule.dtstart):
        if first is not None and day < first:
            return False
    for last in (schedule.valid_to, schedule.until):
        if last is not None and day > last:
            return False
    if schedule.closed_on_holidays and jpholiday.is_holiday(day):
        return False
    if schedule.closed_year_end and is_year_end(day):
        return False
    rule = _Rule.of(schedule)
    if not rule.matches(day):
        return False
    return not (
        schedule.count and rule.anchor is not None and day > _count_end(rule, schedule.count)
    )


def _last_day(schedule: ScheduleLike) -> date | None:
    ends = [end for end in (schedule.valid_to, schedule.until) if end is not None]
    return min(ends) if ends else None


# -- open or not -----------------------------------------------------------------------------------
def to_japan_time(at: datetime) -> datetime:
    """Aware datetimes are converted; naive ones are taken to be Japan time already."""
    if at.tzinfo is None:
        return at.replace(tzinfo=TOKYO)
    return at.astimezone(TOKYO)


def has_hours(schedule: ScheduleLike) -> bool:
    return schedule.open_24h or (schedule.opens_at is not None and schedule.closes_at is not None)


def _occurs_on_or_not(schedule: ScheduleLike, day: date) -> bool:
    """``occurs_on``, with a malformed imported rule giving no hours instead of an error page."""
    try:
        return occurs_on(schedule, day)
    except ValueError:
        return False


def _open_at(schedule: ScheduleLike, local: datetime) -> bool:
    if not has_hours(schedule) or not _occurs_on_or_not(schedule, local.date()):
        return False
    if schedule.open_24h:
        return True
    assert schedule.opens_at is not None and schedule.closes_at is not None
    now = local.time().replace(tzinfo=None)
    return schedule.opens_at <= now < schedule.closes_at


def is_open(schedules: Iterable[ScheduleLike], at: datetime) -> bool:
    """Whether any of the schedules is open at ``at``."""
    local = to_japan_time(at)
    return any(_open_at(schedule, local) for schedule in schedules)


def _next_start(schedule: ScheduleLike, local: datetime, horizon_days: int) -> datetime | None:
    if not has_hours(schedule):
        return None
    last = _last_day(schedule)
    today = local.date()
    for offset in range(horizon_days + 1):
        day = today + timedelta(days=offset)
        if last is not None and day > last:
            return None
        if not _occurs_on_or_not(schedule, day):
            continue
        opens = time(0, 0) if schedule.open_24h else schedule.opens_at
        assert opens is not None
        start = datetime.combine(day, opens, tzinfo=TOKYO)
        if start >= local:
            return start
    return None


def next_opening(
    schedules: Iterable[ScheduleLike], at: datetime, *, horizon_days: int = HORIZON_DAYS
) -> datetime | None:
    """The first moment at or after ``at`` when one of the schedules is open, in Japan time.

    ``at`` itself (converted to Japan time) when already open; None when nothing
    opens within ``horizon_days``.
    """
    schedules = list(schedules)
    local = to_japan_time(at)
    if is_open(schedules, local):
        return local
    starts = [
        start
        for schedule in schedules
        if (start := _next_start(schedule, local, horizon_days)) is not None
    ]
    return min(starts, default=None)


# -- words -----------------------------------------------------------------------------------------
def _format_time(value: time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def _weekday(index: int) -> str:
    # Django's own catalogue already has these (Mon → 月).
    return str(WEEKDAYS_ABBR[index])


def _join(parts: list[str]) -> str:
    # Translators: Japanese joins days with a middle dot: 月・水・金.
    return pgettext("separator between weekdays or days in a schedule", ", ").join(parts)


def _weekday_list(weekdays: Iterable[int]) -> str:
    """``[0, 1, 2, 3, 4]`` → "Mon–Fri"; runs of three or more days become ranges."""
    ordered = sorted(set(weekdays))
    if len(ordered) == 7:
        return _("every day")
    runs: list[list[int]] = []
    for index in ordered:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(
                # Translators: Japanese: %(first)s〜%(last)s (月〜金).
                pgettext("range of weekdays", "%(first)s–%(last)s")
                % {"first": _weekday(run[0]), "last": _weekday(run[-1])}
            )
        else:
            parts.extend(_weekday(index) for index in run)
    return _join(parts)


def _nth_weekday(part: ByDay) -> str:
    weekday = _weekday(part.weekday)
    texts = {
        # Translators: %(weekday)s is a short weekday name (Wed / 水); Japanese: 第1%(weekday)s曜.
        1: _("1st %(weekday)s"),
        2: _("2nd %(weekday)s"),
        3: _("3rd %(weekday)s"),
        4: _("4th %(weekday)s"),
        5: _("5th %(weekday)s"),
        # Translators: Japanese: 最終%(weekday)s曜.
        -1: _("last %(weekday)s"),
        -2: _("second to last %(weekday)s"),
        -3: _("third to last %(weekday)s"),
        -4: _("fourth to last %(weekday)s"),
        -5: _("fifth to last %(weekday)s"),
    }
    if part.ordinal is None:
        return weekday
    return texts[part.ordinal] % {"weekday": weekday}


def _monthday(number: int) -> str:
    if number == -1:
        return _("last day")
    if number < 0:
        return _("day %(number)s from the end") % {"number": -number}
    return _("day %(number)s") % {"number": number}


def _days_text(schedule: ScheduleLike) -> str:
    interval = max(schedule.interval or 1, 1)
    bydays = parse_byday(schedule.byday)
    if effective_freq(schedule) == WEEKLY:
        if bydays:
            days = _weekday_list(part.weekday for part in bydays)
        elif schedule.dtstart is not None:
            days = _weekday(schedule.dtstart.weekday())
        else:
            days = _("every day")
        if interval > 1:
            return _("every %(interval)s weeks on %(days)s") % {"interval": interval, "days": days}
        return days

    weekdays = _join([_nth_weekday(part) for part in bydays])
    monthdays = _join([_monthday(number) for number in parse_bymonthday(schedule.bymonthday)])
    if weekdays and monthdays:
        days = _("%(weekdays)s falling on %(monthdays)s") % {
            "weekdays": weekdays,
            "monthdays": monthdays,
        }
    elif weekdays or monthdays:
        days = weekdays or monthdays
    elif schedule.dtstart is not None:
        days = _monthday(schedule.dtstart.day)
    else:
        return _("every day")
    if interval > 1:
        return _("every %(interval)s months on %(days)s") % {"interval": interval, "days": days}
    # Translators: Japanese: 毎月%(days)s.
    return _("monthly on %(days)s") % {"days": days}


def _closures_text(schedule: ScheduleLike) -> str:
    if schedule.closed_on_holidays and schedule.closed_year_end:
        return _("closed on public holidays and over the New Year holidays")
    if schedule.closed_on_holidays:
        # Translators: Japanese: 祝日休み.
        return _("closed on public holidays")
    if schedule.closed_year_end:
        return _("closed over the New Year holidays")
    return ""


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _describe(schedule: ScheduleLike) -> str:
    if not has_hours(schedule) and schedule.description:
        return schedule.description
    try:
        days = _days_text(schedule)
    except ValueError:  # a malformed rule from an import: say what the data says
        return schedule.description or ", ".join(
            part for part in (schedule.byday, schedule.bymonthday) if part
        )
    if schedule.open_24h:
        hours = _("24 hours")
    elif schedule.opens_at is not None and schedule.closes_at is not None:
        hours = f"{_format_time(schedule.opens_at)}–{_format_time(schedule.closes_at)}"
    else:
        hours = ""
    text = (
        pgettext("schedule: days then hours", "%(days)s %(hours)s") % {"days": days, "hours": hours}
        if hours
        else days
    )
    closures = _closures_text(schedule)
    if closures:
        # Translators: Japanese uses full-width brackets: %(schedule)s（%(closures)s）.
        text = pgettext("schedule followed by its closures", "%(schedule)s (%(closures)s)") % {
            "schedule": text,
            "closures": closures,
        }
    return _capitalise(text)


def describe(schedule: ScheduleLike, language: str | None = None) -> str:
    """One line for people: "Mon, Wed, Fri 9:00–17:00 (closed on public holidays)".

    In ``language`` (a Django language code) or, when None, the active language;
    in Japanese 「月・水・金 9:00–17:00（祝日休み）」.
    """
    if language is None:
        return _describe(schedule)
    with translation.override(language):
        return _describe(schedule)
