"""Where the index lives: an FTS5 table on SQLite, a tsvector column on PostgreSQL.

Both index the same pre-analysed terms (see `analysis`), in three weighted
fields: title (names), body (everything else) and reading (katakana readings,
matched only by kana queries and ranked lowest). The backend for a database is
chosen by its vendor; both run inside the caller's transaction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.utils import timezone

from .query import Alternative, Field, Query

FTS_TABLE = "textsearch_fts"
DOCUMENT_TABLE = "textsearch_searchdocument"


@dataclass(frozen=True, slots=True)
class IndexRow:
    """What the index stores for one document."""

    kind: str
    object_pk: int
    title: Sequence[str]
    body: Sequence[str]
    reading: Sequence[str]


@dataclass(frozen=True, slots=True)
class Hit:
    pk: int
    score: float


class Backend(ABC):
    vendor = ""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    # Schema -------------------------------------------------------------------

    @abstractmethod
    def create_schema(self) -> None:
        """Create the index structure (run by migration textsearch/0002)."""

    @abstractmethod
    def drop_schema(self) -> None:
        """Remove the index structure (the migration's reverse)."""

    # Writing --------------------------------------------------------------------

    @abstractmethod
    def write(self, rows: Iterable[IndexRow]) -> int:
        """Write (replace) the index rows; returns how many."""

    @abstractmethod
    def delete(self, kind: str, object_pks: Iterable[int]) -> None:
        """Remove the rows of these records."""

    @abstractmethod
    def clear(self, kind: str | None = None) -> None:
        """Remove every row (of one kind, or all)."""

    # Reading --------------------------------------------------------------------

    @abstractmethod
    def search(
        self,
        kind: str,
        query: Query,
        *,
        limit: int,
        offset: int = 0,
        restrict: QuerySet[Any] | None = None,
    ) -> list[Hit]:
        """One page of records matching `query`, best first."""

    @abstractmethod
    def count(self, kind: str, query: Query, *, restrict: QuerySet[Any] | None = None) -> int:
        """How many records match `query`."""

    # Helpers --------------------------------------------------------------------

    def _restriction(self, restrict: QuerySet[Any] | None) -> tuple[str, list[Any]]:
        if restrict is None:
            return "", []
        # Without ordering: a DISTINCT queryset would otherwise select its order columns too.
        try:
            sql, params = restrict.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # e.g. pk__in=[]: nothing can match
            return " AND 1 = 0", []
        return f" AND d.object_pk IN ({sql})", list(params)

    def _document_ids(self, cursor: Any, rows: Sequence[IndexRow]) -> list[int]:
        """Create or touch the document rows; their ids, in the order of `rows`."""
        now = timezone.now()
        ids = []
        for row in rows:
            cursor.execute(
                f"INSERT INTO {DOCUMENT_TABLE} (kind, object_pk, indexed_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (kind, object_pk) DO UPDATE SET indexed_at = excluded.indexed_at "
                "RETURNING id",
                [row.kind, row.object_pk, now],
            )
            ids.append(cursor.fetchone()[0])
        return ids


def _quote_fts(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SQLiteBackend(Backend):
    vendor = "sqlite"
    # bm25 column weights: title, body, reading.
    WEIGHTS = (10.0, 4.0, 1.0)

    def create_schema(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "title, body, reading, "
                "tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2')"
            )

    def drop_schema(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    def write(self, rows: Iterable[IndexRow]) -> int:
        rows = list(rows)
        if not rows:
            return 0
        with self.connection.cursor() as cursor:
            ids = self._document_ids(cursor, rows)
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [[i] for i in ids])
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, reading) VALUES (%s, %s, %s, %s)",
                [
                    [doc_id, " ".join(row.title), " ".join(row.body), " ".join(row.reading)]
                    for doc_id, row in zip(ids, rows, strict=True)
                ],
            )
        return len(rows)

    def delete(self, kind: str, object_pks: Iterable[int]) -> None:
        pks = list(object_pks)
        if not pks:
            return
        placeholders = ", ".join(["%s"] * len(pks))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN (SELECT id FROM {DOCUMENT_TABLE} "
                f"WHERE kind = %s AND object_pk IN ({placeholders}))",
                [kind, *pks],
            )
            cursor.execute(
                f"DELETE FROM {DOCUMENT_TABLE} WHERE kind = %s AND object_pk IN ({placeholders})",
                [kind, *pks],
            )

    def clear(self, kind: str | None = None) -> None:
        with self.connection.cursor() as cursor:
            if kind is None:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")
                cursor.execute(f"DELETE FROM {DOCUMENT_TABLE}")
            else:
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
                    f"(SELECT id FROM {DOCUMENT_TABLE} WHERE kind = %s)",
                    [kind],
                )
                cursor.execute(f"DELETE FROM {DOCUMENT_TABLE} WHERE kind = %s", [kind])

    @staticmethod
    def match_expression(query: Query) -> str:
        def alternative(alt: Alternative) -> str:
            columns = "{reading}" if alt.field is Field.READING else "{title body}"
            if alt.prefix:
                return f"{columns} : {_quote_fts(alt.terms[0])}*"
            if alt.phrase:
                return f"{columns} : {_quote_fts(' '.join(alt.terms))}"
            return "(" + " AND ".join(f"{columns} : {_quote_fts(t)}" for t in alt.terms) + ")"

        return " AND ".join(
            "(" + " OR ".join(alternative(alt) for alt in clause.alternatives) + ")"
            for clause in query.clauses
        )

    def _where(
        self, kind: str, query: Query, restrict: QuerySet[Any] | None
    ) -> tuple[str, list[Any]]:
        extra, extra_params = self._restriction(restrict)
        return (
            f"{FTS_TABLE} MATCH %s AND d.kind = %s{extra}",
            [self.match_expression(query), kind, *extra_params],
        )

    def search(
        self,
        kind: str,
        query: Query,
        *,
        limit: int,
        offset: int = 0,
        restrict: QuerySet[Any] | None = None,
    ) -> list[Hit]:
        if query.is_empty:
            return []
        where, params = self._where(kind, query, restrict)
        weights = ", ".join(str(w) for w in self.WEIGHTS)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.object_pk, -bm25({FTS_TABLE}, {weights}) AS score "
                f"FROM {FTS_TABLE} CROSS JOIN {DOCUMENT_TABLE} d ON d.id = {FTS_TABLE}.rowid "
                f"WHERE {where} ORDER BY score DESC, d.object_pk LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [Hit(pk=pk, score=float(score)) for pk, score in cursor.fetchall()]

    def count(self, kind: str, query: Query, *, restrict: QuerySet[Any] | None = None) -> int:
        if query.is_empty:
            return 0
        where, params = self._where(kind, query, restrict)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {FTS_TABLE} CROSS JOIN {DOCUMENT_TABLE} d "
                f"ON d.id = {FTS_TABLE}.rowid WHERE {where}",
                params,
            )
            return int(cursor.fetchone()[0])


def _quote_lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresBackend(Backend):
    vendor = "postgresql"
    # ts_rank_cd weights for D, C, B, A: reading, -, body, title.
    WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
    # PostgreSQL keeps positions up to 16383; fields start at these offsets so that a
    # phrase never runs from one field into the next.
    BODY_START = 1_000
    READING_START = 9_000
    MAX_POSITION = 16_383

    def create_schema(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {DOCUMENT_TABLE} ADD COLUMN IF NOT EXISTS vector tsvector")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS textsearch_document_vector "
                f"ON {DOCUMENT_TABLE} USING gin (vector)"
            )

    def drop_schema(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS textsearch_document_vector")
            cursor.execute(f"ALTER TABLE {DOCUMENT_TABLE} DROP COLUMN IF EXISTS vector")

    @classmethod
    def vector_literal(cls, row: IndexRow) -> str:
        positions: dict[str, list[str]] = {}

        def add(terms: Sequence[str], start: int, end: int, weight: str) -> None:
            for offset, term in enumerate(terms):
                position = min(start + offset, end)
                positions.setdefault(term, []).append(f"{position}{weight}")

        add(row.title, 1, cls.BODY_START - 1, "A")
        add(row.body, cls.BODY_START, cls.READING_START - 1, "B")
        add(row.reading, cls.READING_START, cls.MAX_POSITION, "D")
        # PostgreSQL keeps at most 256 positions per lexeme.
        return " ".join(
            f"{_quote_lexeme(term)}:{','.join(places[:256])}"
            for term, places in positions.items()
            if len(term.encode()) < 2046
        )

    def write(self, rows: Iterable[IndexRow]) -> int:
        rows = list(rows)
        if not rows:
            return 0
        now = timezone.now()
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {DOCUMENT_TABLE} (kind, object_pk, indexed_at, vector) "
                "VALUES (%s, %s, %s, CAST(%s AS tsvector)) "
                "ON CONFLICT (kind, object_pk) DO UPDATE "
                "SET indexed_at = excluded.indexed_at, vector = excluded.vector",
                [[row.kind, row.object_pk, now, self.vector_literal(row)] for row in rows],
            )
        return len(rows)

    def delete(self, kind: str, object_pks: Iterable[int]) -> None:
        pks = list(object_pks)
        if not pks:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {DOCUMENT_TABLE} WHERE kind = %s AND object_pk = ANY(%s)",
                [kind, pks],
            )

    def clear(self, kind: str | None = None) -> None:
        with self.connection.cursor() as cursor:
            if kind is None:
                cursor.execute(f"DELETE FROM {DOCUMENT_TABLE}")
            else:
                cursor.execute(f"DELETE FROM {DOCUMENT_TABLE} WHERE kind = %s", [kind])

    @staticmethod
    def tsquery_literal(query: Query) -> str:
        def alternative(alt: Alternative) -> str:
            weights = "D" if alt.field is Field.READING else "AB"
            if alt.prefix:
                return f"{_quote_lexeme(alt.terms[0])}:*{weights}"
            joiner = " <-> " if alt.phrase else " & "
            return "(" + joiner.join(f"{_quote_lexeme(t)}:{weights}" for t in alt.terms) + ")"

        return " & ".join(
            "(" + " | ".join(alternative(alt) for alt in clause.alternatives) + ")"
            for clause in query.clauses
        )

    def _where(self, kind: str, restrict: QuerySet[Any] | None) -> tuple[str, list[Any]]:
        extra, extra_params = self._restriction(restrict)
        return f"d.kind = %s AND d.vector @@ q.q{extra}", [kind, *extra_params]

    def search(
        self,
        kind: str,
        query: Query,
        *,
        limit: int,
        offset: int = 0,
        restrict: QuerySet[Any] | None = None,
    ) -> list[Hit]:
        if query.is_empty:
            return []
        where, params = self._where(kind, restrict)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.object_pk, ts_rank_cd(%s::float4[], d.vector, q.q) AS score "
                f"FROM {DOCUMENT_TABLE} d, (SELECT CAST(%s AS tsquery) AS q) AS q "
                f"WHERE {where} ORDER BY score DESC, d.object_pk LIMIT %s OFFSET %s",
                [self.WEIGHTS, self.tsquery_literal(query), *params, limit, offset],
            )
            return [Hit(pk=pk, score=float(score)) for pk, score in cursor.fetchall()]

    def count(self, kind: str, query: Query, *, restrict: QuerySet[Any] | None = None) -> int:
        if query.is_empty:
            return 0
        where, params = self._where(kind, restrict)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {DOCUMENT_TABLE} d, (SELECT CAST(%s AS tsquery) AS q) AS q "
                f"WHERE {where}",
                [self.tsquery_literal(query), *params],
            )
            return int(cursor.fetchone()[0])


BACKENDS: dict[str, type[Backend]] = {
    SQLiteBackend.vendor: SQLiteBackend,
    PostgresBackend.vendor: PostgresBackend,
}


def backend_for(using: str = "default") -> Backend:
    connection = connections[using]
    try:
        return BACKENDS[connection.vendor](connection)
    except KeyError:
        raise ImproperlyConfigured(
            f"tsunagu's search supports SQLite and PostgreSQL, not {connection.vendor}"
        ) from None
