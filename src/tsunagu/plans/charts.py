"""Indicator line charts drawn as SVG on the server.

SVG works in the browser without JavaScript and in the WeasyPrint PDF alike;
each chart comes with the same numbers as a table for screen readers.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .models import Indicator, IndicatorValue

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 24, 40
VALUE_COLOUR = "#0017c1"  # Digital Agency blue-900: 4.5:1 on white
TARGET_COLOUR = "#b78f00"
BASELINE_COLOUR = "#666666"


def trend(indicator: Indicator, values: list[IndicatorValue]) -> str:
    """``on_track`` / ``behind`` / ``achieved`` / ``no_data`` for the latest value against the target."""
    if not values or indicator.target_value is None:
        return "no_data"
    latest = values[-1]
    target = indicator.target_value
    achieved = latest.value >= target if indicator.higher_is_better else latest.value <= target
    if achieved:
        return "achieved"
    if (
        indicator.baseline_value is None
        or indicator.baseline_year is None
        or indicator.target_year is None
    ):
        return "behind"
    span = indicator.target_year - indicator.baseline_year
    if span <= 0:
        return "behind"
    elapsed = min(max(latest.fiscal_year - indicator.baseline_year, 0), span)
    expected = indicator.baseline_value + (target - indicator.baseline_value) * Decimal(
        elapsed
    ) / Decimal(span)
    on_track = latest.value >= expected if indicator.higher_is_better else latest.value <= expected
    return "on_track" if on_track else "behind"


def trend_label(code: str) -> str:
    return {
        "achieved": _("Target reached"),
        "on_track": _("On track"),
        "behind": _("Behind the target path"),
        "no_data": _("No data yet"),
    }[code]


def _fmt(value: Decimal | float) -> str:
    number = Decimal(str(value)).normalize()
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def line_chart(indicator: Indicator, values: list[IndicatorValue], years: list[int]) -> SafeString:
    """An accessible SVG line chart of ``values`` over ``years`` with baseline and target lines."""
    points = [(v.fiscal_year, float(v.value)) for v in values]
    numbers = [value for _year, value in points]
    for extra in (indicator.baseline_value, indicator.target_value):
        if extra is not None:
            numbers.append(float(extra))
    title = escape(indicator.title)
    if not years:
        years = [year for year, _value in points]
    if not numbers or not years:
        return SafeString(
            f'<svg role="img" aria-label="{title}: {escape(_("No data yet"))}" viewBox="0 0 {WIDTH} 60" '
            f'xmlns="http://www.w3.org/2000/svg"><text x="8" y="34" font-size="14">{escape(_("No data yet"))}</text></svg>'
        )
    low, high = min(numbers), max(numbers)
    if low == high:
        low, high = low - 1, high + 1
    padding = (high - low) * 0.1
    low = max(low - padding, 0) if low >= 0 else low - padding
    high += padding
    first, last = min(years), max(years)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: int) -> float:
        return LEFT + (plot_w * (year - first) / (last - first) if last > first else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * (value - low) / (high - low)

    parts = [
        f'<svg role="img" aria-labelledby="chart-{indicator.pk}-title" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="Noto Sans CJK JP, sans-serif">',
        f'<title id="chart-{indicator.pk}-title">{title}</title>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="#cccccc"/>',
    ]
    for step in range(5):
        value = low + (high - low) * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#eeeeee"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" fill="#333333">{_fmt(round(value, 1))}</text>'
        )
    for year in years:
        parts.append(
            f'<text x="{x(year):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" text-anchor="middle" fill="#333333">{year}</text>'
        )
    if indicator.target_value is not None:
        ty = y(float(indicator.target_value))
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="8 4"/>'
        )
        parts.append(
            f'<text x="{LEFT + plot_w - 4}" y="{ty - 6:.1f}" font-size="12" text-anchor="end" fill="#6b5300">{escape(_("Target"))} {_fmt(indicator.target_value)}</text>'
        )
    if indicator.baseline_value is not None:
        by = y(float(indicator.baseline_value))
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{by:.1f}" y2="{by:.1f}" stroke="{BASELINE_COLOUR}" stroke-width="1.5" stroke-dasharray="2 4"/>'
        )
        parts.append(
            f'<text x="{LEFT + 4}" y="{by - 6:.1f}" font-size="12" fill="#444444">{escape(_("Baseline"))} {_fmt(indicator.baseline_value)}</text>'
        )
    if points:
        path = " ".join(
            f"{'M' if index == 0 else 'L'}{x(year):.1f},{y(value):.1f}"
            for index, (year, value) in enumerate(points)
        )
        parts.append(f'<path d="{path}" fill="none" stroke="{VALUE_COLOUR}" stroke-width="3"/>')
        for year, value in points:
            parts.append(
                f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="4.5" fill="{VALUE_COLOUR}"/>'
            )
            parts.append(
                f'<text x="{x(year):.1f}" y="{y(value) - 9:.1f}" font-size="11" text-anchor="middle" fill="{VALUE_COLOUR}">{_fmt(value)}</text>'
            )
    parts.append("</svg>")
    return SafeString("".join(parts))
