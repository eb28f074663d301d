"""The public directory pages: search (page, htmx fragment, map JSON) and service pages.

No login anywhere. What must hold whatever else changes: confidential places never
leave the server with an address or a position; bad input gets a message next to the
field it concerns; the search page costs the same number of queries for 3 services
as for 30.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from tsunagu.core.models import Area
from tsunagu.core.tests.factories import AreaFactory
from tsunagu.directory.models import Service, TargetGroup, TaxonomyTerm
from tsunagu.directory.views.public import FURIGANA_COOKIE, TEXT_SIZE_COOKIE
from tsunagu.plans.tests.factories import InitiativeFactory

from .factories import (
    AccessibilityFactory,
    AddressFactory,
    CostOptionFactory,
    LanguageFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    RequiredDocumentFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTranslationFactory,
)

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")
SEARCH = reverse("directory:search")
MAP = reverse("directory:map_data")

# A shelter: what must never reach a public page or the map's JSON.
SECRET_STREET = "秘密町3-2-1"
SECRET_POSTCODE = "248-0099"
SECRET_ACCESS = "大船駅東口から徒歩4分の路地"
SECRET_LATITUDE = Decimal("35.354321")
SECRET_LONGITUDE = Decimal("139.531234")


@pytest.fixture
def japanese(english: None, settings: Any) -> Iterator[None]:
    """Japanese pages, as a resident gets them by default (LANGUAGE_CODE = "ja"), for the
    tests of Japanese content; the directory's conftest makes every other test English.
    Their UI wording comes from the catalogue (``_()`` under ``translation.override("ja")``:
    a request leaves its own language active), so a change of wording does not break them."""
    settings.LANGUAGE_CODE = "ja"
    with translation.override("ja"):
        yield


def service_url(service: Service) -> str:
    return reverse("directory:service", args=[service.uuid])


def page_text(response: Any) -> str:
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def shown_names(response: Any) -> list[str]:
    """The service names on a results page, in order (from the card headings)."""
    import re

    html = page_text(response)
    return [
        re.sub(r"<[^>]+>", "", name)
        for name in re.findall(r'class="service-card__name"[^>]*><a [^>]*>(.*?)</a>', html)
    ]


def always_open(service: Service) -> None:
    ScheduleFactory(service=service, byday="", open_24h=True, opens_at=None, closes_at=None)


def never_open(service: Service) -> None:
    ScheduleFactory(service=service, valid_from=date(2001, 1, 1), valid_to=date(2001, 1, 31))


def shelter_for(service: Service) -> None:
    shelter = LocationFactory(
        name="女性のための一時保護所",
        is_sensitive=True,
        transportation=SECRET_ACCESS,
        latitude=SECRET_LATITUDE,
        longitude=SECRET_LONGITUDE,
    )
    AddressFactory(location=shelter, address_1=SECRET_STREET, postal_code=SECRET_POSTCODE)
    PhoneFactory(service=None, location=shelter, number="0467-99-9999")
    ServiceAtLocationFactory(service=service, location=shelter)


def assert_no_secrets(text: str) -> None:
    for secret in (
        SECRET_STREET,
        SECRET_POSTCODE,
        SECRET_ACCESS,
        "35.354321",
        "139.531234",
        "0467-99-9999",
    ):
        assert secret not in text, secret


@pytest.fixture
def regions() -> dict[str, Area]:
    city = AreaFactory(kind=Area.Kind.CITY, code="kamakura", name="鎌倉市")
    return {
        "kamakura": AreaFactory(code="region-kamakura", name="鎌倉", parent=city),
        "ofuna": AreaFactory(code="region-ofuna", name="大船", parent=city),
    }


@pytest.fixture
def care_desk() -> Service:
    """A fully described service: every part of the service page has something to show."""
    organization = OrganizationFactory(name="鎌倉市社会福祉協議会")
    service = ServiceFactory(
        organization=organization,
        name="高齢者なんでも相談",
        name_kana="こうれいしゃなんでもそうだん",
        description="介護や暮らしの困りごとを、高齢者と家族から聞きます。",
        eligibility_description="市内に住む65歳以上の方とその家族",
        application_process="電話か窓口でお申し込みください。",
        fees_description="相談は無料です。",
        minimum_age=65,
        email="soudan@example.jp",
        last_verified_at=datetime(2025, 4, 1, 10, 0, tzinfo=TOKYO),
    )
    ServiceTranslationFactory(
        service=service,
        name="Advice for older people",
        description="Advice on care and daily life for older people and their families.",
        eligibility_description="People aged 65 and over living in the city, and their families",
        application_process="Call or visit the desk.",
        fees_description="Advice is free.",
    )
    service.target_groups.add(TargetGroup.objects.get(code="elderly"))
    service.taxonomy_terms.add(TaxonomyTerm.objects.get(code="elderly.support-centres"))
    centre = LocationFactory(
        name="鎌倉市福祉センター", transportation="鎌倉駅西口から徒歩7分", organization=organization
    )
    AddressFactory(location=centre)
    AccessibilityFactory(location=centre, description="車いすで入れます。")
    ServiceAtLocationFactory(service=service, location=centre)
    ScheduleFactory(service=service)
    PhoneFactory(service=service, number="0467-23-1111")
    PhoneFactory(service=service, number="0467-23-1112", type="fax")
    LanguageFactory(service=service, code="en", name="English")
    RequiredDocumentFactory(service=service, document="介護保険被保険者証")
    CostOptionFactory(service=service, option="訪問", amount=Decimal("500"))
    InitiativeFactory(code="4-1-5-7", title="高齢者の総合相談").directory_services.add(service)
    return service


# -- the search page -------------------------------------------------------------------------------
def test_it_lists_every_active_service_in_kana_order_without_a_search(client: Client) -> None:
    ServiceFactory(name="ひまわり食堂", name_kana="ひまわりしょくどう")
    ServiceFactory(name="あおぞら相談", name_kana="あおぞらそうだん")
    ServiceFactory(name="休止中の事業", status=Service.Status.INACTIVE)

    response = client.get(SEARCH)

    assert shown_names(response) == ["あおぞら相談", "ひまわり食堂"]
    assert "2 services found." in page_text(response)


def test_it_finds_by_keyword_and_hiragana_and_marks_the_words(client: Client) -> None:
    ServiceFactory(name="介護者のつどい", description="家族の介護をしている方の集まりです。")
    ServiceFactory(name="子育てひろば", description="親子で遊べる場所です。")

    response = client.get(SEARCH, {"q": "かいご"})

    assert shown_names(response) == ["介護者のつどい"]
    assert "<mark>介護</mark>" in page_text(response)


def test_it_answers_htmx_with_the_results_fragment(client: Client) -> None:
    ServiceFactory(name="介護者のつどい")

    response = client.get(SEARCH, {"q": "介護"}, headers={"HX-Request": "true"})

    html = page_text(response)
    assert "<html" not in html
    assert "介護者のつどい" in html
    # The count, the messages next to the filters and the display links come out of band.
    assert 'id="result-status" hx-swap-oob="innerHTML"' in html
    assert 'id="category-errors" hx-swap-oob="true"' in html
    assert 'id="display-options"' in html and "?q=%E4%BB%8B%E8%AD%B7&amp;furigana=1" in html
    # htmx takes the page title from the fragment.
    assert html.lstrip().startswith("<title>“介護”: services | ")
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client: Client) -> None:
    response = client.get(
        SEARCH, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in page_text(response)


def test_the_category_filter_includes_subcategories(client: Client) -> None:
    centre = ServiceFactory(name="地域包括支援センター")
    centre.taxonomy_terms.add(TaxonomyTerm.objects.get(code="elderly.support-centres"))
    ServiceFactory(name="子育てひろば").taxonomy_terms.add(
        TaxonomyTerm.objects.get(code="children.parenting-advice")
    )

    assert shown_names(client.get(SEARCH, {"category": "elderly"})) == ["地域包括支援センター"]
    assert shown_names(client.get(SEARCH, {"category": "elderly.support-centres"})) == [
        "地域包括支援センター"
    ]


@pytest.mark.usefixtures("japanese")
def test_the_category_choices_group_subcategories_under_their_top_level(client: Client) -> None:
    html = page_text(client.get(SEARCH))
    assert '<optgroup label="高齢・介護">' in html
    group = html.split('<optgroup label="高齢・介護">', 1)[1].split("</optgroup>", 1)[0]
    with translation.override("ja"):
        all_of_it = _("%(category)s (all)") % {"category": "高齢・介護"}
    assert f'<option value="elderly">{all_of_it}</option>' in group
    assert '<option value="elderly.support-centres">地域包括支援センター</option>' in group


def test_the_area_filter_keeps_city_wide_services(client: Client, regions: dict[str, Area]) -> None:
    ServiceFactory(name="全市の事業", name_kana="あ")
    ServiceAreaFactory(
        service=ServiceFactory(name="大船の事業", name_kana="い"), area=regions["ofuna"]
    )
    ServiceAreaFactory(service=ServiceFactory(name="鎌倉の事業"), area=regions["kamakura"])

    response = client.get(SEARCH, {"area": "region-ofuna"})

    assert shown_names(response) == ["全市の事業", "大船の事業"]
    assert '<option value="region-ofuna" selected>大船</option>' in page_text(response)


def test_the_target_group_filter_keeps_services_for_everyone(client: Client) -> None:
    ServiceFactory(name="誰でも相談", name_kana="あ").target_groups.add(
        TargetGroup.objects.get(code="everyone")
    )
    ServiceFactory(name="外国人相談", name_kana="い").target_groups.add(
        TargetGroup.objects.get(code="foreign_residents")
    )
    ServiceFactory(name="高齢者相談").target_groups.add(TargetGroup.objects.get(code="elderly"))

    response = client.get(SEARCH, {"target_group": "foreign_residents"})

    assert shown_names(response) == ["誰でも相談", "外国人相談"]
    assert '<option value="everyone">' not in page_text(response)


def test_the_language_filter_and_its_choices_in_their_own_names(client: Client) -> None:
    LanguageFactory(service=ServiceFactory(name="やさしい日本語と英語の相談"), code="en")
    LanguageFactory(service=ServiceFactory(name="ベトナム語の相談"), code="vi", name="ベトナム語")
    ServiceFactory(name="日本語だけの相談")

    response = client.get(SEARCH, {"language": "vi"})

    assert shown_names(response) == ["ベトナム語の相談"]
    html = page_text(response)
    assert '<option value="en">English</option>' in html
    vietnamese = get_language_info("vi")["name_local"]  # Tiếng Việt
    assert f'<option value="vi" selected>{vietnamese}</option>' in html


def test_the_open_now_filter(client: Client) -> None:
    always_open(ServiceFactory(name="24時間電話相談"))
    never_open(ServiceFactory(name="昔の教室"))

    response = client.get(SEARCH, {"open_now": "on"})

    assert shown_names(response) == ["24時間電話相談"]
    assert "Open now" in page_text(response)


def test_a_closed_service_says_when_it_opens_next(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wednesday 4 June 2025, 18:00 in Japan: weekday hours 9:00–17:00 are over for today.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 6, 4, 18, 0, tzinfo=TOKYO))
    ScheduleFactory(service=ServiceFactory(name="平日の窓口"))

    html = page_text(client.get(SEARCH))

    assert "Closed now" in html
    assert "Opens tomorrow at 9:00" in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"category": "no-such-category"}, "category", "Unknown category."),
        ({"area": "region-atlantis"}, "area", "Unknown area."),
        ({"target_group": "martians"}, "target_group", "Unknown target group."),
    ],
)
def test_an_unknown_filter_value_is_explained_next_to_the_filter(
    client: Client, params: dict[str, str], field: str, message: str
) -> None:
    ServiceFactory(name="何かの事業")

    response = client.get(SEARCH, params)

    html = page_text(response)
    assert (
        f'<div class="field-errors" id="{field}-errors"><p class="field-error">{message}</p>'
        in html
    )
    assert "Please check the search conditions." in html
    assert "何かの事業" not in html  # not silently "everything"


def test_bad_input_gets_a_message_and_keeps_what_was_typed(client: Client) -> None:
    ServiceFactory(name="何かの事業")

    too_long = client.get(SEARCH, {"q": "あ" * 201})
    assert "Use at most 200 characters." in page_text(too_long)
    assert 'aria-invalid="true"' in page_text(too_long)
    assert "あ" * 201 in page_text(too_long)

    bad_language = client.get(SEARCH, {"language": "Klingon!"})
    assert 'id="language-errors"><p class="field-error">' in page_text(bad_language)

    bad_page = client.get(SEARCH, {"page": "two"})
    assert "the first page is shown" in page_text(bad_page)
    assert shown_names(bad_page) == ["何かの事業"]


def test_it_says_when_it_relaxed_to_any_word(client: Client) -> None:
    ServiceFactory(name="介護者のつどい")

    response = client.get(SEARCH, {"q": "介護 宇宙旅行"})

    assert shown_names(response) == ["介護者のつどい"]
    assert "No service has all of your words." in page_text(response)


def test_it_pages_through_results(client: Client) -> None:
    for n in range(25):
        ServiceFactory(name=f"事業{n:02d}", name_kana=f"じぎょう{n:02d}")

    first = client.get(SEARCH)
    second = client.get(SEARCH, {"page": 2})

    assert len(shown_names(first)) == 20
    assert shown_names(second) == [f"事業{n:02d}" for n in range(20, 25)]
    assert "Page 2 of 2" in page_text(second)
    assert 'rel="prev" href="?page=1"' in page_text(second)
    assert 'rel="next" href="?page=2"' in page_text(first)


def test_no_results_help_offers_a_way_on(client: Client) -> None:
    ServiceFactory(name="介護者のつどい").target_groups.add(TargetGroup.objects.get(code="elderly"))

    response = client.get(SEARCH, {"q": "介護", "target_group": "children"})

    html = page_text(response)
    assert "No services found." in html
    assert "Nothing found" in html
    assert f'href="{SEARCH}?q=%E4%BB%8B%E8%AD%B7"' in html  # the same words without filters
    assert f'href="{SEARCH}?category=general"' in html


def test_a_card_says_where_the_words_were_found_when_not_in_the_description(
    client: Client, care_desk: Service
) -> None:
    html = page_text(client.get(SEARCH, {"q": "地域包括支援センター"}))
    assert "Found in “categories”:" in html
    assert "<mark>地域包括支援センター</mark>" in html


@pytest.mark.usefixtures("japanese")
def test_cards_show_who_where_when_how_and_the_next_step(
    client: Client, care_desk: Service
) -> None:
    response = client.get(SEARCH)
    html = page_text(response)
    with translation.override("ja"):
        age = _("Age %(low)s and over") % {"low": 65}

    assert shown_names(response) == ["高齢者なんでも相談"]
    assert f"<dd>高齢者（{age}）</dd>" in html  # who for: the target group and the age
    assert "鎌倉市福祉センター" in html and "御成町18-10" in html  # where
    assert "9:00–17:00" in html  # when
    assert "電話か窓口でお申し込みください。" in html  # how to apply
    assert "相談は無料です。" in html  # fees
    assert 'href="tel:0467231111"' in html  # the next step
    assert f'href="{service_url(care_desk)}#places"' in html  # see it on the map


def count_queries(client: Client, url: str, params: dict[str, str]) -> int:
    cache.clear()  # the synonym table is cached: load it in every count alike
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context.captured_queries)


def make_full_services(count: int) -> None:
    """Services with something in every relation a card reads."""
    elderly = TargetGroup.objects.get(code="elderly")
    term = TaxonomyTerm.objects.get(code="elderly.support-centres")
    for n in range(count):
        service = ServiceFactory(name=f"介護の相談{n}", description="介護の相談を受けます。")
        ServiceTranslationFactory(service=service)
        service.target_groups.add(elderly)
        service.taxonomy_terms.add(term)
        location = LocationFactory()
        AddressFactory(location=location)
        ScheduleFactory(service=None, location=location)
        sal = ServiceAtLocationFactory(service=service, location=location)
        ScheduleFactory(service=None, service_at_location=sal)
        ScheduleFactory(service=service)
        PhoneFactory(service=service)
        PhoneFactory(service=None, location=location)
        ServiceAreaFactory(service=service, area=AreaFactory())
    shelter_for(Service.objects.first())  # type: ignore[arg-type]


# Every search page: 4 for the filters' choices (categories, areas, target groups,
# languages); 1 for the page's services with their organisations; 14 prefetches (service
# translations, organisation translations, organisation phones, categories, target
# groups, schedules, phones, service areas with their areas, places with their
# locations, and the places' schedules, phones, addresses, location schedules and
# location phones).
PAGE_QUERIES = 4 + 1 + 14


@pytest.mark.parametrize(
    ("params", "search_queries"),
    [
        ({}, 2),  # count, the page's ids in kana order
        ({"q": "介護"}, 3),  # synonyms, hits, count
        ({"q": "地域包括支援センター"}, 3),  # found by category: the card explains the match
        ({"q": "介護", "open_now": "on"}, 5),  # + the candidates' schedules: which, then rules
    ],
)
def test_the_search_page_makes_the_same_queries_for_3_or_30_services(
    client: Client, params: dict[str, str], search_queries: int
) -> None:
    make_full_services(3)
    assert count_queries(client, SEARCH, params) == PAGE_QUERIES + search_queries
    make_full_services(27)
    assert count_queries(client, SEARCH, params) == PAGE_QUERIES + search_queries


def test_the_map_json_makes_the_same_queries_for_3_or_30_services(client: Client) -> None:
    make_full_services(3)
    few = count_queries(client, MAP, {"q": "介護"})
    make_full_services(27)
    assert count_queries(client, MAP, {"q": "介護"}) == few


# -- confidential places ---------------------------------------------------------------------------
def test_a_confidential_place_never_shows_its_address_or_position(client: Client) -> None:
    service = ServiceFactory(name="DV相談", description="配偶者からの暴力の相談")
    shelter_for(service)

    search = page_text(client.get(SEARCH, {"q": "DV"}))
    fragment = page_text(client.get(SEARCH, {"q": "DV"}, headers={"HX-Request": "true"}))
    detail = page_text(client.get(service_url(service)))
    map_json = page_text(client.get(MAP, {"q": "DV"}))

    for text in (search, fragment, detail, map_json):
        assert_no_secrets(text)
    assert "The address is not published for safety reasons." in search
    assert "The address is not published for safety reasons." in detail
    assert "女性のための一時保護所" in detail
    assert json.loads(map_json)["features"] == []
    assert "data-marker" not in detail


def test_the_map_json_has_the_public_places_of_the_results(
    client: Client, care_desk: Service
) -> None:
    shelter_for(care_desk)

    data = client.get(MAP).json()

    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [139.546687, 35.319225]}
    assert feature["properties"]["place"] == "鎌倉市福祉センター"
    assert feature["properties"]["url"] == service_url(care_desk) + "#places"


def test_the_map_json_refuses_bad_filters(client: Client) -> None:
    response = client.get(MAP, {"category": "no-such-category"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"category": ["Unknown category."]}}


# -- the service page ------------------------------------------------------------------------------
@pytest.mark.usefixtures("japanese")
def test_the_service_page_shows_everything(client: Client, care_desk: Service) -> None:
    html = page_text(client.get(service_url(care_desk)))
    with translation.override("ja"):
        age = _("Age %(low)s and over") % {"low": 65}
        fee = _("%(amount)s yen") % {"amount": 500}
        checked = _("Information last checked on %(date)s.") % {"date": "2025-04-01"}
    english = get_language_info("en")["name_local"]

    for expected in (
        "<h1>高齢者なんでも相談</h1>",
        "鎌倉市社会福祉協議会",
        "市内に住む65歳以上の方とその家族",  # eligibility
        f"<dd>{age}</dd>",  # not just the eligibility text, which says 65歳以上 too
        "介護保険被保険者証",  # what to bring
        f"<li>訪問 {fee}</li>",  # a fee
        "9:00–17:00",  # hours
        "鎌倉駅西口から徒歩7分",  # getting there
        "車いすで入れます。",  # accessibility
        'href="tel:0467231111"',  # a phone to call
        "0467-23-1112",  # the fax, listed, not dialled
        f'<span class="tag">{english}</span>',  # a language, in its own name
        'class="code">4-1-5-7</span> <span>高齢者の総合相談</span>',  # the initiative it serves
        checked,
        'data-marker data-lat="35.319225" data-lng="139.546687"',
    ):
        assert expected in html, expected
    assert 'href="tel:0467231112"' not in html


def test_the_service_page_marks_demo_data(client: Client) -> None:
    service = ServiceFactory(is_demo=True)
    assert "Demo data:" in page_text(client.get(service_url(service)))
    assert "Demo data:" not in page_text(client.get(service_url(ServiceFactory())))


def test_only_web_addresses_become_links(client: Client) -> None:
    service = ServiceFactory(url="javascript:alert(1)")
    RequiredDocumentFactory(service=service, document="申請書", uri="javascript:alert(2)")
    html = page_text(client.get(service_url(service)))
    assert "javascript:" not in html
    assert "申請書" in html


@pytest.mark.parametrize("status", [Service.Status.INACTIVE, Service.Status.DEFUNCT])
def test_inactive_services_are_not_found(client: Client, status: str) -> None:
    service = ServiceFactory(status=status)
    assert client.get(service_url(service)).status_code == 404


def test_unknown_services_are_not_found(client: Client) -> None:
    url = reverse("directory:service", args=["6f1c2a7e-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404
    assert client.get("/directory/services/not-a-uuid/").status_code == 404


def test_a_temporarily_closed_service_keeps_its_page_with_a_notice(client: Client) -> None:
    service = ServiceFactory(status=Service.Status.TEMPORARILY_CLOSED)
    assert "This service is temporarily closed." in page_text(client.get(service_url(service)))


def test_the_service_page_leads_back_to_the_search_it_came_from(
    client: Client, care_desk: Service
) -> None:
    referer = f"http://testserver{SEARCH}?q=%E4%BB%8B%E8%AD%B7"
    html = page_text(client.get(service_url(care_desk), headers={"referer": referer}))
    assert f'href="{SEARCH}?q=%E4%BB%8B%E8%AD%B7">Back to the search</a>' in html

    elsewhere = "https://evil.example/directory/?q=x"
    html = page_text(client.get(service_url(care_desk), headers={"referer": elsewhere}))
    assert f'href="{SEARCH}">Back to the search</a>' in html


# -- languages and display options ----------------------------------------------------------------
def test_english_readers_get_the_english_content(client: Client, care_desk: Service) -> None:
    search = page_text(client.get(SEARCH, headers={"accept-language": "en"}))
    detail = page_text(client.get(service_url(care_desk), headers={"accept-language": "en"}))

    assert '<html lang="en">' in search
    assert "Advice for older people" in search
    assert "Older people" in search  # the target group's English name
    assert "Call or visit the desk." in search
    assert "<h1>Advice for older people</h1>" in detail
    assert "People aged 65 and over living in the city" in detail
    assert "Advice is free." in detail
    # Untranslated text falls back to the Japanese original.
    assert "鎌倉市福祉センター" in detail


def test_japanese_text_on_english_pages_is_marked_as_japanese(
    client: Client, care_desk: Service
) -> None:
    """WCAG 3.1.2: a screen reader reads untranslated text with a Japanese voice."""
    ServiceTranslationFactory(service=ServiceFactory(name="未翻訳の相談"), language="fr")
    english = {"accept-language": "en"}
    search = page_text(client.get(SEARCH, headers=english))
    detail = page_text(client.get(service_url(care_desk), headers=english))

    assert "<h1>Advice for older people</h1>" in detail  # translated: the page's language
    assert 'lang="ja">鎌倉市社会福祉協議会</p>' in detail  # no English name for the provider
    assert '<dd lang="ja">〒248-8686 神奈川県鎌倉市御成町18-10</dd>' in detail
    assert 'lang="ja">未翻訳の相談</a>' in search
    assert ">Advice for older people</a>" in search
    # Japanese pages need no such marks.
    japanese_pages = [
        page_text(client.get(url, headers={"accept-language": "ja"}))
        for url in (service_url(care_desk), SEARCH)
    ]
    for page in japanese_pages:
        assert '<html lang="ja">' in page
    japanese = "".join(japanese_pages)
    base_marks = ('<html lang="ja">', '<span lang="ja">つなぐ</span>')  # base.html's own
    for mark in base_marks:
        japanese = japanese.replace(mark, "")
    assert 'lang="ja"' not in japanese


def test_an_english_keyword_finds_the_english_text(client: Client, care_desk: Service) -> None:
    response = client.get(SEARCH, {"q": "daily life"}, headers={"accept-language": "en"})
    assert shown_names(response) == ["Advice for older people"]
    assert "<mark>daily</mark> <mark>life</mark>" in page_text(response)


@pytest.mark.usefixtures("japanese")
def test_furigana_is_switched_on_remembered_and_switched_off(
    client: Client, care_desk: Service
) -> None:
    plain = page_text(client.get(SEARCH))
    assert "<ruby>" not in plain

    switched = client.get(SEARCH, {"furigana": "1"})
    assert switched.cookies[FURIGANA_COOKIE].value == "1"
    html = page_text(switched)
    assert "<ruby>高齢<rt>こうれい</rt></ruby><ruby>者<rt>しゃ</rt></ruby>" in html
    assert "<ruby>介護<rt>かいご</rt></ruby>" in html  # in the description too

    # The cookie remembers it, on the service page as well.
    detail = page_text(client.get(service_url(care_desk)))
    assert "<h1><ruby>高齢<rt>こうれい</rt></ruby>" in detail
    assert 'href="?furigana=0"' in detail

    off = client.get(SEARCH, {"furigana": "0"})
    assert off.cookies[FURIGANA_COOKIE].value == "0"
    assert "<ruby>" not in page_text(client.get(SEARCH))


@pytest.mark.usefixtures("japanese")
def test_furigana_keeps_the_marks_of_a_search(client: Client, care_desk: Service) -> None:
    client.cookies[FURIGANA_COOKIE] = "1"
    html = page_text(client.get(SEARCH, {"q": "介護"}))
    assert "<mark><ruby>介護<rt>かいご</rt></ruby></mark>" in html


def test_larger_text_is_switched_on_and_remembered(client: Client) -> None:
    response = client.get(SEARCH, {"text": "large"})
    assert response.cookies[TEXT_SIZE_COOKIE].value == "large"
    assert 'class="directory directory--large"' in page_text(response)
    assert 'class="directory directory--large"' in page_text(client.get(SEARCH))
    assert 'href="?text=normal"' in page_text(client.get(SEARCH))


def test_the_display_links_keep_the_search(client: Client) -> None:
    html = page_text(client.get(SEARCH, {"q": "介護", "area": "", "page": "1"}))
    assert 'id="furigana-toggle" href="?q=%E4%BB%8B%E8%AD%B7&amp;furigana=1"' in html


# -- map tiles and the CSP -------------------------------------------------------------------------
def test_the_csp_allows_images_from_the_tile_host(client: Client, settings: Any) -> None:
    csp = client.get(SEARCH)["Content-Security-Policy"]
    assert "img-src 'self' data: https://cyberjapandata.gsi.go.jp;" in csp
    assert "script-src 'self';" in csp

    settings.MAP_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    csp = client.get(SEARCH)["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tile.example.org;" in csp


@pytest.mark.usefixtures("japanese")
def test_without_a_tile_url_there_is_no_map_and_the_list_stays(
    client: Client, settings: Any, care_desk: Service
) -> None:
    settings.MAP_TILE_URL = ""
    response = client.get(SEARCH)
    html = page_text(response)
    assert "data-map" not in html.replace("data-map-url", "")
    assert "leaflet" not in html
    assert shown_names(response) == ["高齢者なんでも相談"]
    assert "img-src 'self' data:;" in response["Content-Security-Policy"]


def test_the_map_is_configured_from_the_settings_and_hidden_until_scripted(
    client: Client, settings: Any, care_desk: Service
) -> None:
    settings.MAP_TILE_ATTRIBUTION = "Tiles & <b>data</b>"
    html = page_text(client.get(service_url(care_desk)))
    assert 'data-tile-url="https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="Tiles &amp; &lt;b&gt;data&lt;/b&gt;"' in html
    assert "<script>" not in html  # no inline script: the CSP would refuse it
    assert 'class="directory-map directory-map--service" hidden' in html


def test_a_tile_url_that_is_not_http_stops_the_settings() -> None:
    env = {**os.environ, "TSUNAGU_MAP_TILE_URL": "javascript:alert(1)//{z}"}
    result = subprocess.run(
        [sys.executable, "-c", "import tsunagu.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "TSUNAGU_MAP_TILE_URL must be an http(s) URL template" in result.stderr


def test_anyone_can_search_without_logging_in(client: Client) -> None:
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert client.head(SEARCH).status_code == 200
    assert client.post(SEARCH).status_code == 405


def test_nothing_here_needs_a_session(client: Client) -> None:
    client.get(SEARCH)
    assert "sessionid" not in client.cookies
