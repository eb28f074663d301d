"""Providers: HSDS organizations and their translations."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tsunagu.core.models import TimeStampedModel

from .base import ORIGINAL_LANGUAGE, HsdsRecord, language_code_validator, translate_field


class Organization(HsdsRecord, TimeStampedModel):
    """A provider in the directory (HSDS organization).

    Distinct from ``core.Organization`` (the units that use tsunagu); a provider
    that receives referrals links to its unit through ``core_organization``.
    """

    TRANSLATED_FIELDS: ClassVar[tuple[str, ...]] = ("name", "description")

    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    legal_status = models.CharField(
        _("legal status"),
        max_length=100,
        blank=True,
        help_text=_("For example 社会福祉法人, NPO法人, 一般社団法人 or 任意団体."),
    )
    year_incorporated = models.PositiveSmallIntegerField(
        _("year incorporated"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2200)],
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    core_organization = models.OneToOneField(
        "core.Organization",
        verbose_name=_("tsunagu organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_organization",
        help_text=_("The division or agency in tsunagu that receives referrals for this provider."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("directory organisation")
        verbose_name_plural = _("directory organisations")
        ordering = ["name_kana", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="directory_organization_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be its own ancestor.")})
            ancestor = ancestor.parent

    def translated(self, field: str, language: str | None = None) -> str:
        return translate_field(self, field, language)


class OrganizationTranslation(HsdsRecord):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    language = models.CharField(_("language"), max_length=20, validators=[language_code_validator])
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation translation")
        verbose_name_plural = _("organisation translations")
        ordering = ["organization", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "language"],
                name="directory_organizationtranslation_unique_language",
            ),
            models.CheckConstraint(
                condition=~Q(language=ORIGINAL_LANGUAGE),
                name="directory_organizationtranslation_not_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} [{self.language}]"
