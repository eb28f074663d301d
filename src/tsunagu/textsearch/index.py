"""Which records are searchable, and keeping their index entries current.

An app registers a model with the fields to index (in its AppConfig.ready):

    register(Initiative, kind="plans.initiative", document=initiative_document)

`document(obj)` returns the fields to index. Saving or deleting the record updates
its index entry in the same transaction (signals); code that changes what a
document contains without saving the record itself (related rows, many-to-many)
calls `index_object(obj)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import models, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .analysis import kana_runs, tokens
from .backends import IndexRow, backend_for
from .models import Reading

Weight = Literal["title", "body"]


@dataclass(frozen=True, slots=True)
class DocumentField:
    """One field of a searchable record."""

    name: str
    label: str
    text: str
    weight: Weight = "body"


@dataclass(frozen=True)
class Searchable:
    model: type[models.Model]
    kind: str
    document: Callable[[Any], list[DocumentField]]
    # Which records belong in the index (rebuild_search_index walks these).
    queryset: Callable[[], models.QuerySet[Any]]
    # Records of other models whose saving changes this one's document:
    # (model, function from such a record to the records to re-index).
    dependents: tuple[tuple[type[models.Model], Callable[[Any], Iterable[Any]]], ...] = field(
        default_factory=tuple
    )


_registry: dict[str, Searchable] = {}


def register(
    model: type[models.Model],
    *,
    kind: str,
    document: Callable[[Any], list[DocumentField]],
    queryset: Callable[[], models.QuerySet[Any]] | None = None,
    dependents: Iterable[tuple[type[models.Model], Callable[[Any], Iterable[Any]]]] = (),
    m2m_fields: Iterable[str] = (),
    signals: bool = True,
) -> Searchable:
    """Make `model` searchable as `kind`."""
    searchable = Searchable(
        model=model,
        kind=kind,
        document=document,
        queryset=queryset or model._default_manager.all,
        dependents=tuple(dependents),
    )
    _registry[kind] = searchable
    if signals:
        uid = f"textsearch:{kind}"
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
        for dependent_model, targets in searchable.dependents:

            def reindex_targets(
                sender: Any,
                instance: Any,
                targets: Callable[[Any], Iterable[Any]] = targets,
                **kwargs: Any,
            ) -> None:
                for target in targets(instance):
                    if target is not None and target.pk is not None:
                        index_object(target)

            post_save.connect(
                reindex_targets,
                sender=dependent_model,
                dispatch_uid=f"{uid}:dep:{dependent_model._meta.label}:save",
                weak=False,
            )
            post_delete.connect(
                reindex_targets,
                sender=dependent_model,
                dispatch_uid=f"{uid}:dep:{dependent_model._meta.label}:delete",
                weak=False,
            )
        for name in m2m_fields:
            through = model._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
            m2m_changed.connect(
                _on_m2m_changed, sender=through, dispatch_uid=f"{uid}:m2m:{name}", weak=False
            )
    return searchable


def unregister(kind: str) -> None:
    """Forget a kind registered with signals=False (tests)."""
    _registry.pop(kind, None)


def searchables() -> list[Searchable]:
    return list(_registry.values())


def searchable(kind: str) -> Searchable:
    try:
        return _registry[kind]
    except KeyError:
        known = ", ".join(sorted(_registry)) or "none"
        raise LookupError(f"No searchable kind {kind!r} (known: {known})") from None


def searchable_for(obj: models.Model) -> Searchable:
    for entry in _registry.values():
        if isinstance(obj, entry.model):
            return entry
    raise LookupError(f"{type(obj).__name__} is not registered for search")


def _on_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    if raw:  # loading fixtures: the index is rebuilt afterwards
        return
    index_object(instance)


def _on_m2m_changed(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    model: Any,
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """A many-to-many field of a searchable record changed (either side of it)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        index_object(instance)
    elif pk_set:
        for obj in model._default_manager.filter(pk__in=pk_set):
            index_object(obj)


def _on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    entry = searchable_for(instance)
    backend_for(router.db_for_write(sender)).delete(entry.kind, [instance.pk])


def index_row(entry: Searchable, obj: Any) -> tuple[IndexRow, set[str]]:
    """The index row for `obj` and the readings it contains."""
    title: list[str] = []
    body: list[str] = []
    reading: list[str] = []
    for doc_field in entry.document(obj):
        found = tokens(doc_field.text)
        target = title if doc_field.weight == "title" else body
        for token in found:
            target.append(token.term)
            if token.reading:
                reading.append(token.reading)
        # Kana words whole (see analysis.kana_runs), as terms and as readings.
        runs = kana_runs(found)
        target.extend(runs)
        reading.extend(runs)
    row = IndexRow(kind=entry.kind, object_pk=obj.pk, title=title, body=body, reading=reading)
    return row, {r for r in reading if len(r) <= 64}


_deferred = threading.local()


@contextmanager
def deferred_indexing() -> Iterator[None]:
    """Index the records saved inside the block once, at its end, in bulk.

    For loaders that save many records and their related rows one by one: each
    record is indexed once, with everything it ended up with.
    """
    pending: dict[str, set[int]] | None = getattr(_deferred, "pending", None)
    if pending is not None:  # nested: the outer block indexes
        yield
        return
    _deferred.pending = pending = {}
    try:
        yield
    finally:
        _deferred.pending = None
    for kind, pks in pending.items():
        entry = searchable(kind)
        index_objects(entry, entry.queryset().filter(pk__in=pks))


def index_object(obj: models.Model) -> None:
    """Write `obj`'s index entry now, in the current transaction (or at the end of
    a `deferred_indexing` block)."""
    entry = searchable_for(obj)
    pending: dict[str, set[int]] | None = getattr(_deferred, "pending", None)
    if pending is not None:
        pending.setdefault(entry.kind, set()).add(obj.pk)
        return
    index_objects(entry, [obj])


def index_objects(entry: Searchable, objects: Iterable[Any], *, using: str | None = None) -> int:
    """Index many records of one kind; returns how many."""
    database = using or router.db_for_write(entry.model)
    backend = backend_for(database)
    rows: list[IndexRow] = []
    readings: set[str] = set()
    for obj in objects:
        row, row_readings = index_row(entry, obj)
        rows.append(row)
        readings |= row_readings
    with transaction.atomic(using=database):
        written = backend.write(rows)
        Reading.objects.using(database).bulk_create(
            [Reading(reading=r) for r in sorted(readings)], ignore_conflicts=True, batch_size=500
        )
    return written


def _chunks(queryset: models.QuerySet[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for obj in queryset.iterator(chunk_size=size):
        chunk.append(obj)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rebuild(
    kind: str | None = None, *, using: str = "default", batch_size: int = 500
) -> dict[str, int]:
    """Re-index every record (of one kind, or all); returns counts by kind."""
    entries = [searchable(kind)] if kind else searchables()
    backend = backend_for(using)
    counts: dict[str, int] = {}
    with transaction.atomic(using=using):
        if kind is None:
            backend.clear()
            Reading.objects.using(using).all().delete()
        for entry in entries:
            if kind is not None:
                backend.clear(entry.kind)
            total = 0
            for chunk in _chunks(entry.queryset().using(using), batch_size):
                total += index_objects(entry, chunk, using=using)
            counts[entry.kind] = total
    return counts
