"""Human labels for the plan module's audit action codes, shown as history."""

from __future__ import annotations

from django.utils.translation import gettext as _


def label_for(action: str) -> str:
    labels = {
        "plans.progress.saved": _("Report saved"),
        "plans.progress.submitted": _("Submitted for approval"),
        "plans.progress.approved": _("Approved"),
        "plans.progress.returned": _("Returned for changes"),
        "plans.indicator_value.recorded": _("Value recorded"),
        "plans.indicator.updated": _("Baseline or target changed"),
        "plans.plan.imported": _("Plan imported"),
    }
    return labels.get(action, action)
