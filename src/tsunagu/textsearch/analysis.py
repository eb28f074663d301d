"""The Japanese analyser: text in, index terms and readings out.

Everything that goes into the index and everything a user types passes through
`normalise` and `tokens`, so both sides agree on what a word is:

- NFKC folds width (ＤＶ → DV, ｶｲｺﾞ → カイゴ) and compatibility characters; latin is
  lower-cased.
- SudachiPy (split mode A, the shortest units) splits the text and gives each word
  its normalised form (子ども/子供/こども → 子供, 障がい → 障害, ひきこもり → 引き籠もり) and
  its reading in katakana (介護 → カイゴ), which lets a query typed in kana find text
  written in kanji.
- Punctuation, blanks, particles and auxiliary verbs carry no meaning for search
  and are left out, on both sides.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sudachipy import Dictionary, SplitMode, Tokenizer

# Parts of speech (first level of Sudachi's tag) that are never index terms.
SKIPPED_POS = frozenset({"補助記号", "空白", "助詞", "助動詞"})
# Parts of speech that a query may drop when other words remain (障害者 → 障害).
WEAK_POS = frozenset({"接尾辞", "接頭辞"})

# Longest text analysed per field; longer text is cut (Sudachi's input limit is
# about 49,149 bytes, and nothing useful to search lies that deep in one field).
MAX_FIELD_CHARS = 12_000

_HIRAGANA_START, _HIRAGANA_END = 0x3041, 0x3096
_KATAKANA_OFFSET = 0x60


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: where it is, its index term and its reading."""

    surface: str
    term: str
    reading: str
    start: int
    end: int
    weak: bool = False


def normalise(text: str) -> str:
    """Fold width and compatibility forms, lower-case latin and tidy blanks.

    Idempotent: normalise(normalise(x)) == normalise(x).
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    # Lower-casing can produce a string that NFKC changes again (rare, e.g. some
    # Greek and Cherokee letters); fold until stable.
    while True:
        again = unicodedata.normalize("NFKC", folded).lower()
        if again == folded:
            break
        folded = again
    return " ".join(folded.split())


def to_katakana(text: str) -> str:
    """Hiragana to katakana; everything else unchanged."""
    return "".join(
        chr(ord(c) + _KATAKANA_OFFSET) if _HIRAGANA_START <= ord(c) <= _HIRAGANA_END else c
        for c in text
    )


def is_kana(text: str) -> bool:
    """True for a non-empty word written only in hiragana, katakana and ー."""
    return bool(text) and all(
        "\u3041" <= c <= "\u309f" or "\u30a0" <= c <= "\u30ff" or c == "ー" for c in text
    )


_local = threading.local()


def _tokenizer() -> Tokenizer:
    # A Sudachi tokenizer is not safe to share between threads; the dictionary is.
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _dictionary().tokenizer(mode=SplitMode.A)
        _local.tokenizer = tokenizer
    return tokenizer


@lru_cache(maxsize=1)
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


@lru_cache(maxsize=65_536)
def _clean_term(term: str) -> str:
    # Cached: a vocabulary repeats, and folding every word again was a third of the
    # time spent analysing while indexing.
    return normalise(term).replace(" ", "")


def tokens(text: str, *, keep_offsets_of_original: bool = False) -> list[Token]:
    """The meaningful words of `text`, in order.

    Offsets refer to the normalised text, or with `keep_offsets_of_original` to
    `text` itself (Sudachi folds width on its own; `highlight` uses this to mark
    matches in the text as written).
    """
    if keep_offsets_of_original:
        source = text[:MAX_FIELD_CHARS]
    else:
        source = normalise(text)[:MAX_FIELD_CHARS]
    if not source.strip():
        return []
    result = []
    for morpheme in _tokenizer().tokenize(source):
        pos = morpheme.part_of_speech()[0]
        if pos in SKIPPED_POS:
            continue
        if _LATIN.search(morpheme.surface()):
            result.extend(
                _latin_tokens(morpheme.surface(), morpheme.begin(), morpheme.reading_form())
            )
            continue
        term = _clean_term(morpheme.normalized_form())
        # A term with no letter or digit is punctuation Sudachi did not tag as such.
        if not any(c.isalnum() for c in term):
            continue
        reading = to_katakana(_clean_term(morpheme.reading_form()))
        # Sudachi reads unknown symbols as キゴウ; such a reading finds nothing useful.
        if reading == "キゴウ" and morpheme.surface() != "記号":
            reading = ""
        result.append(
            Token(
                surface=morpheme.surface(),
                term=term,
                reading=reading,
                start=morpheme.begin(),
                end=morpheme.end(),
                weak=pos in WEAK_POS,
            )
        )
    return result


def kana_runs(found: list[Token]) -> list[str]:
    """Words written in kana, as katakana, however Sudachi split them.

    Sudachi splits kana text by context (かいご alone: かい + ご; in かいご教室: かう + ご),
    so the index also stores each run of adjacent kana tokens whole, and a query
    typed in kana looks for it whole: hiragana and katakana then meet exactly.
    """
    runs: list[str] = []
    current: list[Token] = []
    for token in [*found, None]:
        if (
            token is not None
            and is_kana(token.surface)
            and (not current or current[-1].end == token.start)
        ):
            current.append(token)
            continue
        if current:
            run = to_katakana("".join(t.surface for t in current))
            if len(run) > 1 and (len(current) > 1 or run != current[0].term):
                runs.append(run)
        current = [token] if token is not None and is_kana(token.surface) else []
    return runs


_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_LATIN_WORD = re.compile(r"\S+")


def _latin_tokens(surface: str, begin: int, reading: str) -> list[Token]:
    """Latin words by their own spelling, one token per word.

    Sudachi's normal forms for English are inconsistent across contexts (bank →
    バンク, "Domestic Violence" one word, "child" → チャイルド), so latin is indexed
    as written, lower-cased: a query meets the text whatever surrounds it.
    """
    words = list(_LATIN_WORD.finditer(surface))
    found = []
    for match in words:
        term = _clean_term(match.group()).strip(_EDGE_PUNCTUATION)
        if not any(c.isalnum() for c in term):
            continue
        kana_reading = to_katakana(_clean_term(reading)) if len(words) == 1 else ""
        found.append(
            Token(
                surface=match.group(),
                term=term,
                reading=kana_reading if is_kana(kana_reading) else "",
                start=begin + match.start(),
                end=begin + match.end(),
            )
        )
    return found


_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}<>+*/&"


def terms(text: str) -> list[str]:
    """Just the index terms of `text`."""
    return [token.term for token in tokens(text)]
