"""Benchmark of the directory search (``make bench``, ``--only search``).

On SQLite and, when a server answers, on PostgreSQL (each in a process of its own):

(a) builds synthetic services (100,000 by default, see ``search_data``) with ``bulk_create``,
    then indexes them with ``textsearch.index.index_objects`` in batches, as
    ``rebuild_search_index`` does: the index build rate is reported apart from row creation;
(b) times a fixed mix of top-20 queries (one- and two-character words, common and rare words,
    kana, synonyms, several words, phrases, English, sentences) through
    ``textsearch.search.search`` (with its count) and ``directory.search.find_services``;
(c) times the same queries as an ``icontains`` scan (every word in the name, description or
    eligibility, ordered by the directory's order, LIMIT 20): the baseline the index replaces;
(d) reports database size, peak memory, and for the queries slower than the target where
    the time goes (query parsing, ranked page, count) with the database's query plan.

A query that takes longer than ``--cap`` seconds is not waited for: it is reported as over
the cap, and a percentile that falls among such runs is shown as a lower bound (≥). SQLite is
timed as built (tsunagu never runs ANALYZE) and again after ANALYZE.

PostgreSQL: the benchmark creates its own database (``tsunagu_bench`` by default) on
``--pg-host``:``--pg-port`` as the first of ``--pg-users`` that can log in, and drops it at the
end; nothing else on the server is touched. ``--postgres no`` skips it; ``--postgres yes`` fails
when no server answers; ``auto`` (the default) runs it when one answers and says when it does not.

Results go to ``bench/results/search-<YYYYMMDD>.json`` and under "search" in
``bench/results/latest.json``. On its own: ``.venv/bin/python bench/search.py [--services N …]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common
from search_data import QUERIES
from search_run import SEED, TARGET_P95_MS, TARGET_SPEEDUP, run_backend


def add_arguments(parser: argparse.ArgumentParser | Any) -> None:
    parser.add_argument(
        "--services", type=int, default=100_000, help="synthetic services (default 100000)"
    )
    parser.add_argument(
        "--organizations", type=int, default=2_000, help="their providers (default 2000)"
    )
    parser.add_argument(
        "--batch-size", type=int, default=1_000, help="services indexed per batch (default 1000)"
    )
    parser.add_argument(
        "--search-runs", type=int, default=50, help="timed runs per query (default 50)"
    )
    parser.add_argument(
        "--search-warmup", type=int, default=3, help="untimed runs per query first (default 3)"
    )
    parser.add_argument(
        "--scan-runs", type=int, default=3, help="timed icontains scans per query (default 3)"
    )
    parser.add_argument(
        "--cap",
        type=float,
        default=1.0,
        help="seconds after which a query is abandoned and reported as over the cap (default 1)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=1.0,
        help="seconds of timed runs per query and function; a slower query gets fewer runs, "
        "at least 5 (default 1)",
    )
    parser.add_argument(
        "--postgres",
        choices=["auto", "yes", "no"],
        default=os.environ.get("BENCH_POSTGRES", "auto"),
        help="the PostgreSQL pass: auto (when a server answers; the default), yes (must run), no",
    )
    parser.add_argument("--pg-host", default=os.environ.get("PG_HOST", "127.0.0.1"))
    parser.add_argument("--pg-port", type=int, default=int(os.environ.get("PG_PORT", "5432")))
    parser.add_argument(
        "--pg-users",
        default=os.environ.get("PG_USERS", "postgres root"),
        help="users to try; the first that can log in is used (it needs CREATEDB)",
    )
    parser.add_argument(
        "--pg-database",
        default="tsunagu_bench",
        help="the database the benchmark creates and drops (default tsunagu_bench)",
    )
    parser.add_argument(
        "--sequential",
        action="store_true",
        help="build the backends' indexes one after the other, not at the same time",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the SQLite directory and the PostgreSQL database for a look afterwards",
    )


# -- both backends ----------------------------------------------------------------------------------
def child_command(args: argparse.Namespace, out: Path, database_url: str | None) -> list[str]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child-out", str(out)]
    for option in (
        "services",
        "organizations",
        "batch_size",
        "search_runs",
        "search_warmup",
        "scan_runs",
        "cap",
        "budget",
    ):
        command += ["--" + option.replace("_", "-"), str(getattr(args, option))]
    if database_url:
        command += ["--database-url", database_url]
    if args.keep:
        command.append("--keep")
    return command


def run_children(
    args: argparse.Namespace, urls: dict[str, str | None]
) -> dict[str, dict[str, Any]]:
    """One process per backend. Unless --sequential, they build at the same time (one core
    each) and take turns for the timed part, so no timing overlaps the other's work."""
    env = {k: v for k, v in os.environ.items() if k != "TSUNAGU_DATABASE_URL"}
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="tsunagu-bench-") as tmp:
        sync = Path(tmp) / "sync"
        sync.mkdir()
        (sync / "backends").write_text(str(1 if args.sequential else len(urls)))
        running: dict[str, subprocess.Popen[bytes]] = {}
        failed = []
        for name, url in urls.items():
            out = Path(tmp) / f"{name}.json"
            command = [*child_command(args, out, url), "--sync-dir", str(sync)]
            if args.sequential:
                for built in sync.glob("built-*"):
                    built.unlink()
                if subprocess.run(command, env=env, cwd=common.ROOT).returncode:
                    failed.append(name)
            else:
                running[name] = subprocess.Popen(command, env=env, cwd=common.ROOT)
        for name, process in running.items():
            if process.wait():
                failed.append(name)
                (sync / "failed").touch()  # the other one must not wait for it
        for name in urls:
            out = Path(tmp) / f"{name}.json"
            if name not in failed and out.exists():
                results[name] = json.loads(out.read_text(encoding="utf-8"))
        if failed:
            sys.exit(f"bench: the search benchmark failed on {', '.join(failed)} (see above)")
    return results


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    date = common.utc_now()
    skipped: dict[str, str] = {}
    urls: dict[str, str | None] = {"sqlite": None}
    pg_user = None
    if args.postgres == "no":
        skipped["postgresql"] = "--postgres no"
    else:
        pg_user, reason = common.postgres_user(args.pg_host, args.pg_port, args.pg_users.split())
        if pg_user is None:
            if args.postgres == "yes":
                sys.exit(f"bench: PostgreSQL: {reason}")
            skipped["postgresql"] = f"{reason} (--pg-host/--pg-port/--pg-users to point at one)"
        else:
            urls["postgresql"] = (
                f"postgres://{pg_user}@{args.pg_host}:{args.pg_port}/{args.pg_database}"
            )
    print(f"== search bench: {args.services:,} services on SQLite (a temporary file)", flush=True)
    if pg_user:
        print(
            f"== search bench: {args.services:,} services on PostgreSQL: database "
            f"{args.pg_database} on {args.pg_host}:{args.pg_port} as {pg_user}, created now and "
            "dropped at the end",
            flush=True,
        )
        common.recreate_database(args.pg_host, args.pg_port, pg_user, args.pg_database)
    for name, reason in skipped.items():
        print(f"== search bench on {name} SKIPPED: {reason}", flush=True)
    try:
        backends = run_children(args, urls)
    finally:
        if pg_user:
            if args.keep:
                print(f"  kept database {args.pg_database}", flush=True)
            else:
                common.recreate_database(
                    args.pg_host, args.pg_port, pg_user, args.pg_database, drop_only=True
                )
    result = {
        "benchmark": "search",
        "date": date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine_note": common.MACHINE_NOTE,
        "load_average_at_end": os.getloadavg(),
        "targets": {"search_p95_ms_under": TARGET_P95_MS, "speedup_at_least": TARGET_SPEEDUP},
        "method": {
            "services": args.services,
            "organizations": args.organizations,
            "seed": SEED,
            "queries": [{"class": k, "query": q} for k, q in QUERIES],
            "search": "textsearch.search.search('directory.service', q, limit=20): ranked page "
            "and count; when nothing has every word, relaxed to any word (two more statements)",
            "find_services": "directory.search.find_services(ServiceFilters(q=q), per_page=20): "
            "active services only, with the count, the page's services loaded",
            "scan": "Service.objects, per word Q(name__icontains) | Q(description__icontains) | "
            "Q(eligibility_description__icontains), AND-ed, ordered by name_kana, name, pk, [:20]",
            "warmup_runs_per_query": args.search_warmup,
            "timed_runs_per_query": args.search_runs,
            "timed_runs_per_query_sqlite_after_analyze": max(5, args.search_runs // 5),
            "budget_seconds_per_query": args.budget,
            "slow_queries": "a query whose first run x timed runs exceeds the budget is run "
            "budget / first run times (at least 5); percentiles weigh every query the same; "
            "find_services is not tried for a query whose search() is over the cap (it runs "
            "the same statements and more) and counts as over the cap",
            "scan_warmup_runs_per_query": 1,
            "scan_timed_runs_per_query": args.scan_runs,
            "cap_seconds": args.cap,
            "order": "round robin over the query mix",
            "backends_in_parallel": "no (--sequential)"
            if args.sequential or len(urls) == 1
            else "the index builds ran at the same time (one process per backend, 2 cores); "
            "scans and searches took turns, never overlapping the other backend's work",
            "percentiles": "nearest rank, each query weighing the same; a query over the cap "
            "counts as the cap (a lower bound, shown ≥)",
            "debug": False,
        },
        "backends": backends,
        "skipped": skipped,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    print_report(result)
    if not args.no_write:
        written = common.write_results("search", result, summary(result))
        print("\nwrote " + " and ".join(str(path.relative_to(common.ROOT)) for path in written))
    return result


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The figures latest.json keeps, per backend and condition."""

    def figures(condition: dict[str, Any]) -> dict[str, Any]:
        overall = condition["overall"]
        return {
            "search_p50_ms": overall["search"]["p50_ms"],
            "search_p95_ms": overall["search"]["p95_ms"],
            "search_p50_lower_bound": overall["search"]["p50_lower_bound"],
            "search_p95_lower_bound": overall["search"]["p95_lower_bound"],
            "find_services_p50_ms": overall["find_services"]["p50_ms"],
            "find_services_p95_ms": overall["find_services"]["p95_ms"],
            "find_services_p95_lower_bound": overall["find_services"]["p95_lower_bound"],
            "scan_p50_ms": overall["scan"]["p50_ms"],
            "scan_p95_ms": overall["scan"]["p95_ms"],
            "speedup_p50": overall["speedup_p50"],
            "speedup_p95": overall["speedup_p95"],
            "meets_p95_target": overall["meets_p95_target"],
            "meets_speedup_target": overall["meets_speedup_target"],
            "over_cap_queries": overall["over_cap_queries"]["search"],
            "class_search_p95_ms": {
                k: v["search"]["p95_ms"] for k, v in condition["classes"].items()
            },
        }

    backends = {}
    for name, b in result["backends"].items():
        backends[name] = {
            "database_version": b["machine"]["database_version"],
            "services": b["rows"]["services"],
            "row_creation_s": b["rows"]["seconds"],
            "index_build_s": b["index"]["seconds"],
            "index_services_per_s": b["index"]["services_per_s"],
            **{cond: figures(c) for cond, c in b["conditions"].items()},
            "index_tables_mib": b["size"]["index_tables_mib"],
            "database_mib": b["size"]["database_mib"],
            "ru_maxrss_mib": b["ru_maxrss_mib"],
            "tracemalloc_peak_mib_one_batch": b["index"]["tracemalloc_peak_mib_one_batch"],
            "wall_seconds": b["wall_seconds"],
        }
    first = next(iter(result["backends"].values()), None)
    return {
        "date": result["date"],
        "machine_note": result["machine_note"],
        "git_commit": first["machine"]["git_commit"] if first else "",
        "targets": result["targets"],
        "backends": backends,
        "skipped": result["skipped"],
        "wall_seconds": result["wall_seconds"],
    }


# -- the table ------------------------------------------------------------------------------------
def ms(figure: dict[str, Any], which: str = "p95") -> str:
    bound = "≥" if figure.get(f"{which}_lower_bound") else ""
    value = figure[f"{which}_ms"]
    return f"{bound}{value:.0f}" if value >= 100 else f"{bound}{value:.1f}"


def print_report(result: dict[str, Any]) -> None:
    columns: list[tuple[str, dict[str, Any], dict[str, Any]]] = []  # (label, backend, condition)
    for name, b in result["backends"].items():
        for cond, c in b["conditions"].items():
            label = f"{name} {b['machine']['database_version']}"
            columns.append((label if cond == "as_built" else f"{name} after ANALYZE", b, c))
    if not columns:
        return
    machine = columns[0][1]["machine"]
    print(
        f"\ntsunagu search bench — {result['date']} — Python {machine['python']}, "
        f"{machine['nproc']} CPUs ({result['machine_note']}; load average at the end "
        f"{result['load_average_at_end'][0]:.1f}), commit {machine['git_commit'] or '?'}\n"
    )
    width = 24

    def line(label: str, cells: list[str]) -> None:
        print(f"  {label:<36}" + "".join(f"{cell:>{width}}" for cell in cells))

    line("", [label for label, _, _ in columns])
    line("", ["-" * (width - 2)] * len(columns))
    line(
        "services (active)",
        [f"{b['rows']['services']:,} ({b['rows']['active_services']:,})" for _, b, _ in columns],
    )
    line("row creation, bulk_create", [f"{b['rows']['seconds']:.1f} s" for _, b, _ in columns])
    line("index build, index_objects", [f"{b['index']['seconds']:.0f} s" for _, b, _ in columns])
    line("  rate", [f"{b['index']['services_per_s']:,} services/s" for _, b, _ in columns])
    line(
        "  analysis (Sudachi + Python)",
        [f"{b['index']['analyse_ms_per_service']:.2f} ms/service" for _, b, _ in columns],
    )
    line(
        "search p50 / p95 ms",
        [
            f"{ms(c['overall']['search'], 'p50')} / {ms(c['overall']['search'])}"
            for _, _, c in columns
        ],
    )
    line(
        "find_services p50 / p95 ms",
        [
            f"{ms(c['overall']['find_services'], 'p50')} / {ms(c['overall']['find_services'])}"
            for _, _, c in columns
        ],
    )
    line(
        "icontains scan p50 / p95 ms",
        [f"{ms(c['overall']['scan'], 'p50')} / {ms(c['overall']['scan'])}" for _, _, c in columns],
    )
    line(
        "speed-up p50 / p95 (scan ÷ search)",
        [
            f"{c['overall']['speedup_p50']:.0f}× / {c['overall']['speedup_p95']:.0f}×"
            for _, _, c in columns
        ],
    )
    line(
        f"p95 < {TARGET_P95_MS:.0f} ms / ≥ {TARGET_SPEEDUP:.0f}× faster",
        [
            ("met" if c["overall"]["meets_p95_target"] else "MISSED")
            + " / "
            + ("met" if c["overall"]["meets_speedup_target"] else "MISSED")
            for _, _, c in columns
        ],
    )
    line(
        "queries over the cap (search)",
        [str(len(c["overall"]["over_cap_queries"]["search"])) for _, _, c in columns],
    )
    line(
        "timed searches (+ scans)",
        [
            f"{c['overall']['timed_searches']:,} (+{c['overall']['scan']['runs']})"
            for _, _, c in columns
        ],
    )
    line("index tables on disk", [f"{b['size']['index_tables_mib']} MiB" for _, b, _ in columns])
    line("database on disk", [f"{b['size']['database_mib']} MiB" for _, b, _ in columns])
    line("peak RSS of the process", [f"{b['ru_maxrss_mib']:.0f} MiB" for _, b, _ in columns])
    line(
        "tracemalloc peak, one batch",
        [f"{b['index']['tracemalloc_peak_mib_one_batch']:.0f} MiB" for _, b, _ in columns],
    )
    line("wall time of the backend", [f"{b['wall_seconds']:.0f} s" for _, b, _ in columns])

    print("\n  search p50 / p95 ms by query class:")
    for kind in columns[0][2]["classes"]:
        line(
            kind,
            [
                f"{ms(c['classes'][kind]['search'], 'p50')} / {ms(c['classes'][kind]['search'])}"
                for _, _, c in columns
            ],
        )
    line(
        "icontains scan, all classes",
        [f"{ms(c['overall']['scan'], 'p50')} / {ms(c['overall']['scan'])}" for _, _, c in columns],
    )

    print("\n  per query: hits (search's total), search p95 ms")
    for i, (_, text) in enumerate(QUERIES):
        rows = [c["queries"][i] for _, _, c in columns]
        total = next((r["total"] for r in rows if r.get("total") is not None), None)
        relaxed = any(r.get("relaxed") for r in rows)
        shown = text if len(text) <= 14 else text[:13] + "…"
        hits = f"{total:,}" if total is not None else "?"
        line(f"{shown}  {hits}{' relaxed' if relaxed else ''}", [ms(r["search"]) for r in rows])
    for label, _, c in columns:
        for d in c.get("diagnosis", [])[:3]:
            hits = f"{d['total']:,} hits" if d["total"] is not None else "hits not counted"
            relaxed = ", relaxed to any word" if d["relaxed"] else ""
            print(f"\n  [{label}] {d['query']!r} ({hits}{relaxed}), median ms:")
            print(f"    as is:   {d['median_ms']}")
            print(f"    what if: {d['what_if_median_ms']}")
            for statement, plan in d["plans"].items():
                print(f"    plan of the {statement.replace('_', ' ')}:")
                for plan_line in plan.splitlines():
                    shown = plan_line if len(plan_line) <= 150 else plan_line[:149] + "…"
                    print(f"      {shown}")
    for name, reason in result["skipped"].items():
        print(f"\n  {name}: SKIPPED — {reason}")
    print(f"\n  search bench wall time: {result['wall_seconds']:.0f} s")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--no-write", action="store_true", help="print the results only")
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--sync-dir", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    if args.child_out:
        result = run_backend(args)
        args.child_out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    else:
        run(args)


if __name__ == "__main__":
    main()
