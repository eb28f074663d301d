"""Reading and writing the cells of the CSV/Excel template.

People type these cells by hand in Excel, so readers are forgiving where it is
safe (full-width digits, 〒, 和暦 dates, はい/いいえ) and say exactly what to write
where it is not. Every parser raises :class:`CellError` with a whole sentence.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# The longest cell the template reads; a longer one is an error, not a truncation.
MAX_CELL_CHARS = 20_000
# Spreadsheets run a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_OPEN_BRACKETS = "（(「『［[【〔"
_CLOSE_BRACKETS = "）)」』］]】〕"
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
_TRUE = {"はい", "○", "〇", "◯", "yes", "y", "true", "1", "非公開", "する"}
_FALSE = {"いいえ", "×", "no", "n", "false", "0", "公開", "しない", ""}


class CellError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


def fold(text: str) -> str:
    """NFKC (full-width digits and letters to half width), trimmed: for codes and numbers."""
    return unicodedata.normalize("NFKC", text).strip()


def clean_text(text: str) -> str:
    """A free-text cell: kept as written, but with Windows line ends and outer space removed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def neutralise_formula(text: str) -> str:
    """For CSV export: a cell a spreadsheet would run as a formula gets a leading quote.

    Plain numbers (``-1``) are left alone; :func:`restore_formula` undoes this on import.
    """
    if text.startswith(FORMULA_STARTS) and not _NUMBER.match(text):
        return "'" + text
    return text


def restore_formula(text: str) -> str:
    """The inverse of :func:`neutralise_formula`, so that an export imports unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def split_multi(text: str) -> list[str]:
    """The values of a multi-valued cell.

    One value a line when the cell has line breaks; otherwise values separated by
    「、」 (or 「，」) outside brackets, so that 「本人確認書類（運転免許証、保険証）」
    stays one value.
    """
    text = clean_text(text)
    if not text:
        return []
    if "\n" in text:
        return [part.strip() for part in text.split("\n") if part.strip()]
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        if char in _OPEN_BRACKETS:
            depth += 1
        elif char in _CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        if char in "、，" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def join_multi(values: list[str]) -> str:
    """The inverse of :func:`split_multi`: 「、」 unless a value holds one, then lines."""
    if any(len(split_multi(value)) > 1 for value in values):
        return "\n".join(values)
    return "、".join(values)


def parse_bool(text: str) -> bool:
    value = fold(text).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(_("Write はい or いいえ."))


def parse_int(text: str) -> int | None:
    value = fold(text).replace(",", "")
    if not value:
        return None
    value = re.sub(r"(歳|才)$", "", value)
    if not re.fullmatch(r"\d+", value):
        raise CellError(_("Write a whole number such as 65."))
    return int(value)


def parse_decimal(text: str) -> Decimal | None:
    value = fold(text)
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise CellError(_("Write a number in decimal degrees such as 35.319225.")) from None


def parse_date(text: str) -> date | None:
    """2025-04-01, 2025/4/1, 2025年4月1日 or 令和7年4月1日 (元年 too)."""
    value = fold(text)
    if not value:
        return None
    value = value.split(" ")[0].split("T")[0]  # Excel dates arrive as 2025-04-01 00:00:00
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", value)
    era = re.fullmatch(r"(令和|平成|昭和)(\d{1,2}|元)年(\d{1,2})月(\d{1,2})日", value)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        if era:
            year = 1 if era[2] == "元" else int(era[2])
            return date(_ERAS[era[1]] + year, int(era[3]), int(era[4]))
    except ValueError:
        pass
    raise CellError(_("Write a date such as 2025-04-01 or 令和7年4月1日."))


def parse_postal_code(text: str) -> str:
    value = fold(text).removeprefix("〒").strip()
    value = re.sub(r"[ー－―‐−]", "-", value)
    return value


_PHONE = re.compile(
    r"^(?P<number>[0-9+()\- ]{3,30}?)\s*(?:[(（]?\s*内線\s*(?P<extension>\d+)\s*[)）]?)?$"
)


def parse_phone(text: str) -> tuple[str, int | None]:
    """「0467-23-3000」 or 「0467-23-3000（内線123）」 → (number, extension)."""
    value = fold(text)
    value = re.sub(r"[ー－―‐−]", "-", value)
    match = _PHONE.match(value)
    if match is None or not re.search(r"\d", match["number"]):
        raise CellError(
            _("Write a phone number such as 0467-23-3000, with 「（内線123）」 after it if needed.")
        )
    extension = int(match["extension"]) if match["extension"] else None
    return match["number"].strip(), extension


def format_phone(number: str, extension: int | None) -> str:
    return f"{number}（内線{extension}）" if extension else number


# -- addresses -------------------------------------------------------------------------------------
_PREFECTURE = re.compile(r"^(北海道|東京都|大阪府|京都府|.{2,3}?県)")
_CITY = re.compile(r"^(?:(.+?郡))?(.+?[市区町村])")


def split_address(
    text: str, known_cities: list[tuple[str, str, str]] | None = None
) -> tuple[str, str, str, str, str]:
    """「神奈川県鎌倉市御成町18-10 本庁舎」 → (prefecture, region, city, address_1, address_2).

    The building follows the first space. Cities already in the directory are tried
    first (longest first), so names a pattern would split wrongly still round-trip;
    the prefecture may be left out for a city the directory already knows.
    """
    value = clean_text(text).replace("\u3000", " ")
    line, _sep, building = value.partition(" ")
    building = building.strip()
    for prefecture, region, city in sorted(
        known_cities or [], key=lambda known: -len("".join(known))
    ):
        for prefix in (f"{prefecture}{region}{city}", f"{region}{city}"):
            if prefix and line.startswith(prefix) and len(line) > len(prefix):
                return prefecture, region, city, line[len(prefix) :], building
    prefecture = ""
    match = _PREFECTURE.match(line)
    if match:
        prefecture = match[1]
        line = line[len(prefecture) :]
    city_match = _CITY.match(line)
    if city_match is None or len(line) == len(city_match[0]):
        raise CellError(
            _("Write the address with its city, e.g. 神奈川県鎌倉市御成町18-10 本庁舎.")
        )
    region = city_match[1] or ""
    city = city_match[2]
    return prefecture, region, city, line[len(city_match[0]) :], building


def format_address(prefecture: str, region: str, city: str, line_1: str, line_2: str) -> str:
    return f"{prefecture}{region}{city}{line_1} {line_2}".strip()
