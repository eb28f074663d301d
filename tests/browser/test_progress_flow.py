"""The progress-management acceptance flow (進行管理), in Japanese, through the browser.

障害福祉課's plan officer writes and submits the FY2025 report on 1-1-2-3, her manager
approves it, and the committee report (Excel and PDF) then carries the achievements.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import translation

pytestmark = pytest.mark.browser

YEAR = 2025
CODE = "1-1-2-3"
ACHIEVEMENTS = "基幹相談支援センターと相談支援事業所の連絡会を年4回開催し、困難事例12件を共有した。"


def in_japanese(message: str) -> str:
    """What the app shows for ``message`` in Japanese (the msgid itself until it is translated)."""
    with translation.override("ja"):
        return translation.gettext(message)


def action_label(action: str) -> str:
    from tsunagu.plans.audit_labels import label_for

    with translation.override("ja"):
        return label_for(action)


def test_it_takes_a_report_from_writing_to_the_committee_report(
    session: Any, plan_data: Any, log_in: Any, log_out: Any, tmp_path: Any
) -> None:
    from tsunagu.plans.models import ProgressReport

    page = session.page
    org_id = plan_data.disability.pk
    form_path = f"/plan/progress/{YEAR}/{CODE}/{org_id}/"

    # -- the plan officer writes and submits --------------------------------------------------
    log_in(page, "officer")
    assert page.get_attribute("html", "lang") == "ja"
    page.goto(f"/plan/progress/?fy={YEAR}")
    row_link = page.locator(f"main a[href='{form_path}']")
    assert row_link.count() == 1, f"{CODE} for 障害福祉課 is not listed on the progress page"
    with page.expect_navigation():
        row_link.click()
    assert page.url.endswith(form_path)

    page.check("input[name=status][value=in_progress]")
    page.check("input[name=evaluation][value=B]")
    page.fill("textarea[name=achievements]", ACHIEVEMENTS)
    with page.expect_navigation():
        page.click("button[name=submit]")
    assert page.url.endswith(f"/plan/progress/?fy={YEAR}")
    success = page.locator(".message--success")
    assert success.inner_text().strip() == in_japanese("The report was submitted for approval.")

    report = ProgressReport.objects.get(
        initiative__code=CODE, organization=plan_data.disability, fiscal_year=YEAR
    )
    assert report.state == ProgressReport.State.SUBMITTED
    assert (report.status, report.evaluation, report.achievements) == (
        "in_progress",
        "B",
        ACHIEVEMENTS,
    )
    log_out(page)

    # -- the manager approves -----------------------------------------------------------------
    log_in(page, "manager")
    page.goto(f"/plan/progress/?fy={YEAR}")
    awaiting = page.locator("section[aria-labelledby=awaiting-heading]")
    assert CODE in awaiting.inner_text()
    with page.expect_navigation():
        awaiting.locator(f"a[href='{form_path}']").click()
    assert ACHIEVEMENTS in page.inner_text("main")
    page.fill("#id_comment", "確認しました。")
    with page.expect_navigation():
        page.click("button[name=decision][value=approve]")
    assert page.locator(".message--success").inner_text().strip() == in_japanese(
        "The report was approved."
    )
    report.refresh_from_db()
    assert report.state == ProgressReport.State.APPROVED
    assert report.approved_by == plan_data.manager

    # -- the initiative page shows the report and its history ---------------------------------
    page.goto(f"/plan/initiatives/{CODE}/")
    main = page.inner_text("main")
    assert ACHIEVEMENTS in main
    history = page.locator("ol.history").inner_text()
    assert action_label("plans.progress.submitted") in history
    assert action_label("plans.progress.approved") in history
    assert "障害 花子" in history and "障害 課長" in history

    # -- the committee report carries the approved achievements -------------------------------
    page.goto(f"/plan/reports/?fy={YEAR}")
    xlsx = download(page, f"a[href='/plan/reports/{YEAR}/committee.xlsx']", tmp_path)
    pdf = download(page, f"a[href='/plan/reports/{YEAR}/committee.pdf']", tmp_path)

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert any(ACHIEVEMENTS in cell for cell in cells), (
        "the achievements are not in the Excel report"
    )
    assert pdf.startswith(b"%PDF")

    assert not session.page_errors, f"the pages logged errors: {session.page_errors}"


def download(page: Any, selector: str, folder: Any) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    data = path.read_bytes()
    assert data, f"{info.value.suggested_filename} is empty"
    return data
