"""axe-core finds no serious or critical violations on the plan's main pages.

The pages are rendered in Japanese with the real stylesheets, so colour contrast is
checked too. A failure lists each rule, the selector and the offending HTML.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

YEAR = 2025
CODE = "1-1-2-3"

# (name, who is signed in, path; {disability} is 障害福祉課's id)
PAGES = [
    ("login", None, "/login/"),
    ("home", "officer", "/"),
    ("plan tree", "officer", "/plan/"),
    ("initiative", "officer", f"/plan/initiatives/{CODE}/"),
    ("progress form", "officer", f"/plan/progress/{YEAR}/{CODE}/{{disability}}/"),
    ("progress list", "officer", f"/plan/progress/?fy={YEAR}"),
    ("dashboard", "planner", f"/plan/dashboard/?fy={YEAR}"),
    ("indicators", "planner", "/plan/indicators/"),
    ("guideline matrix", "planner", "/plan/guidelines/"),
]


def stylesheet_applied(page: Any) -> bool:
    """tsunagu.css hides the skip link off-screen; contrast checks mean nothing without it."""
    return page.evaluate(
        "() => getComputedStyle(document.querySelector('.skip-link')).position === 'absolute'"
    )


@pytest.mark.parametrize(("name", "username", "path"), PAGES, ids=[page[0] for page in PAGES])
def test_it_has_no_serious_violations(
    axe_session: Any,
    sample_progress: Any,
    log_in: Any,
    axe: Any,
    describe_violations: Any,
    name: str,
    username: str | None,
    path: str,
) -> None:
    page = axe_session.page
    if username:
        log_in(page, username)
    url = path.format(disability=sample_progress.disability.pk)
    response = page.goto(url)
    assert response is not None and response.status == 200, (
        f"{url} answered {response and response.status}"
    )
    assert stylesheet_applied(page), f"the stylesheet did not apply on {url}"
    # Closed <details> hide most of the tree from axe; open them so all of it is checked.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")

    violations = axe(page)

    assert not violations, describe_violations(violations, f"the {name} page ({url})")


def test_it_has_no_serious_violations_on_the_review_form(
    axe_session: Any, plan_data: Any, log_in: Any, axe: Any, describe_violations: Any
) -> None:
    """The manager's view of a submitted report: the report facts and the review form."""
    from tsunagu.plans import services
    from tsunagu.plans.models import Initiative

    initiative = Initiative.objects.get(plan=plan_data.plan, code=CODE)
    data = services.ReportData(
        status="in_progress",
        evaluation="B",
        achievements="連絡会を4回開催した。",
        issues="",
        next_steps="",
    )
    services.save_report(
        initiative, plan_data.disability, YEAR, data, actor=plan_data.officer, submit=True
    )
    page = axe_session.page
    log_in(page, "manager")
    url = f"/plan/progress/{YEAR}/{CODE}/{plan_data.disability.pk}/"
    page.goto(url)
    assert page.locator("button[name=decision][value=approve]").count() == 1

    violations = axe(page)

    assert not violations, describe_violations(violations, f"the review form ({url})")


def test_it_focuses_the_skip_link_first(session: Any) -> None:
    page = session.page
    page.goto("/login/")

    page.keyboard.press("Tab")

    focused = page.evaluate(
        "() => ({cls: document.activeElement.className, html: document.activeElement.outerHTML.slice(0, 120)})"
    )
    assert "skip-link" in focused["cls"].split(), f"Tab first focused {focused['html']}"
    assert page.locator(".skip-link").is_visible(), "the focused skip link is not shown on screen"
    assert page.locator(".skip-link").get_attribute("href") == "#main"
