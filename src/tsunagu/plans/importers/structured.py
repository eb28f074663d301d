"""Read and write the structured plan (the JSON shape of DESIGN.md, also as YAML)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from .document import (
    DirectionDoc,
    GoalDoc,
    IndicatorDoc,
    InitiativeDoc,
    MeasureDoc,
    Notice,
    PlanDocument,
    PlanFormatError,
    ReadResult,
    ResponsibilityDoc,
)
from .normalise import CellError, normalise_guideline_code
from .text import check_reposts


# -- writing -----------------------------------------------------------------------------------
def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    normalised = value.normalize()
    return int(normalised) if normalised == normalised.to_integral_value() else float(normalised)


def document_to_dict(document: PlanDocument) -> dict[str, Any]:
    def responsibility(r: ResponsibilityDoc) -> dict[str, Any]:
        data: dict[str, Any] = {"organization": r.organization, "via": r.via}
        if r.written_as:
            data["written_as"] = r.written_as
        return data

    def indicator(i: IndicatorDoc) -> dict[str, Any]:
        data: dict[str, Any] = {"title": i.title}
        if i.unit:
            data["unit"] = i.unit
        if not i.higher_is_better:
            data["higher_is_better"] = False
        for key in ("baseline_value", "baseline_year", "target_value", "target_year"):
            value = getattr(i, key)
            if value is not None:
                data[key] = _number(value) if isinstance(value, Decimal) else value
        return data

    return {
        "plan": {
            "name": document.name,
            "municipality": document.municipality,
            "fiscal_years": list(document.fiscal_years),
        },
        "goals": [
            {
                "number": goal.number,
                "title": goal.title,
                "directions": [
                    {
                        "number": direction.number,
                        "title": direction.title,
                        "measures": [
                            {
                                "number": measure.number,
                                "title": measure.title,
                                "initiatives": [
                                    {
                                        "code": initiative.code,
                                        "title": initiative.title,
                                        "detail": initiative.detail,
                                        "guideline_codes": list(initiative.guideline_codes),
                                        "responsibilities": [
                                            responsibility(r) for r in initiative.responsibilities
                                        ],
                                        "repost_of": initiative.repost_of,
                                    }
                                    for initiative in measure.initiatives
                                ],
                            }
                            for measure in direction.measures
                        ],
                    }
                    for direction in goal.directions
                ],
                "indicators": [indicator(i) for i in goal.indicators],
            }
            for goal in document.goals
        ],
    }


def dump_json(document: PlanDocument) -> str:
    return json.dumps(document_to_dict(document), ensure_ascii=False, indent=2) + "\n"


def dump_yaml(document: PlanDocument) -> str:
    return yaml.safe_dump(
        document_to_dict(document), allow_unicode=True, sort_keys=False, width=4096
    )


# -- reading -----------------------------------------------------------------------------------
class _Reader:
    """Walks the parsed data, collecting every problem with its path (goals[0].title …)."""

    def __init__(self) -> None:
        self.errors: list[Notice] = []
        self.notices: list[Notice] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(Notice("error", f"{path}: {message}"))

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {type(value).__name__}")
            return {}
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {type(value).__name__}")
            return []
        return value

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(f"{path}.{key}", "missing")
            return ""
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"expected text, got {type(value).__name__}")
            return ""
        return value.strip()

    def integer(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = True
    ) -> int | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path}.{key}", f"expected a whole number, got {value!r}")
            return None
        return value

    def decimal(self, data: dict[str, Any], key: str, path: str) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            self.fail(f"{path}.{key}", f"expected a number, got {value!r}")
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.fail(f"{path}.{key}", f"expected a number, got {value!r}")
            return None

    def read(self, data: Any) -> PlanDocument:
        root = self.mapping(data, "(top)")
        plan = self.mapping(root.get("plan"), "plan")
        years = plan.get("fiscal_years")
        if not (
            isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)
        ):
            self.fail("plan.fiscal_years", f"expected [first, last] fiscal years, got {years!r}")
            years = [0, 0]
        document = PlanDocument(
            name=self.text(plan, "name", "plan"),
            municipality=self.text(plan, "municipality", "plan"),
            fiscal_years=(years[0], years[1]),
        )
        seen: dict[str, str] = {}
        for g_index, goal_data in enumerate(self.items(root.get("goals"), "goals")):
            g_path = f"goals[{g_index}]"
            goal_map = self.mapping(goal_data, g_path)
            goal = GoalDoc(
                number=self.integer(goal_map, "number", g_path) or 0,
                title=self.text(goal_map, "title", g_path),
            )
            document.goals.append(goal)
            for d_index, direction_data in enumerate(
                self.items(goal_map.get("directions"), f"{g_path}.directions")
            ):
                d_path = f"{g_path}.directions[{d_index}]"
                direction_map = self.mapping(direction_data, d_path)
                direction = DirectionDoc(
                    number=self.integer(direction_map, "number", d_path) or 0,
                    title=self.text(direction_map, "title", d_path),
                )
                goal.directions.append(direction)
                for m_index, measure_data in enumerate(
                    self.items(direction_map.get("measures"), f"{d_path}.measures")
                ):
                    m_path = f"{d_path}.measures[{m_index}]"
                    measure_map = self.mapping(measure_data, m_path)
                    measure = MeasureDoc(
                        number=self.integer(measure_map, "number", m_path) or 0,
                        title=self.text(measure_map, "title", m_path),
                    )
                    direction.measures.append(measure)
                    for i_index, initiative_data in enumerate(
                        self.items(measure_map.get("initiatives"), f"{m_path}.initiatives")
                    ):
                        i_path = f"{m_path}.initiatives[{i_index}]"
                        initiative = self.initiative(
                            self.mapping(initiative_data, i_path),
                            i_path,
                            (goal.number, direction.number, measure.number),
                        )
                        if initiative is None:
                            continue
                        if initiative.code in seen:
                            self.fail(
                                i_path,
                                f"initiative number {initiative.code} is used twice (also at {seen[initiative.code]})",
                            )
                            continue
                        seen[initiative.code] = i_path
                        measure.initiatives.append(initiative)
            for x_index, indicator_data in enumerate(
                self.items(goal_map.get("indicators"), f"{g_path}.indicators")
            ):
                x_path = f"{g_path}.indicators[{x_index}]"
                indicator_map = self.mapping(indicator_data, x_path)
                goal.indicators.append(
                    IndicatorDoc(
                        title=self.text(indicator_map, "title", x_path),
                        unit=self.text(indicator_map, "unit", x_path, required=False),
                        higher_is_better=bool(indicator_map.get("higher_is_better", True)),
                        baseline_value=self.decimal(indicator_map, "baseline_value", x_path),
                        baseline_year=self.integer(
                            indicator_map, "baseline_year", x_path, required=False
                        ),
                        target_value=self.decimal(indicator_map, "target_value", x_path),
                        target_year=self.integer(
                            indicator_map, "target_year", x_path, required=False
                        ),
                    )
                )
        return document

    def initiative(
        self, data: dict[str, Any], path: str, parents: tuple[int, int, int]
    ) -> InitiativeDoc | None:
        code = self.text(data, "code", path)
        parts = code.split("-")
        if len(parts) != 4 or not all(part.isdigit() for part in parts):
            if code:
                self.fail(f"{path}.code", f"initiative number {code!r} is not of the form 1-2-3-4")
            return None
        if tuple(int(part) for part in parts[:3]) != parents:
            prefix = "-".join(str(n) for n in parents)
            self.fail(
                f"{path}.code",
                f"unknown initiative number {code}: it sits under {prefix} and must start with {prefix}-",
            )
            return None
        codes: list[str] = []
        for c_index, raw in enumerate(
            self.items(data.get("guideline_codes"), f"{path}.guideline_codes")
        ):
            try:
                normalised, notes = normalise_guideline_code(str(raw))
            except CellError as exc:
                self.fail(f"{path}.guideline_codes[{c_index}]", str(exc))
                continue
            for note in notes:
                self.notices.append(Notice("guideline_code", f"{code}: {note}"))
            codes.append(normalised)
        responsibilities = []
        for r_index, item in enumerate(
            self.items(data.get("responsibilities"), f"{path}.responsibilities")
        ):
            r_path = f"{path}.responsibilities[{r_index}]"
            r_map = self.mapping(item, r_path)
            responsibilities.append(
                ResponsibilityDoc(
                    organization=self.text(r_map, "organization", r_path),
                    via=self.text(r_map, "via", r_path, required=False) or None,
                    written_as=self.text(r_map, "written_as", r_path, required=False) or None,
                )
            )
        if not responsibilities:
            self.fail(
                f"{path}.responsibilities",
                "an initiative needs at least one responsible department",
            )
        repost_of = data.get("repost_of")
        if repost_of is not None and not isinstance(repost_of, str):
            self.fail(
                f"{path}.repost_of", f"expected an initiative number or null, got {repost_of!r}"
            )
            repost_of = None
        return InitiativeDoc(
            code="-".join(str(int(part)) for part in parts),
            title=self.text(data, "title", path),
            detail=self.text(data, "detail", path),
            guideline_codes=codes,
            responsibilities=responsibilities,
            repost_of=repost_of,
        )


def read_data(data: Any) -> ReadResult:
    reader = _Reader()
    document = reader.read(data)
    check_reposts(document, reader.notices, reader.errors)
    if reader.errors:
        raise PlanFormatError(reader.errors)
    return ReadResult(document, reader.notices)


def read_json(text: str) -> ReadResult:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFormatError([Notice("error", f"not valid JSON: {exc.msg}", exc.lineno)]) from None
    return read_data(data)


def read_yaml(text: str) -> ReadResult:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PlanFormatError(
            [Notice("error", f"not valid YAML: {getattr(exc, 'problem', exc)}", line)]
        ) from None
    return read_data(data)
