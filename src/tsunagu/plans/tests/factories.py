"""factory_boy factories for the plan: goal → direction → measure → initiative, and its management.

A bare ``InitiativeFactory()`` builds the whole chain above it with consistent
numbers (its code is ``goal-direction-measure-item``) and one responsible
department; ``InitiativeFactory(departments=["障害福祉課", org])`` names them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
from factory.django import DjangoModelFactory

from tsunagu.core.models import Organization
from tsunagu.core.tests.factories import OrganizationFactory, UserFactory
from tsunagu.plans.models import (
    Direction,
    Goal,
    GoalIndicator,
    Indicator,
    Initiative,
    Measure,
    Plan,
    ProgressReport,
    Responsibility,
)


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"テスト地域福祉計画{n}")
    municipality = "鎌倉市"
    first_fiscal_year = 2020
    last_fiscal_year = 2025
    is_current = True


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"目標{n + 1}の名称")


class DirectionFactory(DjangoModelFactory):
    class Meta:
        model = Direction

    goal = factory.SubFactory(GoalFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"施策の方向性{n + 1}")


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    direction = factory.SubFactory(DirectionFactory)
    number = factory.Sequence(lambda n: n % 20 + 1)  # shown as ①…⑳
    title = factory.Sequence(lambda n: f"具体的な取組{n + 1}")


def _organization(department: Organization | str) -> Organization:
    if isinstance(department, Organization):
        return department
    return OrganizationFactory(name=department)


class InitiativeFactory(DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    measure = factory.SubFactory(MeasureFactory)
    plan = factory.LazyAttribute(lambda i: i.measure.direction.goal.plan)
    number = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(
        lambda i: (
            f"{i.measure.direction.goal.number}-{i.measure.direction.number}-{i.measure.number}-{i.number}"
        )
    )
    title = factory.Sequence(lambda n: f"取組{n + 1}")
    detail = "取組内容の詳細です。"

    @factory.post_generation
    def departments(
        obj: Initiative,
        create: bool,
        extracted: Iterable[Organization | str] | None,
        **kwargs: Any,
    ) -> None:
        """The responsible departments, in order; one new division when none are given."""
        if not create:
            return
        departments = list(extracted) if extracted is not None else [OrganizationFactory()]
        for position, department in enumerate(departments):
            Responsibility.objects.create(
                initiative=obj, organization=_organization(department), position=position
            )


class ProgressReportFactory(DjangoModelFactory):
    """A draft report by the initiative's first responsible department."""

    class Meta:
        model = ProgressReport

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.LazyAttribute(
        lambda r: r.initiative.responsibilities.order_by("position").first().organization
    )
    fiscal_year = 2024
    status = ProgressReport.Status.IN_PROGRESS
    evaluation = ProgressReport.Evaluation.B
    achievements = "計画どおり実施しました。"
    state = ProgressReport.State.DRAFT
    created_by = factory.SubFactory(UserFactory)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"成果指標{n + 1}")
    unit = "%"
    higher_is_better = True

    @factory.post_generation
    def goals(
        obj: Indicator, create: bool, extracted: Iterable[Goal] | None, **kwargs: Any
    ) -> None:
        """The goals that list this indicator, each at the end of its own list."""
        if not create or not extracted:
            return
        for goal in extracted:
            GoalIndicator.objects.create(
                goal=goal, indicator=obj, position=goal.indicator_links.count()
            )
