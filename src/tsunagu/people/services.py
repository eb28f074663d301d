"""Writes to persons, households and consent, each in one transaction and audited.

Audit data follows the house shape ``{"changes": {field: [old, new]}}``. For a
protected person (protected before or after the write) the values of
``Person.CONTACT_FIELDS`` are never written to the log: their names go under
``"hidden_fields_changed"`` instead, so the history says *that* the address
changed and not what it is. The audit log is append-only; a value written there
could never be taken back.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.core.models import AuditEvent, Organization, User
from tsunagu.core.policies import AnyUser
from tsunagu.core.services import field_changes, log_action
from tsunagu.core.wareki import WarekiError, parse_date

from .locking import StaleEditError, save_with_version
from .merging import merge_hooks
from .models import Consent, Household, HouseholdMember, Person, RecipientClass
from .names import is_kana, kana_key, name_key, phone_digits
from .policies import can_see_contact_details, is_exportable_household_address

__all__ = [
    "DuplicateReason",
    "MergeError",
    "StaleEditError",
    "archive_person",
    "create_person",
    "find_duplicates",
    "merge_persons",
    "person_history",
    "record_consent",
    "save_household",
    "save_household_member",
    "search_persons",
    "update_person",
    "withdraw_consent",
]

PERSON_FIELDS = (
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "sex",
    *Person.CONTACT_FIELDS,
    "notes",
    *Person.PROTECTION_FIELDS,
)
HOUSEHOLD_FIELDS = ("name", *Household.ADDRESS_FIELDS, "notes")
MEMBER_FIELDS = ("household", "person", "relationship", "joined_on", "left_on")


class MergeError(ValueError):
    """Two records cannot be merged as asked; the message says why, for the user."""


# -- snapshots for the audit log ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {field: _plain(getattr(obj, field)) for field in fields}


def _audit_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], *, hide: Iterable[str] = ()
) -> dict[str, Any]:
    """``{"changes": …}`` with the ``hide`` fields' values left out (only their names kept)."""
    changes = field_changes(dict(before), dict(after))
    hidden = [field for field in hide if field in changes]
    for field in hidden:
        del changes[field]
    data: dict[str, Any] = {"changes": changes}
    if hidden:
        data["hidden_fields_changed"] = hidden
    return data


def _filled(after: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a new record was created with (empty ones left out)."""
    return {key: value for key, value in after.items() if value not in (None, "", False)}


# -- persons ----------------------------------------------------------------------------------------


def _check_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"not person fields: {', '.join(sorted(unknown))}")


def create_person(
    *, actor: User | None, request: HttpRequest | None = None, **fields: Any
) -> Person:
    """A new person from ``fields`` (validated); audited as ``people.person.created``."""
    _check_fields(fields)
    with transaction.atomic():
        person = Person(**fields, created_by=actor, updated_by=actor)
        person.full_clean()
        person.save()
        after = _snapshot(person, PERSON_FIELDS)
        hide = Person.CONTACT_FIELDS if person.is_protected else ()
        log_action(
            "people.person.created",
            actor=actor,
            obj=person,
            data=_audit_changes({}, _filled(after), hide=hide),
            request=request,
        )
    return person


def update_person(
    person: Person,
    *,
    actor: User | None,
    expected_version: int,
    request: HttpRequest | None = None,
    **changes: Any,
) -> Person:
    """Apply ``changes`` if nobody saved ``person`` since ``expected_version``; audited.

    Raises :class:`StaleEditError` (nothing written) when the stored version moved
    on, ``PermissionDenied`` when someone outside the protecting organisation
    changes a protected person's contacts or protection, and ``ValidationError``
    for invalid values. Returns the saved record (a fresh instance).
    """
    _check_fields(changes)
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.version != expected_version:
            raise StaleEditError(person, expected_version, current)
        if current.merged_into_id is not None:
            raise MergeError(_("This record was merged into another; edit that one instead."))
        before = _snapshot(current, PERSON_FIELDS)
        was_protected = current.is_protected
        may_touch_protected = actor is not None and can_see_contact_details(actor, current)
        for field, value in changes.items():
            setattr(current, field, value)
        after = _snapshot(current, PERSON_FIELDS)
        changed = set(field_changes(before, after))
        if not changed:
            return current
        guarded = set(Person.CONTACT_FIELDS) | set(Person.PROTECTION_FIELDS)
        if was_protected and changed & guarded and not may_touch_protected:
            raise PermissionDenied(
                _("Only the protecting organisation may change this person's contacts.")
            )
        current.updated_by = actor
        current.full_clean()
        save_with_version(current, expected_version)
        hide = Person.CONTACT_FIELDS if was_protected or current.is_protected else ()
        log_action(
            "people.person.updated",
            actor=actor,
            obj=current,
            data=_audit_changes(before, after, hide=hide),
            request=request,
        )
    return current


def archive_person(
    person: Person, *, actor: User | None, reason: str, request: HttpRequest | None = None
) -> Person:
    """Archive (never delete) a person with a reason; audited as ``people.person.archived``."""
    if not reason.strip():
        raise ValueError(_("Say why the record is archived."))
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        current.archived_at = timezone.now()
        current.archived_by = actor
        current.archive_reason = reason
        current.updated_by = actor
        save_with_version(current, current.version)
        log_action(
            "people.person.archived",
            actor=actor,
            obj=current,
            data={"reason": reason},
            request=request,
        )
    return current


# -- households -------------------------------------------------------------------------------------


def save_household(
    household: Household, *, actor: User | None, request: HttpRequest | None = None
) -> Household:
    """Create or update a household; the address is left out of the log while it is hidden."""
    with transaction.atomic():
        adding = household._state.adding
        before: dict[str, Any] = {}
        if not adding:
            before = _snapshot(Household.objects.get(pk=household.pk), HOUSEHOLD_FIELDS)
        if adding:
            household.created_by = actor
        household.updated_by = actor
        household.full_clean()
        household.save()
        after = _snapshot(household, HOUSEHOLD_FIELDS)
        hide = () if is_exportable_household_address(household) else Household.ADDRESS_FIELDS
        data = _audit_changes(before, _filled(after) if adding else after, hide=hide)
        if adding or data["changes"] or data.get("hidden_fields_changed"):
            log_action(
                "people.household.created" if adding else "people.household.updated",
                actor=actor,
                obj=household,
                data=data,
                request=request,
            )
    return household


def save_household_member(
    member: HouseholdMember, *, actor: User | None, request: HttpRequest | None = None
) -> HouseholdMember:
    """Add a person to a household or change her membership (leaving sets ``left_on``)."""
    with transaction.atomic():
        adding = member._state.adding
        before: dict[str, Any] = {}
        if not adding:
            before = _snapshot(HouseholdMember.objects.get(pk=member.pk), MEMBER_FIELDS)
        if adding:
            member.created_by = actor
        member.updated_by = actor
        member.is_head = member.relationship == HouseholdMember.Relationship.HEAD
        member.full_clean()
        member.save()
        after = _snapshot(member, MEMBER_FIELDS)
        log_action(
            "people.household.member_added" if adding else "people.household.member_changed",
            actor=actor,
            obj=member.household,
            data={
                "person": str(member.person.uuid),
                **_audit_changes(before, _filled(after) if adding else after),
            },
            request=request,
        )
    return member


# -- consent ----------------------------------------------------------------------------------------


def record_consent(
    person: Person,
    *,
    purpose: str,
    given: bool,
    method: str,
    actor: User | None,
    recipient_class: str = RecipientClass.ANY,
    recipient_organization: Organization | None = None,
    recorded_at: datetime.datetime | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Consent:
    """Record a person's answer (given or refused); audited on the person."""
    with transaction.atomic():
        consent = Consent(
            person=person,
            purpose=purpose,
            given=given,
            method=method,
            recipient_class=recipient_class,
            recipient_organization=recipient_organization,
            recorded_at=recorded_at or timezone.now(),
            recorded_by=actor,
            note=note,
            created_by=actor,
            updated_by=actor,
        )
        consent.full_clean()
        consent.save()
        log_action(
            "people.consent.recorded",
            actor=actor,
            obj=person,
            data={"consent": consent.pk, **_consent_summary(consent)},
            request=request,
        )
    return consent


def withdraw_consent(
    consent: Consent,
    *,
    actor: User | None,
    reason: str = "",
    at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Consent:
    """Withdraw a record from ``at`` (now); an older record in force may decide again.

    A person who now says no records a refusal (``record_consent(given=False)``);
    withdrawing is for a record that no longer stands (made in error, revoked).
    """
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise ValueError(_("This consent record was already withdrawn."))
        consent.withdrawn_at = at or timezone.now()
        consent.withdrawn_by = actor
        consent.withdrawal_reason = reason
        consent.updated_by = actor
        consent.full_clean()
        consent.save()
        log_action(
            "people.consent.withdrawn",
            actor=actor,
            obj=consent.person,
            data={
                "consent": consent.pk,
                **_consent_summary(consent),
                "withdrawn_at": consent.withdrawn_at.isoformat(),
                "reason": reason,
            },
            request=request,
        )
    return consent


def _consent_summary(consent: Consent) -> dict[str, Any]:
    return {
        "purpose": consent.purpose,
        "recipient_class": consent.recipient_class,
        "recipient_organization": (
            str(consent.recipient_organization) if consent.recipient_organization else None
        ),
        "given": consent.given,
        "method": consent.method,
        "recorded_at": consent.recorded_at.isoformat(),
    }


# -- duplicates -------------------------------------------------------------------------------------


class DuplicateReason(models.TextChoices):
    KANA_AND_BIRTH_DATE = "kana_and_birth_date", gettext_lazy("Same reading and date of birth")
    NAME_AND_BIRTH_DATE = "name_and_birth_date", gettext_lazy("Same name and date of birth")
    KANA_AND_PHONE = "kana_and_phone", gettext_lazy("Same reading and telephone number")


def _candidate_values(candidate: Person | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(candidate, Person):
        return {field: getattr(candidate, field) for field in PERSON_FIELDS} | {"pk": candidate.pk}
    values = dict(candidate)
    birth_date = values.get("birth_date")
    if isinstance(birth_date, str) and birth_date.strip():
        values["birth_date"] = parse_date(birth_date)
    return values


def find_duplicates(
    candidate: Person | Mapping[str, Any],
    *,
    queryset: QuerySet[Person] | None = None,
    user: AnyUser | None = None,
) -> list[tuple[Person, list[DuplicateReason]]]:
    """Existing persons who may be ``candidate`` (a person or her form data), with why.

    Looks among ``queryset`` (default: every current person — pass the user's
    visible persons when the answer is shown to a user, since finding someone
    tells that she is known to the city). Matches: same ``kana_key`` and birth
    date; same ``name_key`` and birth date; same ``kana_key`` and a telephone
    number in common. With ``user`` given, numbers are compared only for persons
    whose contacts that user may see, so the reason cannot confirm a protected
    person's number. Best matches (most reasons) first.
    """
    values = _candidate_values(candidate)
    kana = kana_key(f"{values.get('family_name_kana') or ''}{values.get('given_name_kana') or ''}")
    name = name_key(f"{values.get('family_name') or ''}{values.get('given_name') or ''}")
    birth_date = values.get("birth_date")
    phones = {
        digits
        for digits in (phone_digits(values.get(f) or "") for f in ("phone", "mobile_phone"))
        if len(digits) >= 6
    }
    conditions: list[Q] = []
    if kana and birth_date:
        conditions.append(Q(kana_key=kana, birth_date=birth_date))
    if name and birth_date:
        conditions.append(Q(name_key=name, birth_date=birth_date))
    if kana and phones:
        conditions.append(Q(kana_key=kana))
    if not conditions:
        return []
    condition = conditions[0]
    for more in conditions[1:]:
        condition |= more
    persons = (queryset if queryset is not None else Person.objects.current()).filter(condition)
    if values.get("pk") is not None:
        persons = persons.exclude(pk=values["pk"])
    found: list[tuple[Person, list[DuplicateReason]]] = []
    for person in persons.order_by("kana_key", "pk"):
        reasons: list[DuplicateReason] = []
        if kana and birth_date and person.kana_key == kana and person.birth_date == birth_date:
            reasons.append(DuplicateReason.KANA_AND_BIRTH_DATE)
        if name and birth_date and person.name_key == name and person.birth_date == birth_date:
            reasons.append(DuplicateReason.NAME_AND_BIRTH_DATE)
        if kana and phones and person.kana_key == kana:
            theirs = {phone_digits(person.phone), phone_digits(person.mobile_phone)}
            may_compare = user is None or can_see_contact_details(user, person)
            if may_compare and phones & theirs:
                reasons.append(DuplicateReason.KANA_AND_PHONE)
        if reasons:
            found.append((person, reasons))
    found.sort(key=lambda item: -len(item[1]))
    return found


# -- merge ------------------------------------------------------------------------------------------


def merge_persons(
    source: Person,
    target: Person,
    *,
    actor: User | None,
    reason: str,
    request: HttpRequest | None = None,
) -> Person:
    """Fold ``source`` into ``target``: two records of one person become one.

    Household memberships and consent records move to ``target``; other apps'
    rows move through their merge hooks (``people.merging``). ``source`` stays,
    archived, with ``merged_into`` set, so its history remains readable
    (:func:`person_history` of the target includes it). A protected source makes
    the target protected by the same organisation: the record that survives is
    still that person's. If ``target`` already belongs to a household the source
    was in, the moved membership is closed today rather than doubled.

    Raises :class:`MergeError` for records that cannot be merged and
    ``PermissionDenied`` when a protected record is involved and ``actor`` is
    outside its protecting organisation. Returns the target.
    """
    if not reason.strip():
        raise MergeError(_("Say why the records are merged."))
    if source.pk == target.pk:
        raise MergeError(_("A record cannot be merged into itself."))
    with transaction.atomic():
        locked = {
            person.pk: person
            for person in Person.objects.select_for_update()
            .filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
        }
        source, target = locked[source.pk], locked[target.pk]
        for person in (source, target):
            if person.merged_into_id is not None or person.is_archived:
                raise MergeError(
                    _("%(name)s is archived or already merged; it cannot be merged.")
                    % {"name": person}
                )
            if person.is_protected and (
                actor is None or not can_see_contact_details(actor, person)
            ):
                raise PermissionDenied(
                    _("Only the protecting organisation may merge a protected person's record.")
                )
        if (
            source.is_protected
            and target.is_protected
            and source.protecting_organization_id != target.protecting_organization_id
        ):
            raise MergeError(
                _("Both records are protected by different organisations; settle that first.")
            )
        protection_copied = source.is_protected and not target.is_protected
        if protection_copied:
            for field in Person.PROTECTION_FIELDS:
                setattr(target, field, getattr(source, field))

        moved_memberships, closed_memberships = _move_memberships(source, target, actor)
        moved_consents = list(
            Consent.objects.filter(person=source).order_by("pk").values_list("pk", flat=True)
        )
        Consent.objects.filter(pk__in=moved_consents).update(
            person=target, updated_at=timezone.now()
        )
        hook_results: dict[str, Any] = {}
        for name, hook in merge_hooks():
            result = hook(source, target, actor)
            if result:
                hook_results[name] = result

        now = timezone.now()
        source.merged_into = target
        source.archived_at = now
        source.archived_by = actor
        source.archive_reason = reason
        source.updated_by = actor
        save_with_version(source, source.version)
        target.updated_by = actor
        save_with_version(target, target.version)

        log_action(
            "people.person.merged",
            actor=actor,
            obj=target,
            data={
                "source": {"id": str(source.uuid), "name": str(source)},
                "target": {"id": str(target.uuid), "name": str(target)},
                "reason": reason,
                "household_memberships": moved_memberships,
                "household_memberships_closed": closed_memberships,
                "consents": moved_consents,
                "protection_copied": protection_copied,
                "hooks": hook_results,
            },
            request=request,
        )
        log_action(
            "people.person.merged_into",
            actor=actor,
            obj=source,
            data={
                "source": {"id": str(source.uuid), "name": str(source)},
                "target": {"id": str(target.uuid), "name": str(target)},
                "reason": reason,
            },
            request=request,
        )
    return target


def _move_memberships(
    source: Person, target: Person, actor: User | None
) -> tuple[list[int], list[int]]:
    today = timezone.localdate()
    open_households = set(
        HouseholdMember.objects.filter(person=target, left_on__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    moved: list[int] = []
    closed: list[int] = []
    for membership in HouseholdMember.objects.select_for_update().filter(person=source):
        if membership.left_on is None and membership.household_id in open_households:
            start = membership.joined_on
            membership.left_on = max(today, start) if start else today
            closed.append(membership.pk)
        membership.person = target
        membership.updated_by = actor
        membership.save()
        moved.append(membership.pk)
    return moved, closed


def person_history(person: Person) -> QuerySet[AuditEvent]:
    """The audit events of ``person`` and of every record merged into her, newest first."""
    ids = {person.pk}
    frontier = {person.pk}
    while frontier:
        frontier = (
            set(Person.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)) - ids
        )
        ids |= frontier
    return (
        AuditEvent.objects.filter(
            object_type=Person._meta.label_lower, object_id__in=[str(pk) for pk in ids]
        )
        .select_related("actor")
        .order_by("-at")
    )


# -- search -----------------------------------------------------------------------------------------


def _as_date(word: str) -> datetime.date | None:
    if not any(char.isdigit() for char in word):
        return None
    try:
        return parse_date(word)
    except WarekiError:
        return None


def search_persons(text: str, queryset: QuerySet[Person]) -> QuerySet[Person]:
    """Persons in ``queryset`` matching every word of ``text``; blank text matches nobody.

    A word that is a date in any form ``core.wareki`` reads (1941-03-02, 昭和16年3月2日,
    S16.3.2) matches the birth date; a word in kana (any script or width) matches
    the reading anywhere (the family-name prefix ranks first) or a name written in
    kana; any other word matches the written name, with 異体字 folded and spaces
    ignored. Pass the user's ``visible_persons`` as ``queryset``: the search adds no
    scope of its own.
    """
    words = text.split()
    if not words:
        return queryset.none()
    first_kana: str | None = None
    for word in words:
        day = _as_date(word)
        if day is not None:
            queryset = queryset.filter(birth_date=day)
            continue
        written = name_key(word)
        if is_kana(word):
            reading = kana_key(word)
            first_kana = first_kana or reading
            queryset = queryset.filter(
                Q(kana_key__contains=reading) | Q(name_key__contains=written)
            )
        elif written:
            queryset = queryset.filter(name_key__contains=written)
    if first_kana:
        queryset = queryset.annotate(
            search_rank=Case(
                When(kana_key__startswith=first_kana, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("search_rank", "kana_key", "name_key", "pk")
    return queryset
