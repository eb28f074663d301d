"""The shared house: organisations, areas, staff, memberships and the audit log."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Who created and last changed a record, and when."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class ArchivableQuerySet(models.QuerySet):
    def active(self) -> ArchivableQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> ArchivableQuerySet:
        return self.filter(archived_at__isnull=False)


class ArchivableModel(TimeStampedModel):
    """Sensitive records are archived with a reason, never deleted."""

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    archive_reason = models.TextField(_("reason for archiving"), blank=True, editable=False)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class User(AbstractUser):
    """A staff account. Residents never log in; they use links and codes."""

    display_name = models.CharField(_("name"), max_length=100, blank=True)
    display_name_kana = models.CharField(_("name (kana)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_active and self.is_superuser


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        CITY_DEPARTMENT = "city_department", _("City department (部)")
        CITY_DIVISION = "city_division", _("City division (課・室)")
        COUNCIL = "council", _("Social welfare council (社協)")
        PUBLIC_AGENCY = "public_agency", _("Public agency")
        CARE_CENTRE = "care_centre", _("Community general support centre")
        PARTNER_BUSINESS = "partner_business", _("Partner business")
        COMMUNITY_GROUP = "community_group", _("Community group")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown to residents on public pages.")
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_order", "name_kana", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be its own ancestor.")})
            ancestor = ancestor.parent


class OrganizationAlias(models.Model):
    """Another spelling of an organisation's name (広聴広報課 for 広報広聴課).

    Imports merge an alias into its organisation and say so; a spelling that is
    merely similar is reported, never merged by guesswork.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    alias = models.CharField(_("alias"), max_length=200, unique=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organisation alias")
        verbose_name_plural = _("organisation aliases")
        ordering = ["alias"]

    def __str__(self) -> str:
        return f"{self.alias} → {self.organization.name}"

    def clean(self) -> None:
        if Organization.objects.filter(name=self.alias).exists():
            raise ValidationError(
                {"alias": _("An organisation already has this name; an alias must be new.")}
            )


class Area(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City")
        REGION = "region", _("Area (地域)")
        WELFARE_COMMISSIONER_DISTRICT = (
            "welfare_commissioner_district",
            _("Welfare commissioner district (民生委員地区)"),
        )
        NEIGHBOURHOOD_ASSOCIATION = (
            "neighbourhood_association",
            _("Neighbourhood association area (自治会・町内会)"),
        )

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def descendant_ids(self) -> set[int]:
        """This area and every area below it (one query per level)."""
        ids = {self.pk}
        frontier = {self.pk}
        while frontier:
            frontier = set(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids |= frontier
        return ids


class Membership(TimeStampedModel):
    """A user's role in an organisation; roles scope what a user may see and do."""

    class Role(models.TextChoices):
        PLAN_OFFICER = "plan_officer", _("Plan officer")
        MANAGER = "manager", _("Department manager")
        INTAKE = "intake", _("Intake staff")
        CASEWORKER = "caseworker", _("Caseworker")
        DISASTER_OFFICER = "disaster_officer", _("Disaster officer")
        COUNCIL_STAFF = "council_staff", _("Social welfare council staff")
        AGENCY_STAFF = "agency_staff", _("Outside agency staff")
        WELFARE_COMMISSIONER = "welfare_commissioner", _("Welfare commissioner (民生委員)")
        ROSTER_HOLDER = "roster_holder", _("Neighbourhood association roster holder")
        PARTNER_REPORTER = "partner_reporter", _("Partner business reporter")
        AUDITOR = "auditor", _("Auditor")
        DIRECTORY_EDITOR = "directory_editor", _("Directory editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=_("For roles limited to an area, such as a welfare commissioner's district."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="core_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization} ({self.get_role_display()})"


class AuditEvent(models.Model):
    """One line of the append-only audit log.

    The database refuses UPDATE and DELETE on this table (triggers installed by
    migration 0002), so history cannot be rewritten, not even from the shell.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(_("who (as shown then)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=300, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("Audit events are append-only.")


class LoginAttempt(models.Model):
    """Failed and successful logins, used for lockout and kept for the auditor."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'failed'}"
