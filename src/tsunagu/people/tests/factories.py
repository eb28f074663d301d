"""factory_boy factories for persons, households and consent records.

Factories write straight to the database (no audit events); tests about the
audited writes call ``people.services`` instead.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tsunagu.core.tests.factories import OrganizationFactory
from tsunagu.people.models import Consent, Household, HouseholdMember, Person

FAMILY_NAMES = [("高橋", "たかはし"), ("佐藤", "さとう"), ("鈴木", "すずき"), ("田中", "たなか")]
GIVEN_NAMES = [("花子", "はなこ"), ("太郎", "たろう"), ("陽子", "ようこ"), ("健一", "けんいち")]


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    family_name = factory.Sequence(lambda n: FAMILY_NAMES[n % len(FAMILY_NAMES)][0])
    family_name_kana = factory.Sequence(lambda n: FAMILY_NAMES[n % len(FAMILY_NAMES)][1])
    given_name = factory.Sequence(lambda n: GIVEN_NAMES[(n // 4) % len(GIVEN_NAMES)][0])
    given_name_kana = factory.Sequence(lambda n: GIVEN_NAMES[(n // 4) % len(GIVEN_NAMES)][1])
    birth_date = factory.Sequence(lambda n: datetime.date(1940, 1, 1) + datetime.timedelta(days=n))
    sex = Person.Sex.FEMALE
    postal_code = "248-0012"
    address = factory.Sequence(lambda n: f"神奈川県鎌倉市御成町{n + 1}-1")
    phone = factory.Sequence(lambda n: f"0467-23-{n % 10000:04d}")


class ProtectedPersonFactory(PersonFactory):
    is_protected = True
    protecting_organization = factory.SubFactory(OrganizationFactory)
    protection_basis = Person.ProtectionBasis.DOMESTIC_VIOLENCE
    protected_from = datetime.date(2025, 4, 1)
    protected_until = datetime.date(2026, 3, 31)


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"世帯{n}")
    postal_code = "248-0012"
    address = factory.Sequence(lambda n: f"神奈川県鎌倉市御成町{n + 1}-2")


class HouseholdMemberFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    relationship = HouseholdMember.Relationship.HEAD


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = Consent.Purpose.INFORMATION_SHARING
    recipient_class = Consent.RecipientClass.ANY
    method = Consent.Method.WRITTEN
    given = True
    recorded_at = factory.LazyFunction(timezone.now)
