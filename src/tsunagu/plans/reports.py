"""The committee report (推進委員会) as Excel and PDF, and a department's own sheet."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from tsunagu.core.auth import AuthenticatedHttpRequest
from tsunagu.core.models import Organization
from tsunagu.core.services import log_action

from .charts import line_chart, trend, trend_label
from .fiscal import fiscal_year_label
from .models import Goal, Indicator, IndicatorValue, Initiative, Plan, ProgressReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="1A3D8F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(vertical="top", wrap_text=True)


@dataclass
class InitiativeRow:
    initiative: Initiative
    reports: list[ProgressReport]


def committee_data(plan: Plan, year: int) -> dict[str, Any]:
    """Everything the committee report shows, in a fixed number of queries."""
    approved: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in (
        ProgressReport.objects.filter(
            initiative__plan=plan, fiscal_year=year, state=ProgressReport.State.APPROVED
        )
        .select_related("organization")
        .order_by("organization__name")
    ):
        approved[report.initiative_id].append(report)
    initiatives_by_goal: dict[int, list[InitiativeRow]] = defaultdict(list)
    for initiative in (
        Initiative.objects.filter(plan=plan, archived_at__isnull=True)
        .select_related("measure__direction")
        .prefetch_related("responsibilities__organization")
        .order_by("sort_key")
    ):
        initiatives_by_goal[initiative.measure.direction.goal_id].append(
            InitiativeRow(initiative, approved.get(initiative.pk, []))
        )
    values: dict[int, list[IndicatorValue]] = defaultdict(list)
    for value in IndicatorValue.objects.filter(
        indicator__plan=plan, fiscal_year__lte=year
    ).order_by("fiscal_year"):
        values[value.indicator_id].append(value)
    indicators_by_goal: dict[int, list[dict[str, Any]]] = defaultdict(list)
    years = list(range(plan.first_fiscal_year - 1, year + 1))
    for indicator in Indicator.objects.filter(plan=plan).prefetch_related("goal_links"):
        indicator_values = values[indicator.pk]
        code = trend(indicator, indicator_values)
        entry = {
            "indicator": indicator,
            "values": indicator_values,
            "latest": indicator_values[-1] if indicator_values else None,
            "trend": code,
            "trend_label": trend_label(code),
            "chart": line_chart(indicator, indicator_values, years),
        }
        for link in indicator.goal_links.all():
            indicators_by_goal[link.goal_id].append(entry)
    goals = list(Goal.objects.filter(plan=plan).order_by("number"))
    return {
        "plan": plan,
        "fiscal_year": year,
        "fiscal_year_label": fiscal_year_label(year),
        "generated_at": timezone.localtime(),
        "goals": [
            {
                "goal": goal,
                "initiatives": initiatives_by_goal[goal.pk],
                "indicators": indicators_by_goal[goal.pk],
            }
            for goal in goals
        ],
    }


def _header(sheet: Worksheet, row: int, headers: list[str], widths: list[int]) -> None:
    for column, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.fill, cell.font, cell.border, cell.alignment = (
            HEADER_FILL,
            HEADER_FONT,
            BORDER,
            Alignment(vertical="center", wrap_text=True),
        )
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    sheet.print_title_rows = f"{row}:{row}"


def _print_setup(sheet: Worksheet, title: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.center.text = title
    sheet.oddFooter.center.text = "&P / &N"


def committee_xlsx(data: dict[str, Any]) -> bytes:
    plan, label = data["plan"], data["fiscal_year_label"]
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    summary["A1"] = f"{plan} {label} {_('progress report')}"
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"] = _("Generated %(when)s") % {
        "when": data["generated_at"].strftime("%Y-%m-%d %H:%M")
    }
    headers = [
        _("Goal"),
        _("Initiatives"),
        _("Approved reports"),
        _("Completed (完了)"),
        _("In progress (実施中)"),
        _("Under review (見直し)"),
        _("Not started (未着手)"),
    ]
    _header(summary, 4, headers, [40, 12, 14, 12, 14, 14, 12])
    row = 5
    for entry in data["goals"]:
        reports = [report for item in entry["initiatives"] for report in item.reports]
        counts: dict[str, int] = defaultdict(int)
        for report in reports:
            counts[report.status] += 1
        values = [
            str(entry["goal"]),
            len(entry["initiatives"]),
            len(reports),
            counts["completed"],
            counts["in_progress"],
            counts["under_review"],
            counts["not_started"],
        ]
        for column, value in enumerate(values, start=1):
            cell = summary.cell(row=row, column=column, value=value)
            cell.border, cell.alignment = BORDER, WRAP
        row += 1
    _print_setup(summary, f"{plan} {label}")

    for entry in data["goals"]:
        goal = entry["goal"]
        sheet = workbook.create_sheet(_("Goal %(number)s") % {"number": goal.number})
        sheet["A1"] = str(goal)
        sheet["A1"].font = Font(bold=True, size=13)
        headers = [
            _("Number"),
            _("Initiative"),
            _("Responsible departments"),
            _("Department"),
            _("Status"),
            _("Evaluation"),
            _("What was done"),
            _("Issues"),
            _("Next steps"),
        ]
        _header(sheet, 3, headers, [11, 34, 22, 16, 14, 8, 50, 34, 34])
        row = 4
        for item in entry["initiatives"]:
            departments = "、".join(
                r.organization.name for r in item.initiative.responsibilities.all()
            )
            reports = item.reports or [None]
            for report in reports:
                values = [
                    item.initiative.code,
                    item.initiative.title,
                    departments,
                    report.organization.name if report else "",
                    report.get_status_display() if report and report.status else _("Not reported"),
                    report.evaluation if report else "",
                    report.achievements if report else "",
                    report.issues if report else "",
                    report.next_steps if report else "",
                ]
                for column, value in enumerate(values, start=1):
                    cell = sheet.cell(row=row, column=column, value=value)
                    cell.border, cell.alignment = BORDER, WRAP
                row += 1
        row += 1
        sheet.cell(row=row, column=1, value=_("Outcome indicators")).font = Font(bold=True)
        row += 1
        indicator_headers = [_("Indicator"), _("Baseline"), _("Latest"), _("Target"), _("Trend")]
        for column, title in enumerate(indicator_headers, start=1):
            cell = sheet.cell(row=row, column=column, value=title)
            cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        row += 1
        for indicator_entry in entry["indicators"]:
            indicator, latest = indicator_entry["indicator"], indicator_entry["latest"]
            values = [
                indicator.title,
                f"{indicator.baseline_value}{indicator.unit} ({indicator.baseline_year})"
                if indicator.baseline_value is not None
                else "—",
                f"{latest.value}{indicator.unit} ({latest.fiscal_year})" if latest else "—",
                f"{indicator.target_value}{indicator.unit} ({indicator.target_year})"
                if indicator.target_value is not None
                else "—",
                indicator_entry["trend_label"],
            ]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column, value=value)
                cell.border, cell.alignment = BORDER, WRAP
            row += 1
        _print_setup(sheet, f"{plan} {label} {goal}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def committee_pdf(data: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string("plans/committee_report_pdf.html", data, request=request)
    return HTML(string=html, base_url=None).write_pdf()


def department_xlsx(plan: Plan, year: int, organization: Organization) -> bytes:
    reports = {
        report.initiative_id: report
        for report in ProgressReport.objects.filter(
            initiative__plan=plan, fiscal_year=year, organization=organization
        )
    }
    initiatives = (
        Initiative.objects.filter(
            plan=plan, archived_at__isnull=True, responsibilities__organization=organization
        )
        .distinct()
        .order_by("sort_key")
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = organization.name[:31]
    sheet["A1"] = f"{organization.name} {fiscal_year_label(year)}"
    sheet["A1"].font = Font(bold=True, size=13)
    headers = [
        _("Number"),
        _("Initiative"),
        _("State"),
        _("Status"),
        _("Evaluation"),
        _("What was done"),
        _("Issues"),
        _("Next steps"),
        _("Manager's comment"),
    ]
    _header(sheet, 3, headers, [11, 36, 14, 14, 8, 50, 34, 34, 30])
    for row, initiative in enumerate(initiatives, start=4):
        report = reports.get(initiative.pk)
        values = [
            initiative.code,
            initiative.title,
            report.get_state_display() if report else _("Not started"),
            report.get_status_display() if report and report.status else "",
            report.evaluation if report else "",
            report.achievements if report else "",
            report.issues if report else "",
            report.next_steps if report else "",
            report.review_comment if report else "",
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.border, cell.alignment = BORDER, WRAP
    _print_setup(sheet, f"{organization.name} {fiscal_year_label(year)}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # RFC 6266/5987: the header stays ASCII; the (often Japanese) name is percent-encoded UTF-8.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    return response


def committee_response(
    request: AuthenticatedHttpRequest, plan: Plan, year: int, fmt: str
) -> HttpResponse:
    if fmt not in {"xlsx", "pdf"}:
        raise Http404
    data = committee_data(plan, year)
    # Translators: the file name of the committee report, without its extension.
    filename = _("%(municipality)s_%(plan)s_FY%(year)s_progress_report") % {
        "municipality": plan.municipality,
        "plan": plan.name,
        "year": year,
    }
    filename = f"{filename}.{fmt}"
    log_action(
        "plans.report.exported",
        actor=request.user,
        obj=plan,
        data={"report": "committee", "format": fmt, "fiscal_year": year},
        request=request,
    )
    if fmt == "xlsx":
        return _download(committee_xlsx(data), XLSX, filename)
    return _download(committee_pdf(data, request), "application/pdf", filename)


def department_response(
    request: AuthenticatedHttpRequest, plan: Plan, year: int, organization: Organization
) -> HttpResponse:
    log_action(
        "plans.report.exported",
        actor=request.user,
        obj=organization,
        data={"report": "department", "format": "xlsx", "fiscal_year": year},
        request=request,
    )
    # Translators: the file name of a department's progress workbook, without its extension.
    filename = _("%(department)s_FY%(year)s_progress") % {
        "department": organization.name,
        "year": year,
    }
    filename = f"{filename}.xlsx"
    return _download(department_xlsx(plan, year, organization), XLSX, filename)
