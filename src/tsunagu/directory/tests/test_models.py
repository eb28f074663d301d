"""The directory's data layer: constraints, verification, confidential addresses, translations,
and the seeded target groups and taxonomy."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from uuid import UUID

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from tsunagu.core.tests.factories import AreaFactory
from tsunagu.directory.models import (
    VERIFY_AFTER,
    Contact,
    Language,
    Phone,
    Schedule,
    Service,
    ServiceStatus,
    TargetGroup,
    Taxonomy,
    TaxonomyTerm,
)
from tsunagu.directory.taxonomy import DEFAULT_TAXONOMY_FILE
from tsunagu.directory.tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC)


def violates_constraint(make) -> bool:  # type: ignore[no-untyped-def]
    """True when ``make()`` is refused by the database."""
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


# -- identity --------------------------------------------------------------------------------------
def test_it_gives_every_record_an_hsds_uuid_beside_an_integer_pk() -> None:
    service, other = factories.ServiceFactory(), factories.ServiceFactory()
    assert isinstance(service.pk, int)
    assert isinstance(service.uuid, UUID)
    assert service.uuid != other.uuid
    assert Service.objects.get(uuid=service.uuid) == service


# -- constraints -----------------------------------------------------------------------------------
def test_it_refuses_a_minimum_age_above_the_maximum() -> None:
    assert violates_constraint(lambda: factories.ServiceFactory(minimum_age=65, maximum_age=18))
    assert not violates_constraint(lambda: factories.ServiceFactory(minimum_age=18, maximum_age=18))
    assert not violates_constraint(lambda: factories.ServiceFactory(minimum_age=65))


def test_it_refuses_an_unknown_status() -> None:
    assert violates_constraint(lambda: factories.ServiceFactory(status="closed"))
    assert not violates_constraint(
        lambda: factories.ServiceFactory(status=ServiceStatus.TEMPORARILY_CLOSED)
    )


def test_it_refuses_closing_before_opening_unless_open_all_day() -> None:
    late, early = dt.time(17), dt.time(9)
    assert violates_constraint(lambda: factories.ScheduleFactory(opens_at=late, closes_at=early))
    assert violates_constraint(lambda: factories.ScheduleFactory(opens_at=early, closes_at=early))
    assert not violates_constraint(
        lambda: factories.ScheduleFactory(opens_at=late, closes_at=early, open_24h=True)
    )


def test_it_refuses_an_opening_time_without_a_closing_time() -> None:
    assert violates_constraint(lambda: factories.ScheduleFactory(closes_at=None))
    assert not violates_constraint(
        lambda: factories.ScheduleFactory(opens_at=None, closes_at=None, open_24h=True)
    )


def test_it_refuses_a_validity_that_ends_before_it_starts() -> None:
    assert violates_constraint(
        lambda: factories.ScheduleFactory(
            valid_from=dt.date(2025, 4, 1), valid_to=dt.date(2025, 3, 31)
        )
    )


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Schedule, {"opens_at": dt.time(9), "closes_at": dt.time(17)}),
        (Phone, {"number": "0467-23-3000"}),
        (Contact, {"name": "担当"}),
        (Language, {"code": "en"}),
    ],
)
def test_it_refuses_a_child_record_that_belongs_to_nothing(model: type, values: dict) -> None:
    assert violates_constraint(lambda: model.objects.create(**values))


def test_it_accepts_a_phone_that_belongs_only_to_a_contact() -> None:
    contact = factories.ContactFactory()
    assert not violates_constraint(
        lambda: factories.PhoneFactory(service=None, contact=contact, number="0467-00-0000")
    )


def test_it_keeps_one_link_per_service_and_location() -> None:
    link = factories.ServiceAtLocationFactory()
    assert violates_constraint(
        lambda: factories.ServiceAtLocationFactory(service=link.service, location=link.location)
    )


def test_it_keeps_one_translation_per_language_and_none_in_japanese() -> None:
    translation = factories.ServiceTranslationFactory(language="en")
    assert violates_constraint(
        lambda: factories.ServiceTranslationFactory(service=translation.service, language="en")
    )
    assert violates_constraint(lambda: factories.ServiceTranslationFactory(language="ja"))
    assert violates_constraint(lambda: factories.OrganizationTranslationFactory(language="ja"))


def test_it_keeps_taxonomy_codes_unique_within_a_taxonomy_only() -> None:
    term = factories.TaxonomyTermFactory(code="food")
    assert violates_constraint(
        lambda: factories.TaxonomyTermFactory(taxonomy=term.taxonomy, code="food")
    )
    assert not violates_constraint(lambda: factories.TaxonomyTermFactory(code="food"))


def test_it_refuses_impossible_coordinates_and_negative_costs() -> None:
    assert violates_constraint(lambda: factories.LocationFactory(latitude=Decimal("91")))
    assert violates_constraint(lambda: factories.CostOptionFactory(amount=Decimal("-1")))
    assert not violates_constraint(lambda: factories.CostOptionFactory(amount=Decimal("0")))


def test_it_lists_an_area_once_per_service() -> None:
    area = AreaFactory()
    served = factories.ServiceAreaFactory(area=area)
    assert violates_constraint(
        lambda: factories.ServiceAreaFactory(service=served.service, area=area)
    )


def test_it_explains_schedule_mistakes_in_full_clean() -> None:
    schedule = factories.ScheduleFactory.build(
        service=factories.ServiceFactory(), byday="2WE", interval=2, opens_at=dt.time(18)
    )
    with pytest.raises(ValidationError) as caught:
        schedule.full_clean()
    assert set(caught.value.message_dict) >= {"byday", "dtstart", "closes_at"}

    schedule = factories.ScheduleFactory.build(service=factories.ServiceFactory(), byday="MON")
    with pytest.raises(ValidationError) as caught:
        schedule.full_clean()
    assert "byday" in caught.value.message_dict

    schedule = factories.ScheduleFactory.build(
        service=factories.ServiceFactory(), freq="MONTHLY", byday="2WE,-1FR", bymonthday="1,-1"
    )
    schedule.full_clean()


# -- verification ----------------------------------------------------------------------------------
def test_it_needs_verification_when_never_verified() -> None:
    service = factories.ServiceFactory(last_verified_at=None)
    assert service.needs_verification(NOW)
    assert list(Service.objects.needing_verification(NOW)) == [service]


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (dt.timedelta(days=1), False),
        (VERIFY_AFTER - dt.timedelta(days=1), False),
        (VERIFY_AFTER, False),
        (VERIFY_AFTER + dt.timedelta(seconds=1), True),
        (dt.timedelta(days=800), True),
    ],
)
def test_it_needs_verification_after_a_year(age: dt.timedelta, expected: bool) -> None:
    service = factories.ServiceFactory(last_verified_at=NOW - age)
    assert service.needs_verification(NOW) is expected
    assert Service.objects.needing_verification(NOW).filter(pk=service.pk).exists() is expected


# -- confidential locations ------------------------------------------------------------------------
def test_it_shows_the_physical_address_of_an_ordinary_location() -> None:
    location = factories.LocationFactory()
    factories.AddressFactory(location=location, address_type="postal", address_1="私書箱1号")
    physical = factories.AddressFactory(location=location)
    assert location.public_address() == physical
    assert str(physical) == "〒248-8686 神奈川県鎌倉市御成町18-10"
    assert location.public_coordinates() == (Decimal("35.319225"), Decimal("139.546687"))


def test_it_never_shows_where_a_confidential_location_is() -> None:
    shelter = factories.LocationFactory(is_sensitive=True)
    factories.AddressFactory(location=shelter)
    assert shelter.public_address() is None
    assert shelter.public_coordinates() is None


def test_it_has_no_public_address_when_none_is_recorded() -> None:
    assert factories.LocationFactory().public_address() is None


# -- translations ----------------------------------------------------------------------------------
def test_it_translates_a_service_and_falls_back_to_japanese() -> None:
    service = factories.ServiceFactory(name="福祉総合相談", eligibility_description="市内在住の方")
    factories.ServiceTranslationFactory(
        service=service, language="en", name="Welfare consultation", eligibility_description=""
    )
    assert service.translated("name", "en") == "Welfare consultation"
    assert service.translated("name", "en-us") == "Welfare consultation"
    assert service.translated("eligibility_description", "en") == "市内在住の方"  # blank there
    assert service.translated("name", "vi") == "福祉総合相談"  # no Vietnamese yet
    assert service.translated("name", "ja") == "福祉総合相談"
    with pytest.raises(ValueError):
        service.translated("email", "en")


def test_it_translates_in_the_active_language_by_default(settings) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    service = factories.ServiceFactory(name="福祉総合相談")
    factories.ServiceTranslationFactory(service=service, language="en", name="Welfare consultation")
    with translation.override("en"):
        assert service.translated("name") == "Welfare consultation"
    with translation.override("ja"):
        assert service.translated("name") == "福祉総合相談"


def test_it_translates_from_prefetched_rows_without_queries(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        factories.ServiceTranslationFactory()
    services = list(Service.objects.prefetch_related("translations"))
    with django_assert_num_queries(0):
        names = [service.translated("name", "en") for service in services]
    assert all(name.startswith("Test consultation") for name in names)


def test_it_translates_an_organisation() -> None:
    organization = factories.OrganizationFactory(name="鎌倉市社会福祉協議会")
    factories.OrganizationTranslationFactory(
        organization=organization, name="Kamakura Social Welfare Council", description=""
    )
    assert organization.translated("name", "en") == "Kamakura Social Welfare Council"
    assert organization.translated("description", "en") == organization.description


# -- seeded data -----------------------------------------------------------------------------------
def test_it_seeds_the_target_groups() -> None:
    codes = set(TargetGroup.objects.values_list("code", flat=True))
    assert {
        "elderly",
        "disability",
        "children",
        "youth",
        "low_income",
        "foreign_residents",
        "single_parents",
        "carers",
        "women",
        "everyone",
    } <= codes
    assert TargetGroup.objects.get(code="elderly").name == "高齢者"


def test_it_loads_the_welfare_taxonomy_in_a_migration() -> None:
    taxonomy = Taxonomy.objects.get(name="tsunagu-welfare", version="1")
    terms = TaxonomyTerm.objects.filter(taxonomy=taxonomy)
    assert terms.count() > 50
    top = terms.filter(parent=None)
    assert top.count() == 15
    assert top.first().name == "総合相談"  # type: ignore[union-attr]
    for category in top:
        children = list(category.children.all())
        assert 3 <= len(children) <= 8, category.code
        assert all(child.code.startswith(f"{category.code}.") for child in children)
        assert all(child.name and child.name_en for child in children)
    care = terms.get(code="elderly.care-insurance")
    assert care.parent.code == "elderly"  # type: ignore[union-attr]
    assert care.display_name("en") == "Long-term care insurance services"
    assert care.display_name("ja") == "介護保険サービス"


# -- load_taxonomy ---------------------------------------------------------------------------------
def run_load_taxonomy(*args: str) -> str:
    out = StringIO()
    call_command("load_taxonomy", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(
        TaxonomyTerm.objects.order_by("taxonomy_id", "code").values_list(
            "taxonomy_id", "code", "name", "name_en", "description", "parent__code", "sort_order"
        )
    )


def test_load_taxonomy_is_idempotent() -> None:
    before = snapshot()
    output = run_load_taxonomy()
    assert "0 created, 0 updated" in output
    run_load_taxonomy(str(DEFAULT_TAXONOMY_FILE))
    assert snapshot() == before
    assert Taxonomy.objects.filter(name="tsunagu-welfare").count() == 1


def city_file(tmp_path: Path, terms: list[dict]) -> Path:
    path = tmp_path / "city.yaml"
    path.write_text(
        yaml.safe_dump(
            {"taxonomy": {"name": "other-city", "version": "2025"}, "terms": terms},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return path


def test_load_taxonomy_loads_another_citys_file_and_updates_it(tmp_path: Path) -> None:
    terms = [
        {
            "code": "care",
            "name": "介護",
            "terms": [{"code": "care.home", "name": "在宅"}, {"code": "care.day", "name": "通所"}],
        }
    ]
    run_load_taxonomy(str(city_file(tmp_path, terms)))
    taxonomy = Taxonomy.objects.get(name="other-city")
    assert taxonomy.terms.count() == 3

    terms[0]["terms"] = [{"code": "care.home", "name": "在宅介護"}]
    report = json.loads(run_load_taxonomy(str(city_file(tmp_path, terms)), "--json"))
    assert report["updated"] == ["care.home"]
    assert report["not_in_file"] == ["care.day"]  # kept: services may point at it
    assert taxonomy.terms.get(code="care.home").name == "在宅介護"
    assert taxonomy.terms.count() == 3


def test_load_taxonomy_dry_run_changes_nothing(tmp_path: Path) -> None:
    before = snapshot()
    output = run_load_taxonomy(str(city_file(tmp_path, [{"code": "a", "name": "A"}])), "--dry-run")
    assert output.startswith("[dry run]")
    assert snapshot() == before
    assert not Taxonomy.objects.filter(name="other-city").exists()


def test_load_taxonomy_refuses_a_broken_file_and_lists_every_error(tmp_path: Path) -> None:
    before = snapshot()
    bad = [{"code": "care", "name": "介護", "terms": [{"code": "food.x", "name": ""}]}]
    with pytest.raises(CommandError) as caught:
        run_load_taxonomy(str(city_file(tmp_path, bad)))
    message = str(caught.value)
    assert "nothing was changed" in message
    assert "must start with 'care.'" in message
    assert "'name' is required" in message
    assert snapshot() == before
