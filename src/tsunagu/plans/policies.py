"""Who may see and do what in the plan module.

- Any signed-in staff member reads the plan, approved progress and indicators.
- A plan officer edits the progress reports of the organisations she belongs to.
- A department manager approves or returns the reports of her organisations.
- Plan officers of the plan's managing division (and administrators) see every
  report, record indicator values and see the not-yet-reported lists city-wide.
Lookups outside scope raise Http404, so ids cannot be probed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from tsunagu.core.models import Membership
from tsunagu.core.policies import AnyUser, is_administrator, organization_ids_for

from .models import Plan, ProgressReport

Role = Membership.Role


def is_plan_manager(user: AnyUser, plan: Plan) -> bool:
    """Runs the plan: an administrator or a plan officer of the plan's managing division."""
    if is_administrator(user):
        return True
    return plan.owner_id is not None and plan.owner_id in organization_ids_for(
        user, Role.PLAN_OFFICER
    )


def editable_organization_ids(user: AnyUser) -> set[int]:
    return organization_ids_for(user, Role.PLAN_OFFICER)


def approvable_organization_ids(user: AnyUser) -> set[int]:
    return organization_ids_for(user, Role.MANAGER)


def reporting_organization_ids(user: AnyUser) -> set[int]:
    """Organisations whose reports the user works on, as officer or manager."""
    return organization_ids_for(user, Role.PLAN_OFFICER, Role.MANAGER)


def visible_reports(user: AnyUser, plan: Plan) -> QuerySet[ProgressReport]:
    """Reports the user may read in full: approved ones, plus drafts of her own organisations."""
    reports = ProgressReport.objects.filter(initiative__plan=plan)
    if is_plan_manager(user, plan):
        return reports
    own = reporting_organization_ids(user)
    from django.db.models import Q

    return reports.filter(Q(state=ProgressReport.State.APPROVED) | Q(organization_id__in=own))


def can_edit_report(user: AnyUser, report: ProgressReport) -> bool:
    return report.organization_id in editable_organization_ids(user) or is_administrator(user)


def can_approve_report(user: AnyUser, report: ProgressReport) -> bool:
    return report.organization_id in approvable_organization_ids(user) or is_administrator(user)


def get_report_for_editing(user: AnyUser, report_id: int) -> ProgressReport:
    """A report the user may edit, or 404 (also for other departments' reports)."""
    report = (
        ProgressReport.objects.select_related(
            "initiative__measure__direction__goal", "organization", "initiative__plan"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None or not (can_edit_report(user, report) or can_approve_report(user, report)):
        raise Http404
    return report


def require_plan_manager(user: AnyUser, plan: Plan) -> None:
    if not is_plan_manager(user, plan):
        raise Http404


def is_administrator_user(user: AnyUser) -> bool:
    return is_administrator(user)
