"""Running searches and explaining their results."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import router
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import SafeString, mark_safe

from .analysis import Token, is_kana, to_katakana, tokens
from .backends import Hit, backend_for
from .index import DocumentField, searchable
from .models import Reading, SynonymGroup
from .query import Field, Query, parse

SYNONYM_CACHE_KEY = "textsearch:synonyms:v1"
SYNONYM_CACHE_SECONDS = 600

SynonymTable = dict[tuple[str, ...], list[tuple[str, ...]]]


def synonym_table() -> SynonymTable:
    """Analysed synonym groups: each word's terms → the other words' terms."""
    table: SynonymTable | None = cache.get(SYNONYM_CACHE_KEY)
    if table is None:
        table = build_synonym_table(
            group.word_list() for group in SynonymGroup.objects.filter(is_active=True)
        )
        cache.set(SYNONYM_CACHE_KEY, table, SYNONYM_CACHE_SECONDS)
    return table


def build_synonym_table(groups: Iterable[Sequence[str]]) -> SynonymTable:
    table: SynonymTable = {}
    for words in groups:
        analysed = []
        for word in words:
            word_tokens = tokens(word)
            if word_tokens:
                analysed.append(word_tokens)
        full_forms = [tuple(t.term for t in word_tokens) for word_tokens in analysed]
        for word_tokens, full in zip(analysed, full_forms, strict=True):
            others = [other for other in full_forms if other != full]
            strong = tuple(t.term for t in word_tokens if not t.weak)
            for key in {full, strong} - {()}:
                bucket = table.setdefault(key, [])
                bucket.extend(o for o in others if o not in bucket and o != key)
    return table


def _forget_synonyms(**kwargs: Any) -> None:
    cache.delete(SYNONYM_CACHE_KEY)


post_save.connect(_forget_synonyms, sender=SynonymGroup, dispatch_uid="textsearch:synonyms:save")
post_delete.connect(
    _forget_synonyms, sender=SynonymGroup, dispatch_uid="textsearch:synonyms:delete"
)


def known_readings(candidates: Iterable[str]) -> set[str]:
    candidates = [c for c in candidates if len(c) <= 64]
    if not candidates:
        return set()
    return set(Reading.objects.filter(reading__in=candidates).values_list("reading", flat=True))


def parse_query(text: str) -> Query:
    """Parse what a user typed, with the synonyms and readings in the database."""
    table = synonym_table()
    return parse(text, synonyms=lambda terms: table.get(terms, []), readings=known_readings)


@dataclass(frozen=True)
class SearchResult:
    query: Query
    total: int
    hits: list[Hit]
    # True when no record had every word, so records with any word are shown.
    relaxed: bool = False

    @property
    def pks(self) -> list[int]:
        return [hit.pk for hit in self.hits]

    def scores(self) -> dict[int, float]:
        return {hit.pk: hit.score for hit in self.hits}


def search(
    kind: str,
    text: str | Query,
    *,
    limit: int = 20,
    offset: int = 0,
    restrict: QuerySet[Any] | None = None,
    relax: bool = True,
) -> SearchResult:
    """Records of `kind` matching `text`, best first.

    `restrict` limits the search to a queryset of the kind's model (filters, scope).
    With `relax`, a query of several words that finds nothing with all of them
    returns what has any of them, ranked by how well it matches.
    """
    entry = searchable(kind)
    query = parse_query(text) if isinstance(text, str) else text
    backend = backend_for(router.db_for_read(entry.model))
    if query.is_empty:
        return SearchResult(query=query, total=0, hits=[])
    attempts = [(query, False)]
    if relax:
        # Nothing for the words as typed: first let unquoted compounds come apart
        # (still every word), then accept any word.
        loosened = query.loosened()
        if loosened is not query:
            attempts.append((loosened, False))
        relaxed = loosened.relaxed()
        if relaxed is not loosened:
            attempts.append((relaxed, True))
    # Chosen by count, not by the page's hits, so every page of one search agrees.
    chosen, is_relaxed, total = query, False, 0
    for attempt, flag in attempts:
        total = backend.count(kind, attempt, restrict=restrict)
        if total:
            chosen, is_relaxed = attempt, flag
            break
    hits = (
        backend.search(kind, chosen, limit=limit, offset=offset, restrict=restrict) if total else []
    )
    return SearchResult(query=chosen, total=total, hits=hits, relaxed=is_relaxed)


# Explaining -------------------------------------------------------------------


@dataclass(frozen=True)
class FieldMatch:
    name: str
    label: str
    snippet: SafeString


def match_spans(found: Sequence[Token], query: Query) -> list[tuple[int, int]]:
    """Token index ranges [start, end) of `found` that some alternative matches."""
    spans: set[tuple[int, int]] = set()
    terms = [t.term for t in found]
    readings = [t.reading for t in found]
    for clause in query.clauses:
        for alt in clause.alternatives:
            sequence = readings if alt.field is Field.READING else terms
            size = len(alt.terms)
            if alt.prefix:
                spans.update(
                    (i, i + 1) for i, term in enumerate(terms) if term.startswith(alt.terms[0])
                )
            elif size == 1 and alt.field is Field.TERMS and is_kana(alt.terms[0]):
                spans.update(_kana_run_spans(found, alt.terms[0]))
                spans.update((i, i + 1) for i, term in enumerate(terms) if term == alt.terms[0])
            elif alt.phrase:
                spans.update(
                    (i, i + size)
                    for i in range(len(sequence) - size + 1)
                    if tuple(sequence[i : i + size]) == alt.terms
                )
            else:
                wanted = set(alt.terms)
                spans.update((i, i + 1) for i, term in enumerate(sequence) if term in wanted)
    return sorted(spans)


def _kana_run_spans(found: Sequence[Token], word: str) -> set[tuple[int, int]]:
    """Runs of adjacent kana tokens that spell `word` (katakana) together."""
    spans = set()
    for start in range(len(found)):
        spelled = ""
        for end in range(start, len(found)):
            token = found[end]
            if not is_kana(token.surface) or (end > start and found[end - 1].end != token.start):
                break
            spelled += to_katakana(token.surface)
            if spelled == word:
                spans.add((start, end + 1))
            if len(spelled) >= len(word):
                break
    return spans


def highlight(text: str, query: Query, *, width: int | None = 80) -> SafeString:
    """`text` escaped, with matched words in <mark>; cut around the first match to
    about `width` characters (None: the whole text)."""
    found = tokens(text, keep_offsets_of_original=True)
    # One mark per run of matched text: overlapping or touching spans merge.
    marks: list[tuple[int, int]] = []
    for a, b in match_spans(found, query):
        mark_start, mark_end = found[a].start, found[b - 1].end
        if marks and mark_start <= marks[-1][1]:
            marks[-1] = (marks[-1][0], max(mark_end, marks[-1][1]))
        else:
            marks.append((mark_start, mark_end))
    if width is not None and len(text) > width:
        first = marks[0][0] if marks else 0
        start = max(0, min(first - width // 4, len(text) - width))
        end = start + width
    else:
        start, end = 0, len(text)
    pieces: list[str] = ["…" if start > 0 else ""]
    position = start
    for mark_start, mark_end in marks:
        if mark_start < position or mark_end > end:
            continue
        pieces.append(html.escape(text[position:mark_start]))
        pieces.append(f"<mark>{html.escape(text[mark_start:mark_end])}</mark>")
        position = mark_end
    pieces.append(html.escape(text[position:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))


def explain(
    fields: Sequence[DocumentField], query: Query, *, width: int | None = 80
) -> list[FieldMatch]:
    """The fields of a document that matched `query`, each with a highlighted snippet."""
    matches = []
    for doc_field in fields:
        if not doc_field.text:
            continue
        if match_spans(tokens(doc_field.text), query):
            matches.append(
                FieldMatch(
                    name=doc_field.name,
                    label=doc_field.label,
                    snippet=highlight(doc_field.text, query, width=width),
                )
            )
    return matches
