"""Opening hours in one spreadsheet cell: 「月-金 9:00-17:00 祝日休み」 ⇄ Schedule rows.

The syntax (documented in docs/directory-import.md), one entry per line or
separated by 「、」; each entry is days, then hours, then closures:

- days: 月-金 / 月・水・金 / 土日 / 平日 / 毎日; monthly 第2水 / 第1・3水 / 最終金;
  days of the month 毎月15日 / 毎月1日・15日 / 毎月末日;
- hours: 9:00-17:00 (also 9時-17時, 9時半, ～ and から), several as
  9:00-12:00・13:00-17:00; or 24時間 (alone, every day);
- closures: 祝日休み, 年末年始休み, 祝日・年末年始休み (also …除く); an entry of
  closures alone applies to every entry of the cell;
- anything else a schedule can say, as ``RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;
  DTSTART=2025-04-07`` before the hours (what the export writes when the short
  form cannot say it).

Parsing gives field values only; the Schedule model validates them (closing after
opening, ordinals only monthly …), so the rules live in one place.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tsunagu.directory import schedules

from .cells import CellError, split_multi

WEEKDAY_CHARS = "月火水木金土日"
CODES = schedules.WEEKDAY_CODES
RULE_FIELDS = (
    "freq",
    "byday",
    "bymonthday",
    "interval",
    "dtstart",
    "until",
    "count",
    "wkst",
    "valid_from",
    "valid_to",
    "timezone",
    "opens_at",
    "closes_at",
    "open_24h",
    "closed_on_holidays",
    "closed_year_end",
)
EXAMPLES = "月-金 9:00-17:00 祝日休み、第2水 13:30-15:30、24時間"

_W = f"[{WEEKDAY_CHARS}]"
_TIME = r"(\d{1,2})(?::(\d{2})(?::(\d{2}))?|時(?:(\d{1,2})分|(半))?)"
_TOKENS: list[tuple[str, re.Pattern[str]]] = [
    ("rrule", re.compile(r"RRULE:([A-Za-z0-9=;,:+\-.]+)")),
    ("24h", re.compile(r"24時間(?:営業|対応|受付)?")),
    ("time", re.compile(_TIME + r"\s*-\s*" + _TIME)),
    (
        "closed",
        re.compile(
            r"((?:祝日|祝祭日|年末年始)(?:・(?:祝日|祝祭日|年末年始))*)(?:は|も)?"
            r"(?:休み|休館|休業|休|を除く|除く)"
        ),
    ),
    ("last", re.compile(rf"(?:毎月)?最終({_W})")),
    ("nth", re.compile(rf"(?:毎月)?第([1-5](?:・第?[1-5])*)({_W})")),
    ("monthday", re.compile(r"毎月((?:\d{1,2}|末)日?(?:・(?:\d{1,2}|末)日?)*)")),
    ("daily", re.compile(r"毎日")),
    ("weekdays", re.compile(r"平日")),
    ("days", re.compile(rf"{_W}(?:-{_W})?(?:[・,]?{_W}(?:-{_W})?)*")),
]
_SKIP = re.compile(r"[\s・,（）()]+")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[~〜～–—―−ー]|から", "-", text)
    text = text.replace("まで", "")
    text = re.sub(rf"({_W})曜日?", r"\1", text)
    return text.strip()


def _time(
    hour: str, minute: str | None, second: str | None, kanji_minute: str | None, half: str | None
) -> time:
    minutes = int(minute or kanji_minute or (30 if half else 0))
    try:
        return time(int(hour), minutes, int(second or 0))
    except ValueError:
        if int(hour) == 24:
            raise CellError(
                _("24:00 is not a time of day; write 23:59, or 24時間 for all day.")
            ) from None
        raise CellError(
            _("%(hour)s:%(minute)02d is not a time of day.") % {"hour": hour, "minute": minutes}
        ) from None


def _weekday(char: str) -> str:
    return CODES[WEEKDAY_CHARS.index(char)]


def _expand_days(text: str) -> list[str]:
    days: list[str] = []
    for item in re.findall(rf"{_W}(?:-{_W})?", text):
        first = WEEKDAY_CHARS.index(item[0])
        last = WEEKDAY_CHARS.index(item[-1])
        span = range(first, last + 1) if last >= first else [*range(first, 7), *range(0, last + 1)]
        days.extend(CODES[index] for index in span)
    return days


def _parse_rrule(text: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    keys = {
        "FREQ": "freq",
        "BYDAY": "byday",
        "BYMONTHDAY": "bymonthday",
        "INTERVAL": "interval",
        "DTSTART": "dtstart",
        "UNTIL": "until",
        "COUNT": "count",
        "WKST": "wkst",
        "VALIDFROM": "valid_from",
        "VALIDTO": "valid_to",
        "TZ": "timezone",
    }
    for part in filter(None, text.split(";")):
        key, _sep, value = part.partition("=")
        name = keys.get(key.upper())
        if name is None or not value:
            raise CellError(
                _(
                    "RRULE: unknown part %(part)r; use FREQ, BYDAY, BYMONTHDAY, INTERVAL, DTSTART, UNTIL, COUNT, WKST, VALIDFROM, VALIDTO or TZ."
                )
                % {"part": part}
            )
        try:
            if name in ("interval", "count"):
                values[name] = int(value)
            elif name in ("dtstart", "until", "valid_from", "valid_to"):
                values[name] = date.fromisoformat(value)
            elif name == "timezone":
                values[name] = Decimal(value)
            else:
                values[name] = value.upper()
        except (ValueError, InvalidOperation):
            raise CellError(_("RRULE: %(part)r is not a valid value.") % {"part": part}) from None
    return values


def _blank_rule() -> dict[str, Any]:
    return {
        "freq": schedules.WEEKLY,
        "byday": "",
        "bymonthday": "",
        "interval": 1,
        "dtstart": None,
        "until": None,
        "count": None,
        "wkst": "",
        "valid_from": None,
        "valid_to": None,
        "timezone": None,
        "opens_at": None,
        "closes_at": None,
        "open_24h": False,
        "closed_on_holidays": False,
        "closed_year_end": False,
    }


def _token(text: str, position: int) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in _TOKENS:
        match = pattern.match(text, position)
        if match:
            return kind, match
    return None


def _parse_entry(entry: str) -> tuple[list[dict[str, Any]], dict[str, bool]]:
    """One entry → its schedules, and the closures it names (for closure-only entries)."""
    text = _normalise(entry)
    weekly: list[str] = []
    monthly: list[str] = []
    monthdays: list[str] = []
    every_day = False
    rrule: dict[str, Any] | None = None
    hours: list[tuple[time, time]] = []
    all_day = False
    closures = {"closed_on_holidays": False, "closed_year_end": False}
    position = 0
    while position < len(text):
        skip = _SKIP.match(text, position)
        if skip:
            position = skip.end()
            continue
        token = _token(text, position)
        if token is None:
            raise CellError(
                _("Cannot read 「%(text)s」 in the hours. Write them like %(examples)s.")
                % {"text": text[position:], "examples": EXAMPLES}
            )
        kind, match = token
        position = match.end()
        if kind == "rrule":
            rrule = _parse_rrule(match[1])
        elif kind == "24h":
            all_day = True
        elif kind == "time":
            hours.append((_time(*match.groups()[:5]), _time(*match.groups()[5:])))
        elif kind == "closed":
            if "祝" in match[1]:
                closures["closed_on_holidays"] = True
            if "年末年始" in match[1]:
                closures["closed_year_end"] = True
        elif kind == "last":
            monthly.append(f"-1{_weekday(match[1])}")
        elif kind == "nth":
            for number in re.findall(r"[1-5]", match[1]):
                monthly.append(f"{number}{_weekday(match[2])}")
        elif kind == "monthday":
            for item in re.findall(r"\d{1,2}|末", match[1]):
                monthdays.append("-1" if item == "末" else str(int(item)))
        elif kind == "daily":
            every_day = True
        elif kind == "weekdays":
            weekly.extend(CODES[:5])
        else:
            weekly.extend(_expand_days(match[0]))

    day_kinds = sum(bool(kind) for kind in (weekly, monthly or monthdays, every_day, rrule))
    if day_kinds > 1 or (monthly and monthdays):
        raise CellError(
            _(
                "One entry has one kind of day (weekdays, 第n weekdays, days of the month or 毎日); separate the others with 、."
            )
        )
    if not (hours or all_day):
        if day_kinds:
            raise CellError(_("Give the hours after the days, e.g. 月-金 9:00-17:00, or 24時間."))
        if any(closures.values()):
            return [], closures
        raise CellError(_("Write the hours like %(examples)s.") % {"examples": EXAMPLES})
    if all_day and hours:
        raise CellError(_("Write either hours or 24時間 in one entry, not both."))
    if not day_kinds and not all_day:
        raise CellError(_("Say which days, e.g. 毎日 9:00-17:00 or 月-金 9:00-17:00."))

    rule = _blank_rule()
    if rrule is not None:
        rule["freq"] = ""
        rule.update(rrule)
    elif monthly or monthdays:
        rule["freq"] = schedules.MONTHLY
        rule["byday"] = ",".join(dict.fromkeys(monthly))
        rule["bymonthday"] = ",".join(dict.fromkeys(monthdays))
    elif weekly:
        rule["byday"] = ",".join(code for code in CODES if code in set(weekly))
    rule.update({key: value for key, value in closures.items() if value})
    if all_day:
        return [{**rule, "open_24h": True}], closures
    return [{**rule, "opens_at": opens, "closes_at": closes} for opens, closes in hours], closures


def parse_hours(text: str) -> list[dict[str, Any]]:
    """The schedules a cell describes, as Schedule field values; CellError when unreadable."""
    results: list[dict[str, Any]] = []
    shared = {"closed_on_holidays": False, "closed_year_end": False}
    entries = [entry for line in text.splitlines() for entry in split_multi(line)]
    for entry in entries:
        found, closures = _parse_entry(entry)
        if not found:
            shared = {key: shared[key] or value for key, value in closures.items()}
        results.extend(found)
    if not results and any(shared.values()):
        raise CellError(_("Write the hours like %(examples)s.") % {"examples": EXAMPLES})
    for result in results:
        for key, value in shared.items():
            result[key] = result[key] or value
    return results


# -- writing ---------------------------------------------------------------------------------------
def rule_key(values: Any) -> tuple[Any, ...]:
    """What makes two schedules the same opening hours (order of weekdays aside).

    ``values`` is a Schedule or a dict of its fields; a malformed weekday list keeps
    its text, so that it still matches itself.
    """

    def get(name: str) -> Any:
        return values.get(name) if isinstance(values, dict) else getattr(values, name)

    try:
        byday: Any = frozenset(schedules.parse_byday(get("byday")))
    except ValueError:
        byday = get("byday")
    try:
        bymonthday: Any = frozenset(schedules.parse_bymonthday(get("bymonthday")))
    except ValueError:
        bymonthday = get("bymonthday")
    timezone = get("timezone")
    return (
        get("freq") or "",
        byday,
        bymonthday,
        get("interval") or 1,
        get("dtstart"),
        get("until"),
        get("count"),
        get("wkst") or "",
        get("valid_from"),
        get("valid_to"),
        Decimal(timezone) if timezone is not None else None,
        None if get("open_24h") else get("opens_at"),
        None if get("open_24h") else get("closes_at"),
        bool(get("open_24h")),
        bool(get("closed_on_holidays")),
        bool(get("closed_year_end")),
    )


def has_hours(values: Any) -> bool:
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    return bool(get("open_24h")) or get("opens_at") is not None


def _format_time(value: time) -> str:
    text = f"{value.hour}:{value.minute:02d}"
    return f"{text}:{value.second:02d}" if value.second else text


def _weekday_text(codes: list[str]) -> str:
    indexes = sorted({CODES.index(code) for code in codes})
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAY_CHARS[run[0]]}-{WEEKDAY_CHARS[run[-1]]}")
        else:
            parts.extend(WEEKDAY_CHARS[index] for index in run)
    return "・".join(parts)


def _short_days(schedule: Any) -> str | None:
    """The days in the short form, or None when it cannot say them."""
    try:
        bydays = schedules.parse_byday(schedule.byday)
        monthdays = schedules.parse_bymonthday(schedule.bymonthday)
    except ValueError:
        return None
    if schedule.freq == schedules.WEEKLY and not monthdays:
        if not bydays:
            return "毎日"
        if any(part.ordinal is not None for part in bydays):
            return None
        return _weekday_text([CODES[part.weekday] for part in bydays])
    if schedule.freq == schedules.MONTHLY and bydays and not monthdays:
        by_weekday: dict[int, list[int]] = {}
        for part in bydays:
            if part.ordinal is None or part.ordinal < -1:
                return None
            by_weekday.setdefault(part.weekday, []).append(part.ordinal)
        items = []
        for weekday, ordinals in by_weekday.items():
            positive = [str(n) for n in ordinals if n > 0]
            if positive:
                items.append(f"第{'・'.join(positive)}{WEEKDAY_CHARS[weekday]}")
            if -1 in ordinals:
                items.append(f"最終{WEEKDAY_CHARS[weekday]}")
        return "・".join(items)
    if schedule.freq == schedules.MONTHLY and monthdays and not bydays:
        if any(n < -1 for n in monthdays):
            return None
        return "毎月" + "・".join("末日" if n == -1 else f"{n}日" for n in monthdays)
    return None


def _rrule(schedule: Any) -> str:
    parts = []
    for key, name in (
        ("FREQ", "freq"),
        ("BYDAY", "byday"),
        ("BYMONTHDAY", "bymonthday"),
        ("INTERVAL", "interval"),
        ("DTSTART", "dtstart"),
        ("UNTIL", "until"),
        ("COUNT", "count"),
        ("WKST", "wkst"),
        ("VALIDFROM", "valid_from"),
        ("VALIDTO", "valid_to"),
        ("TZ", "timezone"),
    ):
        value = getattr(schedule, name)
        if value in (None, "") or (name == "interval" and value == 1):
            continue
        parts.append(f"{key}={value.isoformat() if isinstance(value, date) else value}")
    return "RRULE:" + ";".join(parts)


def format_schedule(schedule: Any) -> str | None:
    """One entry of the cell for a Schedule; None for one without hours (the cell
    cannot hold it, and importing leaves such schedules alone)."""
    if not has_hours(schedule):
        return None
    if schedule.open_24h:
        hours = "24時間"
    else:
        hours = f"{_format_time(schedule.opens_at)}-{_format_time(schedule.closes_at)}"
    closures = [
        name
        for name, flag in (
            ("祝日", schedule.closed_on_holidays),
            ("年末年始", schedule.closed_year_end),
        )
        if flag
    ]
    closed = f"{'・'.join(closures)}休み" if closures else ""
    days = _short_days(schedule)
    if days == "毎日" and schedule.open_24h:
        days = ""
    text = " ".join(part for part in (days, hours, closed) if part)
    try:
        if days is not None and [rule_key(values) for values in parse_hours(text)] == [
            rule_key(schedule)
        ]:
            return text
    except CellError:
        pass
    return " ".join(part for part in (_rrule(schedule), hours, closed) if part)


def format_hours(schedule_list: list[Any]) -> str:
    entries = [entry for entry in map(format_schedule, schedule_list) if entry]
    return "\n".join(entries) if len(entries) > 3 else "、".join(entries)
