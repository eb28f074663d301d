"""Directory search: keyword through textsearch plus every filter, kept in step
with the records (index updated on save, on many-to-many changes, on translations)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from tsunagu.core.models import Area
from tsunagu.directory.models import Service, TargetGroup, TaxonomyTerm
from tsunagu.directory.search import FilterError, ServiceFilters, find_services

from .factories import (
    LanguageFactory,
    LocationFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTranslationFactory,
)

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def names(filters: ServiceFilters) -> list[str]:
    return [s.name for s in find_services(filters).services]


@pytest.fixture
def areas() -> dict[str, Area]:
    city = Area.objects.create(kind=Area.Kind.CITY, code="t-city", name="市")
    north = Area.objects.create(kind=Area.Kind.REGION, code="t-north", name="北地域", parent=city)
    south = Area.objects.create(kind=Area.Kind.REGION, code="t-south", name="南地域", parent=city)
    district = Area.objects.create(
        kind=Area.Kind.WELFARE_COMMISSIONER_DISTRICT,
        code="t-north-1",
        name="北第一地区",
        parent=north,
    )
    return {"city": city, "north": north, "south": south, "district": district}


def test_keyword_finds_service_saved_a_moment_ago() -> None:
    ServiceFactory(name="介護者のつどい", description="家族の介護をしている方の集まり")
    assert names(ServiceFilters(q="かいご")) == ["介護者のつどい"]


def test_category_filter_includes_terms_below() -> None:
    parent = TaxonomyTerm.objects.filter(parent__isnull=True, children__isnull=False).first()
    assert parent is not None
    child = parent.children.first()
    service = ServiceFactory(name="子ども食堂")
    service.taxonomy_terms.add(child)
    ServiceFactory(name="別の事業")
    assert names(ServiceFilters(categories=(parent.code,))) == ["子ども食堂"]
    # The many-to-many change reached the index too: the category name finds it.
    assert "子ども食堂" in names(ServiceFilters(q=child.name))


def test_unknown_filters_are_errors_not_empty_results(areas: dict[str, Area]) -> None:
    with pytest.raises(FilterError):
        find_services(ServiceFilters(categories=("no-such-term",)))
    with pytest.raises(FilterError):
        find_services(ServiceFilters(area="no-such-area"))
    with pytest.raises(FilterError):
        find_services(ServiceFilters(target_groups=("martians",)))


def test_area_filter_city_wide_containing_and_inside(areas: dict[str, Area]) -> None:
    ServiceFactory(name="全市")
    north = ServiceFactory(name="北の事業")
    ServiceAreaFactory(service=north, area=areas["north"])
    south = ServiceFactory(name="南の事業")
    ServiceAreaFactory(service=south, area=areas["south"])
    district = ServiceFactory(name="地区の事業")
    ServiceAreaFactory(service=district, area=areas["district"])
    assert set(names(ServiceFilters(area="t-north-1"))) == {"全市", "北の事業", "地区の事業"}
    assert set(names(ServiceFilters(area="t-north"))) == {"全市", "北の事業", "地区の事業"}
    assert set(names(ServiceFilters(area="t-south"))) == {"全市", "南の事業"}


def test_target_group_includes_services_for_everyone() -> None:
    elderly = TargetGroup.objects.get(code="elderly")
    everyone = TargetGroup.objects.get(code="everyone")
    children = TargetGroup.objects.get(code="children")
    ServiceFactory(name="高齢者向け").target_groups.add(elderly)
    ServiceFactory(name="誰でも").target_groups.add(everyone)
    ServiceFactory(name="子ども向け").target_groups.add(children)
    assert set(names(ServiceFilters(target_groups=("elderly",)))) == {"高齢者向け", "誰でも"}


def test_language_filter_and_english_text() -> None:
    service = ServiceFactory(name="外国人相談")
    LanguageFactory(service=service, code="en", name="English")
    ServiceTranslationFactory(
        service=service, language="en", name="Consultation for foreign residents"
    )
    ServiceFactory(name="日本語のみ")
    assert names(ServiceFilters(language="en")) == ["外国人相談"]
    assert names(ServiceFilters(q="foreign residents")) == ["外国人相談"]


def test_open_now_reads_service_and_place_schedules() -> None:
    weekday = ServiceFactory(name="平日窓口")
    ScheduleFactory(
        service=weekday, freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at=time(9), closes_at=time(17)
    )
    placed = ServiceFactory(name="施設の事業")
    location = LocationFactory()
    ServiceAtLocationFactory(service=placed, location=location)
    ScheduleFactory(
        service=None,
        location=location,
        freq="WEEKLY",
        byday="SA",
        opens_at=time(10),
        closes_at=time(12),
    )
    monday_ten = datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO)
    saturday_eleven = datetime(2026, 11, 28, 11, 0, tzinfo=TOKYO)
    assert names(ServiceFilters(open_at=monday_ten)) == ["平日窓口"]
    assert names(ServiceFilters(open_at=saturday_eleven)) == ["施設の事業"]


def test_inactive_services_are_hidden_unless_asked() -> None:
    ServiceFactory(name="休止中の相談", status=Service.Status.TEMPORARILY_CLOSED)
    assert names(ServiceFilters(q="相談")) == []
    assert names(ServiceFilters(q="相談", include_inactive=True)) == ["休止中の相談"]


def test_confidential_place_access_notes_are_not_searchable() -> None:
    shelter = ServiceFactory(name="一時保護")
    location = LocationFactory(
        name="保護施設", is_sensitive=True, transportation="大船駅東口から徒歩5分"
    )
    ServiceAtLocationFactory(service=shelter, location=location)
    assert names(ServiceFilters(q="大船駅")) == []


def test_paging_without_keyword_is_in_kana_order() -> None:
    for name, kana in [("あ", "ア"), ("い", "イ"), ("う", "ウ")]:
        ServiceFactory(name=name, name_kana=kana)
    first = find_services(ServiceFilters(), per_page=2)
    second = find_services(ServiceFilters(), page=2, per_page=2)
    assert [s.name for s in first.services] == ["あ", "い"]
    assert [s.name for s in second.services] == ["う"]
    assert first.total == 3 and first.total_pages == 2


def test_keyword_with_many_valued_filters(areas: dict[str, Area]) -> None:
    # filtered_services() is DISTINCT and ordered; the search must still restrict by it.
    elderly = TargetGroup.objects.get(code="elderly")
    service = ServiceFactory(name="高齢者の相談", name_kana="コウレイシャノソウダン")
    service.target_groups.add(elderly)
    ServiceAreaFactory(service=service, area=areas["north"])
    ServiceFactory(name="子どもの相談")
    page = find_services(ServiceFilters(q="相談", target_groups=("elderly",), area="t-north"))
    assert [s.name for s in page.services] == ["高齢者の相談"]
    assert page.total == 1


def test_keyword_with_open_now_when_nothing_is_open() -> None:
    ServiceFactory(name="夜の相談")  # no schedules: never open
    page = find_services(
        ServiceFilters(q="相談", open_at=datetime(2026, 11, 30, 3, 0, tzinfo=TOKYO))
    )
    assert page.services == [] and page.total == 0


def test_later_page_of_a_relaxed_search_keeps_its_total() -> None:
    for i in range(3):
        ServiceFactory(name=f"介護の集い{i}")
    first = find_services(ServiceFilters(q="介護 宇宙"), per_page=2)
    second = find_services(ServiceFilters(q="介護 宇宙"), page=2, per_page=2)
    assert first.relaxed and second.relaxed
    assert first.total == second.total == 3
    assert len(second.services) == 1
