"""Plan pages. Views are thin: lookups go through policies, writes through services."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import Any, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.core.auth import AuthenticatedHttpRequest
from tsunagu.core.models import Organization
from tsunagu.core.services import history_for
from tsunagu.textsearch import search as textsearch
from tsunagu.textsearch.search import SearchResult

from . import policies, services
from . import search as search_index
from .charts import line_chart, trend, trend_label
from .fiscal import fiscal_year_label, fiscal_year_of
from .forms import (
    FiscalYearForm,
    IndicatorTargetForm,
    IndicatorValueForm,
    PlanSearchForm,
    ProgressReportForm,
    ReviewForm,
)
from .models import (
    Direction,
    Goal,
    GoalIndicator,
    GuidelineItem,
    Indicator,
    IndicatorValue,
    Initiative,
    Measure,
    Plan,
    ProgressReport,
    Responsibility,
)
from .progress import summarise, unreported

# Search results shown at most (the plan has a few hundred initiatives).
SEARCH_LIMIT = 100


class ProgressRow(TypedDict):
    """One line of "my progress": a department's responsibility and its report, if any."""

    responsibility: Responsibility
    report: ProgressReport | None


def get_plan() -> Plan:
    plan = services.current_plan()
    if plan is None:
        raise Http404(_("No plan has been loaded yet. Load one with `tsunagu import_plan`."))
    return plan


def fiscal_year_choices(plan: Plan) -> list[tuple[int, str]]:
    return [(year, fiscal_year_label(year)) for year in reversed(plan.fiscal_years)]


def selected_fiscal_year(request: HttpRequest, plan: Plan) -> tuple[int, FiscalYearForm]:
    """The ``fy`` query parameter, or this fiscal year clamped to the plan's period."""
    form = FiscalYearForm(request.GET or None, years=fiscal_year_choices(plan))
    default = min(
        max(fiscal_year_of(timezone.localdate()), plan.first_fiscal_year), plan.last_fiscal_year
    )
    if form.is_bound and form.is_valid() and form.cleaned_data.get("fy"):
        return form.cleaned_data["fy"], form
    if form.is_bound and not form.is_valid():
        messages.warning(
            request,
            _("%(value)s is not a fiscal year of this plan; showing %(year)s.")
            % {"value": request.GET.get("fy", ""), "year": fiscal_year_label(default)},
        )
    return default, FiscalYearForm(initial={"fy": default}, years=fiscal_year_choices(plan))


def crumbs(*items: tuple[str, str | None]) -> list[dict[str, str | None]]:
    return [{"label": label, "url": url} for label, url in items]


def plan_crumb(plan: Plan) -> tuple[str, str]:
    return (_("Plan"), reverse("plans:tree"))


# -- home panel -----------------------------------------------------------------------------------
def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    plan = services.current_plan()
    if plan is None:
        return {"plan": None}
    year = min(
        max(fiscal_year_of(timezone.localdate()), plan.first_fiscal_year), plan.last_fiscal_year
    )
    own = policies.reporting_organization_ids(request.user)
    awaiting = ProgressReport.objects.filter(
        fiscal_year=year,
        organization_id__in=policies.approvable_organization_ids(request.user),
        state=ProgressReport.State.SUBMITTED,
    ).count()
    missing = unreported(plan, year, own).count() if own else 0
    return {
        "plan": plan,
        "fiscal_year": year,
        "fiscal_year_label": fiscal_year_label(year),
        "awaiting": awaiting,
        "missing": missing,
        "has_departments": bool(own),
    }


# -- the plan itself ---------------------------------------------------------------------------------
@login_required
def tree(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = get_plan()
    year, year_form = selected_fiscal_year(request, plan)
    # Colour each initiative by its departments' approved status for the year.
    statuses: dict[int, list[str]] = defaultdict(list)
    for initiative_id, status in ProgressReport.objects.filter(
        initiative__plan=plan, fiscal_year=year, state=ProgressReport.State.APPROVED
    ).values_list("initiative_id", "status"):
        statuses[initiative_id].append(status)
    goals = Goal.objects.filter(plan=plan).prefetch_related(
        Prefetch("directions", queryset=Direction.objects.order_by("number")),
        Prefetch("directions__measures", queryset=Measure.objects.order_by("number")),
        Prefetch(
            "directions__measures__initiatives",
            queryset=Initiative.objects.filter(archived_at__isnull=True)
            .select_related("repost_of")
            .prefetch_related(
                "responsibilities__organization", "responsibilities__via", "guideline_links__item"
            )
            .order_by("sort_key"),
        ),
        Prefetch("indicator_links", queryset=GoalIndicator.objects.select_related("indicator")),
    )
    status_labels = dict(ProgressReport.Status.choices)
    initiative_status = {
        initiative_id: summary_status(values) for initiative_id, values in statuses.items()
    }
    return render(
        request,
        "plans/tree.html",
        {
            "plan": plan,
            "goals": goals,
            "fiscal_year": year,
            "fiscal_year_label": fiscal_year_label(year),
            "year_form": year_form,
            "initiative_status": initiative_status,
            "status_labels": status_labels,
            "nav": "plan",
            "breadcrumbs": crumbs((_("Plan"), None)),
        },
    )


def summary_status(values: list[str]) -> str:
    """One status for an initiative with several departments: the least advanced one."""
    order = [
        ProgressReport.Status.NOT_STARTED,
        ProgressReport.Status.UNDER_REVIEW,
        ProgressReport.Status.IN_PROGRESS,
        ProgressReport.Status.COMPLETED,
    ]
    present = [status for status in order if status in values]
    return present[0] if present else ""


@login_required
def initiative_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    plan = get_plan()
    initiative = get_object_or_404(
        Initiative.objects.for_tree().prefetch_related("reposts"), plan=plan, code=code
    )
    reports = (
        policies.visible_reports(request.user, plan)
        .filter(initiative=initiative)
        .select_related("organization", "approved_by", "submitted_by")
        .order_by("-fiscal_year", "organization__name")
    )
    report_ids = [
        str(pk)
        for pk in ProgressReport.objects.filter(initiative=initiative).values_list("pk", flat=True)
    ]
    own = policies.reporting_organization_ids(request.user)
    may_see_history = policies.is_plan_manager(request.user, plan) or bool(
        own & {r.organization_id for r in initiative.responsibilities.all()}
    )
    history = []
    if may_see_history:
        from tsunagu.core.models import AuditEvent

        history = list(
            AuditEvent.objects.filter(object_type="plans.progressreport", object_id__in=report_ids)
            .select_related("actor")
            .order_by("-at")[:50]
        )
        reports_by_id = {
            str(report.pk): report
            for report in ProgressReport.objects.filter(initiative=initiative).select_related(
                "organization"
            )
        }
        for event in history:
            event.report = reports_by_id.get(event.object_id)  # type: ignore[attr-defined]
    year = min(
        max(fiscal_year_of(timezone.localdate()), plan.first_fiscal_year), plan.last_fiscal_year
    )
    editable = [
        r
        for r in initiative.responsibilities.all()
        if r.organization_id in policies.editable_organization_ids(request.user)
    ]
    goal = initiative.measure.direction.goal
    return render(
        request,
        "plans/initiative_detail.html",
        {
            "plan": plan,
            "initiative": initiative,
            "goal": goal,
            "reports": reports,
            "history": history,
            "may_see_history": may_see_history,
            "editable_responsibilities": editable,
            "current_year": year,
            "nav": "plan",
            "breadcrumbs": crumbs(
                plan_crumb(plan),
                (str(goal), reverse("plans:tree") + f"#goal-{goal.number}"),
                (initiative.code, None),
            ),
        },
    )


@login_required
def department_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = get_plan()
    organizations = (
        Organization.objects.filter(
            responsibilities__initiative__plan=plan,
            responsibilities__initiative__archived_at__isnull=True,
        )
        .annotate(initiative_count=Count("responsibilities__initiative", distinct=True))
        .select_related("parent")
        .order_by("parent__sort_order", "parent__name", "sort_order", "name_kana", "name")
    )
    via = (
        Organization.objects.filter(implementations__initiative__plan=plan)
        .annotate(initiative_count=Count("implementations__initiative", distinct=True))
        .order_by("name")
    )
    return render(
        request,
        "plans/department_list.html",
        {
            "plan": plan,
            "organizations": organizations,
            "implementers": via,
            "nav": "plan",
            "breadcrumbs": crumbs(plan_crumb(plan), (_("By department"), None)),
        },
    )


@login_required
def department_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan()
    organization = get_object_or_404(Organization, pk=pk)
    initiatives = (
        Initiative.objects.filter(plan=plan, archived_at__isnull=True)
        .filter(
            Q(responsibilities__organization=organization) | Q(responsibilities__via=organization)
        )
        .distinct()
        .for_tree()
        .order_by("sort_key")
    )
    if not initiatives:
        raise Http404
    return render(
        request,
        "plans/department_detail.html",
        {
            "plan": plan,
            "organization": organization,
            "initiatives": initiatives,
            "nav": "plan",
            "breadcrumbs": crumbs(
                plan_crumb(plan),
                (_("By department"), reverse("plans:departments")),
                (organization.name, None),
            ),
        },
    )


@login_required
def guideline_matrix(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = get_plan()
    goals = list(Goal.objects.filter(plan=plan).order_by("number"))
    counts: dict[tuple[int, int], int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    for item_id, goal_number, n in (
        GuidelineItem.objects.filter(
            initiative_links__initiative__plan=plan,
            initiative_links__initiative__archived_at__isnull=True,
        )
        .values_list("pk", "initiative_links__initiative__measure__direction__goal__number")
        .annotate(n=Count("initiative_links"))
    ):
        counts[(item_id, goal_number)] += n
        totals[item_id] += n
    rows = [
        {
            "item": item,
            "cells": [counts[(item.pk, goal.number)] for goal in goals],
            "total": totals[item.pk],
        }
        for item in GuidelineItem.objects.all()
    ]
    return render(
        request,
        "plans/guideline_matrix.html",
        {
            "plan": plan,
            "goals": goals,
            "rows": rows,
            "covered": sum(1 for row in rows if row["total"]),
            "nav": "plan",
            "breadcrumbs": crumbs(plan_crumb(plan), (_("Guideline coverage"), None)),
        },
    )


@login_required
def guideline_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    plan = get_plan()
    item = get_object_or_404(GuidelineItem, code=code)
    initiatives = (
        Initiative.objects.filter(plan=plan, archived_at__isnull=True, guideline_links__item=item)
        .for_tree()
        .order_by("sort_key")
    )
    return render(
        request,
        "plans/guideline_detail.html",
        {
            "plan": plan,
            "item": item,
            "initiatives": initiatives,
            "nav": "plan",
            "breadcrumbs": crumbs(
                plan_crumb(plan),
                (_("Guideline coverage"), reverse("plans:guidelines")),
                (item.code, None),
            ),
        },
    )


@login_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The plan's initiatives searched with the Japanese search engine (textsearch).

    A number typed as written in the plan (1-1-1-1) opens straight to its result.
    """
    plan = get_plan()
    form = PlanSearchForm(request.GET or None)
    results: list[dict[str, Any]] = []
    found: SearchResult | None = None
    if form.is_valid() and form.cleaned_data["q"]:
        text = form.cleaned_data["q"]
        initiatives = Initiative.objects.filter(plan=plan, archived_at__isnull=True)
        by_code = initiatives.filter(code=unicodedata.normalize("NFKC", text).strip())
        found = textsearch.search(search_index.KIND, text, limit=SEARCH_LIMIT, restrict=initiatives)
        pks = [*by_code.values_list("pk", flat=True), *found.pks]
        by_pk = initiatives.for_tree().in_bulk(pks)
        for pk in dict.fromkeys(pks):
            initiative = by_pk[pk]
            matches = textsearch.explain(
                search_index.initiative_document(initiative), found.query, width=160
            )
            snippets = {match.name: match.snippet for match in matches}
            results.append(
                {
                    "initiative": initiative,
                    "title": snippets.get("title", initiative.title),
                    "detail": snippets.get("detail", initiative.detail),
                    "matched": [match.label for match in matches],
                }
            )
    template = (
        "plans/_search_results.html" if request.headers.get("HX-Request") else "plans/search.html"
    )
    return render(
        request,
        template,
        {
            "plan": plan,
            "form": form,
            "results": results,
            "total": max(found.total if found else 0, len(results)),
            "relaxed": found.relaxed if found else False,
            "query": form.cleaned_data.get("q", "") if form.is_valid() else "",
            "nav": "plan",
            "breadcrumbs": crumbs(plan_crumb(plan), (_("Search"), None)),
        },
    )


# -- progress management -----------------------------------------------------------------------------
@login_required
def my_progress(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Our initiatives for FY…": the user's departments' responsibilities and their reports."""
    plan = get_plan()
    year, year_form = selected_fiscal_year(request, plan)
    own = policies.reporting_organization_ids(request.user)
    responsibilities = (
        Responsibility.objects.filter(
            initiative__plan=plan, initiative__archived_at__isnull=True, organization_id__in=own
        )
        .select_related("initiative", "organization", "via")
        .order_by("organization__name", "initiative__sort_key")
    )
    reports = {
        (report.initiative_id, report.organization_id): report
        for report in ProgressReport.objects.filter(
            fiscal_year=year, organization_id__in=own, initiative__plan=plan
        )
    }
    rows: list[ProgressRow] = [
        {"responsibility": r, "report": reports.get((r.initiative_id, r.organization_id))}
        for r in responsibilities
    ]
    awaiting = (
        ProgressReport.objects.filter(
            fiscal_year=year,
            organization_id__in=policies.approvable_organization_ids(request.user),
            state=ProgressReport.State.SUBMITTED,
            initiative__plan=plan,
        )
        .select_related("initiative", "organization", "submitted_by")
        .order_by("submitted_at")
    )
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        report = row["report"]
        counts[report.state if report else "missing"] += 1
    return render(
        request,
        "plans/my_progress.html",
        {
            "plan": plan,
            "rows": rows,
            "awaiting": awaiting,
            "counts": counts,
            "fiscal_year": year,
            "fiscal_year_label": fiscal_year_label(year),
            "year_form": year_form,
            "is_plan_manager": policies.is_plan_manager(request.user, plan),
            "nav": "progress",
            "breadcrumbs": crumbs((_("Progress reports"), None)),
        },
    )


def _report_context(
    plan: Plan, initiative: Initiative, organization: Organization, year: int
) -> dict[str, Any]:
    previous = (
        ProgressReport.objects.filter(
            initiative=initiative,
            organization=organization,
            fiscal_year__lt=year,
            state=ProgressReport.State.APPROVED,
        )
        .order_by("-fiscal_year")
        .first()
    )
    return {
        "plan": plan,
        "initiative": initiative,
        "organization": organization,
        "fiscal_year": year,
        "fiscal_year_label": fiscal_year_label(year),
        "previous": previous,
    }


@login_required
def progress_edit(
    request: AuthenticatedHttpRequest, year: int, code: str, organization_id: int
) -> HttpResponse:
    plan = get_plan()
    if year not in plan.fiscal_years:
        raise Http404
    editable = policies.editable_organization_ids(request.user)
    approvable = policies.approvable_organization_ids(request.user)
    if organization_id not in editable | approvable and not policies.is_administrator_user(
        request.user
    ):
        raise Http404
    responsibility = (
        Responsibility.objects.filter(
            initiative__plan=plan,
            initiative__code=code,
            organization_id=organization_id,
            initiative__archived_at__isnull=True,
        )
        .select_related("initiative__measure__direction__goal", "organization")
        .first()
    )
    if responsibility is None:
        raise Http404
    initiative, organization = responsibility.initiative, responsibility.organization
    report = ProgressReport.objects.filter(
        initiative=initiative, organization=organization, fiscal_year=year
    ).first()
    can_edit = (organization_id in editable or policies.is_administrator_user(request.user)) and (
        report is None or report.is_editable
    )
    can_review = (
        report is not None
        and report.state in {ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED}
        and policies.can_approve_report(request.user, report)
    )
    form = ProgressReportForm(request.POST or None, instance=report)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = services.ReportData(
                **{field: form.cleaned_data[field] for field in services.REPORT_FIELDS}
            )
            submit = "submit" in request.POST
            try:
                services.save_report(
                    initiative,
                    organization,
                    year,
                    data,
                    actor=request.user,
                    submit=submit,
                    request=request,
                )  # type: ignore[arg-type]
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("The report was submitted for approval.")
                    if submit
                    else _("The draft was saved."),
                )
                return redirect(f"{reverse('plans:my_progress')}?fy={year}")
    context = _report_context(plan, initiative, organization, year)
    context.update(
        {
            "form": form,
            "report": report,
            "can_edit": can_edit,
            "can_review": can_review,
            "review_form": ReviewForm(),
            "nav": "progress",
            "breadcrumbs": crumbs(
                (_("Progress reports"), f"{reverse('plans:my_progress')}?fy={year}"),
                (f"{initiative.code} {organization.name}", None),
            ),
        }
    )
    return render(request, "plans/progress_form.html", context)


@login_required
@require_POST
def progress_review(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = policies.get_report_for_editing(request.user, report_id)
    if not policies.can_approve_report(request.user, report):
        raise Http404
    form = ReviewForm(request.POST)
    target = reverse(
        "plans:progress_edit",
        args=[report.fiscal_year, report.initiative.code, report.organization_id],
    )
    if not form.is_valid():
        messages.error(request, _("Choose approve or return."))
        return redirect(target)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve_report(
                report, actor=request.user, comment=form.cleaned_data["comment"], request=request
            )  # type: ignore[arg-type]
            messages.success(request, _("The report was approved."))
        else:
            services.return_report(
                report, actor=request.user, comment=form.cleaned_data["comment"], request=request
            )  # type: ignore[arg-type]
            messages.success(request, _("The report was returned to the department."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(target)
    return redirect(f"{reverse('plans:my_progress')}?fy={report.fiscal_year}")


@login_required
def not_reported(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = get_plan()
    year, year_form = selected_fiscal_year(request, plan)
    scope = (
        None
        if policies.is_plan_manager(request.user, plan)
        else policies.reporting_organization_ids(request.user)
    )
    rows = list(unreported(plan, year, scope))
    reports = {
        (r.initiative_id, r.organization_id): r
        for r in ProgressReport.objects.filter(fiscal_year=year, initiative__plan=plan).only(
            "initiative_id", "organization_id", "state"
        )
    }
    groups: dict[Organization, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.organization, []).append(
            {"responsibility": row, "report": reports.get((row.initiative_id, row.organization_id))}
        )
    return render(
        request,
        "plans/not_reported.html",
        {
            "plan": plan,
            "groups": groups,
            "total": len(rows),
            "fiscal_year": year,
            "fiscal_year_label": fiscal_year_label(year),
            "year_form": year_form,
            "city_wide": scope is None,
            "nav": "progress",
            "breadcrumbs": crumbs(
                (_("Progress reports"), reverse("plans:my_progress")), (_("Not yet reported"), None)
            ),
        },
    )


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = get_plan()
    year, year_form = selected_fiscal_year(request, plan)
    summary = summarise(plan, year)
    return render(
        request,
        "plans/dashboard.html",
        {
            "plan": plan,
            "summary": summary,
            "fiscal_year": year,
            "fiscal_year_label": fiscal_year_label(year),
            "year_form": year_form,
            "nav": "dashboard",
            "breadcrumbs": crumbs((_("Dashboard"), None)),
        },
    )


# -- indicators ----------------------------------------------------------------------------------------
def indicator_rows(plan: Plan) -> list[dict[str, Any]]:
    indicators = Indicator.objects.filter(plan=plan).prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.order_by("fiscal_year")),
        Prefetch("goals", queryset=Goal.objects.order_by("number")),
    )
    rows = []
    for indicator in indicators:
        values = list(indicator.values.all())
        code = trend(indicator, values)
        rows.append(
            {
                "indicator": indicator,
                "values": values,
                "latest": values[-1] if values else None,
                "trend": code,
                "trend_label": trend_label(code),
                "chart": line_chart(
                    indicator,
                    values,
                    list(
                        range(
                            min([plan.first_fiscal_year, *[v.fiscal_year for v in values]]),
                            plan.last_fiscal_year + 1,
                        )
                    ),
                ),
            }
        )
    return rows


@login_required
def indicator_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = get_plan()
    return render(
        request,
        "plans/indicator_list.html",
        {
            "plan": plan,
            "rows": indicator_rows(plan),
            "can_record": policies.is_plan_manager(request.user, plan),
            "nav": "indicators",
            "breadcrumbs": crumbs((_("Indicators"), None)),
        },
    )


@login_required
def indicator_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan()
    indicator = get_object_or_404(Indicator, plan=plan, pk=pk)
    can_record = policies.is_plan_manager(request.user, plan)
    value_form = IndicatorValueForm(indicator=indicator)
    target_form = IndicatorTargetForm(instance=indicator)
    if request.method == "POST":
        if not can_record:
            raise Http404
        if "record_value" in request.POST:
            value_form = IndicatorValueForm(request.POST, indicator=indicator)
            if value_form.is_valid():
                data = value_form.cleaned_data
                try:
                    services.record_indicator_value(
                        indicator,
                        data["fiscal_year"],
                        data["value"],
                        source=data["source"],
                        note=data["note"],
                        actor=request.user,
                        request=request,
                    )  # type: ignore[arg-type]
                except ValidationError as exc:
                    value_form.add_error("fiscal_year", exc)
                else:
                    messages.success(
                        request,
                        _("The value for %(year)s was recorded.")
                        % {"year": fiscal_year_label(data["fiscal_year"])},
                    )
                    return redirect("plans:indicator_detail", pk=indicator.pk)
        elif "update_targets" in request.POST:
            target_form = IndicatorTargetForm(request.POST, instance=indicator)
            if target_form.is_valid():
                services.update_indicator_targets(
                    Indicator.objects.get(pk=indicator.pk),
                    target_form.cleaned_data,
                    actor=request.user,
                    request=request,
                )  # type: ignore[arg-type]
                messages.success(request, _("Baseline and target were saved."))
                return redirect("plans:indicator_detail", pk=indicator.pk)
    values = list(indicator.values.order_by("fiscal_year"))
    code = trend(indicator, values)
    years = list(
        range(
            min([plan.first_fiscal_year, *[v.fiscal_year for v in values]]),
            plan.last_fiscal_year + 1,
        )
    )
    return render(
        request,
        "plans/indicator_detail.html",
        {
            "plan": plan,
            "indicator": indicator,
            "goals": indicator.goals.order_by("number"),
            "values": values,
            "trend": code,
            "trend_label": trend_label(code),
            "chart": line_chart(indicator, values, years),
            "can_record": can_record,
            "value_form": value_form,
            "target_form": target_form,
            "history": history_for(indicator)[:30] if can_record else [],
            "nav": "indicators",
            "breadcrumbs": crumbs(
                (_("Indicators"), reverse("plans:indicators")), (indicator.title, None)
            ),
        },
    )


# -- reports -----------------------------------------------------------------------------------------------
@login_required
def report_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = get_plan()
    year, year_form = selected_fiscal_year(request, plan)
    own = policies.reporting_organization_ids(request.user)
    organizations = (
        Organization.objects.filter(pk__in=own).order_by("name")
        if not policies.is_plan_manager(request.user, plan)
        else (
            Organization.objects.filter(responsibilities__initiative__plan=plan)
            .distinct()
            .order_by("sort_order", "name_kana", "name")
        )
    )
    return render(
        request,
        "plans/report_index.html",
        {
            "plan": plan,
            "fiscal_year": year,
            "fiscal_year_label": fiscal_year_label(year),
            "year_form": year_form,
            "organizations": organizations,
            "nav": "dashboard",
            "breadcrumbs": crumbs(
                (_("Dashboard"), reverse("plans:dashboard")), (_("Reports"), None)
            ),
        },
    )


@login_required
def committee_report(request: AuthenticatedHttpRequest, year: int, fmt: str) -> HttpResponse:
    from . import reports

    plan = get_plan()
    if year not in plan.fiscal_years:
        raise Http404
    return reports.committee_response(request, plan, year, fmt)


@login_required
def department_report(
    request: AuthenticatedHttpRequest, year: int, organization_id: int
) -> HttpResponse:
    from . import reports

    plan = get_plan()
    if year not in plan.fiscal_years:
        raise Http404
    allowed = policies.is_plan_manager(
        request.user, plan
    ) or organization_id in policies.reporting_organization_ids(request.user)
    organization = Organization.objects.filter(pk=organization_id).first()
    if not allowed or organization is None:
        raise Http404
    return reports.department_response(request, plan, year, organization)
