"""Classification: taxonomies (service categories) and target groups."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import HsdsRecord, language_candidates


class Taxonomy(HsdsRecord):
    """A vocabulary of service categories, e.g. tsunagu-welfare v1 (loaded from YAML)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("URI"), blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="directory_taxonomy_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class TaxonomyTerm(HsdsRecord):
    taxonomy = models.ForeignKey(
        Taxonomy, verbose_name=_("taxonomy"), on_delete=models.CASCADE, related_name="terms"
    )
    code = models.CharField(_("code"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["taxonomy", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "code"], name="directory_taxonomyterm_unique_code"
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="directory_taxonomyterm_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent is not None and self.parent.taxonomy_id != self.taxonomy_id:
            raise ValidationError({"parent": _("A parent term must be in the same taxonomy.")})
        ancestor = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A term cannot be its own ancestor.")})
            ancestor = ancestor.parent

    def display_name(self, language: str | None = None) -> str:
        """The English name for English readers, the Japanese name otherwise."""
        if self.name_en and language_candidates(language)[-1] == "en":
            return self.name_en
        return self.name


class TargetGroup(HsdsRecord):
    """Who a service is for (高齢者, 外国人 …), seeded from ``data/target_groups.yaml``."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str | None = None) -> str:
        if self.name_en and language_candidates(language)[-1] == "en":
            return self.name_en
        return self.name
