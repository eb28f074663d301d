"""The plan as data: goals → directions → measures → initiatives, and its yearly management."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagu.core.models import (
    ArchivableModel,
    ArchivableQuerySet,
    Organization,
    TimeStampedModel,
)

from .fiscal import fiscal_year_label


class Plan(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=100)
    first_fiscal_year = models.PositiveIntegerField(_("first fiscal year"))
    last_fiscal_year = models.PositiveIntegerField(_("last fiscal year"))
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("managing division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The division that runs the plan's progress management (e.g. 福祉総務課)."),
    )
    is_current = models.BooleanField(_("current plan"), default=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="plans_plan_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.name}"

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.first_fiscal_year, self.last_fiscal_year + 1))

    @property
    def period_label(self) -> str:
        return f"{fiscal_year_label(self.first_fiscal_year)}–{fiscal_year_label(self.last_fiscal_year)}"


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_goal_unique_number")
        ]

    def __str__(self) -> str:
        return f"目標{self.number} {self.title}"

    @property
    def code(self) -> str:
        return str(self.number)


class Direction(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="directions")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("policy direction")
        verbose_name_plural = _("policy directions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "number"], name="plans_direction_unique_number")
        ]

    def __str__(self) -> str:
        return f"({self.number}) {self.title}"


class Measure(models.Model):
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "number"], name="plans_measure_unique_number"
            )
        ]

    def __str__(self) -> str:
        from .importers.normalise import circled

        return f"{circled(self.number)} {self.title}"


class GuidelineItem(models.Model):
    """A national guideline item (〔⑤イ〕), with how sure we are of its text."""

    class TextStatus(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        UNVERIFIED = "unverified", _("unverified")
        UNKNOWN = "unknown", _("unknown")

    code = models.CharField(_("code"), max_length=8, unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    letter = models.CharField(_("letter"), max_length=2, blank=True)
    text = models.TextField(_("text"), blank=True)
    text_status = models.CharField(
        _("text status"), max_length=12, choices=TextStatus.choices, default=TextStatus.UNKNOWN
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("guideline item")
        verbose_name_plural = _("guideline items")
        ordering = ["number", "letter"]

    def __str__(self) -> str:
        return self.code


class InitiativeQuerySet(ArchivableQuerySet):
    def for_tree(self) -> InitiativeQuerySet:
        return self.select_related("measure__direction__goal", "repost_of").prefetch_related(
            "responsibilities__organization", "responsibilities__via", "guideline_links__item"
        )


InitiativeManager = models.Manager.from_queryset(InitiativeQuerySet)


class Initiative(ArchivableModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="initiatives")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="initiatives")
    number = models.PositiveSmallIntegerField(_("item number"))
    code = models.CharField(_("number"), max_length=20)
    sort_key = models.CharField(max_length=20, editable=False, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    detail = models.TextField(_("detail"))
    repost_of = models.ForeignKey(
        "self",
        verbose_name=_("repost of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reposts",
    )
    guideline_items: models.ManyToManyField[GuidelineItem, InitiativeGuideline] = (
        models.ManyToManyField(
            GuidelineItem, through="InitiativeGuideline", related_name="initiatives"
        )
    )

    objects: ClassVar[InitiativeManager] = InitiativeManager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plans_initiative_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.sort_key = initiative_sort_key(self.code)
        super().save(*args, **kwargs)

    @property
    def guideline_codes(self) -> list[str]:
        return [link.item.code for link in self.guideline_links.all()]


def initiative_sort_key(code: str) -> str:
    """``4-1-2-10`` → ``04-01-02-010`` so that text order is plan order."""
    parts = [int(part) for part in code.split("-")]
    return "-".join(
        f"{part:03d}" if index == 3 else f"{part:02d}" for index, part in enumerate(parts)
    )


class InitiativeGuideline(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="guideline_links"
    )
    item = models.ForeignKey(
        GuidelineItem, on_delete=models.PROTECT, related_name="initiative_links"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "item"], name="plans_guideline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} 〔{self.item_id}〕"


class Responsibility(models.Model):
    """A department responsible for an initiative, possibly implemented via another body."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="responsibilities"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    via = models.ForeignKey(
        Organization,
        verbose_name=_("implemented via"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementations",
    )
    written_as = models.CharField(
        _("written in the source as"),
        max_length=200,
        blank=True,
        help_text=_("The source's spelling when it was an alias of the department."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.organization}（{self.via}）" if self.via_id else str(self.organization)


class Indicator(TimeStampedModel):
    """An outcome indicator (成果指標), possibly shared by several goals."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    goals: models.ManyToManyField[Goal, GoalIndicator] = models.ManyToManyField(
        Goal, through="GoalIndicator", related_name="indicators", verbose_name=_("goals")
    )
    title = models.CharField(_("title"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveIntegerField(_("baseline fiscal year"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveIntegerField(_("target fiscal year"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("outcome indicator")
        verbose_name_plural = _("outcome indicators")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="plans_indicator_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class GoalIndicator(models.Model):
    """An indicator listed under a goal, in the goal's own order."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="goal_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "indicator"], name="plans_goalindicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.indicator_id}"


class IndicatorValue(TimeStampedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"], name="plans_indicatorvalue_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {fiscal_year_label(self.fiscal_year)}: {self.value}"


class ProgressReport(TimeStampedModel):
    """One department's yearly report on one initiative (進行管理)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started (未着手)")
        IN_PROGRESS = "in_progress", _("In progress (実施中)")
        COMPLETED = "completed", _("Completed (完了)")
        UNDER_REVIEW = "under_review", _("Under review (見直し)")

    class Evaluation(models.TextChoices):
        A = "A", _("A — achieved as planned")
        B = "B", _("B — mostly achieved")
        C = "C", _("C — partly achieved")
        D = "D", _("D — not achieved")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="progress_reports"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, blank=True)
    evaluation = models.CharField(
        _("self-evaluation"), max_length=1, choices=Evaluation.choices, blank=True
    )
    achievements = models.TextField(_("what was done"), blank=True)
    issues = models.TextField(_("issues"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("manager's comment"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["fiscal_year", "initiative__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organization", "fiscal_year"], name="plans_progress_unique"
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "organization", "state"])]

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)} {self.initiative.code} {self.organization}"

    @property
    def is_editable(self) -> bool:
        return self.state in {self.State.DRAFT, self.State.RETURNED}

    @property
    def is_reported(self) -> bool:
        return self.state in {self.State.SUBMITTED, self.State.APPROVED}
