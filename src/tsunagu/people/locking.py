"""Optimistic locking: an edit based on an old copy of a record is refused, not applied.

Two caseworkers open the same person; the first saves; the second's form still
holds the old values. Saving it as is would silently undo the first edit. Instead,
the form carries the ``version`` it was opened at and the save checks it:

    person = save_with_version(person, expected_version=form.cleaned_data["version"])

The check and the increment are one conditional UPDATE (``… WHERE version = n``),
so it holds on SQLite and PostgreSQL alike and under concurrent requests: on
PostgreSQL the second writer waits for the first's row lock, then finds the
version moved on. Any model with a positive integer ``version`` field can use it;
casework uses the same helper for cases.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


class StaleEditError(Exception):
    """Someone else saved the record after this copy was read; nothing was written.

    ``current`` is the record as saved now, so a form can show what changed and
    let the user apply her edit again.
    """

    def __init__(self, instance: models.Model, expected_version: int, current: Any) -> None:
        self.instance = instance
        self.expected_version = expected_version
        self.current = current
        self.current_version = getattr(current, "version", None)
        super().__init__(
            _(
                "Someone else saved this record after you opened it. Your changes were not "
                "saved: reload it to see theirs, then make yours again."
            )
        )


def save_with_version(instance: M, expected_version: int, **save_kwargs: Any) -> M:
    """Save ``instance`` if the stored version is still ``expected_version``; else raise.

    On success the stored and in-memory ``version`` are ``expected_version + 1``. On
    :class:`StaleEditError` nothing is written and ``instance`` is left as it was.
    """
    model = type(instance)
    manager = model._default_manager
    with transaction.atomic():
        updated = manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not updated:
            current = manager.filter(pk=instance.pk).first()
            raise StaleEditError(instance, expected_version, current)
        instance.version = expected_version + 1  # type: ignore[attr-defined]
        try:
            instance.save(**save_kwargs)
        except BaseException:
            instance.version = expected_version  # type: ignore[attr-defined]
            raise
    return instance
