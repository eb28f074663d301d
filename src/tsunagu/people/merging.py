"""Other apps' part in merging two records of one person (``services.merge_persons``).

People knows nothing of the apps above it, yet their rows (consultations, cases,
roster registrations …) point at persons and must follow a merge. Each such app
registers a hook in its ``AppConfig.ready``, as the home page panels do
(``core.home``)::

    from tsunagu.people.merging import register_merge_hook

    def move_cases(source, target, actor):
        moved = Case.objects.filter(person=source).update(person=target)
        return {"cases": moved}

    register_merge_hook(move_cases)

A hook runs inside the merge's transaction, after the household memberships and
consents have moved and before the source is archived; raising aborts the whole
merge. What it returns (a dict of counts or ids, JSON-friendly) is written into the
merge's audit event under the hook's name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tsunagu.core.models import User

    from .models import Person

MergeHook = Callable[["Person", "Person", "User | None"], dict[str, Any] | None]
_hooks: dict[str, MergeHook] = {}


def hook_name(hook: MergeHook) -> str:
    return f"{hook.__module__}.{hook.__qualname__}"


def register_merge_hook(hook: MergeHook) -> None:
    """Run ``hook(source, target, actor)`` on every merge; registering twice is harmless."""
    _hooks.setdefault(hook_name(hook), hook)


def unregister_merge_hook(hook: MergeHook) -> None:
    _hooks.pop(hook_name(hook), None)


def merge_hooks() -> list[tuple[str, MergeHook]]:
    return list(_hooks.items())
