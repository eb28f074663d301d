"""Directory records with every HSDS part filled in, for the HSDS serialiser and API tests.

``rich_service()`` makes one service of a provider with a parent, an English
translation, phones (with languages), contacts, fees, documents, hours with every
flag, a service area, two places — an ordinary one and a confidential shelter —
categories, target groups and a plan initiative. ``areas()`` makes a small area tree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from tsunagu.core.models import Area
from tsunagu.directory.models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TargetGroup,
    TaxonomyTerm,
)
from tsunagu.plans.models import Initiative
from tsunagu.plans.tests.factories import InitiativeFactory

from .factories import (
    AccessibilityFactory,
    AddressFactory,
    ContactFactory,
    CostOptionFactory,
    LanguageFactory,
    LocationFactory,
    OrganizationFactory,
    OrganizationTranslationFactory,
    PhoneFactory,
    RequiredDocumentFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTranslationFactory,
)


@dataclass
class Areas:
    city: Area
    north: Area
    south: Area
    district: Area


def areas() -> Areas:
    city, _ = Area.objects.get_or_create(
        code="h-city", defaults={"kind": Area.Kind.CITY, "name": "テスト市"}
    )
    north, _ = Area.objects.get_or_create(
        code="h-north", defaults={"kind": Area.Kind.REGION, "name": "北地域", "parent": city}
    )
    south, _ = Area.objects.get_or_create(
        code="h-south", defaults={"kind": Area.Kind.REGION, "name": "南地域", "parent": city}
    )
    district, _ = Area.objects.get_or_create(
        code="h-north-1",
        defaults={
            "kind": Area.Kind.WELFARE_COMMISSIONER_DISTRICT,
            "name": "北第一地区",
            "parent": north,
        },
    )
    return Areas(city=city, north=north, south=south, district=district)


@dataclass
class RichService:
    service: Service
    organization: Organization
    office: Location  # public place
    shelter: Location  # confidential place
    office_sal: ServiceAtLocation
    shelter_sal: ServiceAtLocation
    category: TaxonomyTerm
    group: TargetGroup
    initiative: Initiative
    area: Area


def rich_service(*, name: str = "高齢者総合相談", with_initiative: bool = True) -> RichService:
    world = areas()
    parent = OrganizationFactory(name="テスト市役所", name_kana="てすとしやくしょ")
    organization = OrganizationFactory(
        parent=parent,
        email="soudan@example.jp",
        website="https://example.jp/相談",
        year_incorporated=1951,
        is_demo=True,
    )
    OrganizationTranslationFactory(organization=organization, name="Test Welfare Council")
    service = ServiceFactory(
        organization=organization,
        name=name,
        alternate_name="なんでも相談",
        url="https://example.jp/soudan",
        email="service@example.jp",
        application_process="電話で予約してください。",
        fees_description="無料",
        eligibility_description="市内在住の65歳以上の方",
        minimum_age=65,
        alert="年末年始は休みます。",
        last_verified_at=timezone.now(),
        is_demo=True,
    )
    ServiceTranslationFactory(
        service=service,
        name="General consultation for older people",
        description="Advice for older residents and their families.",
        application_process="",
    )
    phone = PhoneFactory(service=service, number="0467-23-3000", extension=123)
    LanguageFactory(service=None, phone=phone, name="英語", code="en")
    contact = ContactFactory(service=service, email="tantou@example.jp")
    PhoneFactory(service=None, contact=contact, number="0467-23-3001")
    LanguageFactory(service=service, name="やさしい日本語", code="ja")
    CostOptionFactory(service=service, amount=Decimal("500"), amount_description="1回あたり")
    RequiredDocumentFactory(service=service, uri="https://example.jp/書類")
    ScheduleFactory(
        service=service,
        closed_on_holidays=True,
        closed_year_end=True,
        description="平日の日中",
        notes="祝日と年末年始は休み",
    )
    ScheduleFactory(
        service=service,
        byday="SA",
        opens_at=None,
        closes_at=None,
        open_24h=True,
        closed_on_holidays=False,
        timezone=Decimal("9.00"),
    )
    ServiceAreaFactory(service=service, name="", area=world.north)

    office = LocationFactory(
        organization=organization,
        name="北地域福祉センター",
        transportation="北駅から徒歩5分",
        area=world.district,
        url="https://example.jp/center",
    )
    AddressFactory(location=office, address_2="2階")
    PhoneFactory(service=None, location=office, number="0467-23-3002")
    LanguageFactory(service=None, location=office, name="中国語", code="zh")
    AccessibilityFactory(location=office, url="https://example.jp/access")
    ContactFactory(service=None, location=office, name="受付")
    ScheduleFactory(service=None, location=office)
    office_sal = ServiceAtLocationFactory(service=service, location=office, description="窓口")
    ScheduleFactory(service=None, service_at_location=office_sal, byday="MO")
    PhoneFactory(service=None, service_at_location=office_sal, number="0467-23-3003")
    ContactFactory(service=None, service_at_location=office_sal, name="窓口担当")

    shelter = LocationFactory(
        organization=organization,
        name="一時保護施設",
        transportation="秘密の道順",
        area=world.south,
        is_sensitive=True,
        external_identifier="秘密の番地コード",
        external_identifier_type="番地コード",
    )
    AddressFactory(location=shelter, address_1="秘密町1-1")
    shelter_sal = ServiceAtLocationFactory(service=service, location=shelter)

    category = TaxonomyTerm.objects.select_related("taxonomy").get(code="elderly.care-insurance")
    group = TargetGroup.objects.get(code="elderly")
    service.taxonomy_terms.add(category)
    service.target_groups.add(group)
    initiative = InitiativeFactory(
        title="高齢者の総合相談", detail="地域包括支援センターで相談を受ける。"
    )
    if with_initiative:
        service.initiatives.add(initiative)
    return RichService(
        service=service,
        organization=organization,
        office=office,
        shelter=shelter,
        office_sal=office_sal,
        shelter_sal=shelter_sal,
        category=category,
        group=group,
        initiative=initiative,
        area=world.north,
    )


def plain_services(count: int, **kwargs: object) -> list[Service]:
    """``count`` services, each with a phone, an hour, a place with an address and a category."""
    category = TaxonomyTerm.objects.get(code="elderly.care-insurance")
    result = []
    for _ in range(count):
        service = ServiceFactory(**kwargs)
        PhoneFactory(service=service)
        ScheduleFactory(service=service)
        location = LocationFactory(organization=service.organization)
        AddressFactory(location=location)
        ServiceAtLocationFactory(service=service, location=location)
        service.taxonomy_terms.add(category)
        result.append(service)
    return result


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)
