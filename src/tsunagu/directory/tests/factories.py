"""factory_boy factories for the directory, one per model.

A bare ``ServiceFactory()`` makes an active service with its organisation;
``ScheduleFactory()`` is a weekday 9:00–17:00 schedule of a new service, closed on
public holidays. Children default to hanging off a new service (or location), so
every factory satisfies the "belongs to at least one parent" constraints.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tsunagu.directory.models import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Frequency,
    Language,
    Location,
    LocationType,
    Organization,
    OrganizationTranslation,
    Phone,
    PhoneType,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTranslation,
    TargetGroup,
    Taxonomy,
    TaxonomyTerm,
)


class TaxonomyFactory(DjangoModelFactory):
    class Meta:
        model = Taxonomy
        django_get_or_create = ("name", "version")

    name = factory.Sequence(lambda n: f"test-taxonomy-{n}")
    version = "1"
    description = "テスト用の分類"


class TaxonomyTermFactory(DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    taxonomy = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"term-{n}")
    name = factory.Sequence(lambda n: f"分類{n}")
    name_en = factory.Sequence(lambda n: f"Term {n}")
    sort_order = factory.Sequence(lambda n: n * 10)


class TargetGroupFactory(DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"対象{n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"テスト福祉会{n}")
    name_kana = factory.Sequence(lambda n: f"てすとふくしかい{n}")
    description = "地域の福祉活動を行う団体です。"
    legal_status = "社会福祉法人"


class OrganizationTranslationFactory(DjangoModelFactory):
    class Meta:
        model = OrganizationTranslation

    organization = factory.SubFactory(OrganizationFactory)
    language = "en"
    name = factory.Sequence(lambda n: f"Test Welfare Association {n}")
    description = "A local welfare organisation."


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"テスト相談{n}")
    name_kana = factory.Sequence(lambda n: f"てすとそうだん{n}")
    description = "暮らしの困りごとの相談を受けます。"
    status = ServiceStatus.ACTIVE
    eligibility_description = "市内在住の方"


class ServiceTranslationFactory(DjangoModelFactory):
    class Meta:
        model = ServiceTranslation

    service = factory.SubFactory(ServiceFactory)
    language = "en"
    name = factory.Sequence(lambda n: f"Test consultation {n}")
    description = "Advice on everyday problems."


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"テスト会館{n}")
    location_type = LocationType.PHYSICAL
    latitude = Decimal("35.319225")
    longitude = Decimal("139.546687")


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address

    location = factory.SubFactory(LocationFactory)
    address_1 = "御成町18-10"
    city = "鎌倉市"
    state_province = "神奈川県"
    postal_code = "248-8686"


class ServiceAtLocationFactory(DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"担当者{n}")
    department = "相談係"


class PhoneFactory(DjangoModelFactory):
    class Meta:
        model = Phone

    service = factory.SubFactory(ServiceFactory)
    number = factory.Sequence(lambda n: f"0467-23-{n % 10000:04d}")
    type = PhoneType.VOICE


class LanguageFactory(DjangoModelFactory):
    class Meta:
        model = Language

    service = factory.SubFactory(ServiceFactory)
    name = "English"
    code = "en"


class AccessibilityFactory(DjangoModelFactory):
    class Meta:
        model = Accessibility

    location = factory.SubFactory(LocationFactory)
    description = "車いす対応のトイレがあります。"


class CostOptionFactory(DjangoModelFactory):
    class Meta:
        model = CostOption

    service = factory.SubFactory(ServiceFactory)
    option = "1回"
    amount = Decimal("500")


class RequiredDocumentFactory(DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    service = factory.SubFactory(ServiceFactory)
    document = "本人確認書類"


class ServiceAreaFactory(DjangoModelFactory):
    class Meta:
        model = ServiceArea

    service = factory.SubFactory(ServiceFactory)
    name = "鎌倉地域"


class ScheduleFactory(DjangoModelFactory):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    freq = Frequency.WEEKLY
    byday = "MO,TU,WE,TH,FR"
    opens_at = dt.time(9, 0)
    closes_at = dt.time(17, 0)
    closed_on_holidays = True
