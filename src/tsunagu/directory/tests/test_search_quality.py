"""Search quality over the demo directory: recall@10 and MRR for a labelled query set.

`data/labelled_queries.yaml` holds queries as residents and desk staff type them,
each with the demo services a person would expect on the first page. Every query
runs through `find_services` (the one way the directory is searched), top 10; the
same set runs through a naive baseline, `icontains` on name, description and
eligibility with the words AND-ed, in the directory's kana order. Both figures are
printed and written to `bench/results/search-quality.json` (one entry per database).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.db.models import Q

from tsunagu.core.management.commands.load_reference_data import load_reference_data
from tsunagu.directory.demo import load_directory_demo
from tsunagu.directory.models import Service
from tsunagu.directory.search import ServiceFilters, find_services

LABELLED_QUERIES = Path(__file__).parent / "data" / "labelled_queries.yaml"
RESULTS = Path(settings.PROJECT_DIR) / "bench" / "results" / "search-quality.json"
TOP = 10
REQUIRED_RECALL = 0.95


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    kind: str
    relevant: tuple[str, ...]
    note: str = ""


@dataclass
class Scores:
    """Per-query recall@10 and reciprocal rank, and the queries that missed."""

    recall: dict[str, float] = field(default_factory=dict)
    reciprocal_rank: dict[str, float] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)

    @property
    def mean_recall(self) -> float:
        return sum(self.recall.values()) / len(self.recall)

    @property
    def mrr(self) -> float:
        return sum(self.reciprocal_rank.values()) / len(self.reciprocal_rank)


def read_labelled_queries(path: Path = LABELLED_QUERIES) -> list[LabelledQuery]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        LabelledQuery(
            query=str(entry["query"]),
            kind=entry["kind"],
            relevant=tuple(str(uuid) for uuid in entry["relevant"]),
            note=entry.get("note") or "",
        )
        for entry in data["queries"]
    ]


def recall_at(ranked: Sequence[str], relevant: Sequence[str], k: int = TOP) -> float:
    """Share of the relevant items found in the first k."""
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: Sequence[str], k: int = TOP) -> float:
    """1/rank of the first relevant item in the first k; 0 when none is there."""
    for rank, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            return 1 / rank
    return 0.0


def score(queries: list[LabelledQuery], run: Callable[[str], list[str]]) -> Scores:
    scores = Scores()
    for labelled in queries:
        ranked = run(labelled.query)
        scores.recall[labelled.query] = recall_at(ranked, labelled.relevant)
        scores.reciprocal_rank[labelled.query] = reciprocal_rank(ranked, labelled.relevant)
        missed = [uuid for uuid in labelled.relevant if uuid not in ranked[:TOP]]
        if missed:
            scores.misses[labelled.query] = missed
    return scores


def engine(query: str) -> list[str]:
    page = find_services(ServiceFilters(q=query), per_page=TOP)
    return [str(service.uuid) for service in page.services]


def icontains_baseline(query: str) -> list[str]:
    """What a plain database search does: every word somewhere in the text, kana order."""
    words = query.split()
    condition = reduce(
        and_,
        (
            reduce(
                or_,
                (
                    Q(**{f"{field}__icontains": word})
                    for field in ("name", "description", "eligibility_description")
                ),
            )
            for word in words
        ),
    )
    services = Service.objects.filter(condition, status=Service.Status.ACTIVE)
    return [
        str(uuid)
        for uuid in services.order_by("name_kana", "name").values_list("uuid", flat=True)[:TOP]
    ]


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.PROJECT_DIR,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def write_results(entry: dict[str, Any], path: Path = RESULTS) -> None:
    """Keep one entry per database vendor, so the SQLite and PostgreSQL runs sit side by side."""
    try:
        existing = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        existing = {}
    results = existing.get("results", {}) if isinstance(existing, dict) else {}
    results[connection.vendor] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "benchmark": "directory search quality",
        "what": (
            "recall@10 and MRR of find_services over the labelled queries in "
            "src/tsunagu/directory/tests/data/labelled_queries.yaml, on the demo directory; "
            "baseline: icontains on name, description and eligibility, words AND-ed, kana order"
        ),
        "results": results,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# -- the metrics themselves ----------------------------------------------------------------------
def test_it_computes_recall_and_reciprocal_rank() -> None:
    assert recall_at(["a", "b", "c"], ["a", "c", "z"]) == pytest.approx(2 / 3)
    assert recall_at([str(n) for n in range(20)], ["15"]) == 0.0
    assert reciprocal_rank(["x", "y", "a"], ["a", "b"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"] * 10 + ["a"], ["a"]) == 0.0


def test_the_labelled_set_covers_what_people_type() -> None:
    queries = read_labelled_queries()
    assert len(queries) >= 50
    assert len({q.query for q in queries}) == len(queries), "a query is labelled twice"
    kinds = {q.kind for q in queries}
    assert {
        "kana",
        "variant",
        "synonym",
        "two-char",
        "multi-word",
        "english",
        "width",
        "kana-type",
    } <= kinds
    assert all(q.relevant for q in queries)
    assert any(len(q.query) == 2 for q in queries if q.kind == "two-char")


# -- the measurement -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_search_finds_what_people_expect() -> None:
    load_reference_data()
    load_directory_demo()
    queries = read_labelled_queries()
    demo = {str(uuid): name for uuid, name in Service.objects.values_list("uuid", "name")}
    unknown = {uuid for q in queries for uuid in q.relevant} - set(demo)
    assert not unknown, f"labelled uuids not in the demo data: {sorted(unknown)}"

    found = score(queries, engine)
    baseline = score(queries, icontains_baseline)

    by_kind: dict[str, dict[str, float]] = {}
    for kind in sorted({q.kind for q in queries}):
        names = [q.query for q in queries if q.kind == kind]
        by_kind[kind] = {
            "queries": len(names),
            "engine_recall_at_10": round(sum(found.recall[n] for n in names) / len(names), 3),
            "baseline_recall_at_10": round(sum(baseline.recall[n] for n in names) / len(names), 3),
        }
    entry = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "git_commit": _git_commit(),
        "database": connection.vendor,
        "queries": len(queries),
        "relevant_labels": sum(len(q.relevant) for q in queries),
        "services": len(demo),
        "engine": {"recall_at_10": round(found.mean_recall, 4), "mrr": round(found.mrr, 4)},
        "baseline_icontains": {
            "recall_at_10": round(baseline.mean_recall, 4),
            "mrr": round(baseline.mrr, 4),
        },
        "by_kind": by_kind,
        "engine_misses": {
            query: [demo[uuid] for uuid in missed] for query, missed in found.misses.items()
        },
    }
    write_results(entry)

    print(
        f"\nsearch quality over {len(queries)} queries ({connection.vendor}): "
        f"engine recall@10 {found.mean_recall:.3f}, MRR {found.mrr:.3f}; "
        f"icontains baseline recall@10 {baseline.mean_recall:.3f}, MRR {baseline.mrr:.3f}"
    )
    for query, missed in found.misses.items():
        print(f"  engine missed for {query!r}: {', '.join(demo[uuid] for uuid in missed)}")

    assert found.mean_recall >= REQUIRED_RECALL, entry["engine_misses"]
    assert found.mean_recall > baseline.mean_recall
