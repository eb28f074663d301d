"""Writes of the plan module: progress reports and indicator values, each audited."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.models import Organization, User
from tsunagu.core.services import field_changes, log_action

from .models import Indicator, IndicatorValue, Initiative, Plan, ProgressReport, Responsibility

REPORT_FIELDS = ("status", "evaluation", "achievements", "issues", "next_steps")


def current_plan() -> Plan | None:
    return (
        Plan.objects.filter(is_current=True)
        .select_related("owner")
        .order_by("-last_fiscal_year", "-pk")
        .first()
    )


def _snapshot(report: ProgressReport) -> dict[str, Any]:
    return {field: getattr(report, field) for field in REPORT_FIELDS}


@dataclass
class ReportData:
    status: str
    evaluation: str
    achievements: str
    issues: str
    next_steps: str


def save_report(
    initiative: Initiative,
    organization: Organization,
    fiscal_year: int,
    data: ReportData,
    *,
    actor: User,
    submit: bool = False,
    request: HttpRequest | None = None,
) -> ProgressReport:
    """Create or update a department's report; submitting sends it to the manager."""
    if not Responsibility.objects.filter(initiative=initiative, organization=organization).exists():
        raise ValidationError(_("This department is not responsible for this initiative."))
    with transaction.atomic():
        report, created = ProgressReport.objects.select_for_update().get_or_create(
            initiative=initiative,
            organization=organization,
            fiscal_year=fiscal_year,
            defaults={"created_by": actor},
        )
        if not report.is_editable:
            raise ValidationError(
                _("This report is %(state)s and can no longer be edited.")
                % {"state": report.get_state_display()}
            )
        before = {} if created else _snapshot(report)
        for field in REPORT_FIELDS:
            setattr(report, field, getattr(data, field))
        if submit:
            missing = [
                # get_field() may also return relations; these are plain model fields.
                str(cast(models.Field, ProgressReport._meta.get_field(field)).verbose_name)
                for field in ("status", "evaluation", "achievements")
                if not getattr(report, field)
            ]
            if missing:
                raise ValidationError(
                    _("Fill in %(fields)s before submitting.") % {"fields": "、".join(missing)}
                )
            report.state = ProgressReport.State.SUBMITTED
            report.submitted_at = timezone.now()
            report.submitted_by = actor
        report.updated_by = actor
        report.save()
        changes = field_changes(before, _snapshot(report))
        if changes or created:
            log_action(
                "plans.progress.saved",
                actor=actor,
                obj=report,
                data={"changes": changes, "fiscal_year": fiscal_year},
                request=request,
            )
        if submit:
            log_action(
                "plans.progress.submitted",
                actor=actor,
                obj=report,
                data={"fiscal_year": fiscal_year},
                request=request,
            )
    return report


def approve_report(
    report: ProgressReport, *, actor: User, comment: str = "", request: HttpRequest | None = None
) -> ProgressReport:
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.state != ProgressReport.State.SUBMITTED:
            raise ValidationError(_("Only a report awaiting approval can be approved."))
        if report.submitted_by_id == actor.pk and not actor.is_superuser:
            # Four eyes: the person who submitted does not approve her own report.
            raise PermissionDenied(_("You submitted this report; another manager must approve it."))
        report.state = ProgressReport.State.APPROVED
        report.approved_at = timezone.now()
        report.approved_by = actor
        report.review_comment = comment
        report.updated_by = actor
        report.save()
        log_action(
            "plans.progress.approved",
            actor=actor,
            obj=report,
            data={"comment": comment},
            request=request,
        )
    return report


def return_report(
    report: ProgressReport, *, actor: User, comment: str, request: HttpRequest | None = None
) -> ProgressReport:
    if not comment.strip():
        raise ValidationError(_("Say what should be changed when returning a report."))
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.state not in {ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED}:
            raise ValidationError(_("Only a submitted or approved report can be returned."))
        previous = report.state
        report.state = ProgressReport.State.RETURNED
        report.review_comment = comment
        report.approved_at = None
        report.approved_by = None
        report.updated_by = actor
        report.save()
        log_action(
            "plans.progress.returned",
            actor=actor,
            obj=report,
            data={"comment": comment, "from": previous},
            request=request,
        )
    return report


def record_indicator_value(
    indicator: Indicator,
    fiscal_year: int,
    value: Decimal,
    *,
    source: str,
    note: str,
    actor: User,
    request: HttpRequest | None = None,
) -> IndicatorValue:
    plan = indicator.plan
    if not plan.first_fiscal_year - 10 <= fiscal_year <= plan.last_fiscal_year + 5:
        raise ValidationError(_("The fiscal year is outside the plan's period."))
    with transaction.atomic():
        existing = (
            IndicatorValue.objects.select_for_update()
            .filter(indicator=indicator, fiscal_year=fiscal_year)
            .first()
        )
        before = (
            {"value": str(existing.value), "source": existing.source, "note": existing.note}
            if existing
            else {}
        )
        row = existing or IndicatorValue(
            indicator=indicator, fiscal_year=fiscal_year, created_by=actor
        )
        row.value, row.source, row.note, row.updated_by = value, source, note, actor
        row.save()
        log_action(
            "plans.indicator_value.recorded",
            actor=actor,
            obj=indicator,
            data={
                "fiscal_year": fiscal_year,
                "changes": field_changes(
                    before, {"value": str(value), "source": source, "note": note}
                ),
            },
            request=request,
        )
    return row


def update_indicator_targets(
    indicator: Indicator, data: dict[str, Any], *, actor: User, request: HttpRequest | None = None
) -> Indicator:
    keys = (
        "unit",
        "higher_is_better",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_year",
    )
    before = {key: str(getattr(indicator, key)) for key in keys}
    with transaction.atomic():
        for key in keys:
            setattr(indicator, key, data[key])
        indicator.updated_by = actor
        indicator.save()
        log_action(
            "plans.indicator.updated",
            actor=actor,
            obj=indicator,
            data={
                "changes": field_changes(
                    before, {key: str(getattr(indicator, key)) for key in keys}
                )
            },
            request=request,
        )
    return indicator
