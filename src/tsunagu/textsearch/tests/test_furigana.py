"""Furigana: hiragana readings over kanji only, aligned with okurigana, always escaped."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagu.textsearch.furigana import align, ruby, ruby_highlighted, to_hiragana

japaneseish = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF9F),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("　・ー「」（）々ヶ①髙﨑\n"),
    ),
    max_size=60,
)


def strip_ruby(rendered: str) -> str:
    """The text a reader sees without the readings, unescaped."""
    import html

    without = re.sub(r"<rt>.*?</rt>", "", rendered)
    return html.unescape(re.sub(r"</?(ruby|mark)>", "", without))


def test_it_puts_hiragana_over_kanji_only() -> None:
    assert str(ruby("子ども食堂")) == (
        "<ruby>子<rt>こ</rt></ruby>ども<ruby>食堂<rt>しょくどう</rt></ruby>"
    )


@pytest.mark.parametrize(
    ("surface", "reading", "parts"),
    [
        ("申し込み", "モウシコミ", [("申", "もう"), ("し", ""), ("込", "こ"), ("み", "")]),
        ("問い合わせ", "トイアワセ", [("問", "と"), ("い", ""), ("合", "あ"), ("わせ", "")]),
        ("霞ヶ関", "カスミガセキ", [("霞ヶ関", "かすみがせき")]),
        ("人々", "ヒトビト", [("人々", "ひとびと")]),
        ("ケア会議", "ケアカイギ", [("ケア", ""), ("会議", "かいぎ")]),
        ("ｹｱ会議", "ケアカイギ", [("ｹｱ", ""), ("会議", "かいぎ")]),
        # No kanji, no reading, or a reading that does not fit: no furigana.
        ("センター", "センター", [("センター", "")]),
        ("8050", "ハチレイゴレイ", [("8050", "")]),
        ("未知語", "", [("未知語", "")]),
        ("見る", "ミタ", [("見る", "")]),
    ],
)
def test_it_aligns_readings_with_okurigana(
    surface: str, reading: str, parts: list[tuple[str, str]]
) -> None:
    assert align(surface, reading) == parts


def test_it_keeps_punctuation_particles_and_numbers_as_written() -> None:
    rendered = str(ruby("鎌倉市御成町18-10（本庁舎）へ。"))
    assert strip_ruby(rendered) == "鎌倉市御成町18-10（本庁舎）へ。"
    assert "<ruby>鎌倉<rt>かまくら</rt></ruby>" in rendered
    assert "<ruby>18" not in rendered


def test_it_escapes_the_text() -> None:
    rendered = str(ruby("<script>相談</script> & 支援"))
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "&amp;" in rendered
    assert "<ruby>相談<rt>そうだん</rt></ruby>" in rendered


def test_it_gives_no_ruby_to_text_without_kanji() -> None:
    assert str(ruby("English text, ひらがな and カタカナ")) == "English text, ひらがな and カタカナ"
    assert str(ruby("")) == ""


def test_highlighted_snippets_keep_their_marks() -> None:
    rendered = str(ruby_highlighted("…高齢者の<mark>介護</mark>の相談 &amp; 支援"))
    assert "<mark><ruby>介護<rt>かいご</rt></ruby></mark>" in rendered
    assert strip_ruby(rendered) == "…高齢者の介護の相談 & 支援"


def test_a_mark_inside_a_word_covers_the_whole_word() -> None:
    # A mark over 食 alone would cut the ruby of 食堂; it grows to cover the word.
    rendered = str(ruby_highlighted("子ども<mark>食</mark>堂"))
    assert "<mark><ruby>食堂<rt>しょくどう</rt></ruby></mark>" in rendered


def test_to_hiragana() -> None:
    assert to_hiragana("カイゴ・ケアー") == "かいご・けあー"


@settings(max_examples=150, deadline=None)
@given(japaneseish)
def test_any_text_renders_to_itself_plus_readings(text: str) -> None:
    rendered = str(ruby(text))
    assert strip_ruby(rendered) == text
    assert "<" not in re.sub(r"</?(ruby|rt)>", "", rendered)
    for reading in re.findall(r"<rt>(.*?)</rt>", rendered):
        assert reading and all("\u3041" <= c <= "\u309f" or c == "ー" for c in reading)
