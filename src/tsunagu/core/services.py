"""Writes that every module shares: the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from .models import AuditEvent, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def log_action(
    action: str,
    *,
    actor: User | None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one audit event. ``action`` is a dotted code such as ``plans.progress.approved``."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_repr=str(actor) if actor is not None else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        purpose=purpose,
        data=data or {},
        ip_address=client_ip(request),
    )


def history_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """The audit events about one record, newest first."""
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose values differ."""
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }
