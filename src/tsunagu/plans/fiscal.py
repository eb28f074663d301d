"""Japanese fiscal years (April–March) and era names."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

ERAS = [  # (first day, kanji name)
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
    (datetime.date(1868, 1, 25), "明治"),
]


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year a day falls in: FY2025 runs from 2025-04-01 to 2026-03-31."""
    return day.year if day.month >= 4 else day.year - 1


def era_year(year: int) -> tuple[str, int]:
    """The era of 1 April of ``year`` (fiscal years start in April): 2025 → (令和, 7)."""
    start = datetime.date(year, 4, 1)
    for first_day, name in ERAS:
        if start >= first_day:
            return name, year - first_day.year + 1
    raise ValueError(f"year {year} is before the Meiji era")


def era_label(year: int) -> str:
    """``2025`` → ``令和7``; ``2019`` → ``令和元``."""
    name, number = era_year(year)
    return f"{name}{'元' if number == 1 else number}"


def fiscal_year_label(year: int) -> str:
    """``2025`` → ``2025年度（令和7年度）`` in Japanese, ``FY2025 (令和7)`` in English."""
    return _("FY%(year)s (%(era)s)") % {"year": year, "era": era_label(year)}
