"""A service's modification time follows its nested records.

`Service.updated_at` is HSDS ``last_modified`` and what the API's ``modified_after``
filter compares, and a service's HSDS object nests its phones, hours, places and the
rest: a reader that syncs by ``last_modified`` must see a change to any of them. So
saving or deleting one of those records bumps the services it belongs to, directly
or through a place (every service at that place) — one UPDATE, no per-row saves, so
nothing else (the search index, the audit log) runs for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Language,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
)

# How each nested record reaches its services: the owner fields it may have set.
# A phone can belong to a contact and a language to a phone, which belong in turn.
OWNERS: dict[type[models.Model], tuple[str, ...]] = {
    ServiceTranslation: ("service",),
    CostOption: ("service",),
    RequiredDocument: ("service",),
    ServiceArea: ("service",),
    # Only its own service: the place's other services do not change.
    ServiceAtLocation: ("service",),
    Contact: ("service", "service_at_location", "location"),
    Phone: ("service", "service_at_location", "location", "contact"),
    Schedule: ("service", "service_at_location", "location"),
    Language: ("service", "location", "phone"),
    Address: ("location",),
    Accessibility: ("location",),
}

Ids = Callable[[str], Any]  # an owner field → the ids it holds (a list or a subquery)


def _column_of(model: type[models.Model], pks: Any) -> Ids:
    """The owner ids of the rows of ``model`` with these pks, as subqueries."""
    rows = model._default_manager.filter(pk__in=pks)
    return lambda name: rows.values(f"{name}_id")


def _services_reached(owners: Iterable[str], ids: Ids) -> Q:
    """The services that records belong to through their ``owners`` fields, as a condition."""
    condition = Q()
    for owner in owners:
        if owner == "service":
            condition |= Q(pk__in=ids("service"))
        elif owner == "service_at_location":
            links = ServiceAtLocation.objects.filter(pk__in=ids("service_at_location"))
            condition |= Q(pk__in=links.values("service_id"))
        elif owner == "location":
            links = ServiceAtLocation.objects.filter(location__in=ids("location"))
            condition |= Q(pk__in=links.values("service_id"))
        else:
            # A contact or phone: its row is still there when this record is deleted with
            # it (Django deletes the dependent rows first).
            parent: type[models.Model] = Contact if owner == "contact" else Phone
            condition |= _services_reached(OWNERS[parent], _column_of(parent, ids(owner)))
    return condition


def services_of(instance: models.Model) -> Q | None:
    """The services ``instance`` is part of, as a condition; None when it belongs to none."""
    if isinstance(instance, Location):
        links = ServiceAtLocation.objects.filter(location_id=instance.pk)
        return Q(pk__in=links.values("service_id"))
    # The owner ids are read off the instance: when it was deleted its row is gone.
    given = {
        owner: value
        for owner in OWNERS[type(instance)]
        if (value := getattr(instance, f"{owner}_id")) is not None
    }
    if not given:
        return None
    return _services_reached(given, lambda name: [given[name]])


def touch_services(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures bring their own times
    condition = services_of(instance)
    if condition is not None:
        Service.objects.filter(condition).update(updated_at=timezone.now())


def connect() -> None:
    senders: list[type[models.Model]] = [*OWNERS, Location]
    for model in senders:
        uid = f"directory.touch_services:{model._meta.label}"
        post_save.connect(touch_services, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(touch_services, sender=model, dispatch_uid=f"{uid}:delete")
