"""The plan's initiatives in the search index (textsearch)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tsunagu.textsearch.index import DocumentField, register

from .models import Initiative, Responsibility

KIND = "plans.initiative"


def initiative_document(initiative: Initiative) -> list[DocumentField]:
    departments = " ".join(
        " ".join(filter(None, [r.organization.name, r.via.name if r.via else ""]))
        for r in initiative.responsibilities.all()
    )
    return [
        DocumentField("code", str(_("number")), initiative.code, "title"),
        DocumentField("title", str(_("title")), initiative.title, "title"),
        DocumentField("detail", str(_("detail")), initiative.detail),
        DocumentField("departments", str(_("departments")), departments),
        DocumentField(
            "measure",
            str(_("measure")),
            f"{initiative.measure.title} {initiative.measure.direction.title}",
        ),
    ]


def indexed_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.select_related("measure__direction").prefetch_related(
        "responsibilities__organization", "responsibilities__via"
    )


def register_initiatives() -> None:
    register(
        Initiative,
        kind=KIND,
        document=initiative_document,
        queryset=indexed_initiatives,
        dependents=[
            (Responsibility, lambda responsibility: [responsibility.initiative]),
        ],
    )
