"""Properties of the cell normalisations that must hold for any text a PDF could give us."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tsunagu.plans.importers.normalise import (
    CIRCLED,
    CellError,
    normalise_guideline_code,
    parse_department_cell,
    parse_guideline_cell,
)

# No example database: it would write a .hypothesis/ directory into the checkout.
cell_settings = settings(database=None, deadline=None, max_examples=200)

# Text that looks like plan cells: circled numbers, digits, katakana and their kanji
# look-alikes, brackets of both widths, separators and a few department names.
CELL_PIECES = [
    *CIRCLED[:10],
    *"15５-－ーアイエ工力ｴZ、,・()（）〔〕 \u3000\t",  # one character each
    *("12", "ｶﾞ", "福祉総務課", "市社会福祉協議会", "ＮＰＯセンター", "広聴広報課", "課"),
]
plan_like_text = st.lists(st.sampled_from(CELL_PIECES), max_size=12).map("".join)
any_text = st.one_of(plan_like_text, st.text(max_size=30))


@cell_settings
@given(any_text)
@example("5-イ")
@example("①工")
@example("⑤ｲ")
@example("３－ア")
def test_it_normalises_a_guideline_code_to_a_fixed_point(raw: str) -> None:
    try:
        code, _notes = normalise_guideline_code(raw)
    except CellError:
        return
    assert code[0] in CIRCLED
    assert normalise_guideline_code(code) == (code, [])


@cell_settings
@given(any_text)
def test_it_reads_a_guideline_cell_into_distinct_normalised_codes_or_raises_cell_error(
    raw: str,
) -> None:
    try:
        codes, _notes = parse_guideline_cell(raw)
    except CellError:
        return
    assert codes
    assert len(set(codes)) == len(codes)
    assert all(normalise_guideline_code(code) == (code, []) for code in codes)


@cell_settings
@given(any_text)
@example("福祉総務課（市社会福祉協議会")
@example("）")
@example("（（）")
@example("⑴")
def test_it_raises_only_cell_error_on_any_department_cell(raw: str) -> None:
    try:
        responsibilities, _notes = parse_department_cell(raw)
    except CellError:
        return
    assert responsibilities
    for responsibility in responsibilities:
        assert responsibility.organization
        assert (
            responsibility.organization
            == unicodedata.normalize("NFKC", responsibility.organization).strip()
        )
        assert responsibility.via is None or responsibility.via
