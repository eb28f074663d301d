"""The index on the database in use (SQLite FTS5 here, PostgreSQL tsvector in the
PostgreSQL pass): writing in the caller's transaction, matching, ranking, scope."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from tsunagu.core.models import Organization
from tsunagu.textsearch.index import DocumentField, index_objects, rebuild, register, unregister
from tsunagu.textsearch.models import Reading, SearchDocument, SynonymGroup
from tsunagu.textsearch.search import explain, search

KIND = "test.organization"

pytestmark = pytest.mark.django_db

TEXTS = {
    "家族介護者の会": "介護をしている家族が集まり、悩みを話し合います。",
    "こども食堂ひまわり": "子どもが一人でも来られる地域の食堂です。",
    "介護保険課": "要介護認定の申請と介護保険サービスの相談。",
    "ＤＶ相談室": "配偶者からの暴力に悩む方の相談を受けます。",
    "Food Bank Kamakura": "食料の寄付を集め、生活に困っている方へ届けます。",
    "ひきこもり支援センター": "引きこもりの本人と家族の相談。",
}


def document(org: Organization) -> list[DocumentField]:
    return [
        DocumentField("name", "name", org.name, "title"),
        DocumentField("description", "description", TEXTS.get(org.name, "")),
    ]


@pytest.fixture
def indexed() -> Iterator[dict[str, Organization]]:
    entry = register(
        Organization,
        kind=KIND,
        document=document,
        queryset=lambda: Organization.objects.filter(name__in=TEXTS),
        signals=False,
    )
    orgs = {
        name: Organization.objects.create(name=name, kind=Organization.Kind.COMMUNITY_GROUP)
        for name in TEXTS
    }
    index_objects(entry, orgs.values())
    yield orgs
    unregister(KIND)


def names(result_pks: list[int]) -> list[str]:
    by_pk = Organization.objects.in_bulk(result_pks)
    return [by_pk[pk].name for pk in result_pks]


def test_title_match_ranks_above_body_match(indexed: dict[str, Organization]) -> None:
    result = search(KIND, "介護")
    found = names(result.pks)
    assert set(found) == {"家族介護者の会", "介護保険課"}
    assert result.total == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("子供", "こども食堂ひまわり"),
        ("こども", "こども食堂ひまわり"),
        ("引きこもり", "ひきこもり支援センター"),
        ("dv", "ＤＶ相談室"),
        ("ｄｖ", "ＤＶ相談室"),
        ("food bank", "Food Bank Kamakura"),
        ("FOOD", "Food Bank Kamakura"),
        ("かいご", "介護保険課"),
        ("カイゴホケン", "介護保険課"),
        ("食", "こども食堂ひまわり"),
        ('"介護 保険"', "介護保険課"),
        ("相談 暴力", "ＤＶ相談室"),
    ],
)
def test_queries_find_their_record(
    indexed: dict[str, Organization], query: str, expected: str
) -> None:
    assert expected in names(search(KIND, query).pks)


def test_words_are_anded(indexed: dict[str, Organization]) -> None:
    assert names(search(KIND, "介護 申請").pks) == ["介護保険課"]


def test_nothing_matches_nothing(indexed: dict[str, Organization]) -> None:
    result = search(KIND, "宇宙旅行")
    assert result.pks == [] and result.total == 0


def test_kana_reading_matches_rank_below_exact_matches(indexed: dict[str, Organization]) -> None:
    org = Organization.objects.create(name="かいご教室", kind=Organization.Kind.COMMUNITY_GROUP)
    TEXTS_WITH_KANA = {**TEXTS, "かいご教室": "ひらがなで書いた名前"}
    entry = register(
        Organization,
        kind=KIND,
        document=lambda o: [
            DocumentField("name", "name", o.name, "title"),
            DocumentField("d", "d", TEXTS_WITH_KANA.get(o.name, "")),
        ],
        signals=False,
    )
    index_objects(entry, [org])
    found = names(search(KIND, "かいご").pks)
    assert found[0] == "かいご教室"
    assert "介護保険課" in found


def test_synonyms_from_the_database(indexed: dict[str, Organization]) -> None:
    assert "ＤＶ相談室" in names(search(KIND, "ドメスティック・バイオレンス").pks)
    SynonymGroup.objects.create(words="ひまわり\nサンフラワー")
    assert names(search(KIND, "サンフラワー").pks) == ["こども食堂ひまわり"]


def test_sentence_with_no_full_match_is_relaxed(indexed: dict[str, Organization]) -> None:
    result = search(KIND, "母の介護で悩んでいます")
    assert result.relaxed
    assert "家族介護者の会" in names(result.pks)


def test_restrict_limits_to_a_queryset(indexed: dict[str, Organization]) -> None:
    restrict = Organization.objects.filter(name="介護保険課")
    assert names(search(KIND, "介護", restrict=restrict).pks) == ["介護保険課"]
    assert search(KIND, "介護", restrict=restrict).total == 1


def test_paging(indexed: dict[str, Organization]) -> None:
    first = search(KIND, "介護", limit=1)
    second = search(KIND, "介護", limit=1, offset=1)
    assert first.total == 2
    assert len(first.pks) == len(second.pks) == 1
    assert first.pks != second.pks


def test_reindex_replaces_and_delete_removes(indexed: dict[str, Organization]) -> None:
    org = indexed["介護保険課"]
    TEXTS["介護保険課"] = "書類の受付のみ"
    try:
        org.name = "受付窓口"
        org.save()
        entry = register(Organization, kind=KIND, document=document, signals=False)
        index_objects(entry, [org])
        assert "受付窓口" not in names(search(KIND, "介護").pks)
        assert names(search(KIND, "受付").pks) == ["受付窓口"]
    finally:
        TEXTS["介護保険課"] = "要介護認定の申請と介護保険サービスの相談。"
    from tsunagu.textsearch.backends import backend_for

    backend_for().delete(KIND, [org.pk])
    assert search(KIND, "受付").pks == []
    assert not SearchDocument.objects.filter(kind=KIND, object_pk=org.pk).exists()


def test_index_writes_roll_back_with_the_transaction(indexed: dict[str, Organization]) -> None:
    entry = register(Organization, kind=KIND, document=document, signals=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        org = Organization.objects.create(
            name="一時的な団体", kind=Organization.Kind.COMMUNITY_GROUP
        )
        index_objects(entry, [org])
        assert names(search(KIND, "一時的").pks) == ["一時的な団体"]
        raise RuntimeError
    assert search(KIND, "一時的").pks == []


def test_rebuild_restores_the_index(indexed: dict[str, Organization]) -> None:
    from tsunagu.textsearch.backends import backend_for

    backend_for().clear(KIND)
    assert search(KIND, "介護").pks == []
    counts = rebuild(KIND)
    assert counts[KIND] == len(TEXTS)
    assert len(search(KIND, "介護").pks) == 2
    assert Reading.objects.filter(reading="カイゴ").exists()


def test_explain_names_fields_and_highlights(indexed: dict[str, Organization]) -> None:
    result = search(KIND, "こども")
    org = Organization.objects.get(pk=result.pks[0])
    matches = explain(document(org), result.query)
    assert [m.name for m in matches] == ["name", "description"]
    assert "<mark>こども</mark>" in matches[0].snippet
    assert "<mark>子ども</mark>" in matches[1].snippet


def test_highlight_escapes_html(indexed: dict[str, Organization]) -> None:
    from tsunagu.textsearch.search import highlight, parse_query

    html = highlight("<script>介護</script>", parse_query("介護"))
    assert "<script>" not in html
    assert "<mark>介護</mark>" in html


def test_hostile_queries_do_not_break_the_backend(indexed: dict[str, Organization]) -> None:
    for text in [
        '"',
        "'",
        "NEAR(a b)",
        "介護 OR",
        "* ^ :",
        "\\'; DROP TABLE x; --",
        "{title}: x",
        "a" * 500,
    ]:
        search(KIND, text)  # must not raise


def test_backend_matches_database() -> None:
    from tsunagu.textsearch.backends import backend_for

    assert backend_for().vendor == connection.vendor


def test_query_plans_start_from_the_full_text_index(indexed: dict[str, Organization]) -> None:
    """SQLite: both statements a search runs begin with the FTS match, not a walk over
    every document of the kind probing FTS per row (seconds at 100,000 documents).
    PostgreSQL: the tsquery the backend writes is one the GIN index can answer."""
    from django.test.utils import CaptureQueriesContext

    from tsunagu.textsearch.backends import DOCUMENT_TABLE, FTS_TABLE, PostgresBackend
    from tsunagu.textsearch.search import parse_query

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A few rows would be read sequentially anyway: forbid that to see whether
            # the match can use the index at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"EXPLAIN SELECT count(*) FROM {DOCUMENT_TABLE} d "
                "WHERE d.vector @@ CAST(%s AS tsquery)",
                [PostgresBackend.tsquery_literal(parse_query("介護"))],
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "textsearch_document_vector" in plan, plan
        return
    with CaptureQueriesContext(connection) as context:
        search(KIND, "介護")
    statements = [q["sql"] for q in context.captured_queries if FTS_TABLE in q["sql"]]
    assert len(statements) == 2  # the count and the page
    for sql in statements:
        with connection.cursor() as cursor:
            # The captured SQL has its parameters inlined; quote nothing else.
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan_rows = [row[-1] for row in cursor.fetchall()]
        assert plan_rows[0].startswith(f"SCAN {FTS_TABLE}"), plan_rows
        assert "INTEGER PRIMARY KEY" in plan_rows[1], plan_rows
