"""Human labels for the directory's audit action codes and snapshot keys, shown as history."""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from django.utils.translation import gettext as _

from .models import Service


def label_for(action: str) -> str:
    labels = {
        "directory.service.created": _("Service created"),
        "directory.service.updated": _("Details changed"),
        "directory.service.verified": _("Marked as verified"),
        "directory.service.status_changed": _("Status changed"),
        "directory.service.imported": _("Imported"),
        "directory.services.exported": _("List exported"),
        "directory.services.imported": _("Services imported"),
    }
    return labels.get(action, action)


def field_label(key: str) -> str:
    """The label of a key of ``directory.services.snapshot`` (``en.name`` → "name (en)")."""
    labels = {
        "organization": _("organisation"),
        "target_groups": _("who it is for"),
        "taxonomy_terms": _("categories"),
        "initiatives": _("plan initiatives"),
        "service_areas": _("service areas"),
        "locations": _("places"),
        "confidential_locations": _("places with a confidential address"),
        "confidential_addresses": _("confidential addresses"),
        "phones": _("phones"),
        "schedules": _("opening hours"),
        "cost_options": _("fees"),
        "required_documents": _("required documents"),
    }
    if key in labels:
        return labels[key]
    language, dot, name = key.partition(".")
    if dot:
        return _("%(field)s (%(language)s)") % {"field": _model_label(name), "language": language}
    return _model_label(key)


def _model_label(name: str) -> str:
    try:
        return str(cast(models.Field[Any, Any], Service._meta.get_field(name)).verbose_name)
    except Exception:
        return name
