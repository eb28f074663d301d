"""Write a :class:`PlanDocument` into the database and read one back out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tsunagu.core.models import Organization, OrganizationAlias, User
from tsunagu.core.services import log_action
from tsunagu.textsearch.index import deferred_indexing

from .importers.document import (
    DirectionDoc,
    GoalDoc,
    IndicatorDoc,
    InitiativeDoc,
    MeasureDoc,
    Notice,
    PlanDocument,
    PlanFormatError,
    ResponsibilityDoc,
)
from .importers.normalise import similar_names
from .models import (
    Direction,
    Goal,
    GoalIndicator,
    GuidelineItem,
    Indicator,
    Initiative,
    InitiativeGuideline,
    Measure,
    Plan,
    Responsibility,
)


@dataclass
class LoadReport:
    plan: Plan | None = None
    created: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    new_organizations: list[str] = field(default_factory=list)
    archived_initiatives: list[str] = field(default_factory=list)
    dry_run: bool = False


class _DryRun(Exception):
    pass


def guess_organization_kind(name: str) -> str:
    if "社会福祉協議会" in name or name.endswith("社協"):
        return Organization.Kind.COUNCIL
    if "地域包括支援センター" in name:
        return Organization.Kind.CARE_CENTRE
    if name.endswith(("課", "室", "署", "館", "局", "センター")) and "NPO" not in name:
        return Organization.Kind.CITY_DIVISION
    return Organization.Kind.PUBLIC_AGENCY


class _OrganizationResolver:
    """Finds organisations by name or alias, creating the unknown ones and saying so."""

    def __init__(self, report: LoadReport):
        self.report = report
        self.by_name = {org.name: org for org in Organization.objects.all()}
        self.aliases = {
            alias.alias: alias.organization
            for alias in OrganizationAlias.objects.select_related("organization")
        }
        self.reported_aliases: set[str] = set()

    def resolve(self, name: str, line: int | None, code: str) -> tuple[Organization, str]:
        """The organisation for ``name`` and, if it was an alias, the spelling used."""
        if name in self.by_name:
            return self.by_name[name], ""
        if name in self.aliases:
            organization = self.aliases[name]
            if name not in self.reported_aliases:
                self.reported_aliases.add(name)
                self.report.notices.append(
                    Notice(
                        "alias",
                        f"{code}: {name} is an alias of {organization.name}; merged (alias table)",
                        line,
                    )
                )
            return organization, name
        for existing in list(self.by_name):
            if similar_names(name, existing):
                self.report.notices.append(
                    Notice(
                        "warning",
                        f"{code}: {name} looks like another spelling of {existing}; kept as a separate "
                        f"organisation. If they are the same, add {name} to the alias table and import again",
                        line,
                    )
                )
        kind = guess_organization_kind(name)
        organization = Organization.objects.create(name=name, kind=kind)
        self.by_name[name] = organization
        self.report.new_organizations.append(name)
        self.report.notices.append(
            Notice(
                "organisation", f"new organisation {name} ({Organization.Kind(kind).label})", line
            )
        )
        return organization, ""


def load_plan(
    document: PlanDocument,
    *,
    actor: User | None = None,
    dry_run: bool = False,
    owner: Organization | None = None,
) -> LoadReport:
    """Create or update the plan named by ``document``; all or nothing.

    Initiatives that the new document no longer holds are archived, not deleted,
    because progress reports point at them.
    """
    report = LoadReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            # Each initiative is indexed once, after its departments are in place.
            with deferred_indexing():
                _load(document, report, actor, owner)
            if dry_run:
                raise _DryRun
    except _DryRun:
        report.plan = None
    return report


def _load(
    document: PlanDocument, report: LoadReport, actor: User | None, owner: Organization | None
) -> None:
    guideline_items = {item.code: item for item in GuidelineItem.objects.all()}
    errors = [
        Notice(
            "error",
            f"{initiative.code}: unknown guideline code {code}; add it to the guideline table first",
            initiative.line,
        )
        for initiative in document.initiatives()
        for code in initiative.guideline_codes
        if code not in guideline_items
    ]
    if errors:
        raise PlanFormatError(errors)

    plan, created = Plan.objects.get_or_create(
        municipality=document.municipality,
        name=document.name,
        defaults={
            "first_fiscal_year": document.fiscal_years[0],
            "last_fiscal_year": document.fiscal_years[1],
            "created_by": actor,
            "updated_by": actor,
        },
    )
    plan.first_fiscal_year, plan.last_fiscal_year = document.fiscal_years
    if owner is not None:
        plan.owner = owner
    plan.updated_by = actor
    plan.save()
    report.plan, report.created = plan, created
    resolver = _OrganizationResolver(report)

    existing_initiatives = {i.code: i for i in Initiative.objects.filter(plan=plan)}
    seen_codes: set[str] = set()
    reposts: list[tuple[Initiative, str]] = []
    goal_ids, direction_ids, measure_ids = [], [], []
    for goal_doc in document.goals:
        goal, _ = Goal.objects.update_or_create(
            plan=plan, number=goal_doc.number, defaults={"title": goal_doc.title}
        )
        goal_ids.append(goal.pk)
        for direction_doc in goal_doc.directions:
            direction, _ = Direction.objects.update_or_create(
                goal=goal, number=direction_doc.number, defaults={"title": direction_doc.title}
            )
            direction_ids.append(direction.pk)
            for measure_doc in direction_doc.measures:
                measure, _ = Measure.objects.update_or_create(
                    direction=direction,
                    number=measure_doc.number,
                    defaults={"title": measure_doc.title},
                )
                measure_ids.append(measure.pk)
                for initiative_doc in measure_doc.initiatives:
                    initiative = _save_initiative(
                        plan,
                        measure,
                        initiative_doc,
                        existing_initiatives,
                        guideline_items,
                        resolver,
                        actor,
                    )
                    seen_codes.add(initiative.code)
                    if initiative_doc.repost_of:
                        reposts.append((initiative, initiative_doc.repost_of))
    by_code = {i.code: i for i in Initiative.objects.filter(plan=plan, code__in=seen_codes)}
    for initiative, target in reposts:
        Initiative.objects.filter(pk=initiative.pk).update(repost_of=by_code[target])
    Initiative.objects.filter(plan=plan, code__in=seen_codes).exclude(
        pk__in=[i.pk for i, _ in reposts]
    ).update(repost_of=None)

    gone = [
        i
        for code, i in existing_initiatives.items()
        if code not in seen_codes and i.archived_at is None
    ]
    for initiative in gone:
        initiative.archived_at = timezone.now()
        initiative.archived_by = actor
        initiative.archive_reason = "not in the imported plan"
        initiative.save()
        report.archived_initiatives.append(initiative.code)
    # Structure the new document no longer has: measures etc. without any initiative left.
    Measure.objects.filter(direction__goal__plan=plan).exclude(pk__in=measure_ids).filter(
        initiatives__isnull=True
    ).delete()
    Direction.objects.filter(goal__plan=plan).exclude(pk__in=direction_ids).filter(
        measures__isnull=True
    ).delete()
    Goal.objects.filter(plan=plan).exclude(pk__in=goal_ids).filter(directions__isnull=True).delete()

    _save_indicators(plan, document, actor)
    report.counts = document.counts()
    log_action(
        "plans.plan.imported",
        actor=actor,
        obj=plan,
        data={
            "counts": report.counts,
            "created": created,
            "new_organizations": report.new_organizations,
            "archived": report.archived_initiatives,
        },
    )


def _save_initiative(
    plan: Plan,
    measure: Measure,
    doc: InitiativeDoc,
    existing: dict[str, Initiative],
    guideline_items: dict[str, GuidelineItem],
    resolver: _OrganizationResolver,
    actor: User | None,
) -> Initiative:
    initiative = existing.get(doc.code) or Initiative(plan=plan, code=doc.code, created_by=actor)
    initiative.measure = measure
    initiative.number = doc.numbers[3]
    initiative.title = doc.title
    initiative.detail = doc.detail
    initiative.archived_at = None
    initiative.archive_reason = ""
    initiative.updated_by = actor
    initiative.save()
    InitiativeGuideline.objects.filter(initiative=initiative).delete()
    InitiativeGuideline.objects.bulk_create(
        InitiativeGuideline(initiative=initiative, item=guideline_items[code], position=position)
        for position, code in enumerate(doc.guideline_codes)
    )
    Responsibility.objects.filter(initiative=initiative).delete()
    rows = []
    for position, responsibility in enumerate(doc.responsibilities):
        organization, written_as = resolver.resolve(responsibility.organization, doc.line, doc.code)
        via = (
            resolver.resolve(responsibility.via, doc.line, doc.code)[0]
            if responsibility.via
            else None
        )
        rows.append(
            Responsibility(
                initiative=initiative,
                organization=organization,
                via=via,
                written_as=responsibility.written_as or written_as,
                position=position,
            )
        )
    Responsibility.objects.bulk_create(rows)
    return initiative


def _save_indicators(plan: Plan, document: PlanDocument, actor: User | None) -> None:
    merged: dict[str, tuple[IndicatorDoc, list[tuple[int, int]]]] = {}
    for goal in document.goals:
        for position, indicator_doc in enumerate(goal.indicators):
            if indicator_doc.title in merged:
                merged[indicator_doc.title][1].append((goal.number, position))
            else:
                merged[indicator_doc.title] = (indicator_doc, [(goal.number, position)])
    goals = {goal.number: goal for goal in Goal.objects.filter(plan=plan)}
    for position, (title, (doc, goal_numbers)) in enumerate(merged.items()):
        indicator, _ = Indicator.objects.get_or_create(
            plan=plan, title=title, defaults={"created_by": actor}
        )
        indicator.position = position
        indicator.unit = doc.unit
        indicator.higher_is_better = doc.higher_is_better
        # Values set in the application are kept when the file does not give them.
        for key in ("baseline_value", "baseline_year", "target_value", "target_year"):
            if getattr(doc, key) is not None:
                setattr(indicator, key, getattr(doc, key))
        indicator.updated_by = actor
        indicator.save()
        GoalIndicator.objects.filter(indicator=indicator).delete()
        GoalIndicator.objects.bulk_create(
            GoalIndicator(goal=goals[number], indicator=indicator, position=goal_position)
            for number, goal_position in goal_numbers
        )


def plan_to_document(plan: Plan) -> PlanDocument:
    """The plan as a document, in plan order, with five queries whatever its size."""
    document = PlanDocument(
        plan.name, plan.municipality, (plan.first_fiscal_year, plan.last_fiscal_year)
    )
    initiatives_by_measure: dict[int, list[Initiative]] = defaultdict(list)
    for initiative in (
        Initiative.objects.filter(plan=plan, archived_at__isnull=True)
        .select_related("repost_of")
        .prefetch_related(
            "guideline_links__item", "responsibilities__organization", "responsibilities__via"
        )
    ):
        initiatives_by_measure[initiative.measure_id].append(initiative)
    indicators_by_goal: dict[int, list[Indicator]] = defaultdict(list)
    for link in (
        GoalIndicator.objects.filter(goal__plan=plan)
        .select_related("indicator")
        .order_by("goal_id", "position")
    ):
        indicators_by_goal[link.goal_id].append(link.indicator)

    measures = (
        Measure.objects.filter(direction__goal__plan=plan)
        .select_related("direction__goal")
        .order_by("direction__goal__number", "direction__number", "number")
    )
    goals: dict[int, GoalDoc] = {}
    directions: dict[int, DirectionDoc] = {}
    for measure in measures:
        if not initiatives_by_measure[measure.pk]:
            continue  # every initiative of it was archived by a later import
        direction, goal = measure.direction, measure.direction.goal
        if goal.pk not in goals:
            goals[goal.pk] = GoalDoc(
                goal.number,
                goal.title,
                indicators=[
                    IndicatorDoc(
                        title=i.title,
                        unit=i.unit,
                        higher_is_better=i.higher_is_better,
                        baseline_value=i.baseline_value,
                        baseline_year=i.baseline_year,
                        target_value=i.target_value,
                        target_year=i.target_year,
                    )
                    for i in indicators_by_goal[goal.pk]
                ],
            )
            document.goals.append(goals[goal.pk])
        if direction.pk not in directions:
            directions[direction.pk] = DirectionDoc(direction.number, direction.title)
            goals[goal.pk].directions.append(directions[direction.pk])
        measure_doc = MeasureDoc(measure.number, measure.title)
        directions[direction.pk].measures.append(measure_doc)
        for initiative in sorted(initiatives_by_measure[measure.pk], key=lambda i: i.sort_key):
            measure_doc.initiatives.append(
                InitiativeDoc(
                    code=initiative.code,
                    title=initiative.title,
                    detail=initiative.detail,
                    guideline_codes=[link.item.code for link in initiative.guideline_links.all()],
                    responsibilities=[
                        ResponsibilityDoc(
                            organization=r.organization.name,
                            via=r.via.name if r.via else None,
                            written_as=r.written_as or None,
                        )
                        for r in initiative.responsibilities.all()
                    ],
                    repost_of=initiative.repost_of.code if initiative.repost_of else None,
                )
            )
    return document
