"""Fixtures for the browser tests: Debian's chromium driven by Playwright against a live server.

The browser is never downloaded: these tests use ``/usr/bin/chromium`` (``apt install
chromium``). Without it every test here is skipped, unless ``TSUNAGU_REQUIRE_SERVICES=1``
(CI), where a missing browser is a failure rather than a silent skip.

Each test gets a fresh database (the live server runs in another thread, so it needs
``transactional_db``) with the seed plan and three people:

============ ============================== ==================================
username     membership                     what she does in these tests
============ ============================== ==================================
officer      plan officer, 障害福祉課        writes and submits 障害福祉課's reports
manager      manager, 障害福祉課             approves 障害福祉課's reports
planner      plan officer, 福祉総務課        runs the plan (福祉総務課 owns it)
============ ============================== ==================================
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

    from tsunagu.core.models import Organization, User
    from tsunagu.plans.models import Plan

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
AXE_SCRIPT = HERE / "vendor" / "axe-core-4.14.1.min.js"
PROJECT_DIR = HERE.parent.parent
SEED_TEXT = PROJECT_DIR / "data" / "plans" / "kamakura" / "kamakura-welfare-plan-chapter4.txt"
SEED_PLAN = {"name": "鎌倉市地域福祉計画", "municipality": "鎌倉市", "fiscal_years": (2020, 2025)}
PASSWORD = "browser-test-password-1"  # test accounts in a throw-away database
VIEWPORT = {"width": 1280, "height": 900}

DISABILITY_DIVISION = "障害福祉課"
PLAN_OWNER_DIVISION = "福祉総務課"

# Playwright's sync API keeps an asyncio loop in the test thread; Django then refuses ORM
# calls from that thread unless told the loop is not serving requests (it is not).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def services_required() -> bool:
    return os.environ.get("TSUNAGU_REQUIRE_SERVICES") == "1"


def missing_browser_reason() -> str | None:
    """Why these tests cannot drive a browser here, or None when they can."""
    if not CHROMIUM.exists():
        return (
            f"Debian's chromium is not installed at {CHROMIUM} (apt install chromium); "
            "the browser tests never download a browser"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[dev]')"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip everything in this folder up front when chromium is missing (unless required)."""
    reason = missing_browser_reason()
    if reason is None or services_required():
        return
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=reason))


# -- the browser ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    reason = missing_browser_reason()
    if reason is not None:
        if services_required():
            pytest.fail(f"TSUNAGU_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def plain_static_storage(settings: Any) -> None:
    """Serve static files straight from the apps, without whitenoise's manifest.

    With ``TSUNAGU_DEBUG=0`` the settings pick the manifest storage, whose ``{% static %}``
    fails until ``collectstatic`` has run; the live server's static handler serves from
    the finders anyway.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class BrowserSession:
    """A browser context on the live server, with the errors it met along the way."""

    context: BrowserContext
    page: Page
    base_url: str
    failed_static: list[str]
    page_errors: list[str]

    def url(self, path: str) -> str:
        return self.base_url + path


def _open_session(browser: Browser, base_url: str, **options: Any) -> Iterator[BrowserSession]:
    # ja-JP: LocaleMiddleware follows Accept-Language, and Japanese is the default language.
    context = browser.new_context(
        base_url=base_url, locale="ja-JP", timezone_id="Asia/Tokyo", viewport=VIEWPORT, **options
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    session = BrowserSession(context, page, base_url, failed_static=[], page_errors=[])

    def on_response(response: Any) -> None:
        if "/static/" in response.url and response.status >= 400:
            session.failed_static.append(f"{response.status} {response.url}")

    def on_console(message: Any) -> None:
        # Chromium asks for /favicon.ico on its own; the app has none and need not.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            session.page_errors.append(f"{message.text} ({message.location.get('url', '')})")

    page.on("response", on_response)
    page.on(
        "requestfailed",
        lambda request: (
            session.failed_static.append(f"failed {request.url}")
            if "/static/" in request.url
            else None
        ),
    )
    page.on("pageerror", lambda error: session.page_errors.append(str(error)))
    page.on("console", on_console)
    try:
        yield session
    finally:
        context.close()
    assert not session.failed_static, f"static files did not load: {session.failed_static}"


@pytest.fixture
def session(browser: Browser, live_server: Any, plan_data: PlanData) -> Iterator[BrowserSession]:
    """A browser with the page's own Content-Security-Policy in force."""
    yield from _open_session(browser, live_server.url)


@pytest.fixture
def axe_session(
    browser: Browser, live_server: Any, plan_data: PlanData
) -> Iterator[BrowserSession]:
    """A browser that ignores the CSP, so that axe can be injected as an inline script."""
    yield from _open_session(browser, live_server.url, bypass_csp=True)


@pytest.fixture
def page(session: BrowserSession) -> Page:
    return session.page


# -- data -----------------------------------------------------------------------------------------
@dataclass
class PlanData:
    plan: Plan
    disability: Organization
    plan_owner: Organization
    officer: User
    manager: User
    planner: User


def make_member(username: str, display_name: str, organization: Organization, role: str) -> User:
    from tsunagu.core.models import Membership, User

    user = User.objects.create_user(username=username, password=PASSWORD, display_name=display_name)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


def division(name: str) -> Organization:
    from tsunagu.core.models import Organization

    found, _ = Organization.objects.get_or_create(
        name=name, defaults={"kind": Organization.Kind.CITY_DIVISION}
    )
    return found


def load_seed_plan(owner: Organization, fiscal_years: tuple[int, int] = (2020, 2025)) -> Plan:
    from tsunagu.plans.importers import read_plan_file
    from tsunagu.plans.loading import load_plan

    result = read_plan_file(SEED_TEXT, **{**SEED_PLAN, "fiscal_years": fiscal_years})
    plan = load_plan(result.document, owner=owner).plan
    assert plan is not None
    return plan


def _migration(name: str) -> Any:
    import importlib

    return importlib.import_module(name)


def _run_trigger_statements(direction: str, using: str = "default") -> None:
    """Install ("FORWARD") or lift ("BACKWARD") the audit log's append-only triggers."""
    from django.db import connections

    migration = _migration("tsunagu.core.migrations.0002_audit_append_only")
    connection = connections[using]
    vendor = "POSTGRES" if connection.vendor == "postgresql" else "SQLITE"
    with connection.cursor() as cursor:
        for statement in getattr(migration, f"{vendor}_{direction}"):
            cursor.execute(statement)


# Tables that data migrations fill; a flush empties them: (model, migration, function).
SEEDED_BY_MIGRATIONS = [
    ("plans.GuidelineItem", "tsunagu.plans.migrations.0002_guideline_items", "load"),
    ("directory.TargetGroup", "tsunagu.directory.migrations.0002_target_groups", "load"),
    ("directory.TaxonomyTerm", "tsunagu.directory.migrations.0003_taxonomy", "load"),
    ("textsearch.SynonymGroup", "tsunagu.textsearch.migrations.0003_synonyms", "load"),
]


def _seed_migration_data(using: str = "default") -> None:
    """Run again the data migrations whose tables are empty."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connections

    for label, module, function in SEEDED_BY_MIGRATIONS:
        if not apps.get_model(label).objects.using(using).exists():
            load = getattr(importlib.import_module(module), function)
            load(apps, SimpleNamespace(connection=connections[using]))


def _restore_after_flush(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Once, after the flush: put back what the migrations gave the database."""
    from django.db.models.signals import post_migrate

    post_migrate.disconnect(dispatch_uid=RESTORE_AFTER_FLUSH)
    _run_trigger_statements("FORWARD", using)
    _seed_migration_data(using)


RESTORE_AFTER_FLUSH = "tsunagu-browser-tests-restore-after-flush"


@pytest.fixture
def migrated_database(transactional_db: None) -> Iterator[None]:
    """A database as ``migrate`` leaves it, before and after the test's end-of-test flush.

    The live server needs ``transactional_db``, which empties every table after the
    test. Two things in this project do not survive that as such:

    - the audit log is append-only in the database (triggers of ``core/0002``), so the
      flush fails: the triggers are lifted just for it and put back afterwards;
    - the guideline table, the directory's target groups and taxonomy and the search
      synonyms come from data migrations (``SEEDED_BY_MIGRATIONS``): they are seeded
      again after the flush (and before the test, in case another transactional test
      flushed them).

    (``django_db_serialized_rollback`` would cover the second point, but with
    Playwright's sync API running an event loop in this thread Django hands the test a
    different connection object than the one the serialized data was stored on.)
    """
    from django.db.models.signals import post_migrate

    _run_trigger_statements("BACKWARD")
    _run_trigger_statements("FORWARD")
    _seed_migration_data()
    yield
    _run_trigger_statements("BACKWARD")
    # The flush ends by sending post_migrate.
    post_migrate.connect(_restore_after_flush, weak=False, dispatch_uid=RESTORE_AFTER_FLUSH)


@pytest.fixture
def plan_data(migrated_database: None) -> PlanData:
    """The seed plan (FY2020–2025, owned by 福祉総務課) and the three people of this module."""
    from tsunagu.core.models import Membership

    disability = division(DISABILITY_DIVISION)
    plan_owner = division(PLAN_OWNER_DIVISION)
    plan = load_seed_plan(plan_owner)
    return PlanData(
        plan=plan,
        disability=disability,
        plan_owner=plan_owner,
        officer=make_member("officer", "障害 花子", disability, Membership.Role.PLAN_OFFICER),
        manager=make_member("manager", "障害 課長", disability, Membership.Role.MANAGER),
        planner=make_member("planner", "福祉 総務", plan_owner, Membership.Role.PLAN_OFFICER),
    )


@pytest.fixture
def sample_progress(plan_data: PlanData) -> PlanData:
    """A plausible FY2025 under way, so tables, bars and charts have something to show.

    About two thirds of the responsibilities have an approved report (statuses and
    evaluations spread deterministically), every indicator has yearly values, and
    1-1-2-3 is left unreported so that the progress form starts empty.
    """
    import random
    from decimal import Decimal

    from django.utils import timezone

    from tsunagu.plans.models import Indicator, IndicatorValue, ProgressReport, Responsibility

    rng = random.Random(2025)
    statuses = [value for value, _ in ProgressReport.Status.choices]
    evaluations = [value for value, _ in ProgressReport.Evaluation.choices]
    now = timezone.now()
    reports = []
    responsibilities = Responsibility.objects.filter(
        initiative__plan=plan_data.plan
    ).select_related("initiative")
    for responsibility in responsibilities.order_by("initiative__sort_key", "position"):
        if responsibility.initiative.code == "1-1-2-3" or rng.random() > 0.66:
            continue
        reports.append(
            ProgressReport(
                initiative=responsibility.initiative,
                organization_id=responsibility.organization_id,
                fiscal_year=2025,
                status=rng.choices(statuses, weights=[1, 6, 2, 1])[0],
                evaluation=rng.choices(evaluations, weights=[3, 5, 2, 1])[0],
                achievements=f"{responsibility.initiative.title}について、計画どおり事業を実施した。",
                state=ProgressReport.State.APPROVED,
                submitted_at=now,
                submitted_by=plan_data.officer,
                approved_at=now,
                approved_by=plan_data.manager,
            )
        )
    ProgressReport.objects.bulk_create(reports)
    for indicator in Indicator.objects.filter(plan=plan_data.plan):
        value = Decimal(rng.randint(40, 200))
        for year in range(2019, 2025):
            IndicatorValue.objects.create(
                indicator=indicator, fiscal_year=year, value=value, source="市民意識調査"
            )
            value += Decimal(rng.randint(-5, 12))
    return plan_data


# -- helpers --------------------------------------------------------------------------------------
# Test modules here are not a package, so the helpers reach them as fixtures.
@pytest.fixture(name="log_in")
def log_in_fixture() -> Any:
    return log_in


@pytest.fixture(name="log_out")
def log_out_fixture() -> Any:
    return log_out


@pytest.fixture(name="axe")
def axe_fixture() -> Any:
    """``axe(page)``: the serious and critical violations axe-core finds on the page."""
    return axe


@pytest.fixture(name="describe_violations")
def describe_violations_fixture() -> Any:
    return describe_violations


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/login/" not in page.url, (
        f"{username} could not log in: {page.inner_text('main')[:300]}"
    )


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.locator("header form[action$='/logout/'] button[type=submit]").click()
    assert page.url.endswith("/login/")


def axe(page: Page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core on the page and return its violations of the given impacts.

    The page must come from a context with ``bypass_csp=True`` (``axe_session``): the
    script is injected inline and the app's CSP forbids inline scripts.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
            }));
        }"""
    )
    return [violation for violation in results if violation["impact"] in impacts]


def describe_violations(violations: list[dict[str, Any]], where: str) -> str:
    """A readable list for an assertion message: rule, impact, selector and the HTML."""
    lines = [f"{len(violations)} serious/critical axe violation(s) on {where}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      ")[:400])
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)
