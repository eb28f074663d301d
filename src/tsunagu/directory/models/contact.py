"""How to reach a service: contacts, phone lines and the languages spoken."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import HsdsRecord, at_least_one, language_code_validator
from .location import Location, ServiceAtLocation
from .organization import Organization
from .service import Service


class Contact(HsdsRecord):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        verbose_name=_("service at a location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(
        pgettext_lazy("job title of a contact person", "title"), max_length=200, blank=True
    )
    department = models.CharField(
        pgettext_lazy("department a contact person works in", "department"),
        max_length=200,
        blank=True,
    )
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=at_least_one(
                    "organization", "service", "service_at_location", "location"
                ),
                name="directory_contact_has_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.department or self.title or self.email or str(self.uuid)


class PhoneType(models.TextChoices):
    VOICE = "voice", _("voice")
    FAX = "fax", _("fax")
    TEXT = "text", _("text message")
    CELL = "cell", _("mobile")
    VIDEO = "video", _("video")
    PAGER = "pager", _("pager")
    TEXTPHONE = "textphone", _("textphone")


class Phone(HsdsRecord):
    PhoneType = PhoneType

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        verbose_name=_("service at a location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phones",
    )
    number = models.CharField(_("number"), max_length=30)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(
        _("type"), max_length=10, choices=PhoneType.choices, default=PhoneType.VOICE
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=at_least_one(
                    "organization", "service", "location", "service_at_location", "contact"
                ),
                name="directory_phone_has_parent",
            ),
            models.CheckConstraint(
                condition=Q(type__in=PhoneType.values),
                name="directory_phone_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.extension})" if self.extension else self.number


class Language(HsdsRecord):
    """A language a service, location or phone line is offered in."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="languages",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="languages",
    )
    phone = models.ForeignKey(
        Phone,
        verbose_name=_("phone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="languages",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    code = models.CharField(
        _("code"),
        max_length=20,
        blank=True,
        validators=[language_code_validator],
        help_text=_("ISO 639-1 where there is one, e.g. “en”, “zh”, “vi”."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=at_least_one("service", "location", "phone"),
                name="directory_language_has_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.code
