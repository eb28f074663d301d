"""A service's modification time (HSDS last_modified, the API's modified_after) follows
the records nested in it: its own, its places' and its place-specific ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import pytest
from django.core import serializers
from django.core.cache import cache
from django.utils import timezone

from tsunagu.directory.models import Contact, Location, Phone, Schedule, Service, ServiceAtLocation
from tsunagu.directory.tests import factories

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@dataclass
class Place:
    """Two services at one place, and a third elsewhere."""

    desk: Service
    salon: Service
    elsewhere: Service
    office: Location
    desk_at_office: ServiceAtLocation


@pytest.fixture
def place() -> Place:
    office = cast(Location, factories.LocationFactory(name="市役所"))
    desk = cast(Service, factories.ServiceFactory(name="相談窓口"))
    salon = cast(Service, factories.ServiceFactory(name="サロン"))
    elsewhere = cast(Service, factories.ServiceFactory(name="別の場所の事業"))
    link = cast(
        ServiceAtLocation, factories.ServiceAtLocationFactory(service=desk, location=office)
    )
    factories.ServiceAtLocationFactory(service=salon, location=office)
    factories.ServiceAtLocationFactory(service=elsewhere)
    Service.objects.update(updated_at=LONG_AGO)
    return Place(desk, salon, elsewhere, office, link)


def modified() -> set[str]:
    """The services changed since the fixture was set up."""
    return set(Service.objects.filter(updated_at__gt=LONG_AGO).values_list("name", flat=True))


def forget_changes() -> None:
    Service.objects.update(updated_at=LONG_AGO)


# Factories are typed as themselves, not the models they make: hence Any.
SERVICE_RECORDS: list[Callable[[Service], Any]] = [
    lambda service: factories.PhoneFactory(service=service),
    lambda service: factories.ContactFactory(service=service),
    lambda service: factories.LanguageFactory(service=service),
    lambda service: factories.CostOptionFactory(service=service),
    lambda service: factories.RequiredDocumentFactory(service=service),
    lambda service: factories.ServiceAreaFactory(service=service),
    lambda service: factories.ScheduleFactory(service=service),
    lambda service: factories.ServiceTranslationFactory(service=service),
    lambda service: factories.ServiceAtLocationFactory(service=service),
]


@pytest.mark.parametrize("make", SERVICE_RECORDS)
def test_it_touches_the_service_when_its_own_record_is_added_changed_or_removed(
    place: Place, make: Callable[[Service], Any]
) -> None:
    record = make(place.desk)
    assert modified() == {"相談窓口"}

    forget_changes()
    record.save()
    assert modified() == {"相談窓口"}

    forget_changes()
    record.delete()
    assert modified() == {"相談窓口"}


PLACE_RECORDS: list[Callable[[Location], Any]] = [
    lambda location: factories.AddressFactory(location=location),
    lambda location: factories.AccessibilityFactory(location=location),
    lambda location: factories.PhoneFactory(service=None, location=location),
    lambda location: factories.ContactFactory(service=None, location=location),
    lambda location: factories.LanguageFactory(service=None, location=location),
    lambda location: factories.ScheduleFactory(service=None, location=location),
]


@pytest.mark.parametrize("make", PLACE_RECORDS)
def test_it_touches_every_service_at_a_place_when_a_record_of_the_place_changes(
    place: Place, make: Callable[[Location], Any]
) -> None:
    record = make(place.office)
    assert modified() == {"相談窓口", "サロン"}

    forget_changes()
    record.delete()
    assert modified() == {"相談窓口", "サロン"}


def test_it_touches_every_service_at_a_place_when_the_place_itself_changes(place: Place) -> None:
    place.office.transportation = "鎌倉駅から徒歩3分"
    place.office.save()

    assert modified() == {"相談窓口", "サロン"}


@pytest.mark.parametrize(
    "make",
    [
        lambda link: factories.PhoneFactory(service=None, service_at_location=link),
        lambda link: factories.ContactFactory(service=None, service_at_location=link),
        lambda link: factories.ScheduleFactory(service=None, service_at_location=link),
    ],
)
def test_place_specific_records_touch_only_their_service(
    place: Place, make: Callable[[ServiceAtLocation], Any]
) -> None:
    make(place.desk_at_office)

    assert modified() == {"相談窓口"}


def test_a_phone_of_a_contact_and_a_language_of_a_phone_reach_the_services_too(
    place: Place,
) -> None:
    contact = cast(Contact, factories.ContactFactory(service=None, location=place.office))
    forget_changes()
    phone = factories.PhoneFactory(service=None, contact=contact)
    assert modified() == {"相談窓口", "サロン"}

    forget_changes()
    factories.LanguageFactory(service=None, phone=phone)
    assert modified() == {"相談窓口", "サロン"}

    forget_changes()
    contact.delete()  # its phone and the phone's language go with it
    assert modified() == {"相談窓口", "サロン"}


def test_a_record_of_an_organisation_alone_touches_no_service(place: Place) -> None:
    factories.PhoneFactory(service=None, organization=place.desk.organization)

    assert modified() == set()


def test_it_is_one_update_whatever_the_number_of_services(
    place: Place, django_assert_num_queries: Any
) -> None:
    schedule = cast(Schedule, factories.ScheduleFactory(service=None, location=place.office))
    forget_changes()

    with django_assert_num_queries(2):
        schedule.save()  # the schedule, then the services at its place

    assert modified() == {"相談窓口", "サロン"}


def test_loading_a_fixture_touches_nothing(place: Place) -> None:
    phone = cast(Phone, factories.PhoneFactory(service=place.desk))
    pk, fixture = phone.pk, serializers.serialize("json", [phone])
    phone.delete()
    forget_changes()

    for loaded in serializers.deserialize("json", fixture):
        loaded.save()  # raw, as loaddata saves

    assert Phone.objects.filter(pk=pk).exists()
    assert modified() == set()


def test_the_api_finds_a_service_whose_hours_changed_as_modified(client: Any, place: Place) -> None:
    cache.clear()  # rate-limit counts
    since = timezone.now() - dt.timedelta(days=1)
    factories.ScheduleFactory(service=None, service_at_location=place.desk_at_office)

    response = client.get("/api/hsds/services", {"modified_after": since.isoformat()})

    assert response.status_code == 200
    assert [service["name"] for service in response.json()["contents"]] == ["相談窓口"]
