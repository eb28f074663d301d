"""The name keys (``people.names``): what they fold together and what they keep apart."""

from __future__ import annotations

import unicodedata

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.people.names import (
    ITAIJI_FILE,
    is_kana,
    itaiji_table,
    kana_key,
    name_key,
    phone_digits,
)

KATAKANA = [chr(code) for code in range(0x30A1, 0x30F7)] + ["ー"]
HIRAGANA = [chr(code) for code in range(0x3041, 0x3097)] + ["ー"]


def _half_width_table() -> dict[str, str]:
    """Full-width katakana → half-width, built from NFKC itself (ｶﾞ for ガ)."""
    table: dict[str, str] = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        table.setdefault(unicodedata.normalize("NFKC", half), half)
    marks = {"\u3099": "ﾞ", "\u309a": "ﾟ"}
    for char in KATAKANA:
        decomposed = unicodedata.normalize("NFD", char)
        if len(decomposed) == 2 and decomposed[0] in table and decomposed[1] in marks:
            table.setdefault(char, table[decomposed[0]] + marks[decomposed[1]])
    return table


HALF_WIDTH = _half_width_table()


def to_half_width(text: str) -> str:
    return "".join(HALF_WIDTH.get(char, char) for char in text)


def to_katakana(text: str) -> str:
    return "".join(chr(ord(char) + 0x60) if "\u3041" <= char <= "\u3096" else char for char in text)


katakana_text = st.text(alphabet=st.sampled_from(KATAKANA), min_size=1, max_size=12)
hiragana_text = st.text(alphabet=st.sampled_from(HIRAGANA), min_size=1, max_size=12)
name_text = st.text(
    alphabet=st.sampled_from("高髙崎﨑辺邊邉沢澤斎齋齊浜濱桜櫻徳德広廣国國瀬瀨橋田中山花子 　・"),
    max_size=10,
)


# -- properties ------------------------------------------------------------------------------------


@given(st.text())
def test_kana_key_is_idempotent(text: str) -> None:
    assert kana_key(kana_key(text)) == kana_key(text)


@given(st.text())
def test_name_key_is_idempotent(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)


@given(katakana_text)
def test_kana_key_ignores_width(text: str) -> None:
    assert kana_key(to_half_width(text)) == kana_key(text)


@given(hiragana_text)
def test_kana_key_ignores_script(text: str) -> None:
    assert kana_key(to_katakana(text)) == kana_key(text)


@given(name_text)
def test_name_key_ignores_width_and_spaces(text: str) -> None:
    assert name_key(unicodedata.normalize("NFKC", text)) == name_key(text)
    assert name_key(text.replace(" ", "").replace("　", "")) == name_key(text)


@given(name_text)
def test_name_key_holds_no_variant(text: str) -> None:
    assert not set(name_key(text)) & {chr(code) for code in itaiji_table()}


# -- examples ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("髙橋", "高橋"),
        ("﨑山", "崎山"),
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("澤田", "沢田"),
        ("齋藤", "斎藤"),
        ("齊藤", "斎藤"),
        ("濱田", "浜田"),
        ("櫻井", "桜井"),
        ("德永", "徳永"),
        ("廣瀨", "広瀬"),
        ("國分", "国分"),
        ("𠮷田", "吉田"),
        ("高橋　花子", "高橋花子"),
        ("ＫＩＭ Ｊｉｎ", "kimjin"),
        ("葛\U000e0100西", "葛西"),  # an ideographic variation selector
        ("\ufa10本", "塚本"),  # a compatibility ideograph
    ],
)
def test_name_key_meets_variants(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("ﾀｶﾊｼ", "たかはし"),
        ("タカハシ　ハナコ", "たかはし はなこ"),
        ("ｶﾞｸ", "がく"),
        ("か゛く", "がく"),
        ("キョウコ", "キヨウコ"),  # legacy registers have no small kana
        ("ヱミ", "えみ"),
        ("みすゞ", "みすず"),
        ("ジョン・スミス", "じょんすみす"),
        ("ジョン＝スミス", "じょんすみす"),
        ("ﾏｲｹﾙ", "マイケル"),
    ],
)
def test_kana_key_meets_spellings_of_one_reading(one: str, other: str) -> None:
    assert kana_key(one) == kana_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("はし", "はじ"),  # voicing is part of the name
        ("おおの", "おーの"),  # a long-vowel mark is not folded into a vowel
        ("ちぢみ", "ちじみ"),
        ("こうの", "こおの"),
    ],
)
def test_kana_key_keeps_different_readings_apart(one: str, other: str) -> None:
    assert kana_key(one) != kana_key(other)


def test_the_itaiji_file_is_consistent() -> None:
    data = yaml.safe_load(ITAIJI_FILE.read_text(encoding="utf-8"))
    variants = [variant for group in data.values() for variant in group]
    assert len(variants) == len(set(variants)), "a variant is listed twice"
    for canonical, group in data.items():
        assert len(canonical) == 1
        assert canonical not in variants, f"{canonical} is both canonical and a variant"
        for variant in group:
            assert len(variant) == 1
            # NFKC runs first; a variant it already changes would never be looked up.
            assert unicodedata.normalize("NFKC", variant) == variant


def test_it_tells_kana_from_other_words() -> None:
    assert is_kana("たかはし")
    assert is_kana("ﾀｶﾊｼ")
    assert is_kana("タカハシ")
    assert not is_kana("高橋")
    assert not is_kana("たか橋")
    assert not is_kana("")


def test_phone_digits() -> None:
    assert phone_digits("０４６７－２３－３０００") == "0467233000"
    assert phone_digits("(0467) 23-3000") == "0467233000"
