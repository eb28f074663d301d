"""Normalisations of plan cells: guideline codes and department names.

Each function returns what it read plus a list of human-readable notes on what
it changed, so importers can report every normalisation they made.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .document import ResponsibilityDoc

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Kanji that PDF text extraction confuses with the katakana letters of guideline codes.
LOOKALIKE_LETTERS = {"工": "エ", "力": "カ", "夕": "タ", "口": "ロ", "二": "ニ", "へ": "ヘ"}
GUIDELINE_CODE_RE = re.compile(rf"^[{CIRCLED}][ア-ン]?$")
CODE_SEPARATORS = re.compile(r"[、,，・/／\s]+")
OPEN_BRACKETS = "(（"
CLOSE_BRACKETS = ")）"


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def circled(number: int) -> str:
    if not 1 <= number <= len(CIRCLED):
        raise CellError(f"guideline number {number} is out of range 1–{len(CIRCLED)}")
    return CIRCLED[number - 1]


def normalise_guideline_code(raw: str) -> tuple[str, list[str]]:
    """``5-イ`` → ``⑤イ``, ``①工`` → ``①エ``; returns the code and notes on the changes."""
    notes: list[str] = []
    text = raw.strip()
    hyphenated = re.fullmatch(r"([0-9０-９]+)\s*[-－ー‐―]\s*(.*)", text)
    if hyphenated:
        number = int(unicodedata.normalize("NFKC", hyphenated.group(1)))
        letter = hyphenated.group(2)
        text = circled(number) + letter
        notes.append(f"〔{raw}〕 → {text} (number written as digits)")
    if len(text) >= 2:
        head, letter = text[0], text[1:]
        # Half-width katakana and similar width variants fold to the standard letter.
        folded = unicodedata.normalize("NFKC", letter)
        if folded in LOOKALIKE_LETTERS:
            fixed = LOOKALIKE_LETTERS[folded]
            notes.append(f"{text} → {head}{fixed} (kanji {folded} read as katakana {fixed})")
            folded = fixed
        elif folded != letter:
            notes.append(f"{text} → {head}{folded} (width)")
        text = head + folded
    if not GUIDELINE_CODE_RE.match(text):
        raise CellError(
            f"unknown guideline code 〔{raw}〕: expected a circled number with an optional "
            "katakana letter, such as ⑤イ or ③"
        )
    return text, notes


def parse_guideline_cell(raw: str) -> tuple[list[str], list[str]]:
    """Several codes in one cell: ``①キ、①ア`` → ``["①キ", "①ア"]``."""
    codes: list[str] = []
    notes: list[str] = []
    for part in CODE_SEPARATORS.split(raw.strip()):
        if not part:
            continue
        code, part_notes = normalise_guideline_code(part)
        notes.extend(part_notes)
        if code in codes:
            notes.append(f"duplicate guideline code {code} dropped")
            continue
        codes.append(code)
    if not codes:
        raise CellError("no guideline code between 〔 and 〕")
    return codes, notes


def normalise_name(raw: str) -> str:
    """Width-fold an organisation name (NFKC) and trim it."""
    return unicodedata.normalize("NFKC", raw).strip()


@dataclass
class _Token:
    name: str
    via: str | None
    bracket: str | None


def _split_department_tokens(cell: str) -> list[_Token]:
    tokens: list[_Token] = []
    name: list[str] = []
    via: list[str] = []
    depth = 0
    bracket: str | None = None

    def flush() -> None:
        nonlocal name, via, bracket
        if name or via:
            tokens.append(_Token("".join(name), "".join(via) if bracket else None, bracket))
        name, via, bracket = [], [], None

    for char in cell:
        if char in OPEN_BRACKETS:
            if depth == 0 and bracket is not None:
                raise CellError(f"two bracketed bodies after one department in {cell!r}")
            if depth > 0:
                via.append(char)
            depth += 1
            bracket = bracket or char
        elif char in CLOSE_BRACKETS:
            if depth == 0:
                raise CellError(f"closing bracket without an opening one in {cell!r}")
            depth -= 1
            if depth > 0:
                via.append(char)
        elif depth > 0:
            via.append(char)
        elif char.isspace():
            flush()
        else:
            if bracket is not None:
                # Text straight after a closing bracket starts a new department.
                flush()
            name.append(char)
    if depth != 0:
        raise CellError(f"unclosed bracket in {cell!r}")
    flush()
    return tokens


def parse_department_cell(raw: str) -> tuple[list[ResponsibilityDoc], list[str]]:
    """``福祉総務課(市社会福祉協議会) 地域共生課`` → two responsibilities, the first with ``via``."""
    notes: list[str] = []
    result: list[ResponsibilityDoc] = []
    for token in _split_department_tokens(raw.strip()):
        name = normalise_name(token.name)
        via = normalise_name(token.via) if token.via is not None else None
        if not name:
            raise CellError(f"a bracketed body without a department before it in {raw!r}")
        if via == "":
            raise CellError(f"empty brackets after {name} in {raw!r}")
        if token.bracket is not None:
            width = "half-width" if token.bracket == "(" else "full-width"
            notes.append(f"{name}{token.bracket}{token.via}… → {name} via {via} ({width} brackets)")
        if name != token.name.strip():
            notes.append(f"{token.name} → {name} (width)")
        if any(r.organization == name and r.via == via for r in result):
            notes.append(f"{name} listed twice; kept once")
            continue
        result.append(ResponsibilityDoc(organization=name, via=via))
    if not result:
        raise CellError("the 担当課 cell is empty: expected one or more department names")
    return result, notes


def similar_names(a: str, b: str) -> bool:
    """Two spellings that hold the same characters in another order (広報広聴課 / 広聴広報課)."""
    return a != b and len(a) == len(b) and sorted(a) == sorted(b)
