"""The Excel template: a plan another city can fill in by hand, and our export of it.

Sheets: 説明 (how to fill it in), 計画 (name, municipality, years), 取組 (one row
per initiative, goal/direction/measure titles repeated on each row) and 成果指標
(one row per goal × indicator). Department cells use the plan's own notation:
names separated by spaces, an implementing body in brackets.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

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
from .normalise import CellError, parse_department_cell, parse_guideline_cell
from .text import check_reposts

PLAN_SHEET = "計画"
INITIATIVE_SHEET = "取組"
INDICATOR_SHEET = "成果指標"
HELP_SHEET = "説明"
INITIATIVE_HEADERS = [
    "目標番号",
    "目標",
    "方向性番号",
    "施策の方向性",
    "具体的な取組番号",
    "具体的な取組",
    "番号",
    "取組内容",
    "ガイドライン該当番号",
    "取組内容の詳細",
    "担当課",
    "再掲元",
]
INDICATOR_HEADERS = [
    "目標番号",
    "成果指標",
    "単位",
    "高いほど良い",
    "基準値",
    "基準年度",
    "目標値",
    "目標年度",
]
PLAN_KEYS = ["計画名", "自治体", "開始年度", "終了年度"]
HELP_TEXT = [
    "地域福祉計画 取込テンプレート",
    "「計画」シートに計画名・自治体・計画期間（年度、西暦）を記入します。",
    "「取組」シートに取組を1行に1件記入します。目標・方向性・具体的な取組の番号と名称は各行に繰り返します。",
    "番号は「目標-方向性-具体的な取組-項目」の形（例: 1-1-1-1）で、半角数字とハイフンで書きます。",
    "ガイドライン該当番号は ⑤イ のように書き、複数あるときは「、」で区切ります。",
    "担当課は空白で区切ります。実施主体があるときは括弧で続けます（例: 福祉総務課（市社会福祉協議会））。",
    "再掲元には、再掲する取組の番号を書きます（再掲でなければ空欄）。",
    "「成果指標」シートに目標ごとの成果指標を記入します。基準値・目標値は数値で書きます。",
    "取込: tsunagu import_plan このファイル.xlsx --dry-run で確認してから、--dry-run を外して取り込みます。",
]
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1A3D8F")


def _department_cell(initiative: InitiativeDoc) -> str:
    parts = []
    for r in initiative.responsibilities:
        # The source's spelling, so that an alias merge happens again on import.
        name = r.written_as or r.organization
        parts.append(f"{name}（{r.via}）" if r.via else name)
    return " ".join(parts)


def _style_header(sheet: Any, widths: list[int]) -> None:
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"


def dump_xlsx(document: PlanDocument) -> bytes:
    workbook = Workbook()
    help_sheet = workbook.active
    help_sheet.title = HELP_SHEET
    for row, line in enumerate(HELP_TEXT, start=1):
        help_sheet.cell(row=row, column=1, value=line).font = Font(
            bold=row == 1, size=14 if row == 1 else 11
        )
    help_sheet.column_dimensions["A"].width = 110

    plan_sheet = workbook.create_sheet(PLAN_SHEET)
    for row, (key, value) in enumerate(
        zip(PLAN_KEYS, [document.name, document.municipality, *document.fiscal_years], strict=True),
        start=1,
    ):
        plan_sheet.cell(row=row, column=1, value=key).font = Font(bold=True)
        plan_sheet.cell(row=row, column=2, value=value)
    plan_sheet.column_dimensions["A"].width = 14
    plan_sheet.column_dimensions["B"].width = 40

    sheet = workbook.create_sheet(INITIATIVE_SHEET)
    sheet.append(INITIATIVE_HEADERS)
    for goal in document.goals:
        for direction in goal.directions:
            for measure in direction.measures:
                for initiative in measure.initiatives:
                    sheet.append(
                        [
                            goal.number,
                            goal.title,
                            direction.number,
                            direction.title,
                            measure.number,
                            measure.title,
                            initiative.code,
                            initiative.title,
                            "、".join(initiative.guideline_codes),
                            initiative.detail,
                            _department_cell(initiative),
                            initiative.repost_of or "",
                        ]
                    )
    _style_header(sheet, [8, 24, 8, 28, 8, 28, 10, 36, 12, 60, 30, 10])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)

    indicators = workbook.create_sheet(INDICATOR_SHEET)
    indicators.append(INDICATOR_HEADERS)
    for goal in document.goals:
        for indicator in goal.indicators:
            indicators.append(
                [
                    goal.number,
                    indicator.title,
                    indicator.unit,
                    "はい" if indicator.higher_is_better else "いいえ",
                    float(indicator.baseline_value)
                    if indicator.baseline_value is not None
                    else None,
                    indicator.baseline_year,
                    float(indicator.target_value) if indicator.target_value is not None else None,
                    indicator.target_year,
                ]
            )
    _style_header(indicators, [8, 60, 10, 10, 10, 10, 10, 10])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _int(value: Any) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def read_xlsx(content: bytes) -> ReadResult:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise PlanFormatError([Notice("error", f"not a readable .xlsx workbook ({exc})")]) from None
    errors: list[Notice] = []
    notices: list[Notice] = []

    def fail(sheet: str, row: int | None, message: str) -> None:
        where = f"sheet {sheet} row {row}" if row else f"sheet {sheet}"
        errors.append(Notice("error", f"{where}: {message}"))

    for required in (PLAN_SHEET, INITIATIVE_SHEET):
        if required not in workbook.sheetnames:
            raise PlanFormatError(
                [
                    Notice(
                        "error",
                        f"the workbook has no sheet named {required}; use the template from `tsunagu export_plan --format xlsx`",
                    )
                ]
            )

    meta = {
        _text(row[0]): row[1] if len(row) > 1 else None
        for row in workbook[PLAN_SHEET].iter_rows(values_only=True)
        if row and row[0]
    }
    first, last = _int(meta.get("開始年度")), _int(meta.get("終了年度"))
    for key in PLAN_KEYS:
        if not _text(meta.get(key)):
            fail(PLAN_SHEET, None, f"{key} is empty")
    if (meta.get("開始年度") and first is None) or (meta.get("終了年度") and last is None):
        fail(PLAN_SHEET, None, "開始年度 and 終了年度 must be years such as 2020")
    document = PlanDocument(
        _text(meta.get("計画名")), _text(meta.get("自治体")), (first or 0, last or 0)
    )

    rows = workbook[INITIATIVE_SHEET].iter_rows(values_only=True)
    header = [_text(cell) for cell in next(rows, ())]
    missing = [name for name in INITIATIVE_HEADERS if name not in header]
    if missing:
        raise PlanFormatError(
            [
                Notice(
                    "error", f"sheet {INITIATIVE_SHEET} row 1: missing columns {', '.join(missing)}"
                )
            ]
        )
    column = {name: header.index(name) for name in INITIATIVE_HEADERS}
    goals: dict[int, GoalDoc] = {}
    seen: dict[str, int] = {}
    for row_number, row in enumerate(rows, start=2):
        values = {
            name: _text(row[index]) if index < len(row) else "" for name, index in column.items()
        }
        if not any(values.values()):
            continue
        numbers = [_int(values[name]) for name in ("目標番号", "方向性番号", "具体的な取組番号")]
        if None in numbers:
            fail(
                INITIATIVE_SHEET,
                row_number,
                "目標番号, 方向性番号 and 具体的な取組番号 must be whole numbers",
            )
            continue
        g, d, m = (n for n in numbers if n is not None)
        code = values["番号"]
        parts = code.split("-")
        if len(parts) != 4 or not all(part.isdigit() for part in parts):
            fail(INITIATIVE_SHEET, row_number, f"番号 {code!r} is not of the form 1-2-3-4")
            continue
        if tuple(int(p) for p in parts[:3]) != (g, d, m):
            fail(
                INITIATIVE_SHEET,
                row_number,
                f"unknown initiative number {code}: the row says {g}-{d}-{m}",
            )
            continue
        code = "-".join(str(int(p)) for p in parts)
        if code in seen:
            fail(
                INITIATIVE_SHEET,
                row_number,
                f"initiative number {code} is used twice (first in row {seen[code]})",
            )
            continue
        seen[code] = row_number
        try:
            codes, code_notes = parse_guideline_cell(values["ガイドライン該当番号"])
            responsibilities, department_notes = parse_department_cell(values["担当課"])
        except CellError as exc:
            fail(INITIATIVE_SHEET, row_number, str(exc))
            continue
        notices.extend(
            Notice("normalised", f"sheet {INITIATIVE_SHEET} row {row_number}: {note}")
            for note in code_notes + department_notes
        )
        for key in ("目標", "施策の方向性", "具体的な取組", "取組内容", "取組内容の詳細"):
            if not values[key]:
                fail(INITIATIVE_SHEET, row_number, f"{key} is empty")
        goal = goals.setdefault(g, GoalDoc(g, values["目標"]))
        direction = next((x for x in goal.directions if x.number == d), None)
        if direction is None:
            direction = DirectionDoc(d, values["施策の方向性"])
            goal.directions.append(direction)
        measure = next((x for x in direction.measures if x.number == m), None)
        if measure is None:
            measure = MeasureDoc(m, values["具体的な取組"])
            direction.measures.append(measure)
        measure.initiatives.append(
            InitiativeDoc(
                code,
                values["取組内容"],
                values["取組内容の詳細"],
                codes,
                responsibilities,
                values["再掲元"] or None,
                line=row_number,
            )
        )
    document.goals = [goals[number] for number in sorted(goals)]
    for goal in document.goals:
        goal.directions.sort(key=lambda x: x.number)
        for direction in goal.directions:
            direction.measures.sort(key=lambda x: x.number)
            for measure in direction.measures:
                measure.initiatives.sort(key=lambda x: x.numbers)

    if INDICATOR_SHEET in workbook.sheetnames:
        rows = workbook[INDICATOR_SHEET].iter_rows(values_only=True)
        header = [_text(cell) for cell in next(rows, ())]
        index = {name: header.index(name) for name in INDICATOR_HEADERS if name in header}
        for row_number, row in enumerate(rows, start=2):
            cells = {name: row[i] if i < len(row) else None for name, i in index.items()}
            if not any(_text(v) for v in cells.values()):
                continue
            goal_number = _int(cells.get("目標番号"))
            if goal_number not in goals:
                fail(
                    INDICATOR_SHEET,
                    row_number,
                    f"目標番号 {_text(cells.get('目標番号'))!r} is not a goal of the plan",
                )
                continue
            title = _text(cells.get("成果指標"))
            if not title:
                fail(INDICATOR_SHEET, row_number, "成果指標 is empty")
                continue
            decimals: dict[str, Decimal | None] = {}
            for key in ("基準値", "目標値"):
                raw = _text(cells.get(key))
                try:
                    decimals[key] = Decimal(raw) if raw else None
                except InvalidOperation:
                    fail(INDICATOR_SHEET, row_number, f"{key} {raw!r} is not a number")
                    decimals[key] = None
            goals[goal_number].indicators.append(
                IndicatorDoc(
                    title=title,
                    unit=_text(cells.get("単位")),
                    higher_is_better=_text(cells.get("高いほど良い")) != "いいえ",
                    baseline_value=decimals["基準値"],
                    baseline_year=_int(cells.get("基準年度")),
                    target_value=decimals["目標値"],
                    target_year=_int(cells.get("目標年度")),
                )
            )
    check_reposts(document, notices, errors)
    if errors:
        raise PlanFormatError(errors)
    return ReadResult(document, notices)
