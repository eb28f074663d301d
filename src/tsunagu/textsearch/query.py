"""What a user typed, turned into something both index backends can run.

A query is a list of clauses, all of which must match (words separated by spaces
are AND-ed). A clause is a list of alternatives, any of which may match:

- the words as written (their index terms, in order),
- each synonym of them from the synonym list (DV → 配偶者暴力 …),
- for a word typed only in kana, its reading split into readings the index knows
  (かいごほけん → カイゴ ホケン), matched against the reading field and ranked lower,
- for a one-character word, every term that starts with it (食 → 食堂, 食事).

A quoted phrase ("子どもの居場所" or 「子どもの居場所」) is one clause whose words
must stand together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .analysis import is_kana, normalise, to_katakana, tokens

# Longest query taken (characters after normalising); more is cut, not refused.
MAX_QUERY_CHARS = 200
# At most this many clauses; the rest of a very long query is ignored.
MAX_CLAUSES = 12
# Longest kana word whose reading is split against the vocabulary.
MAX_READING_CHARS = 24

_QUOTED = re.compile(r'"([^"]*)"|「([^」]*)」|『([^』]*)』')


class Field(StrEnum):
    TERMS = "terms"
    READING = "reading"


class Source(StrEnum):
    EXACT = "exact"
    SYNONYM = "synonym"
    READING = "reading"
    PREFIX = "prefix"


@dataclass(frozen=True, slots=True)
class Alternative:
    """A run of terms that must appear together, in one field."""

    terms: tuple[str, ...]
    field: Field = Field.TERMS
    source: Source = Source.EXACT
    prefix: bool = False
    # True: the terms must be adjacent and in order; False: anywhere in the document.
    phrase: bool = True
    # A quoted phrase: never loosened.
    strict: bool = False


@dataclass(frozen=True, slots=True)
class Clause:
    text: str
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Query:
    text: str
    clauses: tuple[Clause, ...]
    # Every index term and reading that any alternative looks for (for highlighting).
    terms: frozenset[str] = field(default_factory=frozenset)
    readings: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def loosened(self) -> Query:
        """Words typed together without quotes need not stand together (子供の発達
        also finds 発達が気になる子ども); every word is still required."""
        clauses = tuple(
            Clause(
                text=clause.text,
                alternatives=_unique(
                    [
                        replace(alt, phrase=False)
                        if alt.phrase and not alt.strict and len(alt.terms) > 1
                        else alt
                        for alt in clause.alternatives
                    ]
                ),
            )
            for clause in self.clauses
        )
        if clauses == self.clauses:
            return self
        return Query(text=self.text, clauses=clauses, terms=self.terms, readings=self.readings)

    def relaxed(self) -> Query:
        """Any single word sufficing (used when requiring every word finds nothing).

        Each clause's alternatives become alternatives of one clause, and a run of
        words that did not have to stand together is split into its words.
        """
        merged: list[Alternative] = []
        for clause in self.clauses:
            for alt in clause.alternatives:
                if alt.phrase or len(alt.terms) == 1:
                    merged.append(alt)
                else:
                    merged.extend(
                        Alternative(terms=(term,), field=alt.field, source=alt.source)
                        for term in alt.terms
                    )
        relaxed = (Clause(text=self.text, alternatives=_unique(merged)),)
        if relaxed == self.clauses:
            return self
        return Query(text=self.text, clauses=relaxed, terms=self.terms, readings=self.readings)

    @property
    def can_relax(self) -> bool:
        return self.relaxed() is not self


SynonymLookup = Callable[[tuple[str, ...]], Sequence[tuple[str, ...]]]
ReadingLookup = Callable[[Iterable[str]], set[str]]


def split_words(text: str) -> list[tuple[str, bool]]:
    """The words of a query as (word, quoted), quoted phrases kept whole."""
    text = normalise(text)[:MAX_QUERY_CHARS]
    words: list[tuple[str, bool]] = []
    position = 0
    for match in _QUOTED.finditer(text):
        words.extend((w, False) for w in text[position : match.start()].split())
        phrase = next(g for g in match.groups() if g is not None).strip()
        if phrase:
            words.append((phrase, True))
        position = match.end()
    # An unmatched quote mark is just punctuation.
    rest = text[position:].replace('"', " ").replace("「", " ").replace("『", " ")
    words.extend((w, False) for w in rest.split())
    return words


def segment_reading(reading: str, known: set[str]) -> tuple[str, ...] | None:
    """Split a katakana string into the fewest readings from `known`, or None."""
    n = len(reading)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for end in range(1, n + 1):
        for start in range(end):
            before = best[start]
            piece = reading[start:end]
            if before is None or piece not in known:
                continue
            candidate = (*before, piece)
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    return best[n]


def reading_substrings(reading: str) -> set[str]:
    return {reading[i:j] for i in range(len(reading)) for j in range(i + 1, len(reading) + 1)}


def parse(
    text: str,
    synonyms: SynonymLookup | None = None,
    readings: ReadingLookup | None = None,
) -> Query:
    """Parse `text`; `synonyms` and `readings` look up the data that lives in the database."""
    words = split_words(text)[:MAX_CLAUSES]
    kana_words = [
        to_katakana(word) for word, _ in words if is_kana(word) and len(word) <= MAX_READING_CHARS
    ]
    known_readings: set[str] = set()
    if readings is not None and kana_words:
        candidates: set[str] = set()
        for word in kana_words:
            candidates |= reading_substrings(word)
        known_readings = readings(candidates)

    clauses: list[Clause] = []
    all_terms: set[str] = set()
    all_readings: set[str] = set()
    for word, quoted in _merge_synonym_runs(words, synonyms):
        word_tokens = tokens(word)
        strong = tuple(t.term for t in word_tokens if not t.weak)
        exact = tuple(t.term for t in word_tokens) if quoted or not strong else strong
        alternatives: list[Alternative] = []
        if exact:
            # One character typed: any word starting with it (食 → 食堂, 食事).
            one_char = len(word) == 1 and not quoted
            alternatives.append(
                Alternative(
                    terms=exact,
                    prefix=one_char,
                    source=Source.PREFIX if one_char else Source.EXACT,
                    # Words typed together are one idea, but a sentence typed as
                    # one word rarely appears verbatim: require order only for
                    # quoted phrases and short compounds (loosened when that finds
                    # nothing, see Query.loosened).
                    phrase=quoted or len(exact) <= 3,
                    strict=quoted,
                )
            )
            all_terms.update(exact)
            if synonyms is not None:
                # A variant stands together only when the words did: inside a typed
                # sentence it is, like the sentence, a set of words (and relaxing
                # the query can then split it into words too).
                together = alternatives[0].phrase
                for variant in _synonym_variants(exact, synonyms):
                    alternatives.append(
                        Alternative(terms=variant, source=Source.SYNONYM, phrase=together)
                    )
                    all_terms.update(variant)
        if is_kana(word) and len(word) <= MAX_READING_CHARS:
            whole = to_katakana(word)
            # The word as written in kana anywhere (the index keeps kana runs whole).
            alternatives.append(Alternative(terms=(whole,), source=Source.EXACT))
            all_terms.add(whole)
            segments = segment_reading(whole, known_readings)
            if segments:
                alternatives.append(
                    Alternative(terms=segments, field=Field.READING, source=Source.READING)
                )
                all_readings.update(segments)
        if alternatives:
            clauses.append(Clause(text=word, alternatives=_unique(alternatives)))
    return Query(
        text=text,
        clauses=tuple(clauses),
        terms=frozenset(all_terms),
        readings=frozenset(all_readings),
    )


def _merge_synonym_runs(
    words: list[tuple[str, bool]], synonyms: SynonymLookup | None
) -> list[tuple[str, bool]]:
    """Join consecutive unquoted words that together are a synonym entry
    ("domestic violence", "child care") into one word, so the synonym applies."""
    if synonyms is None:
        return words
    merged: list[tuple[str, bool]] = []
    i = 0
    while i < len(words):
        taken = 1
        if not words[i][1]:
            for j in range(len(words), i + 1, -1):
                run = words[i:j]
                if any(quoted for _, quoted in run):
                    continue
                run_terms = tuple(t.term for word, _ in run for t in tokens(word))
                if run_terms and synonyms(run_terms):
                    merged.append((" ".join(word for word, _ in run), False))
                    taken = j - i
                    break
        if taken == 1:
            merged.append(words[i])
        i += taken
    return merged


def _synonym_variants(terms: tuple[str, ...], synonyms: SynonymLookup) -> list[tuple[str, ...]]:
    """`terms` with any run of them that has synonyms replaced by each synonym."""
    variants: list[tuple[str, ...]] = []
    for start in range(len(terms)):
        for end in range(len(terms), start, -1):
            for replacement in synonyms(terms[start:end]):
                variant = terms[:start] + replacement + terms[end:]
                if variant != terms and variant not in variants:
                    variants.append(variant)
    return variants


def _unique(alternatives: list[Alternative]) -> tuple[Alternative, ...]:
    seen: set[tuple[tuple[str, ...], Field, bool]] = set()
    result = []
    for alternative in alternatives:
        key = (alternative.terms, alternative.field, alternative.phrase)
        if key not in seen:
            seen.add(key)
            result.append(alternative)
    return tuple(result)
