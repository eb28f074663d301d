"""Screenshots of the plan pages for the docs (``make screenshots``).

Writes PNGs to ``docs/screenshots/`` (or ``$TSUNAGU_SCREENSHOT_DIR``): the pages at a
1280×900 desktop viewport, long pages in full, and the plan tree on a 360 px phone.
The data is the seed plan with a plausible FY2025 under way (``sample_progress``) and
one report on 1-1-2-3 written, approved and shown with its history.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

PROJECT_DIR = Path(__file__).resolve().parents[2]
YEAR = 2025
CODE = "1-1-2-3"
ACHIEVEMENTS = "基幹相談支援センターと相談支援事業所の連絡会を年4回開催し、困難事例12件を共有した。"


@pytest.fixture
def screenshot_dir() -> Path:
    folder = Path(os.environ.get("TSUNAGU_SCREENSHOT_DIR", PROJECT_DIR / "docs" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page: Any, folder: Path, name: str, *, full_page: bool = False) -> Path:
    path = folder / f"{name}.png"
    # Charts and bars are sized by script after load; give fonts and layout a moment.
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.fonts.ready")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5_000, f"{path} looks empty"
    return path


def test_it_takes_the_documentation_screenshots(
    browser: Any,
    session: Any,
    sample_progress: Any,
    log_in: Any,
    log_out: Any,
    screenshot_dir: Path,
) -> None:
    from tsunagu.plans import services
    from tsunagu.plans.models import Initiative

    data = sample_progress
    page = session.page
    form_path = f"/plan/progress/{YEAR}/{CODE}/{data.disability.pk}/"
    written = []

    page.goto("/login/")
    written.append(shoot(page, screenshot_dir, "login"))

    log_in(page, "officer")
    written.append(shoot(page, screenshot_dir, "home"))

    page.goto(form_path)
    page.check("input[name=status][value=in_progress]")
    page.check("input[name=evaluation][value=B]")
    page.fill("textarea[name=achievements]", ACHIEVEMENTS)
    page.fill("textarea[name=issues]", "相談件数の増加に対し、相談支援専門員が不足している。")
    page.fill("textarea[name=next_steps]", "基幹相談支援センターの体制強化を検討する。")
    written.append(shoot(page, screenshot_dir, "progress-form", full_page=True))

    # The report goes through the workflow, so the initiative page has progress and history.
    initiative = Initiative.objects.get(plan=data.plan, code=CODE)
    report_data = services.ReportData(
        status="in_progress",
        evaluation="B",
        achievements=ACHIEVEMENTS,
        issues="相談件数の増加に対し、相談支援専門員が不足している。",
        next_steps="基幹相談支援センターの体制強化を検討する。",
    )
    report = services.save_report(
        initiative, data.disability, YEAR, report_data, actor=data.officer, submit=True
    )
    services.approve_report(report, actor=data.manager, comment="確認しました。")

    page.goto(f"/plan/initiatives/{CODE}/")
    written.append(shoot(page, screenshot_dir, "initiative", full_page=True))
    page.goto(f"/plan/departments/{data.disability.pk}/")
    written.append(shoot(page, screenshot_dir, "department", full_page=True))
    log_out(page)

    log_in(page, "planner")
    page.goto(f"/plan/?fy={YEAR}")
    written.append(shoot(page, screenshot_dir, "plan-tree", full_page=True))
    page.goto(f"/plan/dashboard/?fy={YEAR}")
    written.append(shoot(page, screenshot_dir, "dashboard", full_page=True))
    page.goto("/plan/indicators/")
    written.append(shoot(page, screenshot_dir, "indicators", full_page=True))
    page.goto("/plan/guidelines/")
    written.append(shoot(page, screenshot_dir, "guideline-matrix", full_page=True))

    # The same tree on a 360 px wide phone: the first screen, as a person holding it sees it.
    phone = browser.new_context(
        base_url=session.base_url,
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 360, "height": 780},
        is_mobile=True,
        has_touch=True,
    )
    try:
        phone_page = phone.new_page()
        log_in(phone_page, "planner")
        phone_page.goto(f"/plan/?fy={YEAR}")
        overflow = phone_page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        written.append(shoot(phone_page, screenshot_dir, "plan-tree-phone"))
    finally:
        phone.close()

    assert len(written) == 10
    assert overflow <= 0, f"the plan tree scrolls sideways by {overflow}px on a 360px phone"
