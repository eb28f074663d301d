"""Languages a template cell may name: by code (``en``) or by name (英語, English)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .cells import CellError, fold

# (code, Japanese name, English name): the languages residents of a Japanese city
# most often need; any other ISO 639 code is accepted as a code.
KNOWN_LANGUAGES: tuple[tuple[str, str, str], ...] = (
    ("ja", "日本語", "Japanese"),
    ("ja", "やさしい日本語", "Easy Japanese"),
    ("en", "英語", "English"),
    ("zh", "中国語", "Chinese"),
    ("zh-hans", "中国語（簡体字）", "Chinese (Simplified)"),
    ("zh-hant", "中国語（繁体字）", "Chinese (Traditional)"),
    ("ko", "韓国語", "Korean"),
    ("vi", "ベトナム語", "Vietnamese"),
    ("pt", "ポルトガル語", "Portuguese"),
    ("es", "スペイン語", "Spanish"),
    ("tl", "タガログ語", "Tagalog"),
    ("fil", "フィリピノ語", "Filipino"),
    ("ne", "ネパール語", "Nepali"),
    ("id", "インドネシア語", "Indonesian"),
    ("th", "タイ語", "Thai"),
    ("my", "ミャンマー語", "Burmese"),
    ("km", "クメール語", "Khmer"),
    ("mn", "モンゴル語", "Mongolian"),
    ("si", "シンハラ語", "Sinhala"),
    ("bn", "ベンガル語", "Bengali"),
    ("hi", "ヒンディー語", "Hindi"),
    ("ur", "ウルドゥー語", "Urdu"),
    ("fa", "ペルシャ語", "Persian"),
    ("ar", "アラビア語", "Arabic"),
    ("ru", "ロシア語", "Russian"),
    ("uk", "ウクライナ語", "Ukrainian"),
    ("fr", "フランス語", "French"),
    ("de", "ドイツ語", "German"),
    ("it", "イタリア語", "Italian"),
    ("pl", "ポーランド語", "Polish"),
    ("jsl", "日本手話", "Japanese Sign Language"),
    ("jsl", "手話", "Sign language"),
)
_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def parse_language(text: str) -> tuple[str, str, bool]:
    """(code, name, named): ``named`` when the cell gave a name rather than a code."""
    value = fold(text)
    lowered = value.lower()
    for code, name, english in KNOWN_LANGUAGES:
        if value == fold(name) or lowered == english.lower():
            return code, value, True
    code = lowered.replace("_", "-")
    if _CODE.match(code):
        name = next((name for known, name, _english in KNOWN_LANGUAGES if known == code), "")
        return code, name, False
    raise CellError(
        _("Unknown language 「%(text)s」; write a code such as en or a name such as 英語.")
        % {"text": text}
    )


def language_cell_value(code: str, name: str) -> str:
    """How the export writes a language so that it imports back as the same record."""
    if name and any(
        fold(name) == fold(known) or name.lower() == english.lower()
        for _c, known, english in KNOWN_LANGUAGES
    ):
        return name
    return code or name
