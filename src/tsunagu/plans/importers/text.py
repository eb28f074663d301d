"""Read a plan chapter from the text of its PDF.

The text is what a PDF-to-text tool gives: headings on their own lines, tables
as tab-separated rows (``番号 ⇥ 取組内容〔コード〕 ⇥ 詳細 ⇥ 担当課``), page headers
repeated, a table header repeated after a page break, and cells that wrap onto
the next line. A wrapped line continues the last cell, or, when it starts with
tabs, the cell in the column its tabs point at.

Everything before the first ``目標N`` heading (the chapter's introduction and its
worked example) is skipped. Every problem is collected with its line number and
reported together; nothing is half-read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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
)
from .normalise import CIRCLED, CellError, parse_department_cell, parse_guideline_cell

GOAL_RE = re.compile(r"^目標\s*([0-9０-９]+)\s+(\S.*)$")
DIRECTION_RE = re.compile(r"^(?:-\s*)?[(（]\s*([0-9０-９]+)\s*[)）]\s*(\S.*)$")
MEASURE_RE = re.compile(rf"^([{CIRCLED}])\s*(\S.*)$")
ROW_RE = re.compile(r"^([0-9]+)-([0-9]+)-([0-9]+)-([0-9]+)(?:\t|$)")
ROW_LIKE_RE = re.compile(r"^[0-9０-９]+[-－][0-9０-９]+[-－][0-9０-９]+[-－][0-9０-９]+")
INDICATOR_RE = re.compile(r"^(?:[-・*]\s*)+(\S.*)$")
TITLE_RE = re.compile(r"^(?:【\s*再掲\s*([0-9０-９\-－]+)\s*】)?\s*(.*?)\s*〔([^〔〕]*)〕\s*$")
PAGE_REF_RE = re.compile(r"\s*P\.?\s*[0-9]+\s*$")
TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
FURNITURE_RES = [
    re.compile(r"^[0-9０-９]+$"),  # page numbers
    re.compile(r"^[-−ー―\s]+$"),  # rules drawn as dashes
    re.compile(r"^-\s*[・]?\s*〇〇〇"),  # placeholder lines of a worked example
]

HEADINGS = {
    "現状と課題": "situation",
    "求められる機能": "situation",
    "取り組むべき施策の方向性": "directions",
    "施策体系": "system",
    "具体的な取組": "initiatives",
    "目標に向けた成果指標": "indicators",
}
COLUMNS = 4
COLUMN_NAMES = "番号, 取組内容〔ガイドライン該当番号〕, 取組内容の詳細, 担当課"


def _digits(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


DEPARTMENT_COLUMN = 3
NAME_ENDINGS = ("課", "室", "署", "館", "局", "部", "センター", "会", ")", "）")


def _join(left: str, right: str, *, column: int | None = None) -> str:
    """Join a wrapped cell: Japanese runs on without a space, latin words get one.

    In the 担当課 column a line that ends with a whole department name was broken
    between two names, so the names stay apart.
    """
    left, right = left.rstrip(), right.strip()
    if column == DEPARTMENT_COLUMN and left.endswith(NAME_ENDINGS) and right:
        open_brackets = sum(left.count(c) for c in "(（") - sum(left.count(c) for c in ")）")
        if open_brackets <= 0 and right[0] not in "(（":
            return f"{left} {right}"
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii():
        return f"{left} {right}"
    return left + right


@dataclass
class _PendingRow:
    line: int
    cells: list[str]


class TextPlanReader:
    def __init__(self, text: str, *, name: str, municipality: str, fiscal_years: tuple[int, int]):
        self.lines = text.splitlines()
        self.document = PlanDocument(
            name=name, municipality=municipality, fiscal_years=fiscal_years
        )
        self.notices: list[Notice] = []
        self.errors: list[Notice] = []
        self.goal: GoalDoc | None = None
        self.direction: DirectionDoc | None = None
        self.measure: MeasureDoc | None = None
        self.section = "preamble"
        self.pending: _PendingRow | None = None
        self.in_table = False
        self.chapter_title: str | None = None
        self.system_direction: int | None = None
        # Titles announced before the tables: direction lists and 施策体系 blocks.
        self.announced_directions: dict[int, str] = {}
        self.announced_measures: dict[tuple[int, int], str] = {}
        self.seen_codes: dict[str, int] = {}

    # -- reporting ---------------------------------------------------------------------------
    def note(self, kind: str, message: str, line: int | None) -> None:
        self.notices.append(Notice(kind, message, line))

    def error(self, message: str, line: int | None) -> None:
        self.errors.append(Notice("error", message, line))

    # -- main loop ---------------------------------------------------------------------------
    def read(self) -> ReadResult:
        for index, raw in enumerate(self.lines, start=1):
            self.feed(index, raw)
        self.finish_row()
        self.validate()
        if self.errors:
            raise PlanFormatError(self.errors)
        return ReadResult(self.document, self.notices)

    def feed(self, number: int, raw: str) -> None:
        line = raw.rstrip("\r\n")
        stripped = TAG_RE.sub("", line).strip()
        if not stripped:
            return
        if self.chapter_title is None:
            self.chapter_title = stripped
            return
        if stripped == self.chapter_title or any(r.match(stripped) for r in FURNITURE_RES):
            if self.section != "preamble" and stripped == self.chapter_title:
                self.note("furniture", "repeated page header skipped", number)
            return

        goal_match = GOAL_RE.match(stripped)
        if goal_match and "\t" not in line:
            self.finish_row()
            self.start_goal(number, _digits(goal_match.group(1)), goal_match.group(2).strip())
            return
        if self.section == "preamble":
            return
        if stripped in HEADINGS and "\t" not in line.strip():
            self.finish_row()
            self.section = HEADINGS[stripped]
            self.in_table = False
            self.system_direction = None
            return

        handler = getattr(self, f"feed_{self.section}")
        handler(number, line, stripped)

    # -- sections ----------------------------------------------------------------------------
    def start_goal(self, line: int, number: int, title: str) -> None:
        expected = len(self.document.goals) + 1
        if number != expected:
            self.error(f"目標{number} found where 目標{expected} was expected", line)
        if any(goal.number == number for goal in self.document.goals):
            self.error(f"目標{number} appears twice", line)
        self.goal = GoalDoc(number=number, title=title)
        self.document.goals.append(self.goal)
        self.direction = None
        self.measure = None
        self.section = "goal"
        self.in_table = False
        self.announced_directions = {}
        self.announced_measures = {}

    def feed_goal(self, number: int, line: str, stripped: str) -> None:
        """Text between a goal heading and its first section heading is the goal's lead."""

    def feed_situation(self, number: int, line: str, stripped: str) -> None:
        """The 現状と課題 narrative is not part of the structured plan."""

    def feed_directions(self, number: int, line: str, stripped: str) -> None:
        match = DIRECTION_RE.match(stripped)
        if match:
            self.announced_directions[_digits(match.group(1))] = match.group(2).strip()

    def feed_system(self, number: int, line: str, stripped: str) -> None:
        cells = [TAG_RE.sub("", cell).strip() for cell in line.split("\t")]
        if cells and cells[0].startswith("取り組むべき施策の方向性"):
            return
        first = cells[0] if cells else ""
        match = DIRECTION_RE.match(first)
        if match:
            self.system_direction = _digits(match.group(1))
            self.announced_directions.setdefault(self.system_direction, match.group(2).strip())
        for cell in cells[1:]:
            measure = MEASURE_RE.match(cell)
            if measure and self.system_direction is not None:
                title = PAGE_REF_RE.sub("", measure.group(2)).strip()
                key = (self.system_direction, CIRCLED.index(measure.group(1)) + 1)
                self.announced_measures[key] = title

    def feed_indicators(self, number: int, line: str, stripped: str) -> None:
        match = INDICATOR_RE.match(stripped)
        if not match or self.goal is None:
            self.error(
                f"expected an indicator line starting with '-' or '・', got {stripped!r}", number
            )
            return
        title = match.group(1).strip()
        if any(indicator.title == title for indicator in self.goal.indicators):
            self.note(
                "duplicate",
                f"indicator {title!r} listed twice under 目標{self.goal.number}",
                number,
            )
            return
        self.goal.indicators.append(IndicatorDoc(title=title))

    def feed_initiatives(self, number: int, line: str, stripped: str) -> None:
        assert self.goal is not None
        if stripped.startswith("番号") and "\t" in line:
            self.finish_row()
            if self.measure is None:
                self.error("a table starts before any measure heading (① …)", number)
            if self.in_table:
                self.note("furniture", "repeated table header skipped", number)
            self.in_table = True
            return
        if ROW_RE.match(stripped) or ROW_LIKE_RE.match(stripped):
            self.finish_row()
            self.pending = _PendingRow(number, [cell.strip() for cell in line.split("\t")])
            return
        if self.pending is not None and (
            line.startswith("\t") or len(self.pending.cells) < COLUMNS
        ):
            self.continue_row(number, line)
            return
        direction = DIRECTION_RE.match(stripped)
        if direction and "\t" not in line:
            self.finish_row()
            self.start_direction(number, _digits(direction.group(1)), direction.group(2).strip())
            return
        measure = MEASURE_RE.match(stripped)
        if measure and "\t" not in line:
            self.finish_row()
            self.start_measure(
                number, CIRCLED.index(measure.group(1)) + 1, measure.group(2).strip()
            )
            return
        if self.in_table:
            self.error(
                f"unexpected text in a table: {stripped[:40]!r}; expected a row "
                f"({COLUMN_NAMES}) or a heading",
                number,
            )
            return
        self.error(
            f"unexpected text {stripped[:40]!r}; expected (N) direction or ① measure", number
        )

    # -- structure -----------------------------------------------------------------------------
    def start_direction(self, line: int, number: int, title: str) -> None:
        assert self.goal is not None
        existing = next((d for d in self.goal.directions if d.number == number), None)
        self.measure = None
        self.in_table = False
        if existing is not None:
            self.direction = existing
            return
        expected = len(self.goal.directions) + 1
        if number != expected:
            self.error(f"direction ({number}) found where ({expected}) was expected", line)
        announced = self.announced_directions.get(number)
        if announced is None:
            self.note(
                "structure",
                f"direction ({number}) {title} was not announced before its tables",
                line,
            )
        elif announced != title:
            self.note(
                "title",
                f"direction ({number}) is titled {announced!r} in the overview and {title!r} here; kept {title!r}",
                line,
            )
        self.direction = DirectionDoc(number=number, title=title)
        self.goal.directions.append(self.direction)

    def start_measure(self, line: int, number: int, title: str) -> None:
        if self.direction is None:
            self.error(
                f"measure {CIRCLED[number - 1]} {title} appears before any direction (N)", line
            )
            return
        self.in_table = False
        expected = len(self.direction.measures) + 1
        if number != expected:
            self.error(
                f"measure {CIRCLED[number - 1]} found where {CIRCLED[expected - 1]} was expected",
                line,
            )
        announced = self.announced_measures.get((self.direction.number, number))
        if announced is not None and announced != title:
            self.note(
                "title",
                f"measure {CIRCLED[number - 1]} is titled {announced!r} in 施策体系 and {title!r} here; kept {title!r}",
                line,
            )
        self.measure = MeasureDoc(number=number, title=title)
        self.direction.measures.append(self.measure)

    # -- rows ------------------------------------------------------------------------------------
    def continue_row(self, number: int, line: str) -> None:
        assert self.pending is not None
        cells = self.pending.cells
        leading = len(line) - len(line.lstrip("\t"))
        parts = line.strip("\t").split("\t")
        if leading:
            column = leading
            if column >= COLUMNS:
                self.error(
                    f"continuation line points at column {column + 1}; a row has {COLUMNS}", number
                )
                return
            while len(cells) <= column:
                cells.append("")
            cells[column] = _join(cells[column], parts[0], column=column)
            cells.extend(part.strip() for part in parts[1:])
        else:
            cells[-1] = _join(cells[-1], parts[0], column=len(cells) - 1)
            cells.extend(part.strip() for part in parts[1:])
        self.note("wrapped", f"wrapped cell joined to the row of line {self.pending.line}", number)

    def finish_row(self) -> None:
        if self.pending is None:
            return
        pending, self.pending = self.pending, None
        self.read_row(pending.line, pending.cells)

    def read_row(self, line: int, cells: list[str]) -> None:
        cells = [cell.strip() for cell in cells]
        while len(cells) > COLUMNS and cells[-1] == "":
            cells.pop()
        code_match = ROW_RE.match(cells[0] + "\t")
        if code_match is None:
            self.error(
                f"initiative number {cells[0]!r} is not of the form 1-2-3-4 in half-width digits",
                line,
            )
            return
        code = "-".join(str(int(part)) for part in code_match.groups())
        if len(cells) != COLUMNS:
            self.error(
                f"initiative {code} has {len(cells)} cells; expected {COLUMNS} ({COLUMN_NAMES})",
                line,
            )
            return
        if code in self.seen_codes:
            self.error(
                f"initiative number {code} is used twice (first on line {self.seen_codes[code]})",
                line,
            )
            return
        self.seen_codes[code] = line
        if self.goal is None or self.direction is None or self.measure is None:
            self.error(
                f"initiative {code} appears before its goal, direction and measure headings", line
            )
            return
        expected = (self.goal.number, self.direction.number, self.measure.number)
        numbers = tuple(int(part) for part in code_match.groups())
        if numbers[:3] != expected:
            prefix = "-".join(str(n) for n in expected)
            self.error(
                f"unknown initiative number {code} under 目標{expected[0]} ({expected[1]}) {CIRCLED[expected[2] - 1]}: expected a number starting {prefix}-",
                line,
            )
            return
        title_match = TITLE_RE.match(cells[1])
        if title_match is None:
            self.error(
                f"initiative {code}: 取組内容 must end with guideline codes in 〔 〕, got {cells[1][:40]!r}",
                line,
            )
            return
        repost_raw, title, codes_raw = title_match.groups()
        try:
            guideline_codes, code_notes = parse_guideline_cell(codes_raw)
            responsibilities, department_notes = parse_department_cell(cells[3])
        except CellError as exc:
            self.error(f"initiative {code}: {exc}", line)
            return
        for note in code_notes:
            self.note("guideline_code", f"{code}: {note}", line)
        for note in department_notes:
            self.note("department", f"{code}: {note}", line)
        repost_of = None
        if repost_raw:
            repost_of = unicodedata.normalize("NFKC", repost_raw).replace("－", "-")
            self.note(
                "repost", f"{code}: 【再掲{repost_raw}】 recorded as a repost of {repost_of}", line
            )
        if not title:
            self.error(f"initiative {code} has no title", line)
            return
        if not cells[2]:
            self.error(f"initiative {code} has an empty 取組内容の詳細", line)
            return
        self.measure.initiatives.append(
            InitiativeDoc(
                code=code,
                title=title,
                detail=cells[2],
                guideline_codes=guideline_codes,
                responsibilities=responsibilities,
                repost_of=repost_of,
                line=line,
            )
        )

    # -- whole-plan checks ---------------------------------------------------------------------
    def validate(self) -> None:
        if not self.document.goals:
            self.error(
                "no 目標N heading found: is this the chapter that lists the plan's goals?", None
            )
        for goal in self.document.goals:
            if not goal.directions:
                self.error(f"目標{goal.number} has no initiative tables", None)
            for direction in goal.directions:
                for measure in direction.measures:
                    if not measure.initiatives:
                        self.error(
                            f"measure {goal.number}-{direction.number}-{measure.number} {measure.title} has no initiatives",
                            None,
                        )
        check_reposts(self.document, self.notices, self.errors)


def check_reposts(document: PlanDocument, notices: list[Notice], errors: list[Notice]) -> None:
    """A repost must point at an initiative of the plan; a title mismatch is worth a warning."""
    by_code = {initiative.code: initiative for initiative in document.initiatives()}
    for initiative in by_code.values():
        if initiative.repost_of is None:
            continue
        target = by_code.get(initiative.repost_of)
        if target is None:
            errors.append(
                Notice(
                    "error",
                    f"{initiative.code} is marked 【再掲{initiative.repost_of}】 but the plan has no initiative {initiative.repost_of}",
                    initiative.line,
                )
            )
            continue
        if target.code == initiative.code:
            errors.append(
                Notice(
                    "error", f"{initiative.code} is marked as a repost of itself", initiative.line
                )
            )
            continue
        if not (
            initiative.title.startswith(target.title) or target.title.startswith(initiative.title)
        ):
            same_title = [
                other.code
                for other in by_code.values()
                if other.title == initiative.title and other.code != initiative.code
            ]
            hint = f"; {', '.join(same_title)} has that title" if same_title else ""
            notices.append(
                Notice(
                    "warning",
                    f"{initiative.code} reposts {target.code} ({target.title}) under another title ({initiative.title}){hint}. Kept as written; check the source",
                    initiative.line,
                )
            )


def read_text(
    text: str, *, name: str, municipality: str, fiscal_years: tuple[int, int]
) -> ReadResult:
    return TextPlanReader(
        text, name=name, municipality=municipality, fiscal_years=fiscal_years
    ).read()
