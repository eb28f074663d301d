"""Parsing what users type into clauses and alternatives (no database)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagu.textsearch.query import Field, Source, parse, segment_reading, split_words
from tsunagu.textsearch.search import build_synonym_table


def test_words_split_on_any_width_of_space_and_quotes_keep_phrases() -> None:
    assert split_words('介護　相談 "子どもの 居場所" 「ひとり親」') == [
        ("介護", False),
        ("相談", False),
        ("子どもの 居場所", True),
        ("ひとり親", True),
    ]


def test_unmatched_quote_is_ignored() -> None:
    assert split_words('"介護') == [("介護", False)]


def test_each_word_is_a_clause() -> None:
    query = parse("介護 相談")
    assert [c.alternatives[0].terms for c in query.clauses] == [("介護",), ("相談",)]


def test_one_character_words_match_as_prefix() -> None:
    (clause,) = parse("食").clauses
    assert clause.alternatives[0].prefix
    assert clause.alternatives[0].source is Source.PREFIX


def test_suffix_dropped_when_other_words_remain() -> None:
    (clause,) = parse("障害者").clauses
    assert clause.alternatives[0].terms == ("障害",)


def test_synonyms_become_alternatives() -> None:
    table = build_synonym_table([["DV", "配偶者暴力", "ドメスティック・バイオレンス"]])
    (clause,) = parse("ＤＶ", synonyms=lambda terms: table.get(terms, [])).clauses
    found = {alt.terms for alt in clause.alternatives}
    assert ("dv",) in found
    assert ("配偶", "者", "暴力") in found
    assert ("ドメスティック", "バイオレンス") in found
    assert {alt.source for alt in clause.alternatives[1:]} == {Source.SYNONYM}


def test_synonym_inside_a_longer_word() -> None:
    table = build_synonym_table([["DV", "配偶者暴力"]])
    (clause,) = parse("DV相談", synonyms=lambda terms: table.get(terms, [])).clauses
    assert ("配偶", "者", "暴力", "相談") in {alt.terms for alt in clause.alternatives}


def test_kana_word_is_split_into_known_readings() -> None:
    known = {"カイゴ", "ホケン", "カイ", "ゴ"}
    (clause,) = parse("かいごほけん", readings=lambda c: known & set(c)).clauses
    reading = [alt for alt in clause.alternatives if alt.field is Field.READING]
    assert reading[0].terms == ("カイゴ", "ホケン")


def test_kanji_word_gets_no_reading_alternative() -> None:
    (clause,) = parse("介護", readings=lambda c: {"カイゴ"}).clauses
    assert all(alt.field is Field.TERMS for alt in clause.alternatives)


def test_segment_prefers_fewest_pieces() -> None:
    assert segment_reading("カイゴホケン", {"カイ", "ゴ", "カイゴ", "ホケン", "ホ", "ケン"}) == (
        "カイゴ",
        "ホケン",
    )
    assert segment_reading("カイゴ", {"ホケン"}) is None


def test_punctuation_only_query_is_empty() -> None:
    assert parse("、。・！").is_empty
    assert parse("").is_empty


def test_sentence_relaxes_to_any_of_its_words() -> None:
    query = parse("母の介護と子育てが重なって大変です")
    relaxed = query.relaxed()
    assert len(relaxed.clauses) == 1
    assert {alt.terms for alt in relaxed.clauses[0].alternatives} >= {("介護",), ("子育て",)}


def test_phrase_query_cannot_relax_further() -> None:
    query = parse("介護")
    assert not query.can_relax


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_query_parses(text: str) -> None:
    query = parse(text, readings=lambda c: set())
    assert len(query.clauses) <= 12
    for clause in query.clauses:
        assert clause.alternatives
        for alt in clause.alternatives:
            assert alt.terms and all(alt.terms)


def test_words_that_together_are_a_synonym_become_one_clause() -> None:
    table = build_synonym_table([["DV", "domestic violence"]])
    query = parse("domestic violence 相談", synonyms=lambda terms: table.get(terms, []))
    assert [clause.text for clause in query.clauses] == ["domestic violence", "相談"]
    assert ("dv",) in {alt.terms for alt in query.clauses[0].alternatives}


def test_unquoted_compound_loosens_but_quoted_phrase_does_not() -> None:
    loose = parse("子供の発達").loosened()
    assert [alt.phrase for alt in loose.clauses[0].alternatives] == [False]
    strict = parse('"子供の発達"')
    assert strict.loosened() is strict


def test_prefix_only_when_one_character_is_typed() -> None:
    (clause,) = parse("お金").clauses
    assert not clause.alternatives[0].prefix


def test_synonyms_inside_a_sentence_are_word_sets_that_relax_into_words() -> None:
    table = build_synonym_table([["子育て", "育児"]])
    query = parse("母の介護と子育てが重なって大変です", synonyms=lambda terms: table.get(terms, []))
    synonym = [alt for alt in query.clauses[0].alternatives if alt.source is Source.SYNONYM]
    assert synonym and not synonym[0].phrase
    assert ("育児",) in {alt.terms for alt in query.relaxed().clauses[0].alternatives}
