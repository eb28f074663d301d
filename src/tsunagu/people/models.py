"""Residents (住民), households (世帯), consent (同意) and protection (支援措置).

Casework, safety and community build on these; nothing here knows about them.
Writes go through ``people.services`` (audited); reads of contact details go
through ``people.policies`` (a protected person's address and contacts are shown
only to the protecting organisation).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.models import ArchivableModel, ArchivableQuerySet, Organization, TimeStampedModel

from .names import kana_key, name_key, validate_kana

postal_code_validator = RegexValidator(r"^\d{3}-?\d{4}$", _("Use a postal code such as 248-8686."))
phone_validator = RegexValidator(
    r"^\+?[0-9()\- ]{6,20}$", _("Use digits and hyphens, such as 0467-23-3000.")
)


class Sex(models.TextChoices):
    """As on the national 相談受付票: 男 / 女 / その他, and 不明 when not known or not said."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown or not stated")


class ProtectionBasis(models.TextChoices):
    """Why a person's address is protected (住民基本台帳事務における支援措置 and similar)."""

    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence (DV)")
    STALKING = "stalking", _("Stalking")
    CHILD_ABUSE = "child_abuse", _("Child abuse")
    OTHER = "other", _("Other comparable danger")


class PersonQuerySet(ArchivableQuerySet):
    def current(self) -> PersonQuerySet:
        """Neither archived nor merged into another record."""
        return self.filter(archived_at__isnull=True, merged_into__isnull=True)


PersonManager = models.Manager.from_queryset(PersonQuerySet)


class Person(ArchivableModel):
    """A resident the city supports or keeps on a register.

    ``kana_key`` and ``name_key`` are derived in :meth:`save` (see ``people.names``).
    ``version`` counts saves made through ``people.locking.save_with_version`` so
    that an edit based on an old copy is refused rather than silently overwriting.

    Protection (``is_protected``): the address and contacts are hidden from everyone
    outside ``protecting_organization`` — administrators included — and never
    exported. ``protected_until`` is the date the measure is due for renewal; it
    does not lift protection by itself, since an expired flag failing open would
    reveal the address. Protection ends only when someone lifts it.
    """

    Sex = Sex
    ProtectionBasis = ProtectionBasis

    # Fields hidden from users outside the protecting organisation and never written
    # to the audit log for a protected person (``people.policies``, ``people.services``).
    CONTACT_FIELDS = ("postal_code", "address", "area", "phone", "mobile_phone", "email")
    PROTECTION_FIELDS = (
        "is_protected",
        "protecting_organization",
        "protection_basis",
        "protected_from",
        "protected_until",
    )

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    family_name = models.CharField(_("family name"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name_kana = models.CharField(
        _("family name (kana)"), max_length=100, blank=True, validators=[validate_kana]
    )
    given_name_kana = models.CharField(
        _("given name (kana)"), max_length=100, blank=True, validators=[validate_kana]
    )
    birth_date = models.DateField(
        _("date of birth"), null=True, blank=True, help_text=_("Leave empty if not known.")
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    postal_code = models.CharField(
        _("postal code"), max_length=8, blank=True, validators=[postal_code_validator]
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    area = models.ForeignKey(
        "core.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
    )
    phone = models.CharField(
        _("telephone"), max_length=20, blank=True, validators=[phone_validator]
    )
    mobile_phone = models.CharField(
        _("mobile phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("email"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    kana_key = models.CharField(
        _("reading (search key)"), max_length=200, db_index=True, editable=False
    )
    name_key = models.CharField(
        _("name (search key)"), max_length=200, db_index=True, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        editable=False,
    )

    is_protected = models.BooleanField(
        _("protected (support measure)"),
        default=False,
        help_text=_(
            "Under a support measure (DV and similar): the address and contacts are shown "
            "only to the protecting organisation and are never exported."
        ),
    )
    protecting_organization = models.ForeignKey(
        Organization,
        verbose_name=_("protecting organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="protected_persons",
    )
    protection_basis = models.CharField(
        _("basis of protection"), max_length=20, choices=ProtectionBasis.choices, blank=True
    )
    protected_from = models.DateField(_("protected from"), null=True, blank=True)
    protected_until = models.DateField(
        _("protection due for renewal"),
        null=True,
        blank=True,
        help_text=_("Protection stays in force after this date until someone lifts it."),
    )

    objects: ClassVar[PersonManager] = PersonManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["kana_key", "name_key", "pk"]
        indexes = [
            models.Index(fields=["kana_key", "birth_date"], name="people_person_kana_birth"),
            models.Index(fields=["name_key", "birth_date"], name="people_person_name_birth"),
            models.Index(fields=["birth_date"], name="people_person_birth"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_protected=False) | Q(protecting_organization__isnull=False),
                name="people_person_protected_has_organization",
                violation_error_message=_("A protected person needs a protecting organisation."),
            ),
            models.CheckConstraint(
                condition=Q(protected_from__isnull=True)
                | Q(protected_until__isnull=True)
                | Q(protected_until__gte=F("protected_from")),
                name="people_person_protection_period",
                violation_error_message=_("Protection cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="people_person_version_positive"
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="people_person_sex_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}".strip()

    def compute_keys(self) -> None:
        self.kana_key = kana_key(f"{self.family_name_kana}{self.given_name_kana}")
        self.name_key = name_key(f"{self.family_name}{self.given_name}")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.compute_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "kana_key", "name_key"}
        super().save(*args, **kwargs)


class Household(ArchivableModel):
    """A 世帯: people living together, as the city records them (not only 住民票 households).

    The address is a household's, so it is hidden like a protected person's when a
    current member is protected (``people.policies.can_see_household_address``).
    """

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("How staff refer to it, e.g. 高橋さん世帯.")
    )
    postal_code = models.CharField(
        _("postal code"), max_length=8, blank=True, validators=[postal_code_validator]
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    area = models.ForeignKey(
        "core.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
    )
    notes = models.TextField(_("notes"), blank=True)
    members: models.ManyToManyField[Person, HouseholdMember] = models.ManyToManyField(
        Person, through="HouseholdMember", related_name="households", verbose_name=_("members")
    )

    ADDRESS_FIELDS = ("postal_code", "address", "area")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Relationship(models.TextChoices):
    """続柄: the member's relation to the head of the household (世帯主)."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other")


class HouseholdMemberQuerySet(models.QuerySet["HouseholdMember"]):
    def current(self, on: datetime.date | None = None) -> HouseholdMemberQuerySet:
        """Memberships in force on ``on`` (today by default)."""
        day = on or timezone.localdate()
        return self.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=day)).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=day)
        )


class HouseholdMember(TimeStampedModel):
    """A person in a household for a time; a person may belong to several over the years."""

    Relationship = Relationship

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="household_memberships",
    )
    relationship = models.CharField(
        _("relationship to the head"), max_length=20, choices=Relationship.choices
    )
    is_head = models.BooleanField(_("head of household"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "-is_head", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person"],
                condition=Q(left_on__isnull=True),
                name="people_householdmember_one_open_membership",
                violation_error_message=_("This person is already a member of this household."),
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_head=True, left_on__isnull=True),
                name="people_householdmember_one_head",
                violation_error_message=_("This household already has a head."),
            ),
            models.CheckConstraint(
                condition=Q(is_head=True, relationship=Relationship.HEAD)
                | (Q(is_head=False) & ~Q(relationship=Relationship.HEAD)),
                name="people_householdmember_head_consistent",
                violation_error_message=_(
                    "The head of household has the relationship “head of household”, "
                    "and only the head has it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True)
                | Q(left_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="people_householdmember_period",
                violation_error_message=_("A member cannot leave before joining."),
            ),
            models.CheckConstraint(
                condition=Q(relationship__in=Relationship.values),
                name="people_householdmember_relationship_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.household} ({self.get_relationship_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.is_head = self.relationship == Relationship.HEAD
        super().save(*args, **kwargs)


# -- consent ---------------------------------------------------------------------------------------


class ConsentPurpose(models.TextChoices):
    INFORMATION_SHARING = "information_sharing", _("Information sharing (情報共有)")
    REFERRAL = (
        "referral",
        _("Contacting and referring to other agencies (関係機関への連絡・つなぎ)"),
    )
    MULTI_AGENCY_CONFERENCE = (
        "multi_agency_conference",
        _("Multi-agency support conference (重層的支援会議)"),
    )
    ROSTER_LISTING = (
        "roster_listing",
        _("Listing on the evacuation support roster (避難行動要支援者名簿への掲載)"),
    )
    ROSTER_SHARING_NORMAL_TIMES = (
        "roster_sharing_normal_times",
        _("Sharing the roster in normal times (平常時の名簿提供)"),
    )
    EVACUATION_PLAN = (
        "evacuation_plan",
        _("Making an individual evacuation plan (個別避難計画の作成)"),
    )
    EVACUATION_PLAN_SHARING = (
        "evacuation_plan_sharing",
        _("Sharing the individual evacuation plan (個別避難計画の提供)"),
    )
    OTHER = "other", _("Other")


class RecipientClass(models.TextChoices):
    """Whom a consent lets the information go to."""

    ANY = "any", _("Anyone the purpose needs")
    CITY_DIVISION = "city_division", _("City divisions")
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("Social welfare council (社協)")
    OUTSIDE_AGENCY = "outside_agency", _("Outside agencies")
    NEIGHBOURHOOD_ASSOCIATION = (
        "neighbourhood_association",
        _("Neighbourhood associations (自治会・町内会)"),
    )
    WELFARE_COMMISSIONER = "welfare_commissioner", _("Welfare commissioners (民生委員)")
    SPECIFIC_ORGANIZATION = "specific_organization", _("One named organisation")


# The recipient class an organisation belongs to, by its kind. Community groups
# have none: whether one is a 自治会 is not written on the organisation, so a
# caller asking about one names the class (``recipient_class=``) itself.
RECIPIENT_CLASS_BY_ORGANIZATION_KIND: dict[str, str] = {
    Organization.Kind.CITY_DEPARTMENT: RecipientClass.CITY_DIVISION,
    Organization.Kind.CITY_DIVISION: RecipientClass.CITY_DIVISION,
    Organization.Kind.COUNCIL: RecipientClass.SOCIAL_WELFARE_COUNCIL,
    Organization.Kind.PUBLIC_AGENCY: RecipientClass.OUTSIDE_AGENCY,
    Organization.Kind.CARE_CENTRE: RecipientClass.OUTSIDE_AGENCY,
    Organization.Kind.PARTNER_BUSINESS: RecipientClass.OUTSIDE_AGENCY,
}


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written")
    ORAL = "oral", _("Oral")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def in_force(self, at: datetime.datetime | None = None) -> ConsentQuerySet:
        """Records made by ``at`` and not withdrawn by then."""
        moment = at or timezone.now()
        return self.filter(recorded_at__lte=moment).filter(
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=moment)
        )

    def covering(
        self, organization: Organization | None = None, recipient_class: str | None = None
    ) -> ConsentQuerySet:
        """Records whose recipient includes ``organization`` (or the ``recipient_class``)."""
        if recipient_class is None and organization is not None:
            recipient_class = RECIPIENT_CLASS_BY_ORGANIZATION_KIND.get(organization.kind)
        covers = Q(recipient_class=RecipientClass.ANY)
        if recipient_class is not None and recipient_class != RecipientClass.SPECIFIC_ORGANIZATION:
            covers |= Q(recipient_class=recipient_class)
        if organization is not None:
            covers |= Q(
                recipient_class=RecipientClass.SPECIFIC_ORGANIZATION,
                recipient_organization=organization,
            )
        return self.filter(covers)

    def current_for(
        self,
        person: Person,
        purpose: str,
        organization: Organization | None = None,
        at: datetime.datetime | None = None,
        *,
        recipient_class: str | None = None,
    ) -> Consent | None:
        """The record that decides whether ``person`` consents to ``purpose`` for a recipient.

        The latest record (by ``recorded_at``) for the purpose that was in force at
        ``at`` (now by default) and whose recipient covers ``organization`` — or
        ``recipient_class`` when the recipient is a class, such as 自治会 — decides:
        ``given`` True is consent, False a refusal. ``None`` means nobody has asked;
        callers treat that as no consent, but can tell the person has not refused.

        Withdrawn records do not count, so withdrawing the latest record lets an
        older one in force decide again (``people.services.withdraw_consent``).
        """
        return (
            self.filter(person=person, purpose=purpose)
            .in_force(at)
            .covering(organization, recipient_class)
            .order_by("-recorded_at", "-pk")
            .first()
        )

    def current_for_many(
        self,
        persons: Iterable[Person] | Iterable[int],
        purpose: str,
        organization: Organization | None = None,
        at: datetime.datetime | None = None,
        *,
        recipient_class: str | None = None,
    ) -> dict[int, Consent]:
        """:meth:`current_for` for many persons in one query: ``{person_id: record}``.

        Persons without a deciding record are absent from the result (for rosters).
        """
        ids = [item.pk if isinstance(item, Person) else item for item in persons]
        decided: dict[int, Consent] = {}
        records = (
            self.filter(person_id__in=ids, purpose=purpose)
            .in_force(at)
            .covering(organization, recipient_class)
            .order_by("person_id", "-recorded_at", "-pk")
        )
        for record in records:
            decided.setdefault(record.person_id, record)
        return decided


class Consent(TimeStampedModel):
    """One recorded answer of a person to one purpose and recipient: given or refused.

    Records are never edited or deleted; a change of mind is a new record, and a
    record made in error or revoked is withdrawn (``withdrawn_at``).
    """

    Purpose = ConsentPurpose
    RecipientClass = RecipientClass
    Method = ConsentMethod

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=ConsentPurpose.choices)
    recipient_class = models.CharField(
        _("recipient"), max_length=40, choices=RecipientClass.choices, default=RecipientClass.ANY
    )
    recipient_organization = models.ForeignKey(
        Organization,
        verbose_name=_("recipient organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only when the recipient is one named organisation."),
    )
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    given = models.BooleanField(_("consent given"), help_text=_("Unticked: the person refused."))
    recorded_at = models.DateTimeField(
        _("when the person answered"), default=timezone.now, db_index=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["person", "purpose", "-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "purpose", "recorded_at"], name="people_consent_lookup")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        recipient_class=RecipientClass.SPECIFIC_ORGANIZATION,
                        recipient_organization__isnull=False,
                    )
                    | (
                        ~Q(recipient_class=RecipientClass.SPECIFIC_ORGANIZATION)
                        & Q(recipient_organization__isnull=True)
                    )
                ),
                name="people_consent_recipient_organization",
                violation_error_message=_(
                    "Name the organisation exactly when the recipient is one named organisation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("recorded_at")),
                name="people_consent_withdrawn_after_recorded",
                violation_error_message=_("A consent cannot be withdrawn before it was given."),
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=ConsentPurpose.values)
                & Q(recipient_class__in=RecipientClass.values)
                & Q(method__in=ConsentMethod.values),
                name="people_consent_codes_valid",
            ),
        ]

    def __str__(self) -> str:
        answer = _("given") if self.given else _("refused")
        return f"{self.person} — {self.get_purpose_display()} ({answer})"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def recipient_display(self) -> str:
        if self.recipient_organization is not None:
            return str(self.recipient_organization)
        return str(self.get_recipient_class_display())
