"""Progress reports: write, submit, approve, return — every change audited and shown as history."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tsunagu.core.models import AuditEvent, Organization
from tsunagu.core.tests import personas
from tsunagu.plans import services
from tsunagu.plans.models import Initiative, ProgressReport


@pytest.fixture
def disability(kamakura_plan: Any) -> Organization:
    return Organization.objects.get(name=personas.DISABILITY_DIVISION)


def edit_url(code: str, organization: Organization, year: int = 2025) -> str:
    return reverse("plans:progress_edit", args=[year, code, organization.pk])


FILLED = {
    "status": "in_progress",
    "evaluation": "B",
    "achievements": "基幹相談支援センターと事業所の連絡会を年4回開催した。",
    "issues": "相談件数の増加",
    "next_steps": "圏域ごとの会議を検討",
}


def test_it_saves_a_draft_and_audits_the_fields_that_changed(
    disability: Organization, officer_disability: Any, client: Client
) -> None:
    client.force_login(officer_disability)
    response = client.post(edit_url("1-1-2-3", disability), {**FILLED, "save": "1"})
    assert response.status_code == 302
    report = ProgressReport.objects.get(
        initiative__code="1-1-2-3", organization=disability, fiscal_year=2025
    )
    assert report.state == ProgressReport.State.DRAFT
    event = AuditEvent.objects.get(action="plans.progress.saved", object_id=str(report.pk))
    assert event.actor == officer_disability
    assert event.data["changes"]["achievements"] == [None, FILLED["achievements"]]

    client.post(edit_url("1-1-2-3", disability), {**FILLED, "evaluation": "A", "save": "1"})
    latest = (
        AuditEvent.objects.filter(action="plans.progress.saved", object_id=str(report.pk))
        .order_by("-at")
        .first()
    )
    assert latest is not None and latest.data["changes"] == {"evaluation": ["B", "A"]}


def test_it_refuses_to_submit_an_incomplete_report_and_keeps_the_input(
    disability: Organization, officer_disability: Any, client: Client
) -> None:
    client.force_login(officer_disability)
    response = client.post(
        edit_url("1-1-2-3", disability),
        {"status": "", "evaluation": "", "achievements": "途中まで書いた文章", "submit": "1"},
    )
    assert response.status_code == 200
    assert "途中まで書いた文章" in response.content.decode()
    assert not ProgressReport.objects.filter(state=ProgressReport.State.SUBMITTED).exists()


def test_it_runs_submit_approve_and_shows_the_history(
    disability: Organization, officer_disability: Any, manager_disability: Any
) -> None:
    officer, manager = Client(), Client()
    officer.force_login(officer_disability)
    manager.force_login(manager_disability)
    officer.post(edit_url("1-1-2-3", disability), {**FILLED, "submit": "1"})
    report = ProgressReport.objects.get(initiative__code="1-1-2-3", organization=disability)
    assert report.state == ProgressReport.State.SUBMITTED
    assert report.submitted_by == officer_disability

    inbox = manager.get(reverse("plans:my_progress") + "?fy=2025").content.decode()
    assert edit_url("1-1-2-3", disability) in inbox

    manager.post(
        reverse("plans:progress_review", args=[report.pk]),
        {"decision": "approve", "comment": "確認しました"},
    )
    report.refresh_from_db()
    assert report.state == ProgressReport.State.APPROVED
    assert report.approved_by == manager_disability
    actions = list(
        AuditEvent.objects.filter(object_type="plans.progressreport", object_id=str(report.pk))
        .order_by("at")
        .values_list("action", flat=True)
    )
    assert actions == [
        "plans.progress.saved",
        "plans.progress.submitted",
        "plans.progress.approved",
    ]

    page = officer.get(reverse("plans:initiative", args=["1-1-2-3"])).content.decode()
    assert "確認しました" in page
    assert page.count('class="history"') == 1


def test_it_locks_an_approved_report_until_the_manager_returns_it(
    disability: Organization, officer_disability: Any, manager_disability: Any
) -> None:
    initiative = Initiative.objects.get(code="1-1-2-3")
    data = services.ReportData(**{key: FILLED[key] for key in services.REPORT_FIELDS})
    report = services.save_report(
        initiative, disability, 2025, data, actor=officer_disability, submit=True
    )
    services.approve_report(report, actor=manager_disability)
    with pytest.raises(ValidationError):
        services.save_report(initiative, disability, 2025, data, actor=officer_disability)
    with pytest.raises(ValidationError):
        services.return_report(report, actor=manager_disability, comment="   ")
    services.return_report(report, actor=manager_disability, comment="数値を追記してください")
    report.refresh_from_db()
    assert report.state == ProgressReport.State.RETURNED and report.approved_by is None
    services.save_report(initiative, disability, 2025, data, actor=officer_disability, submit=True)
    assert ProgressReport.objects.get(pk=report.pk).state == ProgressReport.State.SUBMITTED


def test_it_refuses_a_report_from_a_department_not_responsible(
    kamakura_plan: Any, officer_disability: Any
) -> None:
    data = services.ReportData(**{key: FILLED[key] for key in services.REPORT_FIELDS})
    with pytest.raises(ValidationError):
        services.save_report(
            Initiative.objects.get(code="1-1-2-2"),
            Organization.objects.get(name="障害福祉課"),
            2025,
            data,
            actor=officer_disability,
        )


def test_it_lists_what_is_not_yet_reported(
    disability: Organization, officer_disability: Any, client: Client
) -> None:
    client.force_login(officer_disability)
    before = client.get(reverse("plans:not_reported") + "?fy=2025").context["total"]
    data = services.ReportData(**{key: FILLED[key] for key in services.REPORT_FIELDS})
    services.save_report(
        Initiative.objects.get(code="1-1-2-3"),
        disability,
        2025,
        data,
        actor=officer_disability,
        submit=True,
    )
    after = client.get(reverse("plans:not_reported") + "?fy=2025").context["total"]
    assert after == before - 1
    responsible = Initiative.objects.filter(
        responsibilities__organization=disability, archived_at__isnull=True
    ).count()
    assert before == responsible


def test_it_records_an_indicator_value_with_audit(
    kamakura_plan: Any, plan_owner_officer: Any, client: Client
) -> None:
    indicator = kamakura_plan.indicators.get(title="就労している障害者数")
    client.force_login(plan_owner_officer)
    url = reverse("plans:indicator_detail", args=[indicator.pk])
    response = client.post(
        url,
        {
            "record_value": "1",
            "fiscal_year": "2024",
            "value": "812",
            "source": "障害福祉課調べ",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert indicator.values.get(fiscal_year=2024).value == 812
    assert AuditEvent.objects.filter(
        action="plans.indicator_value.recorded", object_id=str(indicator.pk)
    ).exists()
    bad = client.post(
        url, {"record_value": "1", "fiscal_year": "2024", "value": "たくさん", "source": "x"}
    )
    assert bad.status_code == 200 and "たくさん" in bad.content.decode()
    assert indicator.values.get(fiscal_year=2024).value == 812


def test_it_writes_an_audit_event_for_each_report_download(
    kamakura_plan: Any, plan_owner_officer: Any, client: Client
) -> None:
    client.force_login(plan_owner_officer)
    response = client.get(reverse("plans:committee_report", args=[2025, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        AuditEvent.objects.filter(action="plans.report.exported", data__format="xlsx").count() == 1
    )
