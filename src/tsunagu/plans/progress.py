"""Progress figures for dashboards and reports, in a fixed number of queries.

"Expected" reports are the plan's responsibilities (initiative × department) of
active initiatives; a report counts as reported once submitted or approved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, QuerySet

from tsunagu.core.models import Organization

from .models import Goal, Plan, ProgressReport, Responsibility

if TYPE_CHECKING:
    # Choice labels are lazy translations; the alias exists only in django-stubs.
    from django_stubs_ext import StrOrPromise

REPORTED = (ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED)


@dataclass
class Tally:
    expected: int = 0
    approved: int = 0
    submitted: int = 0
    draft: int = 0
    returned: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    evaluations: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def reported(self) -> int:
        return self.approved + self.submitted

    @property
    def missing(self) -> int:
        return max(self.expected - self.reported, 0)

    def percent(self, count: int) -> int:
        return round(100 * count / self.expected) if self.expected else 0

    @property
    def reported_percent(self) -> int:
        return self.percent(self.reported)

    @property
    def approved_percent(self) -> int:
        return self.percent(self.approved)

    @property
    def submitted_percent(self) -> int:
        return self.percent(self.submitted)

    @property
    def completed_percent(self) -> int:
        return self.percent(self.statuses.get(ProgressReport.Status.COMPLETED, 0))

    def status_rows(self) -> list[tuple[str, StrOrPromise, int]]:
        return [
            (value, label, self.statuses.get(value, 0))
            for value, label in ProgressReport.Status.choices
        ]

    def evaluation_rows(self) -> list[tuple[str, StrOrPromise, int]]:
        return [
            (value, label, self.evaluations.get(value, 0))
            for value, label in ProgressReport.Evaluation.choices
        ]


def active_responsibilities(plan: Plan) -> QuerySet[Responsibility]:
    return Responsibility.objects.filter(
        initiative__plan=plan, initiative__archived_at__isnull=True
    )


@dataclass
class Summary:
    total: Tally
    by_goal: list[tuple[Goal, Tally]]
    by_organization: list[tuple[Organization, Tally]]


def summarise(plan: Plan, fiscal_year: int) -> Summary:
    """Totals by goal and by department: four queries whatever the plan's size."""
    goal_key = "initiative__measure__direction__goal_id"
    total = Tally()
    goals: dict[int, Tally] = defaultdict(Tally)
    organizations: dict[int, Tally] = defaultdict(Tally)
    for row in (
        active_responsibilities(plan).values(goal_key, "organization_id").annotate(n=Count("pk"))
    ):
        goals[row[goal_key]].expected += row["n"]
        organizations[row["organization_id"]].expected += row["n"]
        total.expected += row["n"]
    reports = (
        ProgressReport.objects.filter(
            initiative__plan=plan, initiative__archived_at__isnull=True, fiscal_year=fiscal_year
        )
        .values(goal_key, "organization_id", "state", "status", "evaluation")
        .annotate(n=Count("pk"))
    )
    for row in reports:
        for tally in (total, goals[row[goal_key]], organizations[row["organization_id"]]):
            setattr(tally, row["state"], getattr(tally, row["state"]) + row["n"])
            if row["state"] in REPORTED:
                if row["status"]:
                    tally.statuses[row["status"]] += row["n"]
                if row["evaluation"]:
                    tally.evaluations[row["evaluation"]] += row["n"]
    goal_objects = Goal.objects.filter(plan=plan).order_by("number")
    organization_objects = Organization.objects.filter(pk__in=organizations.keys()).order_by(
        "sort_order", "name_kana", "name"
    )
    return Summary(
        total=total,
        by_goal=[(goal, goals[goal.pk]) for goal in goal_objects],
        by_organization=[
            (organization, organizations[organization.pk]) for organization in organization_objects
        ],
    )


def unreported(
    plan: Plan, fiscal_year: int, organization_ids: set[int] | None = None
) -> QuerySet[Responsibility]:
    """Responsibilities with no submitted or approved report for the year."""
    reported = ProgressReport.objects.filter(
        initiative=OuterRef("initiative"),
        organization=OuterRef("organization"),
        fiscal_year=fiscal_year,
        state__in=REPORTED,
    )
    rows = active_responsibilities(plan).filter(~Exists(reported))
    if organization_ids is not None:
        rows = rows.filter(organization_id__in=organization_ids)
    return rows.select_related("initiative", "organization", "via").order_by(
        "organization__sort_order",
        "organization__name_kana",
        "organization__name",
        "initiative__sort_key",
    )
