#!/usr/bin/env python
"""Benchmarks of the plan module (``make bench``, ``--only plan``).

Measures

(a) importing the seed chapter (鎌倉市地域福祉計画, chapter 4: 203 initiatives): reading
    the text and loading it into a fresh database, 5 times, median and minimum;
(b) the latency (p50/p95 of 50 requests after 5 warm-ups) and SQL query count of the
    plan tree, an initiative page and the dashboard, with ten fiscal years (FY2016–2025)
    of approved progress reports for every responsibility of every initiative, as the
    plan's manager (a plan officer of 福祉総務課, which owns the plan) sees them.

Results go to ``bench/results/plan-<YYYYMMDD>.json`` and under "plan" in
``bench/results/latest.json``. ``make bench`` runs this through ``bench/run.py``; on its own:
``.venv/bin/python bench/plan.py [--requests N …]``.

The benchmark sets Django up itself in a temporary directory (``TSUNAGU_VAR_DIR``), so it
never touches ``var/``: by default with a fresh SQLite database there. To measure on
PostgreSQL, pass ``TSUNAGU_DATABASE_URL=postgres://…`` *and* ``BENCH_ALLOW_FLUSH=1``: that
database is emptied (flushed, audit log included) several times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common

ROOT = common.ROOT
SEED_TEXT = ROOT / "data" / "plans" / "kamakura" / "kamakura-welfare-plan-chapter4.txt"
PLAN_NAME = "鎌倉市地域福祉計画"
MUNICIPALITY = "鎌倉市"
PLAN_OWNER_DIVISION = "福祉総務課"
IMPORT_YEARS = (2020, 2025)
LATENCY_YEARS = (2016, 2025)
PAGES = [
    ("tree", "/plan/"),
    ("initiative", "/plan/initiatives/4-1-5-7/"),
    ("dashboard", "/plan/dashboard/?fy=2025"),
]


def add_arguments(parser: argparse.ArgumentParser | Any) -> None:
    parser.add_argument(
        "--import-runs", type=int, default=5, help="seed imports to time (default 5)"
    )
    parser.add_argument(
        "--requests", type=int, default=50, help="timed requests per page (default 50)"
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="untimed requests per page first (default 5)"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument(
        "--no-write", action="store_true", help="print the results but do not write JSON"
    )
    return parser.parse_args(argv)


# -- set-up -----------------------------------------------------------------------------------------
def configure_django(workdir: Path) -> bool:
    """Point Django at ``workdir``; return whether the database is one we were given."""
    url = os.environ.get("TSUNAGU_DATABASE_URL") or None
    if url:
        shown = url.split("@")[-1]
        if os.environ.get("BENCH_ALLOW_FLUSH") != "1":
            sys.exit(
                f"bench: TSUNAGU_DATABASE_URL is set ({shown}). The plan benchmark empties that "
                "database (flush, audit log included) several times.\nSet BENCH_ALLOW_FLUSH=1 to "
                "allow it, or unset TSUNAGU_DATABASE_URL to use a temporary SQLite database."
            )
        print(f"bench: WARNING: the database at {shown} will be flushed.", file=sys.stderr)
    common.configure_django(workdir, url)
    return url is not None


def _trigger_statements(direction: str) -> list[str]:
    import importlib

    from django.db import connection

    migration = importlib.import_module("tsunagu.core.migrations.0002_audit_append_only")
    vendor = "POSTGRES" if connection.vendor == "postgresql" else "SQLITE"
    return list(getattr(migration, f"{vendor}_{direction}"))


def flush_database() -> None:
    """Empty every table and put back what the migrations seed, as a fresh database has it.

    The audit log is append-only in the database; its triggers are lifted for the flush.
    """
    import importlib

    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in _trigger_statements("BACKWARD"):
            cursor.execute(statement)
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            for statement in _trigger_statements("FORWARD"):
                cursor.execute(statement)
    importlib.import_module("tsunagu.plans.migrations.0002_guideline_items").load(apps, None)


class FreshSQLite:
    """Fresh SQLite databases copied from one migrated template (migrating takes seconds)."""

    def __init__(self, workdir: Path):
        from django.db import connection

        self.workdir = workdir
        connection.close()  # the last connection checkpoints the WAL into the file
        self.template = Path(connection.settings_dict["NAME"])
        self.count = 0

    def new(self) -> None:
        from django.db import connection

        connection.close()
        self.count += 1
        path = self.workdir / f"import-{self.count}.sqlite3"
        shutil.copyfile(self.template, path)
        connection.settings_dict["NAME"] = str(path)

    def restore(self) -> None:
        from django.db import connection

        connection.close()
        connection.settings_dict["NAME"] = str(self.template)


def plan_owner():  # type: ignore[no-untyped-def]
    from tsunagu.core.models import Organization

    owner, _ = Organization.objects.get_or_create(
        name=PLAN_OWNER_DIVISION, defaults={"kind": Organization.Kind.CITY_DIVISION}
    )
    return owner


def import_seed(fiscal_years: tuple[int, int]):  # type: ignore[no-untyped-def]
    from tsunagu.plans.importers import read_plan_file
    from tsunagu.plans.loading import load_plan

    result = read_plan_file(
        SEED_TEXT, name=PLAN_NAME, municipality=MUNICIPALITY, fiscal_years=fiscal_years
    )
    plan = load_plan(result.document, owner=plan_owner()).plan
    assert plan is not None
    return plan


# -- (a) import ------------------------------------------------------------------------------------
def bench_import(runs: int, given_database: bool, workdir: Path) -> dict[str, Any]:
    from tsunagu.plans.models import Initiative, Responsibility

    fresh = None if given_database else FreshSQLite(workdir)
    timings = []
    for _ in range(runs):
        if fresh:
            fresh.new()
        else:
            flush_database()
        plan_owner()  # the owner exists before the import, as in `tsunagu import_plan --owner`
        started = time.perf_counter()
        plan = import_seed(IMPORT_YEARS)
        timings.append(time.perf_counter() - started)
    counts = {
        "initiatives": Initiative.objects.filter(plan=plan).count(),
        "responsibilities": Responsibility.objects.filter(initiative__plan=plan).count(),
    }
    if fresh:
        fresh.restore()
    return {
        "what": "read_plan_file + load_plan of the seed chapter into a fresh database",
        "runs": runs,
        "seconds": [round(t, 4) for t in timings],
        "median_s": round(statistics.median(timings), 4),
        "min_s": round(min(timings), 4),
        **counts,
    }


# -- (b) pages -------------------------------------------------------------------------------------
def build_history(plan, manager, officer) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Ten years of approved reports for every responsibility, each with its audit trail."""
    from django.db import transaction
    from django.utils import timezone

    from tsunagu.core.models import AuditEvent
    from tsunagu.plans.models import ProgressReport, Responsibility

    statuses = [value for value, _ in ProgressReport.Status.choices]
    evaluations = [value for value, _ in ProgressReport.Evaluation.choices]
    responsibilities = list(
        Responsibility.objects.filter(initiative__plan=plan)
        .select_related("initiative")
        .order_by("pk")
    )
    now = timezone.now()
    reports = [
        ProgressReport(
            initiative_id=r.initiative_id,
            organization_id=r.organization_id,
            fiscal_year=year,
            status=statuses[(r.pk + year) % len(statuses)],
            evaluation=evaluations[(r.pk * 7 + year) % len(evaluations)],
            achievements=f"{year}年度は「{r.initiative.title}」について、計画に沿って事業を実施し、関係機関と連携した。",
            issues="担い手の確保が課題である。" if (r.pk + year) % 3 == 0 else "",
            next_steps="次年度も継続して実施する。",
            state=ProgressReport.State.APPROVED,
            submitted_at=now,
            submitted_by=officer,
            approved_at=now,
            approved_by=manager,
            created_by=officer,
            updated_by=manager,
        )
        for year in range(LATENCY_YEARS[0], LATENCY_YEARS[1] + 1)
        for r in responsibilities
    ]
    with transaction.atomic():
        ProgressReport.objects.bulk_create(reports, batch_size=500)
        saved = ProgressReport.objects.filter(initiative__plan=plan).values_list(
            "pk", "fiscal_year"
        )
        events = []
        for pk, year in saved:
            for action, actor in (
                ("plans.progress.saved", officer),
                ("plans.progress.submitted", officer),
                ("plans.progress.approved", manager),
            ):
                events.append(
                    AuditEvent(
                        actor=actor,
                        actor_repr=str(actor),
                        action=action,
                        object_type="plans.progressreport",
                        object_id=str(pk),
                        data={"fiscal_year": year},
                    )
                )
        AuditEvent.objects.bulk_create(events, batch_size=1000)
    return {
        "fiscal_years": LATENCY_YEARS[1] - LATENCY_YEARS[0] + 1,
        "responsibilities": len(responsibilities),
        "progress_reports": len(reports),
        "audit_events": len(events),
    }


def bench_pages(
    requests: int, warmup: int, given_database: bool
) -> tuple[dict[str, Any], dict[str, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tsunagu.core.models import Membership, Organization, User
    from tsunagu.plans.models import Initiative

    if given_database:
        flush_database()
    # (With SQLite this is the migrated template database, nothing imported into it yet.)
    plan = import_seed(LATENCY_YEARS)
    planner = User.objects.create_user(username="bench-planner", display_name="福祉 総務")
    Membership.objects.create(
        user=planner, organization=plan.owner, role=Membership.Role.PLAN_OFFICER
    )
    disability, _ = Organization.objects.get_or_create(
        name="障害福祉課", defaults={"kind": Organization.Kind.CITY_DIVISION}
    )
    officer = User.objects.create_user(username="bench-officer", display_name="障害 花子")
    manager = User.objects.create_user(username="bench-manager", display_name="障害 課長")
    Membership.objects.create(
        user=officer, organization=disability, role=Membership.Role.PLAN_OFFICER
    )
    Membership.objects.create(user=manager, organization=disability, role=Membership.Role.MANAGER)
    dataset = {
        "initiatives": Initiative.objects.filter(plan=plan).count(),
        **build_history(plan, manager, officer),
    }

    client = Client()
    client.force_login(planner)
    results = {}
    for name, url in PAGES:
        for _ in range(warmup):
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"bench: GET {url} answered {response.status_code}")
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results[name] = {
            "url": url,
            "requests": requests,
            "p50_ms": round(common.percentile(timings, 0.50), 2),
            "p95_ms": round(common.percentile(timings, 0.95), 2),
            "mean_ms": round(statistics.fmean(timings), 2),
            "min_ms": round(min(timings), 2),
            "max_ms": round(max(timings), 2),
            "queries": len(queries),
            "bytes": len(response.content),
        }
    return results, dataset


# -- report ----------------------------------------------------------------------------------------
def print_table(result: dict[str, Any]) -> None:
    imp = result["import"]
    data = result["dataset"]
    info = result["machine"]
    print(
        f"\ntsunagu plan bench — {result['date']} — {info['database_vendor']} {info['database_version']}, "
        f"Python {info['python']}, {info['nproc']} CPUs ({common.MACHINE_NOTE}), "
        f"commit {info['git_commit'] or '?'}"
    )
    print(
        f"\nimport of the seed chapter ({imp['initiatives']} initiatives, {imp['responsibilities']} responsibilities), "
        f"{imp['runs']} runs: median {imp['median_s']:.3f} s, min {imp['min_s']:.3f} s"
    )
    print(
        f"\npages with {data['progress_reports']} approved reports ({data['fiscal_years']} years × "
        f"{data['responsibilities']} responsibilities) and {data['audit_events']} audit events:"
    )
    header = f"  {'page':<11} {'url':<30} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KiB':>7}"
    print(header)
    print("  " + "-" * (len(header) - 2))
    for name, row in result["pages"].items():
        print(
            f"  {name:<11} {row['url']:<30} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['queries']:>8} {row['bytes'] / 1024:>7.0f}"
        )


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="tsunagu-bench-"))
    try:
        given = configure_django(workdir)
        started = common.utc_now()
        imported = bench_import(args.import_runs, given, workdir)
        pages, dataset = bench_pages(args.requests, args.warmup, given)
        result = {
            "benchmark": "plan",
            "date": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "machine": common.machine_info(),
            "import": imported,
            "dataset": dataset,
            "pages": pages,
            "method": {
                "import_runs": args.import_runs,
                "warmup_requests": args.warmup,
                "timed_requests": args.requests,
                "client": "django.test.Client, logged in as a plan officer of the plan's owner (福祉総務課)",
                "percentiles": "nearest rank",
                "debug": False,
            },
        }
        if given:
            flush_database()  # leave the given database as empty as we were allowed to make it
    finally:
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)
    print_table(result)
    if not args.no_write:
        written = common.write_results("plan", result, result)
        print("\nwrote " + " and ".join(str(path.relative_to(ROOT)) for path in written))
    return result


def main(argv: list[str] | None = None) -> None:
    run(parse_args(argv))


if __name__ == "__main__":
    main()
