from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator, IndicatorValue, ProgressReport


class FiscalYearForm(forms.Form):
    """The fiscal year filter shared by progress pages, dashboard and reports."""

    fy = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False)

    def __init__(self, *args: Any, years: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["fy"]).choices = years


class ProgressReportForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ["status", "evaluation", "achievements", "issues", "next_steps"]
        widgets = {
            "status": forms.RadioSelect,
            "evaluation": forms.RadioSelect,
            "achievements": forms.Textarea(attrs={"rows": 5}),
            "issues": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "achievements": _(
                "What the department did this fiscal year, with numbers where there are any."
            ),
            "evaluation": _("A: as planned, B: mostly, C: partly, D: not achieved."),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Model fields with choices become (typed) choice fields.
        cast(forms.ChoiceField, self.fields["status"]).choices = ProgressReport.Status.choices
        cast(
            forms.ChoiceField, self.fields["evaluation"]
        ).choices = ProgressReport.Evaluation.choices
        self.fields["status"].required = False
        self.fields["evaluation"].required = False


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("return", _("Return for changes"))]
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IndicatorValueForm(forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["fiscal_year", "value", "source", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"source": _("Where the figure comes from, e.g. 市民意識調査 2025.")}

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any):
        super().__init__(*args, **kwargs)
        plan = indicator.plan
        self.fields["fiscal_year"] = forms.TypedChoiceField(
            label=_("Fiscal year"),
            coerce=int,
            choices=[
                (year, str(year))
                for year in range(plan.first_fiscal_year - 1, plan.last_fiscal_year + 1)
            ],
        )
        self.fields["source"].required = True


class IndicatorTargetForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "unit",
            "higher_is_better",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        baseline, target = data.get("baseline_year"), data.get("target_year")
        if baseline and target and baseline >= target:
            self.add_error("target_year", _("The target year must come after the baseline year."))
        return data


class PlanSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the plan"), required=False, max_length=200)
