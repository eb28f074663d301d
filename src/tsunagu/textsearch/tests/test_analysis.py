"""The analyser: folding, Sudachi normal forms, readings, and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagu.textsearch.analysis import is_kana, normalise, terms, to_katakana, tokens

# Text as users type it: Japanese scripts, latin, digits, width variants, symbols.
japaneseish = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),  # kana
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),  # some kanji
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF9F),  # full/half width
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),  # ASCII
        st.sampled_from("　・ー「」（）〔〕①②③髙﨑"),
    ),
    max_size=80,
)


@pytest.mark.parametrize(
    ("variants", "term"),
    [
        (["子ども", "子供", "こども"], "子供"),
        (["ひきこもり", "引きこもり"], "引き籠もり"),
        (["障がい", "障害", "障碍"], "障害"),
        (["ＤＶ", "DV", "dv"], "dv"),
        (["ﾌｧﾐｻﾎﾟ", "ファミサポ"], "ファミサポ"),
    ],
)
def test_spelling_variants_share_one_term(variants: list[str], term: str) -> None:
    for variant in variants:
        assert terms(variant) == [term], variant


def test_particles_and_punctuation_are_not_terms() -> None:
    assert terms("母の介護と、子育て。") == ["母", "介護", "子育て"]


def test_tokens_carry_katakana_readings() -> None:
    readings = [t.reading for t in tokens("介護保険")]
    assert readings == ["カイゴ", "ホケン"]


def test_suffixes_are_marked_weak() -> None:
    found = tokens("障害者")
    assert [(t.term, t.weak) for t in found] == [("障害", False), ("者", True)]


def test_offsets_of_original_point_into_the_text_as_written() -> None:
    text = "ＤＶ相談は　こちら"
    for token in tokens(text, keep_offsets_of_original=True):
        assert text[token.start : token.end] == token.surface


def test_normalise_folds_width_and_case() -> None:
    assert normalise("ＡＢＣ　ｶｲｺﾞ  ８０５０") == "abc カイゴ 8050"


def test_to_katakana_and_is_kana() -> None:
    assert to_katakana("かいごホケン") == "カイゴホケン"
    assert is_kana("かいご")
    assert is_kana("ヤングケアラー")
    assert not is_kana("介護")
    assert not is_kana("")


@settings(max_examples=200, deadline=None)
@given(japaneseish)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=200, deadline=None)
@given(japaneseish)
def test_any_text_analyses(text: str) -> None:
    for token in tokens(text):
        assert token.term, token
        assert token.term == normalise(token.term).replace(" ", "")
        assert 0 <= token.start <= token.end


@settings(max_examples=100, deadline=None)
@given(japaneseish)
def test_analysis_is_stable_under_normalising(text: str) -> None:
    # Indexing normalised text and indexing the original give the same terms,
    # so a stored value and what a user types about it meet in the index.
    assert terms(normalise(text)) == terms(text)


def test_very_long_text_is_cut_not_refused() -> None:
    assert len(terms("介護" * 40_000)) > 1000


def test_latin_is_indexed_as_written_in_any_context() -> None:
    assert terms("Domestic Violence") == ["domestic", "violence"]
    assert terms("food bank 鎌倉") == ["food", "bank", "鎌倉"]
    assert terms("ＮＰＯ法人") == ["npo", "法人"]
