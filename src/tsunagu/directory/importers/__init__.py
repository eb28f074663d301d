"""Reading directory files: the CSV/Excel template and HSDS 3 JSON (see :func:`read_directory_file`).

Readers only read: every format becomes an :class:`ImportBatch` (one
:class:`ServiceRecord` per row, entry or line) with the problems found so far;
``tsunagu.directory.loading.load_directory`` validates and writes it.

For the staff bulk-import page::

    batch = read_directory_file(upload, name=upload.name)       # never raises for bad data
    report = load_directory(batch, actor=request.user, dry_run=True)
    report.errors      # [RowError(row, field, message)], field = Japanese header or JSON path
"""

from __future__ import annotations

from io import IOBase
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from .batch import ENTRY, LINE, ROW, Entity, ImportBatch, Ref, Replace, RowError, ServiceRecord
from .hsds_json import read_hsds
from .tabular import read_csv, read_xlsx

FORMATS = ("csv", "xlsx", "hsds", "ndjson")
# A directory file bigger than this is not something a person prepared: refused whole.
MAX_FILE_BYTES = 100 * 1024 * 1024
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "hsds",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}

__all__ = [
    "ENTRY",
    "FORMATS",
    "LINE",
    "ROW",
    "Entity",
    "ImportBatch",
    "Ref",
    "Replace",
    "RowError",
    "ServiceRecord",
    "detect_format",
    "read_directory_bytes",
    "read_directory_file",
]


def detect_format(data: bytes, name: str = "") -> str:
    """The format of a file from its name, else from its first bytes."""
    suffix = Path(name).suffix.lower() if name else ""
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"[", b"{"):
        return "hsds"
    return "csv"


def read_directory_bytes(data: bytes, format: str | None = None, *, name: str = "") -> ImportBatch:
    chosen = format or detect_format(data, name)
    if len(data) > MAX_FILE_BYTES:
        return ImportBatch(
            format=chosen,
            errors=[
                RowError(
                    None,
                    "",
                    _("The file is larger than %(limit)s MB; split it into smaller files.")
                    % {"limit": MAX_FILE_BYTES // (1024 * 1024)},
                )
            ],
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the old binary Excel format
        return ImportBatch(
            format=chosen,
            errors=[
                RowError(
                    None, "", _("Old Excel (.xls) files cannot be read; save the file as .xlsx.")
                )
            ],
        )
    if chosen == "csv":
        return read_csv(data)
    if chosen == "xlsx":
        return read_xlsx(data)
    if chosen in ("hsds", "json"):
        return read_hsds(data)
    if chosen == "ndjson":
        return read_hsds(data, ndjson=True)
    raise ValueError(f"unknown directory file format {chosen!r}; expected one of {FORMATS}")


def read_directory_file(
    source: str | Path | bytes | IO[bytes] | Any, format: str | None = None, *, name: str = ""
) -> ImportBatch:
    """Read a directory file (a path, bytes, or a binary file object such as an upload).

    ``format`` is ``csv``, ``xlsx``, ``hsds`` or ``ndjson``; None detects it from the
    name and the content. Bad content never raises: it comes back as ``batch.errors``
    (the file as a whole) or each record's ``errors``.
    """
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        path = Path(source)
        name = name or path.name
        data = path.read_bytes()
    elif isinstance(source, IOBase) or hasattr(source, "read"):
        name = name or str(getattr(source, "name", "") or "")
        data = source.read(MAX_FILE_BYTES + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise TypeError(f"cannot read a directory file from {type(source).__name__}")
    return read_directory_bytes(data, format, name=name)
