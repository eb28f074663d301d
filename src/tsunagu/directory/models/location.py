"""Places: locations (addresses hidden when confidential), accessibility, services at them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tsunagu.core.models import TimeStampedModel

from .base import HsdsRecord
from .organization import Organization
from .service import Service


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("physical")
    POSTAL = "postal", _("postal")
    VIRTUAL = "virtual", _("virtual")


class Location(HsdsRecord, TimeStampedModel):
    LocationType = LocationType

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="locations",
    )
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    location_type = models.CharField(
        _("location type"),
        max_length=10,
        choices=LocationType.choices,
        default=LocationType.PHYSICAL,
    )
    url = models.URLField(_("web address"), blank=True, help_text=_("For virtual locations."))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    area = models.ForeignKey(
        "core.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directory_locations",
        help_text=_("The area (地域) or district the location lies in."),
    )
    transportation = models.TextField(_("access"), blank=True)
    is_sensitive = models.BooleanField(
        _("confidential address"),
        default=False,
        help_text=_(
            "For shelters and similar places: the address and position are never shown publicly."
        ),
    )
    external_identifier = models.CharField(_("external identifier"), max_length=100, blank=True)
    external_identifier_type = models.CharField(
        _("external identifier type"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name_kana", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="directory_location_coordinates",
            ),
            models.CheckConstraint(
                condition=Q(location_type__in=LocationType.values),
                name="directory_location_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def public_address(self) -> Address | None:
        """The address to show the public (physical first); None for a confidential location.

        Reads ``self.addresses.all()``, so lists prefetch ``addresses``.
        """
        if self.is_sensitive:
            return None
        addresses = list(self.addresses.all())
        order: dict[str, int] = {LocationType.PHYSICAL: 0, LocationType.POSTAL: 1}
        addresses.sort(key=lambda address: (order.get(address.address_type, 2), address.pk or 0))
        return addresses[0] if addresses else None

    def public_coordinates(self) -> tuple[Decimal, Decimal] | None:
        """Latitude and longitude for a public map; None for a confidential location."""
        if self.is_sensitive or self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


class Address(HsdsRecord):
    AddressType = LocationType

    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.CASCADE, related_name="addresses"
    )
    attention = models.CharField(_("attention"), max_length=200, blank=True)
    address_1 = models.CharField(
        _("address"), max_length=300, help_text=_("Town, block and number, e.g. 御成町18-10.")
    )
    address_2 = models.CharField(
        _("address (building)"), max_length=300, blank=True, help_text=_("Building and room.")
    )
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    state_province = models.CharField(_("prefecture"), max_length=100)
    postal_code = models.CharField(
        _("postal code"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{3}-?\d{4}$", _("Use a postal code such as 248-8686."))],
    )
    country = models.CharField(_("country"), max_length=2, default="JP")
    address_type = models.CharField(
        _("address type"),
        max_length=10,
        choices=AddressType.choices,
        default=AddressType.PHYSICAL,
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["location", "address_type", "pk"]

    def __str__(self) -> str:
        return self.formatted()

    def formatted(self) -> str:
        """In Japanese order: 〒248-8686 神奈川県鎌倉市御成町18-10 本庁舎."""
        postal = f"〒{self.postal_code} " if self.postal_code else ""
        line = f"{self.state_province}{self.region}{self.city}{self.address_1}"
        return f"{postal}{line} {self.address_2}".strip()


class ServiceAtLocation(HsdsRecord):
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        ordering = ["service", "location"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="directory_serviceatlocation_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Accessibility(HsdsRecord):
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="accessibility",
    )
    description = models.TextField(_("description"), blank=True)
    details = models.TextField(_("details"), blank=True)
    url = models.URLField(_("web page"), blank=True)

    class Meta:
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:80] or str(self.location)
