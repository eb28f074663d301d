"""Furigana: readings in hiragana over the kanji of a text, from the analyser's readings.

``ruby("子ども食堂")`` gives ``<ruby>子<rt>こ</rt></ruby>ども<ruby>食堂<rt>しょくどう</rt></ruby>``:
the reading of each word is aligned with its kana (送り仮名), so that ruby sits only
over kanji. A word whose reading cannot be aligned with confidence (numbers, latin,
unknown words) is left bare: no furigana is better than furigana in the wrong place.

Everything else in the text is copied through, escaped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from django.utils.safestring import SafeString, mark_safe

from .analysis import Token, tokens

# Kanji, plus the marks written inside kanji words: 々 (人々), 〆, ヶ (霞ヶ関).
_KANJI_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f々〆ヶ"
_KANJI_RUN = re.compile(f"[{_KANJI_CLASS}]+")
_HAS_KANJI = re.compile(f"[{_KANJI_CLASS}]")
_MARK_TAG = re.compile(r"(</?mark>)")
_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6
_HIRAGANA_OFFSET = 0x60


def to_hiragana(text: str) -> str:
    """Katakana to hiragana (ー and everything else unchanged)."""
    return "".join(
        chr(ord(c) - _HIRAGANA_OFFSET) if _KATAKANA_START <= ord(c) <= _KATAKANA_END else c
        for c in text
    )


def _is_reading(text: str) -> bool:
    return bool(text) and all("\u3041" <= c <= "\u309f" or c == "ー" for c in text)


def align(surface: str, reading: str) -> list[tuple[str, str]]:
    """Split a word into (text, reading) parts, the reading empty over kana.

    ``align("申し込み", "モウシコミ")`` → ``[("申", "もう"), ("し", ""), ("込", "こ"),
    ("み", "")]``. A word that cannot be aligned comes back as ``[(surface, "")]``,
    except a word of kanji only, which takes the whole reading.
    """
    hiragana = to_hiragana(reading)
    if not _HAS_KANJI.search(surface) or not _is_reading(hiragana):
        return [(surface, "")]
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in _KANJI_RUN.finditer(surface):
        if match.start() > position:
            parts.append((surface[position : match.start()], False))
        parts.append((match.group(), True))
        position = match.end()
    if position < len(surface):
        parts.append((surface[position:], False))
    if len(parts) == 1:
        return [(surface, hiragana)]
    pattern = "".join(
        "(.+?)" if is_kanji else f"({re.escape(to_hiragana(unicodedata.normalize('NFKC', text)))})"
        for text, is_kanji in parts
    )
    found = re.fullmatch(pattern, hiragana)
    if found is None:
        return [(surface, "")]
    return [
        (text, found.group(index + 1) if is_kanji else "")
        for index, (text, is_kanji) in enumerate(parts)
    ]


def _ruby(text: str, reading: str) -> str:
    if not reading:
        return html.escape(text)
    return f"<ruby>{html.escape(text)}<rt>{html.escape(reading)}</rt></ruby>"


@dataclass(frozen=True, slots=True)
class _Piece:
    """A stretch of the text, rendered; a word with furigana is never split."""

    start: int
    end: int
    html: str
    whole: bool  # True: cannot be cut (a word with ruby)


def _pieces(text: str) -> Iterator[_Piece]:
    position = 0
    found: list[Token] = tokens(text, keep_offsets_of_original=True) if text else []
    for token in found:
        if token.start < position:  # never expected; keep the text intact whatever happens
            continue
        if token.start > position:
            yield _Piece(position, token.start, html.escape(text[position : token.start]), False)
        surface = text[token.start : token.end]
        parts = align(surface, token.reading)
        if any(reading for _, reading in parts):
            rendered = "".join(_ruby(part, reading) for part, reading in parts)
            yield _Piece(token.start, token.end, rendered, True)
        else:
            yield _Piece(token.start, token.end, html.escape(surface), False)
        position = token.end
    if position < len(text):
        yield _Piece(position, len(text), html.escape(text[position:]), False)


def ruby(text: str) -> SafeString:
    """``text`` escaped, with <ruby> readings (hiragana) over its kanji."""
    return mark_safe("".join(piece.html for piece in _pieces(text)))  # every piece is escaped


def ruby_highlighted(fragment: str) -> SafeString:
    """Furigana for a highlighted snippet (escaped text with ``<mark>`` tags only, as
    ``textsearch.search.highlight`` makes it); a mark that cuts a word covers all of it."""
    text_parts: list[str] = []
    marks: list[tuple[int, int]] = []
    length = 0
    opened: int | None = None
    for part in _MARK_TAG.split(str(fragment)):
        if part == "<mark>":
            opened = length
        elif part == "</mark>":
            if opened is not None and length > opened:
                marks.append((opened, length))
            opened = None
        elif part:
            plain = html.unescape(part)
            text_parts.append(plain)
            length += len(plain)
    text = "".join(text_parts)

    def marked(start: int, end: int) -> bool:
        return any(start < mark_end and mark_start < end for mark_start, mark_end in marks)

    # Cut bare text at the mark boundaries; words with ruby stay whole.
    cuts = sorted({boundary for mark in marks for boundary in mark})
    out: list[str] = []
    in_mark = False
    for piece in _pieces(text):
        if piece.whole:
            spans = [(piece.start, piece.end, piece.html)]
        else:
            inner = [c for c in cuts if piece.start < c < piece.end]
            edges = [piece.start, *inner, piece.end]
            spans = [(a, b, html.escape(text[a:b])) for a, b in pairwise(edges)]
        for start, end, rendered in spans:
            wanted = marked(start, end)
            if wanted != in_mark:
                out.append("<mark>" if wanted else "</mark>")
                in_mark = wanted
            out.append(rendered)
    if in_mark:
        out.append("</mark>")
    return mark_safe("".join(out))  # every piece is escaped
