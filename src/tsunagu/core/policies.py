"""Who may see and do what, in terms of memberships and roles."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser

from .models import Membership, User

AnyUser = User | AnonymousUser


def organization_ids_for(user: AnyUser, *roles: str) -> set[int]:
    """Ids of the organisations where ``user`` holds any of ``roles`` (any role if none given)."""
    if not user.is_authenticated:
        return set()
    cache_key = "_tsunagu_memberships"
    memberships: list[tuple[int, str]] | None = getattr(user, cache_key, None)
    if memberships is None:
        memberships = list(
            Membership.objects.filter(user=user).values_list("organization_id", "role")
        )
        setattr(user, cache_key, memberships)
    return {org_id for org_id, role in memberships if not roles or role in roles}


def has_role(user: AnyUser, role: str, organization_ids: Iterable[int] | None = None) -> bool:
    held = organization_ids_for(user, role)
    if organization_ids is None:
        return bool(held)
    return bool(held & set(organization_ids))


def is_administrator(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)
