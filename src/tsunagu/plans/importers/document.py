"""The plan as plain data, independent of the database and of the file format.

Every reader (chapter text, JSON/YAML export, Excel template) produces a
:class:`PlanDocument`; the loader writes one into the database and the exporter
reads one back out. Keeping one shape is what makes export → import → export
byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class ResponsibilityDoc:
    organization: str
    via: str | None = None
    # The spelling in the source when an alias was merged into ``organization``.
    written_as: str | None = None


@dataclass
class InitiativeDoc:
    code: str
    title: str
    detail: str
    guideline_codes: list[str]
    responsibilities: list[ResponsibilityDoc]
    repost_of: str | None = None
    line: int | None = field(default=None, compare=False)

    @property
    def numbers(self) -> tuple[int, int, int, int]:
        goal, direction, measure, item = (int(part) for part in self.code.split("-"))
        return goal, direction, measure, item


@dataclass
class MeasureDoc:
    number: int
    title: str
    initiatives: list[InitiativeDoc] = field(default_factory=list)


@dataclass
class DirectionDoc:
    number: int
    title: str
    measures: list[MeasureDoc] = field(default_factory=list)


@dataclass
class IndicatorDoc:
    title: str
    unit: str = ""
    higher_is_better: bool = True
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    target_value: Decimal | None = None
    target_year: int | None = None


@dataclass
class GoalDoc:
    number: int
    title: str
    directions: list[DirectionDoc] = field(default_factory=list)
    indicators: list[IndicatorDoc] = field(default_factory=list)


@dataclass
class PlanDocument:
    name: str
    municipality: str
    fiscal_years: tuple[int, int]
    goals: list[GoalDoc] = field(default_factory=list)

    def initiatives(self) -> list[InitiativeDoc]:
        return [
            initiative
            for goal in self.goals
            for direction in goal.directions
            for measure in direction.measures
            for initiative in measure.initiatives
        ]

    def counts(self) -> dict[str, int]:
        directions = [d for g in self.goals for d in g.directions]
        measures = [m for d in directions for m in d.measures]
        return {
            "goals": len(self.goals),
            "directions": len(directions),
            "measures": len(measures),
            "initiatives": sum(len(m.initiatives) for m in measures),
        }


@dataclass
class Notice:
    """Something the reader changed or noticed; shown to the person importing."""

    kind: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.message}"


class PlanFormatError(Exception):
    """The file cannot be read; ``errors`` lists every problem found, each with its place."""

    def __init__(self, errors: list[Notice]):
        self.errors = sorted(errors, key=lambda e: (e.line is None, e.line or 0))
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass
class ReadResult:
    document: PlanDocument
    notices: list[Notice] = field(default_factory=list)
