"""The directory's demo data (data/kamakura/directory/) and its loader."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.db import transaction

from tsunagu.core.management.commands.load_reference_data import load_reference_data
from tsunagu.core.models import Area
from tsunagu.directory.demo import (
    DATA_DIR,
    DEMO_ALERT,
    DemoDataError,
    DirectoryDemoReport,
    load_directory_demo,
)
from tsunagu.directory.models import (
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceTranslation,
    TargetGroup,
    TaxonomyTerm,
)
from tsunagu.directory.search import ServiceFilters, find_services
from tsunagu.plans.models import Plan

pytestmark = pytest.mark.django_db

REGIONS = {
    "region-kamakura",
    "region-koshigoe",
    "region-fukasawa",
    "region-ofuna",
    "region-tamanawa",
}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DirectoryDemoReport]:
    """The demo directory, loaded once for this module and rolled back after it.

    Each test runs in a savepoint inside this transaction, so what a test changes is
    undone before the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data()
        yield load_directory_demo()
        transaction.set_rollback(True)


def test_it_loads_about_150_services_all_marked_as_demo(demo: DirectoryDemoReport) -> None:
    services = Service.objects.all()
    assert 140 <= services.count() <= 170
    assert not services.filter(is_demo=False).exists()
    assert not Organization.objects.filter(is_demo=False).exists()
    for service in services:
        assert service.alert.startswith("【デモ】"), service.name
        assert service.description and service.eligibility_description, service.name
        assert service.application_process and service.fees_description, service.name
    assert DEMO_ALERT.startswith("【デモ】架空の情報です")
    assert all("【デモ】" in location.description for location in Location.objects.all())


def test_it_covers_every_target_group_category_and_area(demo: DirectoryDemoReport) -> None:
    served_groups = set(Service.objects.values_list("target_groups__code", flat=True))
    assert set(TargetGroup.objects.values_list("code", flat=True)) <= served_groups

    top_level = TaxonomyTerm.objects.filter(taxonomy__name="tsunagu-welfare", parent__isnull=True)
    assert top_level.count() == 15
    for term in top_level:
        found = find_services(ServiceFilters(categories=(term.code,)), per_page=1)
        assert found.total >= 3, term.code

    for code in REGIONS:
        area_only = Service.objects.filter(service_areas__area__code=code)
        located = Service.objects.filter(service_at_locations__location__area__code=code)
        assert area_only.exists() and located.exists(), code
        # The area filter keeps the city-wide services and the area's own.
        assert find_services(ServiceFilters(area=code), per_page=1).total > area_only.count()


def test_the_contact_details_cannot_reach_anyone(demo: DirectoryDemoReport) -> None:
    numbers = list(Phone.objects.values_list("number", flat=True))
    assert numbers
    # A Japanese local number cannot start with 00: none of these rings a real line.
    assert all(re.fullmatch(r"0467-00-\d{4}", number) for number in numbers), numbers
    emails = [e for e in Service.objects.values_list("email", flat=True) if e]
    emails += [e for e in Organization.objects.values_list("email", flat=True) if e]
    assert emails and all(email.endswith("@example.jp") for email in emails)
    urls = [u for u in Service.objects.values_list("url", flat=True) if u]
    urls += [u for u in Organization.objects.values_list("website", flat=True) if u]
    assert urls and all(url.startswith("https://example.jp/") for url in urls)


def test_places_lie_inside_the_city_and_the_shelter_stays_hidden(
    demo: DirectoryDemoReport,
) -> None:
    physical = Location.objects.filter(location_type=Location.LocationType.PHYSICAL)
    assert physical.count() >= 40
    for location in physical.select_related("area"):
        assert location.latitude is not None and location.longitude is not None
        assert Decimal("35.30") <= location.latitude <= Decimal("35.36"), location.name
        assert Decimal("139.48") <= location.longitude <= Decimal("139.58"), location.name
        assert location.area is not None and location.area.kind == Area.Kind.REGION
        assert location.addresses.get().city == "鎌倉市"

    shelter = Location.objects.get(is_sensitive=True)
    assert shelter.public_address() is None and shelter.public_coordinates() is None
    assert shelter.service_at_locations.filter(
        service__taxonomy_terms__code="rights.domestic-violence"
    ).exists()


def test_city_desks_link_to_the_tsunagu_organisations(demo: DirectoryDemoReport) -> None:
    linked = Organization.objects.filter(core_organization__isnull=False)
    assert linked.count() >= 25
    care_centres = linked.filter(core_organization__kind="care_centre")
    assert care_centres.count() == 5
    assert all(org.services.exists() for org in care_centres)
    welfare = Organization.objects.get(core_organization__name="地域共生課")
    assert welfare.services.filter(name="福祉総合相談窓口").exists()


def test_hours_have_holidays_monthly_rules_and_24_hour_lines(demo: DirectoryDemoReport) -> None:
    schedules = Schedule.objects.all()
    assert schedules.filter(closed_on_holidays=True, closed_year_end=True).count() >= 50
    assert schedules.filter(freq=Schedule.Freq.MONTHLY, byday="2WE").exists()
    assert schedules.filter(open_24h=True).count() >= 4
    # Every service except online-only information has hours somewhere.
    without_hours = Service.objects.exclude(schedules__isnull=False).exclude(
        service_at_locations__schedules__isnull=False
    )
    assert without_hours.count() <= 2


def test_it_has_english_for_at_least_60_services(demo: DirectoryDemoReport) -> None:
    english = (
        ServiceTranslation.objects.filter(language="en").exclude(name="").exclude(description="")
    )
    assert english.count() >= 60
    desk = Service.objects.get(name="外国人相談窓口（多言語生活相談）")
    assert desk.translated("name", "en") == "Consultation Desk for Foreign Residents"
    assert set(desk.languages.values_list("code", flat=True)) >= {"ja", "en", "zh", "vi"}


def test_verification_dates_spread_over_two_years(demo: DirectoryDemoReport) -> None:
    services = Service.objects.all()
    stale = services.needing_verification().count()
    assert 0.2 * services.count() <= stale <= 0.5 * services.count()
    assert services.filter(last_verified_at__isnull=True).exists()
    oldest = min(s.last_verified_at for s in services if s.last_verified_at is not None)
    newest = max(s.last_verified_at for s in services if s.last_verified_at is not None)
    assert (newest - oldest).days <= 731


def test_loading_again_changes_nothing(demo: DirectoryDemoReport) -> None:
    before = {
        str(uuid): updated for uuid, updated in Service.objects.values_list("uuid", "updated_at")
    }

    again = load_directory_demo()

    assert again.changed() == 0
    assert again.of(Service)["unchanged"] == len(before)
    assert {str(u): t for u, t in Service.objects.values_list("uuid", "updated_at")} == before


def test_an_edited_file_updates_and_removes_instead_of_duplicating(
    demo: DirectoryDemoReport, tmp_path: Path
) -> None:
    data = tmp_path / "directory"
    shutil.copytree(DATA_DIR, data)
    general = data / "services" / "01-general.yaml"
    document = yaml.safe_load(general.read_text(encoding="utf-8"))
    renamed, removed = document["services"][0], document["services"][1]
    renamed["name"] = "福祉の総合相談窓口（改称）"
    renamed["phones"] = ["0467-00-1199"]
    del document["services"][1]
    general.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    count = Service.objects.count()

    report = load_directory_demo(data)

    assert Service.objects.count() == count - 1
    assert not Service.objects.filter(uuid=removed["id"]).exists()
    service = Service.objects.get(uuid=renamed["id"])
    assert service.name == "福祉の総合相談窓口（改称）"
    assert list(service.phones.values_list("number", flat=True)) == ["0467-00-1199"]
    assert report.of(Service) == {"updated": 1, "unchanged": count - 2, "deleted": 1}
    # The index followed: the new name is found, and only once.
    assert [s.name for s in find_services(ServiceFilters(q="改称")).services] == [service.name]


def test_a_bad_file_names_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    load_reference_data()
    data = tmp_path / "directory"
    shutil.copytree(DATA_DIR, data)
    food = data / "services" / "14-food.yaml"
    document = yaml.safe_load(food.read_text(encoding="utf-8"))
    document["services"][0]["org"] = "no-such-org"
    document["services"][1]["hours"] = [{"days": "MO-XX", "time": "09:00-17:00"}]
    document["services"][2]["areas"] = ["region-atlantis"]
    food.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    services = Service.objects.count()

    with pytest.raises(DemoDataError) as raised:
        load_directory_demo(data)

    errors = "\n".join(raised.value.errors)
    assert "unknown organisation 'no-such-org'" in errors
    assert "'MO-XX' is not a range of weekdays" in errors
    assert "unknown area 'region-atlantis'" in errors
    assert Service.objects.count() == services


def test_load_demo_links_initiatives_and_a_second_run_changes_nothing() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "directory: " in out.getvalue()
    plan = Plan.objects.get()
    codes = set(
        Service.objects.filter(initiatives__plan=plan).values_list("initiatives__code", flat=True)
    )
    written = set()
    for path in (DATA_DIR / "services").glob("*.yaml"):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["services"]:
            written |= {str(code) for code in entry.get("initiatives") or []}
    assert codes == written
    assert {"4-1-5-7", "1-1-1-1", "5-2-4-1", "4-1-8-6"} <= codes
    double_care = Service.objects.get(name="ダブルケア相談")
    assert list(double_care.initiatives.values_list("code", flat=True)) == ["4-1-5-7"]
    rows = (Service.objects.count(), Phone.objects.count(), Schedule.objects.count())

    out = StringIO()
    call_command("load_demo", stdout=out)

    assert (
        f"directory: {rows[0]} demo services (0 new, 0 updated), 0 rows changed" in out.getvalue()
    )
    assert (Service.objects.count(), Phone.objects.count(), Schedule.objects.count()) == rows
