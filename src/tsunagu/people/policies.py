"""Who may see which persons, and whose address and contacts.

**Which persons** (``visible_persons``). People decides nothing about this itself:
who may see a person follows from the work done with her — casework's
consultations, cases and referrals, safety's registrations. Those apps register a
scope with :func:`register_scope`: a function ``fn(user) -> Q | None`` over
``Person`` ("persons in consultations of my organisation"). A user sees the union
of all scopes; with none registered, nobody sees anyone.

Administrators get no bypass in ``visible_persons``: a superuser is a system
role, not a caseworker, and a list that quietly shows her everyone would make
every screen built on it city-wide for her. The one way to all persons is
:func:`persons_for_administration`, for superusers only, which takes a stated
purpose and writes an audit event each time (the Django admin uses it). An
auditor reviews access through the audit log, not through persons.

**Contact details** (``can_see_contact_details``). A protected person's (DV 等支援措置)
``Person.CONTACT_FIELDS`` — postal code, address, area, phones, email — are shown
only to members (any role) of the protecting organisation itself; not to its
parent department or its sub-divisions, and not to administrators: the point of
the measure is that no one else sees them. The area counts as an address here,
since a 自治会 area narrows a home down to a few streets. A household's address
is hidden likewise while a protected person belongs to it.

``is_exportable_contact`` is False for a protected person whoever exports: every
exporter (rosters, Excel lists, referrals to outside agencies) leaves the fields
blank. (Issue 5's disaster-time release to fire and police is an explicit
exception that safety will have to make, by law and logged, not a loophole here.)
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.policies import AnyUser, is_administrator, organization_ids_for
from tsunagu.core.services import log_action
from tsunagu.core.wareki import ERAS, format_wareki

from .models import Household, HouseholdMember, Person, PersonQuerySet

ScopeFunction = Callable[[AnyUser], Q | None]
_scopes: dict[str, ScopeFunction] = {}


def hidden_reason() -> str:
    """What stands in place of a hidden address or contact, in plain language."""
    return _("Hidden: protected under a support measure")


# -- which persons ------------------------------------------------------------------------------


def register_scope(scope: ScopeFunction) -> None:
    """Let ``scope(user)`` add persons to what ``user`` sees. Registering twice is harmless.

    Return ``None`` to add nobody. ``Q()`` adds everybody — only for a deliberate
    city-wide role. Prefer ``Q(pk__in=<subquery>)`` to joins; the union is
    de-duplicated either way.
    """
    _scopes.setdefault(f"{scope.__module__}.{scope.__qualname__}", scope)


def unregister_scope(scope: ScopeFunction) -> None:
    _scopes.pop(f"{scope.__module__}.{scope.__qualname__}", None)


def visible_persons(user: AnyUser) -> PersonQuerySet:
    """Every person some registered scope lets ``user`` see (archived and merged included)."""
    if not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    condition: Q | None = None
    for scope in list(_scopes.values()):
        part = scope(user)
        if part is None:
            continue
        condition = part if condition is None else condition | part
    if condition is None:
        return Person.objects.none()
    return Person.objects.filter(pk__in=Person.objects.filter(condition).values("pk"))


def get_person_for_user(
    user: AnyUser,
    person_uuid: uuid.UUID | str,
    *,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> Person:
    """The person with this public id if ``user`` may see her, else Http404; the read is audited."""
    try:
        key = uuid.UUID(str(person_uuid))
    except ValueError:
        raise Http404 from None
    person = visible_persons(user).filter(uuid=key).first()
    if person is None:
        raise Http404
    log_action(
        "people.person.viewed",
        actor=user if user.is_authenticated else None,  # type: ignore[arg-type]
        obj=person,
        purpose=purpose,
        request=request,
    )
    return person


def persons_for_administration(
    user: AnyUser, *, purpose: str, request: HttpRequest | None = None
) -> PersonQuerySet:
    """All persons, for an administrator who says why; audited as ``people.persons.administered``."""
    if not is_administrator(user):
        raise PermissionDenied
    if not purpose.strip():
        raise ValueError("persons_for_administration needs a purpose")
    log_action(
        "people.persons.administered",
        actor=user,  # type: ignore[arg-type]
        purpose=purpose,
        request=request,
    )
    return Person.objects.all()


# -- contact details ------------------------------------------------------------------------------


def can_see_contact_details(user: AnyUser, person: Person) -> bool:
    """Whether ``user`` (who may already see ``person``) may see her address and contacts."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not person.is_protected:
        return True
    return person.protecting_organization_id in organization_ids_for(user)


def is_exportable_contact(person: Person) -> bool:
    """Whether any export may carry ``person``'s address and contacts: never when protected."""
    return not person.is_protected


def _protecting_organization_ids(household: Household) -> set[int]:
    """The protecting organisations of the household's protected members who have not left."""
    today = timezone.localdate()
    memberships = HouseholdMember.objects.filter(household=household).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )
    return set(
        Person.objects.filter(household_memberships__in=memberships, is_protected=True).values_list(
            "protecting_organization_id", flat=True
        )
    )


def can_see_household_address(user: AnyUser, household: Household) -> bool:
    """Hidden while a protected member lives there, except from every protecting organisation."""
    if not user.is_authenticated or not user.is_active:
        return False
    protecting = _protecting_organization_ids(household)
    return not protecting or protecting <= organization_ids_for(user)


def is_exportable_household_address(household: Household) -> bool:
    return not _protecting_organization_ids(household)


@dataclass(frozen=True)
class PersonDisplay:
    """What a page or list shows of a person, with hidden fields already replaced.

    Templates get this rather than the ``Person`` so that no template can reach a
    protected address by accident.
    """

    uuid: uuid.UUID
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: datetime.date | None
    birth_date_wareki: str
    sex: str
    is_protected: bool
    contacts_hidden: bool
    postal_code: str
    address: str
    area: str
    phone: str
    mobile_phone: str
    email: str

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}".strip()


def redact(person: Person, user: AnyUser) -> PersonDisplay:
    """``person`` as ``user`` may see her: contacts replaced by the reason when hidden."""
    hidden = not can_see_contact_details(user, person)
    reason = hidden_reason()

    def contact(value: Any) -> str:
        if hidden:
            return reason
        return "" if value is None else str(value)

    return PersonDisplay(
        uuid=person.uuid,
        family_name=person.family_name,
        given_name=person.given_name,
        family_name_kana=person.family_name_kana,
        given_name_kana=person.given_name_kana,
        birth_date=person.birth_date,
        birth_date_wareki=_wareki(person.birth_date),
        sex=str(person.get_sex_display()),
        is_protected=person.is_protected,
        contacts_hidden=hidden,
        postal_code=contact(person.postal_code),
        address=contact(person.address),
        area=reason if hidden else (str(person.area) if person.area_id else ""),
        phone=contact(person.phone),
        mobile_phone=contact(person.mobile_phone),
        email=contact(person.email),
    )


def _wareki(day: datetime.date | None) -> str:
    if day is None or day < ERAS[0].first_day:
        return ""
    return format_wareki(day)
