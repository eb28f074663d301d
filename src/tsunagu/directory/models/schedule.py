"""Opening hours (HSDS schedule); ``directory.schedules`` reads them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tsunagu.directory import schedules

from .base import HsdsRecord, at_least_one, validate_byday, validate_bymonthday
from .location import Location, ServiceAtLocation
from .service import Service


class Frequency(models.TextChoices):
    WEEKLY = schedules.WEEKLY, _("weekly")
    MONTHLY = schedules.MONTHLY, _("monthly")


class Weekday(models.TextChoices):
    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


class Schedule(HsdsRecord):
    """When a service or location is open: an RFC 5545 rule plus Japan's holidays.

    ``directory.schedules`` reads it (``is_open``, ``next_opening``, ``describe``).
    """

    Freq = Frequency
    Weekday = Weekday

    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        verbose_name=_("service at a location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dtstart = models.DateField(
        _("first date"),
        null=True,
        blank=True,
        help_text=_("Needed when the interval is more than 1: counting starts here."),
    )
    timezone = models.DecimalField(
        _("UTC offset"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Kept for HSDS exchange; tsunagu reads every schedule in Japan time."),
    )
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveIntegerField(_("number of occurrences"), null=True, blank=True)
    wkst = models.CharField(_("week starts on"), max_length=2, choices=Weekday.choices, blank=True)
    freq = models.CharField(_("frequency"), max_length=10, choices=Freq.choices, blank=True)
    interval = models.PositiveSmallIntegerField(
        _("interval"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("2 with a weekly frequency means every other week."),
    )
    byday = models.CharField(
        _("weekdays"),
        max_length=100,
        blank=True,
        validators=[validate_byday],
        help_text=_("e.g. “MO,WE,FR”; monthly: “2WE” (second Wednesday), “-1FR” (last Friday)."),
    )
    bymonthday = models.CharField(
        _("days of the month"),
        max_length=100,
        blank=True,
        validators=[validate_bymonthday],
        help_text=_("e.g. “1,15”; “-1” is the last day of the month."),
    )
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    open_24h = models.BooleanField(_("open 24 hours"), default=False)
    closed_on_holidays = models.BooleanField(_("closed on public holidays"), default=False)
    closed_year_end = models.BooleanField(
        _("closed over the New Year holidays"),
        default=False,
        help_text=_("年末年始: 29 December to 3 January."),
    )
    description = models.TextField(_("description"), blank=True)
    schedule_link = models.URLField(_("schedule link"), blank=True)
    attending_type = models.CharField(_("how to attend"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=at_least_one("service", "location", "service_at_location"),
                name="directory_schedule_has_parent",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True, closes_at__isnull=True)
                | Q(opens_at__isnull=False, closes_at__isnull=False),
                name="directory_schedule_opens_and_closes",
            ),
            models.CheckConstraint(
                condition=Q(open_24h=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(opens_at__lt=F("closes_at")),
                name="directory_schedule_opens_before_closes",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=F("valid_to")),
                name="directory_schedule_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1), name="directory_schedule_interval_positive"
            ),
            models.CheckConstraint(
                condition=Q(freq__in=["", *Frequency.values]), name="directory_schedule_freq_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            bydays = schedules.parse_byday(self.byday)
        except ValueError:
            bydays = []  # the field validator reports it
        if self.freq == self.Freq.WEEKLY:
            if any(part.ordinal is not None for part in bydays):
                errors["byday"] = _(
                    "Ordinals such as “2WE” need a monthly frequency; weekly takes plain weekdays."
                )
            if self.bymonthday:
                errors["bymonthday"] = _("Days of the month need a monthly frequency.")
        if (self.interval or 1) > 1 and self.dtstart is None and self.valid_from is None:
            errors["dtstart"] = _("An interval of more than 1 needs a first date to count from.")
        if (
            self.opens_at is not None
            and self.closes_at is not None
            and not self.open_24h
            and self.opens_at >= self.closes_at
        ):
            errors["closes_at"] = _(
                "Closing time must be after opening time; split hours past midnight into two schedules."
            )
        if (self.opens_at is None) != (self.closes_at is None):
            errors["closes_at" if self.closes_at is None else "opens_at"] = _(
                "Give both opening and closing times, or neither."
            )
        if not (self.service_id or self.location_id or self.service_at_location_id):
            errors["__all__"] = _("A schedule belongs to a service, a location or both.")
        if errors:
            raise ValidationError(errors)

    def describe(self, language: str | None = None) -> str:
        return schedules.describe(self, language)

    def is_open(self, at: datetime) -> bool:
        return schedules.is_open([self], at)
