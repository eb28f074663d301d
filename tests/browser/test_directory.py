"""The public directory in the browser: search, filters, a service page, language,
furigana, the map, accessibility (axe-core) and the documentation screenshots.

No login: residents use these pages. The data is a handful of services made with the
factories (known names, so the tests can say what must be found); the screenshots use
the directory's demo data when ``directory.demo.load_directory_demo`` is available.

Map tiles never come from the internet here: requests to the tile host are answered
with a plain generated tile (or refused, to check that the page copes without them).
UI text is checked through ids and roles, not words, since the Japanese catalogue is
translated separately.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

PROJECT_DIR = Path(__file__).resolve().parents[2]
TILE_HOST = "https://cyberjapandata.gsi.go.jp/"
SECRET_STREET = "秘密町3-2-1"
PHONE = {"width": 360, "height": 780}


# -- data -----------------------------------------------------------------------------------------
def seed_directory_reference_data() -> None:
    """The city's areas (the five 地域); its divisions came with the seed plan already.

    (Target groups, taxonomy and synonyms come from data migrations, which the
    ``migrated_database`` fixture restores after a flush.)"""
    from tsunagu.core.management.commands.load_reference_data import (
        DEFAULT_AREAS,
        load_reference_data,
    )

    load_reference_data(None, DEFAULT_AREAS)


@dataclass
class Directory:
    care: Any  # 高齢者なんでも相談: elderly, 鎌倉 area, a public place on the map
    childcare: Any  # 子育て相談ひろば: children, 大船 area
    foreign: Any  # 外国人のための生活相談: English and Vietnamese, translated
    shelter: Any  # 女性のための相談: a confidential place (no address anywhere)


@pytest.fixture
def directory(plan_data: Any) -> Directory:
    import datetime as dt
    from decimal import Decimal

    from tsunagu.core.models import Area
    from tsunagu.directory.models import TargetGroup, TaxonomyTerm
    from tsunagu.directory.tests import factories as f
    from tsunagu.plans.models import Initiative

    seed_directory_reference_data()
    kamakura = Area.objects.get(code="region-kamakura")
    ofuna = Area.objects.get(code="region-ofuna")

    def group(code: str) -> Any:
        return TargetGroup.objects.get(code=code)

    def term(code: str) -> Any:
        return TaxonomyTerm.objects.get(code=code)

    council = f.OrganizationFactory(
        name="鎌倉市社会福祉協議会", name_kana="かまくらししゃかいふくしきょうぎかい"
    )
    centre = f.LocationFactory(
        name="鎌倉市福祉センター",
        organization=council,
        area=kamakura,
        transportation="JR鎌倉駅西口から徒歩7分",
        latitude=Decimal("35.319225"),
        longitude=Decimal("139.546687"),
    )
    f.AddressFactory(location=centre, address_1="御成町20-21")
    f.AccessibilityFactory(
        location=centre, description="車いすで入れます。多目的トイレがあります。"
    )

    care = f.ServiceFactory(
        organization=council,
        name="高齢者なんでも相談",
        name_kana="こうれいしゃなんでもそうだん",
        description="介護や物忘れ、ひとり暮らしの不安など、高齢の方と家族の相談を受けます。",
        eligibility_description="市内に住む65歳以上の方とその家族",
        application_process="電話か窓口でお申し込みください。予約はいりません。",
        fees_description="相談は無料です。",
        minimum_age=65,
        last_verified_at=dt.datetime(2025, 4, 1, 9, 0, tzinfo=dt.UTC),
    )
    f.ServiceTranslationFactory(
        service=care,
        name="Advice for older people",
        description="Advice on care, memory loss and living alone, for older people and their families.",
        eligibility_description="People aged 65 and over living in the city, and their families",
        application_process="Call or come to the desk. No appointment needed.",
        fees_description="Advice is free.",
    )
    care.target_groups.add(group("elderly"))
    care.taxonomy_terms.add(term("elderly.support-centres"))
    f.ServiceAreaFactory(service=care, area=kamakura, name="")
    f.ServiceAtLocationFactory(service=care, location=centre)
    f.ScheduleFactory(service=care)
    f.PhoneFactory(service=care, number="0467-00-1001")
    f.RequiredDocumentFactory(service=care, document="介護保険被保険者証（お持ちの方）")
    initiative = Initiative.objects.filter(code="4-1-5-7").first()
    if initiative is not None:
        care.initiatives.add(initiative)

    hall = f.LocationFactory(
        name="大船子育て支援センター",
        area=ofuna,
        latitude=Decimal("35.353417"),
        longitude=Decimal("139.531245"),
    )
    f.AddressFactory(location=hall, address_1="大船2-1-26")
    childcare = f.ServiceFactory(
        name="子育て相談ひろば",
        name_kana="こそだてそうだんひろば",
        description="0歳から就学前の子どもと保護者が遊べるひろばです。子育ての相談もできます。",
        eligibility_description="就学前の子どもと保護者",
        maximum_age=6,
    )
    childcare.target_groups.add(group("children"))
    childcare.taxonomy_terms.add(term("children.parenting-advice"))
    f.ServiceAreaFactory(service=childcare, area=ofuna, name="")
    f.ServiceAtLocationFactory(service=childcare, location=hall)
    f.ScheduleFactory(service=childcare, byday="MO,TU,WE,TH,FR,SA", opens_at=dt.time(10, 0))
    f.PhoneFactory(service=childcare, number="0467-00-2002")

    foreign = f.ServiceFactory(
        name="外国人のための生活相談",
        name_kana="がいこくじんのためのせいかつそうだん",
        description="在留手続き、仕事、子どもの学校など、暮らしの困りごとを相談できます。",
        interpretation_services="英語・ベトナム語の通訳がいます。ほかの言語は電話通訳でお手伝いします。",
    )
    f.ServiceTranslationFactory(
        service=foreign,
        name="Living advice for foreign residents",
        description="Advice on residence procedures, work, school and daily life.",
    )
    foreign.target_groups.add(group("foreign_residents"))
    foreign.taxonomy_terms.add(term("general.one-stop"))
    f.ServiceAtLocationFactory(service=foreign, location=centre)
    f.LanguageFactory(service=foreign, code="en", name="English")
    f.LanguageFactory(service=foreign, code="vi", name="ベトナム語")
    f.ScheduleFactory(service=foreign, byday="TU,TH", opens_at=dt.time(13, 0))
    f.PhoneFactory(service=foreign, number="0467-00-3003")

    safe_place = f.LocationFactory(
        name="女性のための一時保護所",
        is_sensitive=True,
        transportation="大船駅東口から徒歩4分",
        latitude=Decimal("35.354321"),
        longitude=Decimal("139.531234"),
    )
    f.AddressFactory(location=safe_place, address_1=SECRET_STREET)
    shelter = f.ServiceFactory(
        name="女性のための相談（DV・配偶者暴力）",
        name_kana="じょせいのためのそうだん",
        description="配偶者やパートナーからの暴力に悩む方の相談を受けます。秘密は守ります。",
    )
    shelter.target_groups.add(group("women"))
    shelter.taxonomy_terms.add(term("rights"))
    f.ServiceAtLocationFactory(service=shelter, location=safe_place)
    f.ScheduleFactory(service=shelter)
    f.PhoneFactory(service=shelter, number="0467-00-4004")
    return Directory(care=care, childcare=childcare, foreign=foreign, shelter=shelter)


# -- map tiles ------------------------------------------------------------------------------------
def blank_tile() -> bytes:
    """A pale tile with a faint grid: a map background that needs no network."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), (238, 241, 236))
    draw = ImageDraw.Draw(image)
    for position in range(0, 256, 64):
        draw.line([(position, 0), (position, 255)], fill=(222, 227, 220))
        draw.line([(0, position), (255, position)], fill=(222, 227, 220))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def serve_tiles(context: Any) -> None:
    tile = blank_tile()
    context.route(
        f"{TILE_HOST}**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=tile),
    )


class InFlight:
    """The page's requests still under way (Playwright's "networkidle" fires once per
    document, so it says nothing about what htmx and the map ask for afterwards)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.pending: set[Any] = set()
        page.on("request", lambda request: self.pending.add(request))
        page.on("requestfinished", lambda request: self.pending.discard(request))
        page.on("requestfailed", lambda request: self.pending.discard(request))

    def wait(self, timeout_ms: int = 10_000) -> None:
        quiet = 0
        for _ in range(timeout_ms // 100):
            quiet = quiet + 1 if not self.pending else 0
            if quiet >= 3:
                return
            self.page.wait_for_timeout(100)


def settle(session: Any, in_flight: InFlight) -> None:
    """Let the page's last requests (a search, the map's JSON) finish before the test ends:
    the end-of-test flush cannot empty tables the live server is still reading."""
    # A page that is already gone has nothing left to finish.
    with contextlib.suppress(Exception):
        in_flight.wait()


@pytest.fixture
def tiles(session: Any) -> Iterator[Any]:
    """The browser session, with map tiles served locally."""
    serve_tiles(session.context)
    in_flight = InFlight(session.page)
    yield session
    settle(session, in_flight)


@pytest.fixture
def axe_tiles(axe_session: Any) -> Iterator[Any]:
    serve_tiles(axe_session.context)
    in_flight = InFlight(axe_session.page)
    yield axe_session
    settle(axe_session, in_flight)


# -- helpers --------------------------------------------------------------------------------------
def card_names(page: Any) -> list[str]:
    return page.locator(".service-card__name a").all_inner_texts()


def wait_for_results(page: Any, predicate: str) -> None:
    """Wait until the result cards satisfy a JS predicate over their names."""
    page.wait_for_function(
        "() => { const names = Array.from(document.querySelectorAll"
        f"('.service-card__name a')).map(a => a.textContent); return ({predicate})(names); }}"
    )


def visit(page: Any, path: str) -> None:
    """Open a page and let it finish (the map's data, tiles and markers): leaving a page
    while its images load would count as static files that failed."""
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    page.wait_for_load_state("networkidle")


def horizontal_overflow(page: Any) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def open_filters(page: Any) -> None:
    details = page.locator(".filters-panel")
    if details.get_attribute("open") is None:
        page.locator(".filters-panel summary").click()


# -- searching ------------------------------------------------------------------------------------
def test_it_searches_by_keyword_as_you_type_without_reloading(
    tiles: Any, directory: Directory
) -> None:
    page = tiles.page
    visit(page, "/directory/")
    assert len(card_names(page)) == 4
    page.evaluate("() => { window.__samePage = true; }")

    page.locator("#id_q").press_sequentially("かいご", delay=30)
    wait_for_results(page, "(names) => names.length === 1")

    assert card_names(page) == ["高齢者なんでも相談"]
    assert page.evaluate("() => window.__samePage === true"), "the page reloaded"
    assert "q=%E3%81%8B%E3%81%84%E3%81%94" in page.url  # the address follows the search
    assert page.locator(".service-card mark").first.inner_text() == "介護"
    assert page.locator("#result-status").inner_text().startswith("1")
    assert not tiles.page_errors, tiles.page_errors


def test_japanese_input_searches_once_the_word_is_committed(
    tiles: Any, directory: Directory
) -> None:
    page = tiles.page
    visit(page, "/directory/")
    searches: list[str] = []
    page.on(
        "request",
        lambda request: searches.append(request.url) if "/directory/?" in request.url else None,
    )

    # An IME composition: kana appear in the box before the word is converted.
    page.evaluate(
        """() => { const q = document.getElementById('id_q');
          q.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true}));
          q.value = 'かいご';
          q.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true})); }"""
    )
    page.wait_for_timeout(900)
    assert searches == []

    page.evaluate(
        """() => { const q = document.getElementById('id_q');
          q.value = '介護';
          q.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true}));
          q.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '介護'})); }"""
    )
    wait_for_results(page, "(names) => names.join() === '高齢者なんでも相談'")
    assert len(searches) == 1 and "q=%E4%BB%8B%E8%AD%B7" in searches[0]


def test_it_filters_by_target_group_area_language_and_category(
    tiles: Any, directory: Directory
) -> None:
    page = tiles.page
    visit(page, "/directory/")
    open_filters(page)

    page.select_option("#id_target_group", "children")
    wait_for_results(page, "(names) => names.join() === '子育て相談ひろば'")
    assert "target_group=children" in page.url
    assert "area=" not in page.url  # empty fields stay out of the address

    page.select_option("#id_target_group", "")
    page.select_option("#id_area", "region-kamakura")
    wait_for_results(page, "(names) => names.length > 1 && !names.includes('子育て相談ひろば')")
    assert "高齢者なんでも相談" in card_names(page)

    page.select_option("#id_area", "")
    page.select_option("#id_language", "vi")
    wait_for_results(page, "(names) => names.join() === '外国人のための生活相談'")
    assert "language=vi" in page.url

    page.select_option("#id_language", "")
    page.select_option("#id_category", "elderly")
    wait_for_results(page, "(names) => names.join() === '高齢者なんでも相談'")
    assert "category=elderly" in page.url and "language" not in page.url

    # Back restores the previous searches, one step at a time.
    page.go_back()
    page.wait_for_url("**/directory/")
    wait_for_results(page, "(names) => names.length === 4")
    page.go_back()
    page.wait_for_url("**/directory/?language=vi")
    wait_for_results(page, "(names) => names.join() === '外国人のための生活相談'")
    assert page.input_value("#id_language") == "vi"


def test_it_works_without_javascript(browser: Any, live_server: Any, directory: Directory) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale="ja-JP", java_script_enabled=False
    )
    try:
        page = context.new_page()
        visit(page, "/directory/")
        page.fill("#id_q", "子育て")
        with page.expect_navigation():
            page.locator("#directory-search button[type=submit]").first.click()
        assert card_names(page) == ["子育て相談ひろば"]
        # The map needs JavaScript; without it the list is the page.
        assert page.locator("#results-map").is_hidden()
        assert page.locator(".place-address").first.is_visible()
    finally:
        context.close()


def test_an_unknown_filter_in_an_old_link_is_explained_next_to_it(
    tiles: Any, directory: Directory
) -> None:
    page = tiles.page
    visit(page, "/directory/?category=no-such-thing")
    assert page.locator("#category-errors .field-error").is_visible()
    assert page.get_attribute("#id_category", "aria-invalid") == "true"
    # Choosing a real category clears the message without a reload.
    page.select_option("#id_category", "children")
    wait_for_results(page, "(names) => names.length === 1")
    assert page.locator("#category-errors .field-error").count() == 0
    assert page.get_attribute("#id_category", "aria-invalid") is None


# -- a service, languages and furigana -------------------------------------------------------------
def test_it_opens_a_result_and_comes_back(tiles: Any, directory: Directory) -> None:
    page = tiles.page
    visit(page, "/directory/?q=%E4%BB%8B%E8%AD%B7")
    with page.expect_navigation():
        page.locator(".service-card__name a").first.click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "高齢者なんでも相談"
    assert page.locator("a[href='tel:0467001001']").first.is_visible()
    assert page.locator("#places").inner_text().count("御成町20-21") == 1
    # The map shows the one public place.
    page.wait_for_selector(".directory-map--service .leaflet-marker-icon")
    assert page.locator(".directory-map--service .leaflet-marker-icon").count() == 1

    with page.expect_navigation():
        page.locator("nav.breadcrumbs a").last.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/directory/?q=%E4%BB%8B%E8%AD%B7")


def test_a_confidential_place_has_no_address_and_no_marker(
    tiles: Any, directory: Directory
) -> None:
    page = tiles.page
    visit(page, f"/directory/services/{directory.shelter.uuid}/")
    places = page.locator("#places").inner_text()
    assert "女性のための一時保護所" in places
    assert SECRET_STREET not in page.content()
    assert "大船駅東口" not in page.content()
    assert page.locator("#places .place-note").is_visible()
    assert page.locator(".leaflet-container").count() == 0  # no public place: no map


def test_it_switches_to_english_and_keeps_the_search(tiles: Any, directory: Directory) -> None:
    page = tiles.page
    visit(page, "/directory/")
    page.locator("#id_q").press_sequentially("かいご", delay=30)
    wait_for_results(page, "(names) => names.length === 1")

    with page.expect_navigation():
        page.locator("form.language-form button[value=en]").click()
    page.wait_for_load_state("networkidle")

    assert page.get_attribute("html", "lang") == "en"
    assert "q=%E3%81%8B%E3%81%84%E3%81%94" in page.url
    assert card_names(page) == ["Advice for older people"]
    assert "Older people" in page.locator(".service-card").first.inner_text()


def test_it_shows_furigana_and_remembers_it(tiles: Any, directory: Directory) -> None:
    page = tiles.page
    visit(page, f"/directory/services/{directory.care.uuid}/")
    assert page.locator("h1 ruby").count() == 0

    with page.expect_navigation():
        page.click("#furigana-toggle")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1 rt").first.inner_text() == "こうれい"

    visit(page, "/directory/")  # remembered on the next page
    assert page.locator(".service-card__name rt").count() > 0

    with page.expect_navigation():
        page.click("#text-size-toggle")
    page.wait_for_load_state("networkidle")
    assert page.locator(".directory--large").count() == 1
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    )
    assert size > 32  # 28.8 px at the normal size


# -- the map --------------------------------------------------------------------------------------
def test_the_map_shows_the_public_places_of_the_results(tiles: Any, directory: Directory) -> None:
    page = tiles.page
    visit(page, "/directory/")
    page.wait_for_selector("#results-map:not([hidden]) .leaflet-marker-icon")
    # 鎌倉市福祉センター (two services there) and 大船子育て支援センター; never the shelter.
    page.wait_for_function("() => document.querySelectorAll('.leaflet-marker-icon').length === 3")
    assert page.locator(".leaflet-tile-loaded").count() > 0

    page.locator("#id_q").press_sequentially("子育て", delay=30)
    wait_for_results(page, "(names) => names.length === 1")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-marker-icon').length === 1")
    assert not tiles.page_errors, tiles.page_errors


def test_the_page_works_when_the_tiles_do_not_load(session: Any, directory: Directory) -> None:
    session.context.route(f"{TILE_HOST}**", lambda route: route.abort())
    page = session.page
    in_flight = InFlight(page)
    visit(page, "/directory/")
    page.wait_for_selector("[data-map-status]:not(:empty)")
    assert len(card_names(page)) == 4
    page.wait_for_function("() => document.querySelectorAll('.leaflet-marker-icon').length === 3")
    settle(session, in_flight)


# -- phones, zoom and accessibility ---------------------------------------------------------------
@pytest.mark.parametrize("width", [360, 320])
def test_it_fits_a_small_phone_and_200_percent_zoom(
    browser: Any, live_server: Any, directory: Directory, width: int
) -> None:
    """320 CSS px is a 640 px window at 200 % zoom (WCAG 1.4.10 reflow)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="ja-JP",
        viewport={"width": width, "height": 780},
        is_mobile=True,
        has_touch=True,
    )
    serve_tiles(context)
    try:
        page = context.new_page()
        for path in ("/directory/", f"/directory/services/{directory.care.uuid}/"):
            visit(page, path)
            assert horizontal_overflow(page) <= 0, f"{path} scrolls sideways at {width}px"
        visit(page, "/directory/?text=large&furigana=1")
        assert horizontal_overflow(page) <= 0, "larger text with furigana scrolls sideways"
        page.wait_for_load_state("networkidle")
    finally:
        context.close()


def stylesheet_applied(page: Any) -> bool:
    return page.evaluate(
        "() => getComputedStyle(document.querySelector('.service-card')).borderRadius !== '0px'"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/directory/",
        "/directory/?q=%E3%81%8B%E3%81%84%E3%81%94&furigana=1",
        "/directory/?category=no-such-thing&text=large",
        "/directory/?q=%E5%AE%87%E5%AE%99%E6%97%85%E8%A1%8C",  # nothing found
        "care",
        "shelter",
    ],
)
def test_axe_finds_no_serious_violations(
    axe_tiles: Any, directory: Directory, axe: Any, describe_violations: Any, path: str
) -> None:
    page = axe_tiles.page
    if path in ("care", "shelter"):
        path = f"/directory/services/{getattr(directory, path).uuid}/"
    visit(page, path)  # the map, when there is one, is drawn
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    violations = axe(page)
    assert not violations, describe_violations(violations, path)


def test_axe_finds_no_serious_violations_in_english(
    axe_tiles: Any, directory: Directory, axe: Any, describe_violations: Any
) -> None:
    page = axe_tiles.page
    visit(page, "/directory/")
    with page.expect_navigation():
        page.locator("form.language-form button[value=en]").click()
    page.wait_for_load_state("networkidle")
    for path in ("/directory/", f"/directory/services/{directory.foreign.uuid}/"):
        visit(page, path)
        assert page.get_attribute("html", "lang") == "en"
        violations = axe(page)
        assert not violations, describe_violations(violations, f"{path} in English")


# -- screenshots ----------------------------------------------------------------------------------
@pytest.fixture
def screenshot_dir() -> Path:
    folder = Path(os.environ.get("TSUNAGU_SCREENSHOT_DIR", PROJECT_DIR / "docs" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page: Any, folder: Path, name: str, *, full_page: bool = False) -> Path:
    path = folder / f"{name}.png"
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.fonts.ready")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5_000, f"{path} looks empty"
    return path


@pytest.fixture
def reference_data(migrated_database: None) -> None:
    """The city's divisions and areas, loaded before the seed plan as ``make demo`` does
    (the plan then finds its divisions, and the demo its care centres)."""
    from tsunagu.core.management.commands.load_reference_data import load_reference_data

    load_reference_data()


def load_demo_or_factories(request: pytest.FixtureRequest) -> Any:
    """A service to show: from the directory's demo data when it is there, else the
    factory services."""
    from tsunagu.directory.models import Service

    seed_directory_reference_data()
    try:
        from tsunagu.directory.demo import load_directory_demo
    except ImportError:
        return request.getfixturevalue("directory").care
    load_directory_demo()
    demo = Service.objects.filter(is_demo=True, status=Service.Status.ACTIVE)
    # One with a public place, so that its page shows the map.
    return (
        demo.filter(
            pk__in=Service.objects.filter(
                service_at_locations__location__is_sensitive=False,
                service_at_locations__location__latitude__isnull=False,
            ).values("pk")
        )
        .order_by("name_kana")
        .first()
        or demo.order_by("name_kana").first()
    )


def test_it_takes_the_directory_screenshots(
    reference_data: None, tiles: Any, request: pytest.FixtureRequest, screenshot_dir: Path
) -> None:
    service = load_demo_or_factories(request)
    page = tiles.page
    written = []

    visit(page, "/directory/?q=%E7%9B%B8%E8%AB%87")  # 相談
    page.wait_for_selector(".leaflet-marker-icon")
    written.append(shoot(page, screenshot_dir, "directory-search"))

    visit(page, f"/directory/services/{service.uuid}/")
    written.append(shoot(page, screenshot_dir, "directory-service", full_page=True))

    with page.expect_navigation():
        page.click("#furigana-toggle")
    page.wait_for_load_state("networkidle")
    written.append(shoot(page, screenshot_dir, "directory-furigana"))
    with page.expect_navigation():
        page.click("#furigana-toggle")
    page.wait_for_load_state("networkidle")

    visit(page, "/directory/?q=%E7%9B%B8%E8%AB%87")
    with page.expect_navigation():
        page.locator("form.language-form button[value=en]").click()
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(".leaflet-marker-icon")
    written.append(shoot(page, screenshot_dir, "directory-search-en"))

    assert len(written) == 4
