"""What the benchmarks share: Django set-up, percentiles, machine facts, the results files and
the PostgreSQL server the search benchmark borrows a database from."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LATEST = RESULTS / "latest.json"
# Figures from this machine are comparable with each other, not with a dedicated server.
MACHINE_NOTE = "2-core shared machine"


def configure_django(workdir: Path, database_url: str | None = None) -> None:
    """Set Django up with its files in ``workdir`` and migrate the database.

    Without ``database_url``: a fresh SQLite database in ``workdir``.
    """
    if database_url:
        os.environ["TSUNAGU_DATABASE_URL"] = database_url
    else:
        os.environ.pop("TSUNAGU_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tsunagu.settings"
    os.environ["TSUNAGU_VAR_DIR"] = str(workdir)
    (workdir / "static").mkdir(exist_ok=True)  # STATIC_ROOT; whitenoise warns when it is missing
    os.environ["TSUNAGU_ALLOWED_HOSTS"] = "testserver"
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # Run as in production, without DEBUG's query log and error pages. (Settings stay in
    # development mode otherwise: no HTTPS redirect, static files without a manifest.)
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0, interactive=False)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: no interpolation between the slowest runs."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def database_version(connection: Any) -> str:
    if connection.vendor == "sqlite":
        return ".".join(map(str, connection.Database.sqlite_version_info))
    if connection.vendor == "postgresql":
        return f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"  # 150020 → 15.20
    return ""


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def source_changed() -> bool:
    """Whether src/ differs from the commit (others may be editing it while this runs)."""
    try:
        return bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--", "src"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        return False


def machine_info() -> dict[str, Any]:
    """The machine, the software and the database (Django must be set up)."""
    import django
    from django.db import connection

    connection.ensure_connection()
    return {
        "note": MACHINE_NOTE,
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "django": django.get_version(),
        "database_vendor": connection.vendor,
        "database_version": database_version(connection),
        "git_commit": git_commit(),
        "src_differs_from_commit": source_changed(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def write_results(name: str, result: dict[str, Any], summary: dict[str, Any]) -> list[Path]:
    """Write ``<name>-<YYYYMMDD>.json`` and put ``summary`` under ``name`` in latest.json,
    keeping the other benchmarks' figures there."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    dated = RESULTS / f"{name}-{utc_now():%Y%m%d}.json"
    dated.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    latest: dict[str, Any] = {}
    if LATEST.exists():
        latest = json.loads(LATEST.read_text(encoding="utf-8"))
        if "benchmark" in latest:  # the old layout: one benchmark's result, the plan's
            latest = {latest["benchmark"]: latest}
    latest[name] = summary
    LATEST.write_text(
        json.dumps(dict(sorted(latest.items())), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return [dated, LATEST]


# -- PostgreSQL -----------------------------------------------------------------------------------
def postgres_user(host: str, port: int, users: list[str]) -> tuple[str | None, str]:
    """The first of ``users`` that can log in to the server (or None), and why not."""
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed"
    reason = f"no server answered at {host}:{port}"
    for user in users:
        try:
            psycopg.connect(
                host=host, port=port, user=user, dbname="postgres", connect_timeout=3
            ).close()
            return user, ""
        except psycopg.OperationalError as exc:
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if "Connection refused" not in text and "timeout" not in text:
                reason = f"{host}:{port} refused users {', '.join(users)}: {text}"
    return None, reason


def recreate_database(
    host: str, port: int, user: str, name: str, *, drop_only: bool = False
) -> None:
    """Drop the database ``name`` (ours: the benchmark's own) and, unless ``drop_only``,
    create it empty."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=host, port=port, user=user, dbname="postgres", autocommit=True, connect_timeout=5
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
