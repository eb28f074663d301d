"""Dates as Japanese staff type them: 西暦 (1941-03-02) or 和暦 (昭和16年3月2日, S16.3.2).

:func:`parse_date` accepts every common way of writing a date at a counter and
returns a :class:`datetime.date`; :func:`format_wareki` writes one back as
昭和16年3月2日. :class:`JapaneseDateField` is the form field that uses both.

Accepted input (full-width digits and punctuation too; spaces are ignored):

- 西暦: ``1941-03-02``, ``1941/3/2``, ``1941.3.2``, ``1941年3月2日``, ``19410302``
- 和暦: ``昭和16年3月2日``, ``昭和16.3.2``, ``昭和16/3/2``, ``S16.3.2``, ``s16/3/2``,
  ``S160302``, ``令和元年5月1日``, ``R1.5.1``; era letters M T S H R, era names
  明治 大正 昭和 平成 令和 (and the one-character forms 明 大 昭 平 令, and the
  ligatures ㍾ ㍽ ㍼ ㍻ ㋿)

A 和暦 date must fall inside its era: 平成31年4月30日 is the last day of 平成, so
平成31年5月1日 is an error (the date is 令和元年5月1日). An era's last day is the
day before the next era's first day, as in the usual conversion tables.

明治 dates before 明治6年 (1873) were counted in the old lunisolar calendar; this
module converts every 和暦 date as if the Gregorian calendar applied, which is right
from 1873 on and is what birth dates of living people need.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any, NamedTuple

from django import forms
from django.utils.translation import gettext as _


class Era(NamedTuple):
    name: str
    letter: str
    first_day: datetime.date
    last_day: datetime.date | None  # None: the current era


ERAS: tuple[Era, ...] = (
    Era("明治", "M", datetime.date(1868, 10, 23), datetime.date(1912, 7, 29)),
    Era("大正", "T", datetime.date(1912, 7, 30), datetime.date(1926, 12, 24)),
    Era("昭和", "S", datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
    Era("平成", "H", datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    Era("令和", "R", datetime.date(2019, 5, 1), None),
)

_ERA_BY_KEY: dict[str, Era] = {}
for _era in ERAS:
    _ERA_BY_KEY[_era.name] = _era
    _ERA_BY_KEY[_era.name[0]] = _era
    _ERA_BY_KEY[_era.letter] = _era

# Dash-like characters people type (or IMEs produce) between the parts of a date.
_DASHES = "‐‑‒–—―−ー－ｰ"
_SEPARATOR = r"[-/.]"

_WESTERN = re.compile(
    rf"(?P<y>\d{{4}})(?:{_SEPARATOR}|年)(?P<m>\d{{1,2}})(?:{_SEPARATOR}|月)(?P<d>\d{{1,2}})日?"
)
_WESTERN_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_ERA_KEYS = "|".join(sorted((re.escape(key) for key in _ERA_BY_KEY), key=len, reverse=True))
_JAPANESE = re.compile(
    rf"(?P<era>{_ERA_KEYS})(?P<y>元|\d{{1,2}})(?:{_SEPARATOR}|年)"
    rf"(?P<m>\d{{1,2}})(?:{_SEPARATOR}|月)(?P<d>\d{{1,2}})日?"
)
_JAPANESE_COMPACT = re.compile(rf"(?P<era>{_ERA_KEYS})(?P<y>\d{{2}})(?P<m>\d{{2}})(?P<d>\d{{2}})")


class WarekiError(ValueError):
    """A date that could not be read. ``str(error)`` is a sentence for the person typing."""


def _format_error() -> WarekiError:
    return WarekiError(_("Enter the date as 1941-03-02 or 昭和16年3月2日."))


def _normalise(text: str) -> str:
    # NFKC turns full-width digits and punctuation (１９４１／３／２) and the era
    # ligatures (㍼) into plain characters; the era letter may be typed in either case.
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(rf"[{_DASHES}]", "-", text)
    text = re.sub(r"\s+", "", text)
    return text.upper()


def parse_date(text: str) -> datetime.date:
    """The date ``text`` stands for, in 西暦 or 和暦; :class:`WarekiError` if there is none.

    >>> parse_date("昭和16年3月2日")
    datetime.date(1941, 3, 2)
    """
    value = _normalise(text)
    if not value:
        raise _format_error()
    match = _JAPANESE.fullmatch(value) or _JAPANESE_COMPACT.fullmatch(value)
    if match:
        era = _ERA_BY_KEY[match["era"]]
        era_year = 1 if match["y"] == "元" else int(match["y"])
        if era_year < 1:
            raise _format_error()
        day = _date(era.first_day.year + era_year - 1, int(match["m"]), int(match["d"]))
        if day < era.first_day or (era.last_day is not None and day > era.last_day):
            raise _outside_era(era)
        return day
    match = _WESTERN.fullmatch(value) or _WESTERN_COMPACT.fullmatch(value)
    if match:
        return _date(int(match["y"]), int(match["m"]), int(match["d"]))
    raise _format_error()


def _date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _format_error() from None


def _outside_era(era: Era) -> WarekiError:
    if era.last_day is None:
        return WarekiError(
            _("%(era)s began on %(first)s; the date is before it.")
            % {"era": era.name, "first": format_wareki(era.first_day)}
        )
    return WarekiError(
        _("%(era)s ran from %(first)s to %(last)s; the date is outside it.")
        % {
            "era": era.name,
            "first": format_wareki(era.first_day),
            "last": format_wareki(era.last_day),
        }
    )


def era_of(day: datetime.date) -> Era:
    """The era ``day`` falls in; ValueError before 明治."""
    for era in reversed(ERAS):
        if day >= era.first_day:
            return era
    raise ValueError(f"{day.isoformat()} is before the Meiji era")


def format_wareki(day: datetime.date) -> str:
    """``1941-03-02`` → ``昭和16年3月2日``; the first year of an era is 元年 (令和元年5月1日)."""
    era = era_of(day)
    year = day.year - era.first_day.year + 1
    year_text = "元" if year == 1 else str(year)
    return f"{era.name}{year_text}年{day.month}月{day.day}日"


class JapaneseDateField(forms.Field):
    """A text box that takes a date in 西暦 or 和暦 and cleans to a :class:`datetime.date`.

    An initial value is shown as ``1941-03-02``, which reads the same in both languages.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.setdefault("spellcheck", "false")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(str(value))
        except WarekiError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
