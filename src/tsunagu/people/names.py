"""Keys that let differently written names meet: ``kana_key`` and ``name_key``.

Staff type names at counters, import them from registers and read them off paper.
The same person arrives as たかはし はなこ, タカハシ ハナコ, ﾀｶﾊｼ ﾊﾅｺ (old half-width
registers), 髙橋 花子 or 高橋　花子. The keys fold those spellings together; they are
stored on ``Person`` (indexed) for duplicate detection and search. The names
themselves are always stored as written.

``kana_key`` folds only what is the same kana written differently:

- width and script: NFKC (ﾀｶﾊｼ → タカハシ, ｶﾞ → ガ), katakana → hiragana;
- separators: spaces of any width, ・ . = and commas go;
- small kana → large (きょうこ → きようこ): legacy half-width registers and bank
  formats have no small kana, so their キヨウコ must meet staff's キョウコ;
- old kana ゐ ゑ → い え, and the iteration marks ゝ ゞ written out (みすゞ → みすず);
- dash look-alikes (ｰ − ‐ —) → ー.

It deliberately keeps: voicing (はし ≠ はじ), ー (おおの ≠ おーの), ぢ/じ and づ/ず,
おう/おお. Those are spellings people choose, and folding them would merge strangers.

``name_key`` is the kanji name with NFKC, variation selectors dropped, spaces and
dots dropped, Latin letters case-folded and 異体字 folded by ``data/itaiji.yaml``
(髙 → 高, 﨑 → 崎, 邊/邉 → 辺 …).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ITAIJI_FILE = Path(__file__).resolve().parent / "data" / "itaiji.yaml"

_SEPARATORS = re.compile(r"[\s・.=·、,]+")
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_DASHES = re.compile("[-‐‑‒–—―−]")

_SMALL_TO_LARGE = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖゐゑ", "あいうえおつやゆよわかけいえ")
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)} | {
    0x30FD: 0x309D,  # ヽ → ゝ
    0x30FE: 0x309E,  # ヾ → ゞ
}
_DAKUTEN = "\u3099"

# What a kana field may hold once NFKC has made it full-width: hiragana and
# katakana (with their marks, ー and ・), spaces and "=" between the parts of a
# foreign name (ジョン=スミス).
_KANA_TEXT = re.compile(r"[\u3041-\u3096\u3099-\u309e\u30a1-\u30fe\s=]+")
_KANA_WORD = re.compile(r"[\u3041-\u3096\u3099-\u309e\u30a1-\u30fe]+")


def _to_hiragana(text: str) -> str:
    return text.translate(_KATAKANA_TO_HIRAGANA)


def _expand_iteration_marks(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in "ゝゞ" and out:
            previous = unicodedata.normalize("NFD", out[-1])[0]
            if char == "ゞ":
                previous = unicodedata.normalize("NFC", previous + _DAKUTEN)
            out.append(previous)
        else:
            out.append(char)
    return "".join(out)


def kana_key(text: str) -> str:
    """The normalised reading: ``"ﾀｶﾊｼ ﾊﾅｺ"`` and ``"たかはし　はなこ"`` → ``"たかはしはなこ"``."""
    value = unicodedata.normalize("NFKC", text)
    value = _SEPARATORS.sub("", value)
    # Once spaces are gone a lone ゛ (NFKC made it a combining mark) may follow its kana.
    value = unicodedata.normalize("NFC", value)
    value = _to_hiragana(value)
    value = value.translate(_SMALL_TO_LARGE)
    value = _expand_iteration_marks(value)
    return _DASHES.sub("ー", value)


@lru_cache(maxsize=1)
def itaiji_table() -> dict[int, str]:
    """``{ord(variant): canonical}`` from ``data/itaiji.yaml``."""
    data = yaml.safe_load(ITAIJI_FILE.read_text(encoding="utf-8"))
    table: dict[int, str] = {}
    for canonical, variants in data.items():
        for variant in variants:
            table[ord(variant)] = canonical
    return table


def name_key(text: str) -> str:
    """The normalised written name: ``"髙橋　花子"`` and ``"高橋花子"`` → ``"高橋花子"``."""
    value = unicodedata.normalize("NFKC", text)
    value = _VARIATION_SELECTORS.sub("", value)
    value = _SEPARATORS.sub("", value)
    value = unicodedata.normalize("NFKC", value.casefold())
    return value.translate(itaiji_table())


def is_kana(text: str) -> bool:
    """True when ``text`` (any width) is one word of hiragana or katakana."""
    return bool(_KANA_WORD.fullmatch(unicodedata.normalize("NFKC", text)))


def validate_kana(value: str) -> None:
    """Model and form validator for a reading field: kana (any width), spaces, ・ and =."""
    if value and not _KANA_TEXT.fullmatch(unicodedata.normalize("NFKC", value)):
        raise ValidationError(_("Enter the reading in hiragana or katakana."), code="kana")


def phone_digits(text: str) -> str:
    """A telephone number reduced to its digits, for comparing numbers typed differently."""
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))
