"""Readers and writers for plan files; see :func:`read_plan_file`."""

from __future__ import annotations

from pathlib import Path

from .document import Notice, PlanFormatError, ReadResult
from .excel import dump_xlsx, read_xlsx
from .structured import dump_json, dump_yaml, read_json, read_yaml
from .text import read_text

__all__ = ["PlanFormatError", "ReadResult", "dump_json", "dump_xlsx", "dump_yaml", "read_plan_file"]


def read_plan_file(
    path: Path,
    *,
    name: str = "",
    municipality: str = "",
    fiscal_years: tuple[int, int] | None = None,
) -> ReadResult:
    """Read a plan from a chapter text, JSON, YAML or Excel file, chosen by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path.read_bytes())
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFormatError(
            [Notice("error", f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})")]
        ) from None
    if suffix == ".json":
        return read_json(text)
    if suffix in {".yaml", ".yml"}:
        return read_yaml(text)
    if suffix in {".txt", ".text", ""}:
        missing = [
            flag
            for flag, value in (
                ("--name", name),
                ("--municipality", municipality),
                ("--fiscal-years", fiscal_years),
            )
            if not value
        ]
        if missing:
            raise PlanFormatError(
                [
                    Notice(
                        "error",
                        f"a chapter text does not say which plan it is; pass {', '.join(missing)}",
                    )
                ]
            )
        assert fiscal_years is not None
        return read_text(text, name=name, municipality=municipality, fiscal_years=fiscal_years)
    raise PlanFormatError(
        [Notice("error", f"unknown file type {suffix!r}: expected .txt, .json, .yaml or .xlsx")]
    )
