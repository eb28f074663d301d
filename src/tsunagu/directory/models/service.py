"""Services, their translations and their terms of use (costs, documents, areas)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagu.core.models import TimeStampedModel

from .base import ORIGINAL_LANGUAGE, HsdsRecord, language_code_validator, translate_field
from .organization import Organization
from .taxonomy import TargetGroup, TaxonomyTerm

# A service whose details nobody has confirmed for this long is flagged for checking.
VERIFY_AFTER = timedelta(days=365)


class ServiceQuerySet(models.QuerySet):
    def needing_verification(self, now: datetime | None = None) -> ServiceQuerySet:
        """Services never verified, or last verified more than ``VERIFY_AFTER`` ago."""
        cutoff = (now or timezone.now()) - VERIFY_AFTER
        return self.filter(Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=cutoff))


ServiceManager = models.Manager.from_queryset(ServiceQuerySet)


class ServiceStatus(models.TextChoices):
    """HSDS service status values, spelt as HSDS spells them."""

    ACTIVE = "active", pgettext_lazy("service status", "active")
    INACTIVE = "inactive", _("inactive")
    DEFUNCT = "defunct", _("defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")


class Service(HsdsRecord, TimeStampedModel):
    Status = ServiceStatus

    TRANSLATED_FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "description",
        "eligibility_description",
        "application_process",
        "fees_description",
    )

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        pgettext_lazy("service status", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.ACTIVE,
    )
    interpretation_services = models.TextField(_("interpretation services"), blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    fees_description = models.TextField(_("fees"), blank=True)
    eligibility_description = models.TextField(_("who can use it"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    alert = models.CharField(
        _("notice"),
        max_length=300,
        blank=True,
        help_text=_("A short, temporary notice, e.g. a change of hours."),
    )
    accreditations = models.TextField(_("accreditations"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="services"
    )
    taxonomy_terms = models.ManyToManyField(
        TaxonomyTerm, verbose_name=_("categories"), blank=True, related_name="services"
    )
    initiatives = models.ManyToManyField(
        "plans.Initiative",
        verbose_name=_("plan initiatives"),
        blank=True,
        related_name="directory_services",
        help_text=_("The plan initiatives this service serves."),
    )
    last_verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects: ClassVar[ServiceManager] = ServiceManager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name_kana", "name"]
        indexes = [
            models.Index(fields=["status"], name="directory_service_status"),
            models.Index(fields=["last_verified_at"], name="directory_service_verified"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=F("maximum_age")),
                name="directory_service_age_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ServiceStatus.values),
                name="directory_service_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def needs_verification(self, now: datetime | None = None) -> bool:
        """Never verified, or last verified more than ``VERIFY_AFTER`` before ``now``."""
        if self.last_verified_at is None:
            return True
        return self.last_verified_at < (now or timezone.now()) - VERIFY_AFTER

    def translated(self, field: str, language: str | None = None) -> str:
        """``field`` in ``language``, falling back to the Japanese original."""
        return translate_field(self, field, language)


class ServiceTranslation(HsdsRecord):
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=20, validators=[language_code_validator])
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    eligibility_description = models.TextField(_("who can use it"), blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    fees_description = models.TextField(_("fees"), blank=True)

    class Meta:
        verbose_name = _("service translation")
        verbose_name_plural = _("service translations")
        ordering = ["service", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "language"], name="directory_servicetranslation_unique_language"
            ),
            models.CheckConstraint(
                condition=~Q(language=ORIGINAL_LANGUAGE),
                name="directory_servicetranslation_not_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} [{self.language}]"


class CostOption(HsdsRecord):
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="cost_options",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    option = models.CharField(_("option"), max_length=200, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="JPY")
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_description = models.CharField(_("amount description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")
        ordering = ["service", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="directory_costoption_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=F("valid_to")),
                name="directory_costoption_valid_range",
            ),
        ]

    def __str__(self) -> str:
        amount = f"{self.amount:,.0f} {self.currency}" if self.amount is not None else ""
        return " ".join(part for part in (self.option, amount or self.amount_description) if part)


class RequiredDocument(HsdsRecord):
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="required_documents",
    )
    document = models.CharField(_("document"), max_length=300)
    uri = models.URLField(_("web page"), blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["service", "pk"]

    def __str__(self) -> str:
        return self.document


class ServiceArea(HsdsRecord):
    """Where a service is offered. A service with no rows here serves the whole city."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="service_areas",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        "core.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directory_service_areas",
        help_text=_("One of the city's areas (地域) or districts."),
    )

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        ordering = ["service", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "area"],
                condition=Q(area__isnull=False),
                name="directory_servicearea_unique_area",
            )
        ]

    def __str__(self) -> str:
        return self.name or (self.area.name if self.area else str(self.service))
