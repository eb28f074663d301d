"""The search benchmark on one database, in a process of its own (``search.py`` starts it).

Django is set up once per process, and the process's peak memory is then this backend's.
"""

from __future__ import annotations

import argparse
import fcntl
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import common
import search_data
from search_data import QUERIES

SEED = 20261127
TARGET_P95_MS = 20.0
TARGET_SPEEDUP = 20.0
LIMIT = 20
# find_services runs search() and more: when search() is over the cap, it is not tried.
LATER_STEPS = {"find_services": "search"}
# The icontains baseline may take this many times the cap before it is abandoned.
SCAN_CAP_FACTOR = 10


def rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


# -- building -------------------------------------------------------------------------------------
def build_rows(args: argparse.Namespace) -> dict[str, Any]:
    """Organisations, services, their categories, target groups and English translations."""
    from django.db import connection, transaction

    from tsunagu.directory.models import (
        Organization,
        Service,
        ServiceTranslation,
        TargetGroup,
        TaxonomyTerm,
    )

    rng = random.Random(SEED)
    started = time.perf_counter()
    terms = list(TaxonomyTerm.objects.values_list("pk", "code"))
    groups = dict(TargetGroup.objects.values_list("code", "pk"))

    def term_ids(prefix: str) -> list[int]:
        below = [pk for pk, code in terms if code.startswith(prefix + ".")]
        return below or [pk for pk, code in terms if code == prefix]

    terms_by_prefix = {
        prefix: term_ids(prefix) for theme in search_data.THEMES for prefix in theme.taxonomy
    }
    term_through = Service.taxonomy_terms.through
    group_through = Service.target_groups.through
    counts = {"services": 0, "translations": 0, "categories": 0, "target_groups": 0}
    with transaction.atomic():
        providers = Organization.objects.bulk_create(
            [
                Organization(name=o.name, name_kana=o.name_kana, legal_status=o.legal_status)
                for o in search_data.organizations(args.organizations, rng)
            ],
            batch_size=1000,
        )
        rows = search_data.services(args.services, len(providers), rng)
        while True:
            chunk = [row for _, row in zip(range(5000), rows, strict=False)]
            if not chunk:
                break
            services = Service.objects.bulk_create(
                [
                    Service(
                        organization=providers[row.organization],
                        name=row.name,
                        name_kana=row.name_kana,
                        alternate_name=row.alternate_name,
                        description=row.description,
                        eligibility_description=row.eligibility,
                        application_process=row.application,
                        status=row.status,
                    )
                    for row in chunk
                ],
                batch_size=1000,
            )
            categories: list[tuple[int, int]] = []
            targets: list[tuple[int, int]] = []
            translations = []
            for service, row in zip(services, chunk, strict=True):
                chosen = {rng.choice(terms_by_prefix[p]) for p in row.taxonomy_prefixes}
                categories += [(service.pk, t) for t in chosen]
                targets += [(service.pk, groups[code]) for code in row.target_groups]
                if row.english:
                    translations.append(
                        ServiceTranslation(
                            service=service,
                            language="en",
                            name=row.english[0],
                            description=row.english[1],
                        )
                    )
            # The many-to-many rows straight in: model instances would double the set-up time.
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {term_through._meta.db_table} (service_id, taxonomyterm_id) "
                    "VALUES (%s, %s)",
                    categories,
                )
                cursor.executemany(
                    f"INSERT INTO {group_through._meta.db_table} (service_id, targetgroup_id) "
                    "VALUES (%s, %s)",
                    targets,
                )
            ServiceTranslation.objects.bulk_create(translations, batch_size=1000)
            counts["services"] += len(services)
            counts["translations"] += len(translations)
            counts["categories"] += len(categories)
            counts["target_groups"] += len(targets)
    seconds = time.perf_counter() - started
    return {
        "organizations": len(providers),
        **counts,
        "active_services": Service.objects.filter(status=Service.Status.ACTIVE).count(),
        "seconds": round(seconds, 2),
        "rows_per_s": round(counts["services"] / seconds),
        "ru_maxrss_mib_after": rss_mib(),
    }


def build_index(args: argparse.Namespace) -> dict[str, Any]:
    """Index every service in batches, as `rebuild_search_index` does (one transaction per
    batch here, so each batch's cost shows on its own)."""
    from tsunagu.directory.search import KIND, indexed_services
    from tsunagu.textsearch.index import index_objects, index_row, searchable
    from tsunagu.textsearch.models import Reading, SearchDocument

    entry = searchable(KIND)
    load_s = index_s = 0.0
    batch_seconds: list[float] = []
    last_pk = 0
    total = 0
    started = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        batch = list(indexed_services().filter(pk__gt=last_pk).order_by("pk")[: args.batch_size])
        t1 = time.perf_counter()
        if not batch:
            break
        total += index_objects(entry, batch)
        t2 = time.perf_counter()
        load_s += t1 - t0
        index_s += t2 - t1
        batch_seconds.append(t2 - t0)
        last_pk = batch[-1].pk
    seconds = time.perf_counter() - started
    rss_after = rss_mib()

    # Where the time goes: analysing alone (Sudachi and the Python around it), on a sample.
    sample = list(indexed_services().order_by("pk")[: min(1000, args.services)])
    t0 = time.perf_counter()
    for service in sample:
        index_row(entry, service)
    analyse_ms = (time.perf_counter() - t0) * 1000 / max(1, len(sample))

    # Python's own allocations while indexing one batch again (tracemalloc slows everything
    # down, so it watches this extra batch, not the timed build).
    batch = list(indexed_services().order_by("pk")[: args.batch_size])
    traced_started = time.perf_counter()
    tracemalloc.start()
    index_objects(entry, batch)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    traced_s = time.perf_counter() - traced_started

    tenth = max(1, len(batch_seconds) // 10)
    return {
        "documents": SearchDocument.objects.filter(kind=KIND).count(),
        "indexed": total,
        "readings": Reading.objects.count(),
        "batch_size": args.batch_size,
        "batches": len(batch_seconds),
        "seconds": round(seconds, 2),
        "services_per_s": round(total / seconds),
        "load_seconds": round(load_s, 2),
        "index_objects_seconds": round(index_s, 2),
        "analyse_ms_per_service": round(analyse_ms, 3),
        "analyse_share": round(analyse_ms * total / 1000 / seconds, 2),
        "first_tenth_batch_s": round(statistics.fmean(batch_seconds[:tenth]), 3),
        "last_tenth_batch_s": round(statistics.fmean(batch_seconds[-tenth:]), 3),
        "ru_maxrss_mib_after": rss_after,
        "tracemalloc_peak_mib_one_batch": round(traced_peak / 2**20, 1),
        "tracemalloc_batch_seconds": round(traced_s, 1),
    }


def prepare_for_queries() -> dict[str, Any]:
    """What a running database would have done by the time people search."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Autovacuum does this soon after a load: it empties the GIN pending list and
            # collects statistics. Done now, so that every run searches the same index.
            cursor.execute("VACUUM ANALYZE")
            done = "VACUUM ANALYZE (as autovacuum would after the load)"
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            done = "WAL checkpoint only: no ANALYZE (tsunagu never runs it), FTS5 segments as built"
    return {"done": done, "seconds": round(time.perf_counter() - started, 2)}


# -- timing ---------------------------------------------------------------------------------------
class OverCap(Exception):
    pass


@contextmanager
def time_cap(seconds: float) -> Iterator[None]:
    """Abandon the database work of the block after about ``seconds`` (a query that slow is
    reported as "over the cap", not waited for)."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        deadline = time.perf_counter() + seconds
        raw.set_progress_handler(lambda: int(time.perf_counter() > deadline), 10_000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)
    else:
        # Per statement: a search of three statements can take up to three times the cap.
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")


def capped(function: Callable[[str], Any], text: str, cap_s: float) -> float | None:
    """Milliseconds ``function(text)`` took, or None when it ran past the cap."""
    from django.db import OperationalError

    started = time.perf_counter()
    try:
        with time_cap(cap_s):
            function(text)
    except OperationalError as exc:  # interrupted (SQLite) or statement timeout (PostgreSQL)
        if "interrupt" not in str(exc) and "timeout" not in str(exc):
            raise
        return None
    elapsed = time.perf_counter() - started
    return None if elapsed > cap_s else elapsed * 1000


Samples = dict[str, list[float] | None]  # query → milliseconds per run, None: over the cap


def weighted_percentile(pairs: list[tuple[float, float]], share: float) -> float:
    """Nearest-rank percentile of (value, weight) pairs."""
    ordered = sorted(pairs)
    total = sum(weight for _, weight in ordered)
    running = 0.0
    for value, weight in ordered:
        running += weight
        if running >= share * total - 1e-9:
            return value
    return ordered[-1][0]


def summarise(samples: Samples, texts: list[str], cap_ms: float) -> dict[str, Any]:
    """Percentiles over ``texts``, each query weighing the same however many runs it had (a
    slow query is run fewer times). A query over the cap counts as the cap: a percentile that
    falls on it is a lower bound."""
    pairs: list[tuple[float, float]] = []
    runs = over = 0
    for text in texts:
        timings = samples.get(text)
        if timings is None:
            pairs.append((cap_ms, 1.0))
            over += 1
        else:
            pairs += [(t, 1.0 / len(timings)) for t in timings]
            runs += len(timings)
    p50 = weighted_percentile(pairs, 0.50)
    p95 = weighted_percentile(pairs, 0.95)
    measured = [v for v, _ in pairs] if not over else [v for t in texts for v in samples[t] or []]
    return {
        "runs": runs,
        "over_cap_queries": over,
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "p50_lower_bound": bool(over) and p50 >= cap_ms,
        "p95_lower_bound": bool(over) and p95 >= cap_ms,
        "max_ms": round(max(measured), 2) if measured else None,
    }


def time_queries(
    functions: dict[str, Callable[[str], Any]],
    runs: int,
    warmup: int,
    cap_s: float,
    budget_s: float,
) -> dict[str, Samples]:
    """Milliseconds per function and query; None for a query that ran past the cap.

    The first warm-up run of each query is capped and tells how slow it is: a query over
    the cap is not run again, and a slow one is run only as often as ``budget_s`` (per
    function and query) allows, at least 5 times. Runs go round the whole mix, so a noisy
    moment on the shared machine spreads over every query instead of spoiling one.
    """
    samples: dict[str, Samples] = {name: {} for name in functions}
    wanted: dict[tuple[str, str], int] = {}
    for name, function in functions.items():
        for _, text in QUERIES:
            if name in LATER_STEPS and samples[LATER_STEPS[name]].get(text, []) is None:
                samples[name][text] = None  # it runs the slow statements too: not waited for
                continue
            first = capped(function, text, cap_s)
            if first is None:
                samples[name][text] = None
                continue
            samples[name][text] = []
            wanted[name, text] = max(5, min(runs, int(budget_s * 1000 / max(first, 0.01))))
            if wanted[name, text] == runs:  # fast: warm it up properly
                for _ in range(warmup - 1):
                    function(text)
    for round_ in range(runs):
        for _, text in QUERIES:
            for name, function in functions.items():
                timings = samples[name][text]
                if timings is None or round_ >= wanted[name, text]:
                    continue
                started = time.perf_counter()
                function(text)
                timings.append((time.perf_counter() - started) * 1000)
    return samples


def scan_pks(text: str) -> list[int]:
    """The baseline: every word somewhere in the name, description or eligibility."""
    from django.db.models import Q

    from tsunagu.directory.models import Service

    words = text.translate(str.maketrans({'"': " ", "「": " ", "」": " "})).split()
    services = Service.objects.all()
    for word in words:
        services = services.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(eligibility_description__icontains=word)
        )
    return list(services.order_by("name_kana", "name", "pk").values_list("pk", flat=True)[:LIMIT])


def time_scan(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    cap_s = SCAN_CAP_FACTOR * args.cap
    samples = time_queries({"scan": scan_pks}, args.scan_runs, 1, cap_s, budget_s=3600)["scan"]
    return {
        "samples": samples,
        "cap_s": cap_s,
        "rows": {text: len(scan_pks(text)) for text, t in samples.items() if t is not None},
        "seconds": round(time.perf_counter() - started, 1),
    }


def time_search(args: argparse.Namespace, scan: dict[str, Any], runs: int) -> dict[str, Any]:
    """search() and find_services() over the query mix, against the scan's figures."""
    from tsunagu.directory.search import KIND, ServiceFilters, find_services
    from tsunagu.textsearch.search import search

    functions: dict[str, Callable[[str], Any]] = {
        "search": lambda text: search(KIND, text, limit=LIMIT),
        "find_services": lambda text: find_services(ServiceFilters(q=text), per_page=LIMIT),
    }
    started = time.perf_counter()
    samples = time_queries(functions, runs, args.search_warmup, args.cap, args.budget)
    seconds = time.perf_counter() - started
    samples["scan"] = scan["samples"]
    caps = {
        "search": args.cap * 1000,
        "find_services": args.cap * 1000,
        "scan": scan["cap_s"] * 1000,
    }
    names = ("search", "find_services", "scan")

    def pooled(name: str, texts: list[str]) -> dict[str, Any]:
        return summarise(samples[name], texts, caps[name])

    per_query = []
    for kind, text in QUERIES:
        row: dict[str, Any] = {"class": kind, "query": text}
        if samples["search"][text] is not None:
            result = search(KIND, text, limit=LIMIT)
            row.update(total=result.total, relaxed=result.relaxed)
        if samples["find_services"][text] is not None:
            row["find_services_total"] = find_services(ServiceFilters(q=text), per_page=LIMIT).total
        row["scan_rows"] = scan["rows"].get(text)
        for name in names:
            row[name] = pooled(name, [text])
        row["speedup_p50"] = round(row["scan"]["p50_ms"] / row["search"]["p50_ms"], 1)
        per_query.append(row)

    classes = {}
    for kind in dict.fromkeys(k for k, _ in QUERIES):
        texts = [text for k, text in QUERIES if k == kind]
        classes[kind] = {"queries": len(texts), **{name: pooled(name, texts) for name in names}}
    texts = [text for _, text in QUERIES]
    overall: dict[str, Any] = {name: pooled(name, texts) for name in names}
    overall["timed_searches"] = overall["search"]["runs"] + overall["find_services"]["runs"]
    overall["over_cap_queries"] = {
        name: [text for text in texts if samples[name][text] is None] for name in names
    }
    overall["speedup_p50"] = round(overall["scan"]["p50_ms"] / overall["search"]["p50_ms"], 1)
    overall["speedup_p95"] = round(overall["scan"]["p95_ms"] / overall["search"]["p95_ms"], 1)
    overall["find_services_speedup_p95"] = round(
        overall["scan"]["p95_ms"] / overall["find_services"]["p95_ms"], 1
    )
    overall["meets_p95_target"] = (
        overall["search"]["p95_ms"] < TARGET_P95_MS and not overall["search"]["p95_lower_bound"]
    )
    overall["meets_speedup_target"] = (
        overall["speedup_p95"] >= TARGET_SPEEDUP and not overall["search"]["p95_lower_bound"]
    )
    return {
        "runs_per_query": runs,
        "overall": overall,
        "classes": classes,
        "queries": per_query,
        "seconds": round(seconds, 1),
    }


# -- explaining -----------------------------------------------------------------------------------
def diagnose(per_query: list[dict[str, Any]], cap_s: float, most: int = 3) -> list[dict[str, Any]]:
    """For the slowest queries over the target: where their time goes and the plans."""
    slow = [
        q
        for q in per_query
        if max(q["search"]["p95_ms"], q["find_services"]["p95_ms"]) >= TARGET_P95_MS
    ]
    slow.sort(key=lambda q: -max(q["search"]["p95_ms"], q["find_services"]["p95_ms"]))
    return [diagnose_query(row, cap_s) for row in slow[:most]]


def diagnose_query(row: dict[str, Any], cap_s: float) -> dict[str, Any]:
    """Where one slow query's time goes: parsing, the ranked page and the count, over all
    services and over active ones (as find_services asks); the database's plans of the page
    and the count; and the same statements changed as the report proposes ("what if")."""
    from django.db import OperationalError, connection, router

    from tsunagu.directory.models import Service
    from tsunagu.directory.search import KIND
    from tsunagu.textsearch.backends import backend_for
    from tsunagu.textsearch.search import parse_query

    backend = backend_for(router.db_for_read(Service))
    text = row["query"]
    query = parse_query(text)
    relaxed = query.can_relax and not backend.search(KIND, query, limit=1)
    if relaxed:  # what search() runs after finding nothing with every word
        query = query.relaxed()
    active = Service.objects.filter(status=Service.Status.ACTIVE)

    statements: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        for step in (backend.search, backend.count):
            try:
                with time_cap(0.001):  # the statements are wanted, not their results
                    step(KIND, query, **({"limit": LIMIT} if step == backend.search else {}))
            except OperationalError:
                pass
    (page_sql, page_params), (count_sql, count_params) = statements[:2]

    def raw(sql: str, params: Any) -> Callable[[str], Any]:
        def execute(_: str) -> Any:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return execute

    steps: dict[str, Callable[[str], Any]] = {
        "parse": parse_query,
        "ranked_page": lambda _: backend.search(KIND, query, limit=LIMIT),
        "count": lambda _: backend.count(KIND, query),
        "ranked_page_active_only": lambda _: backend.search(
            KIND, query, limit=LIMIT, restrict=active
        ),
        "count_active_only": lambda _: backend.count(KIND, query, restrict=active),
    }
    # What if: the count stops at 1,001 ("1,000件以上").
    assert count_sql.startswith("SELECT count(*) FROM ")
    capped_count = count_sql.replace(
        "SELECT count(*) FROM ", "SELECT count(*) FROM (SELECT 1 FROM ", 1
    )
    what_if: dict[str, Callable[[str], Any]] = {}
    if connection.vendor == "sqlite":
        # What if: CROSS JOIN makes SQLite drive the join from the FTS5 table, as ANALYZE does.
        def cross(sql: str) -> str:
            return sql.replace(
                " JOIN textsearch_searchdocument d ", " CROSS JOIN textsearch_searchdocument d ", 1
            )

        what_if["ranked_page_cross_join"] = raw(cross(page_sql), page_params)
        what_if["count_cross_join"] = raw(cross(count_sql), count_params)
        what_if["count_cross_join_stopping_at_1001"] = raw(
            cross(capped_count) + " LIMIT 1001) AS capped", count_params
        )
    else:
        what_if["count_stopping_at_1001"] = raw(
            capped_count + " LIMIT 1001) AS capped", count_params
        )

    def medians(functions: dict[str, Callable[[str], Any]]) -> dict[str, float | str]:
        found: dict[str, float | str] = {}
        for name, function in functions.items():
            times = []
            for _ in range(3):
                elapsed = capped(function, text, cap_s)
                if elapsed is None:
                    break
                times.append(elapsed)
            found[name] = round(statistics.median(times), 2) if len(times) == 3 else f"> {cap_s} s"
        return found

    measured = medians(steps)
    slow = any(isinstance(v, str) for v in measured.values())
    plans = []
    with connection.cursor() as cursor:
        for sql, params in ((page_sql, page_params), (count_sql, count_params)):
            if connection.vendor == "postgresql":
                options = "BUFFERS, COSTS OFF" if slow else "ANALYZE, BUFFERS, COSTS OFF"
                cursor.execute(f"EXPLAIN ({options}) {sql}", params)
                plans.append("\n".join(line for (line,) in cursor.fetchall()))
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plans.append("\n".join(str(r[-1]) for r in cursor.fetchall()))
    return {
        "query": text,
        "class": row["class"],
        "total": row.get("total"),
        "relaxed": relaxed,
        "median_ms": measured,
        "what_if_median_ms": medians(what_if),
        "statements": [page_sql, count_sql],
        "parameters": [list(map(str, page_params)), list(map(str, count_params))],
        "plans": {"ranked_page": plans[0], "count": plans[1]},
    }


def database_size() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sizes = {}
            for table in (
                "textsearch_searchdocument",
                "textsearch_reading",
                "directory_service",
                "directory_servicetranslation",
            ):
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                sizes[table] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_relation_size('textsearch_document_vector')")
            gin = cursor.fetchone()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
            database = cursor.fetchone()[0]
            index = sizes["textsearch_searchdocument"] + sizes["textsearch_reading"]
            return {
                "index_tables_mib": round(index / 2**20, 1),
                "index_tables": "pg_total_relation_size of textsearch_searchdocument "
                "(tsvector column, GIN and other indexes, TOAST) + textsearch_reading",
                "gin_index_mib": round(gin / 2**20, 1),
                "tables_mib": {k: round(v / 2**20, 1) for k, v in sizes.items()},
                "database_mib": round(database / 2**20, 1),
            }
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        file_size = Path(connection.settings_dict["NAME"]).stat().st_size
        try:
            cursor.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
            by_name = dict(cursor.fetchall())
        except Exception:  # dbstat is a compile-time option of SQLite
            by_name = {}
        index = sum(v for k, v in by_name.items() if k.startswith("textsearch_"))
        return {
            "database_mib": round(file_size / 2**20, 1),
            "index_tables_mib": round(index / 2**20, 1) if by_name else None,
            "index_tables": "dbstat: the FTS5 table's shadow tables (its copy of the terms "
            "included), textsearch_searchdocument and textsearch_reading with their indexes",
            "tables_mib": {
                k: round(v / 2**20, 1)
                for k, v in sorted(by_name.items(), key=lambda kv: -kv[1])
                if v >= 2**20
            },
        }


# -- the whole run --------------------------------------------------------------------------------
def run_backend(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    workdir = Path(tempfile.mkdtemp(prefix="tsunagu-bench-search-"))
    started = time.perf_counter()
    try:
        common.configure_django(workdir, args.database_url)
        migrate_s = time.perf_counter() - started
        name = connection.vendor

        def say(text: str) -> None:
            print(f"  [{name} {time.perf_counter() - started:5.0f} s] {text}", flush=True)

        say(f"migrated; creating {args.services:,} services")
        rows = build_rows(args)
        say(f"created in {rows['seconds']:.1f} s; indexing in batches of {args.batch_size:,}")
        index = build_index(args)
        say(f"indexed in {index['seconds']:.0f} s ({index['services_per_s']:,} services/s)")
        prepared = prepare_for_queries()
        with timing_turn(args.sync_dir, name, say) as waited:
            measured = time_everything(args, prepared, say)
        result = {
            "machine": common.machine_info(),
            "database": "temporary SQLite file (WAL) on local disk"
            if name == "sqlite"
            else (args.database_url or "").split("@")[-1],
            "migrate_seconds": round(migrate_s, 1),
            "rows": rows,
            "index": index,
            "prepared": prepared,
            "waited_for_the_other_backend_s": round(waited[0], 1),
            **measured,
            "size": database_size(),
            "ru_maxrss_mib": rss_mib(),
            "memory_note": "ru_maxrss of the benchmark process (Python, Django, Sudachi's "
            "dictionary, the batch being indexed); the PostgreSQL server's memory is not included",
        }
    finally:
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
        if args.keep:
            print(f"  kept {workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    return result


@contextmanager
def timing_turn(
    sync_dir: Path | None, name: str, say: Callable[[str], None]
) -> Iterator[list[float]]:
    """Wait until every backend has built its index, then take the timing lock: the builds
    may overlap (one core each), the timed searches never overlap anything of ours."""
    waited = [0.0]
    if sync_dir is None:
        yield waited
        return
    started = time.perf_counter()
    (sync_dir / f"built-{name}").touch()
    expected = int((sync_dir / "backends").read_text())
    while len(list(sync_dir.glob("built-*"))) < expected and not (sync_dir / "failed").exists():
        time.sleep(0.5)
    with open(sync_dir / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        waited[0] = time.perf_counter() - started
        if waited[0] >= 1:
            say(f"waited {waited[0]:.0f} s for the other backend")
        try:
            yield waited
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def time_everything(
    args: argparse.Namespace, prepared: dict[str, Any], say: Callable[[str], None]
) -> dict[str, Any]:
    """The scans, the searches as built, and on SQLite the searches again after ANALYZE."""
    from django.db import connection

    name = connection.vendor
    scan = time_scan(args)
    say(f"icontains scans timed ({scan['seconds']:.0f} s); timing searches")
    conditions = {"as_built": time_search(args, scan, args.search_runs)}
    conditions["as_built"]["prepared"] = prepared["done"]
    say(f"searches timed ({conditions['as_built']['seconds']:.0f} s); explaining slow ones")
    conditions["as_built"]["diagnosis"] = diagnose(conditions["as_built"]["queries"], args.cap)
    if name == "sqlite":
        # Without sqlite_stat1 the planner may drive the join from the wrong side; the
        # same searches once ANALYZE has run show what statistics (or a fixed join) give.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        say("ANALYZE; timing searches again")
        analysed = time_search(args, scan, max(5, args.search_runs // 5))
        analysed["prepared"] = "ANALYZE (sqlite_stat1 present)"
        analysed["diagnosis"] = diagnose(analysed["queries"], args.cap, most=3)
        conditions["after_analyze"] = analysed
    say("done")
    return {"scan_seconds": scan["seconds"], "conditions": conditions}
