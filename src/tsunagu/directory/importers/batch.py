"""The one shape every directory file is read into, whatever its format.

A file is a list of :class:`ServiceRecord` — one per CSV/XLSX row, HSDS entry or
NDJSON line — each holding the records it describes as :class:`Entity` objects in
the order they must be written (a record's parents before it). An entity carries
model field values *as given* (the loader's model fields parse and validate them),
what the user calls each field (a Japanese header or a JSON path) so that every
error can name it, references to existing data (areas, categories …) still as
text, and how to find the record it updates when the file gives no id.

Nothing here touches the database: readers build batches, ``directory.loading``
resolves, validates and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import models
from django.utils.translation import gettext as _

# How a file counts its entries, for messages: "row 3", "line 3", "entry 3".
ROW, LINE, ENTRY = "row", "line", "entry"


@dataclass(frozen=True)
class RowError:
    """One problem, where it is: the row (or line, or entry) and the field by its
    name in the file (a Japanese header, or a JSON path); ``row`` is None for the
    file as a whole."""

    row: int | None
    field: str
    message: str
    unit: str = ROW

    def location(self) -> str:
        if self.row is None:
            return self.field
        if self.unit == LINE:
            where = _("line %(number)s") % {"number": self.row}
        elif self.unit == ENTRY:
            where = _("entry %(number)s") % {"number": self.row}
        else:
            where = _("row %(number)s") % {"number": self.row}
        return f"{where} {self.field}".strip()

    def __str__(self) -> str:
        location = self.location()
        return f"{location}: {self.message}" if location else self.message

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class Ref:
    """A reference to data that must already exist (an area, a category …), as written.

    ``kind`` is one of ``area``, ``term``, ``target_group``, ``initiative`` or
    ``organization``; ``text`` is a code, a name or an id; ``taxonomy`` narrows a
    term to one taxonomy (HSDS attributes name theirs).
    """

    kind: str
    text: str
    label: str
    taxonomy: str = ""
    uuid: UUID | None = None
    # Data from elsewhere (an HSDS file) may name what tsunagu has no place for:
    # a soft reference that finds nothing is a warning, not an error.
    soft: bool = False


@dataclass(frozen=True)
class Replace:
    """After the record is written, its ``related_name`` children are exactly those
    the same entry wrote (filtered by ``only``): the others are unlinked from it, and
    deleted when nothing else holds them."""

    related_name: str
    only: models.Q | None = None


@dataclass(eq=False)
class Entity:
    """One record the file describes."""

    model: type[models.Model]
    where: str
    uuid: UUID | None = None
    values: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    # Foreign key field → the entity (of the same entry) it points at.
    parents: dict[str, Entity] = field(default_factory=dict)
    # Foreign key field → existing data it points at.
    refs: dict[str, Ref | None] = field(default_factory=dict)
    # Many-to-many field → existing data; None when the file does not say (left as is).
    many: dict[str, list[Ref] | None] = field(default_factory=dict)
    replaces: list[Replace] = field(default_factory=list)
    # Without an id (or with one nothing has), how to find the record it updates:
    # None creates a new one; a tuple of fields looks among the parents' children
    # (``()``: the parents alone decide); a string names a strategy of the loader.
    match: tuple[str, ...] | str | None = None
    # Read by the loader's strategies; e.g. a CSV place's columns left blank.
    hints: dict[str, Any] = field(default_factory=dict)

    def label(self, name: str) -> str:
        if name in self.labels:
            return self.labels[name]
        # A JSON path can name the field itself; a spreadsheet row has only its columns.
        return f"{self.where}.{name}" if self.where.startswith("$") else self.where

    def set(self, name: str, value: Any, label: str) -> None:
        self.values[name] = value
        self.labels[name] = label


@dataclass
class ServiceRecord:
    """One service as the file gives it, with everything it brings along."""

    row: int
    service: Entity
    entities: list[Entity] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    name: str = ""

    def add(self, entity: Entity) -> Entity:
        self.entities.append(entity)
        return entity


@dataclass
class ImportBatch:
    """What a reader found in a file: the services, the problems, and how it read it."""

    format: str
    records: list[ServiceRecord] = field(default_factory=list)
    # Problems with the file as a whole (no row to skip): nothing can be loaded.
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    encoding: str = ""
    unit: str = ROW

    @property
    def row_errors(self) -> list[RowError]:
        return [error for record in self.records for error in record.errors]

    @property
    def all_errors(self) -> list[RowError]:
        return self.errors + self.row_errors


class ErrorCollector:
    """Errors for one entry, each stamped with its row and unit."""

    def __init__(self, row: int | None, unit: str, sink: list[RowError]) -> None:
        self.row = row
        self.unit = unit
        self.sink = sink

    def __call__(self, field: str, message: str) -> None:
        self.sink.append(RowError(self.row, field, message, self.unit))
