"""The public directory: search, service pages and the map's data. No login.

Everything residents see is built here from records loaded in a fixed number of
queries (``card_queryset``, ``detail_queryset``), so a page costs the same for 3
services or 30. Searching goes through ``find_services`` only. Confidential places
(``Location.is_sensitive``) are shown by name with a note: their address, position and
access notes never reach a page or the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tsunagu.plans.models import Initiative
from tsunagu.textsearch.furigana import ruby, ruby_highlighted
from tsunagu.textsearch.query import Query
from tsunagu.textsearch.search import highlight

from .. import schedules
from ..forms_public import ServiceSearchForm, language_name
from ..models import (
    ORIGINAL_LANGUAGE,
    Contact,
    Location,
    Organization,
    Phone,
    PhoneType,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ..search import FilterError, ServicePage, find_services
from ..templatetags.directory_public import lang_attr

PER_PAGE = 20
GENERAL_CATEGORY = "general"  # tsunagu-welfare: 総合相談
SUMMARY_CHARS = 120
# Statuses with a public page; the search lists active services only.
PUBLIC_STATUSES = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)

FURIGANA_COOKIE = "tsunagu_furigana"
TEXT_SIZE_COOKIE = "tsunagu_text_size"
PREFERENCE_MAX_AGE = 365 * 24 * 3600
# Phone types a person can call (the "call" button); fax and text are listed, not dialled.
CALLABLE = (PhoneType.VOICE, PhoneType.CELL, PhoneType.TEXTPHONE)


# -- display preferences --------------------------------------------------------------------------
@dataclass(frozen=True)
class Display:
    """How a resident wants the pages: furigana over kanji, larger text."""

    furigana: bool = False
    large_text: bool = False


def display_preferences(request: HttpRequest) -> tuple[Display, dict[str, str]]:
    """The preferences from ``?furigana=1|0`` and ``?text=large|normal``, else from the
    cookies; and the cookies to set because the query string changed them."""
    changes: dict[str, str] = {}
    furigana = request.COOKIES.get(FURIGANA_COOKIE) == "1"
    if request.GET.get("furigana") in ("0", "1"):
        furigana = request.GET["furigana"] == "1"
        changes[FURIGANA_COOKIE] = "1" if furigana else "0"
    large = request.COOKIES.get(TEXT_SIZE_COOKIE) == "large"
    if request.GET.get("text") in ("large", "normal"):
        large = request.GET["text"] == "large"
        changes[TEXT_SIZE_COOKIE] = "large" if large else "normal"
    return Display(furigana=furigana, large_text=large), changes


def remember(response: HttpResponse, request: HttpRequest, changes: dict[str, str]) -> None:
    for name, value in changes.items():
        response.set_cookie(
            name,
            value,
            max_age=PREFERENCE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    # The same URL renders differently by cookie (preferences, language) and by htmx.
    patch_vary_headers(response, ("Cookie", "HX-Request"))


def text(value: str, display: Display) -> SafeString:
    """Plain text for the page, with furigana when wanted."""
    return ruby(value) if display.furigana else SafeString(escape(value))


def marked(value: str, query: Query | None, display: Display, width: int | None) -> SafeString:
    """Text with the searched words in <mark> (and furigana when wanted)."""
    if query is None:
        return text(_shorten(value, width), display)
    html = highlight(value, query, width=width)
    return ruby_highlighted(html) if display.furigana else html


def _shorten(value: str, width: int | None) -> str:
    if width is None or len(value) <= width:
        return value
    return value[: width - 1].rstrip() + "…"


# -- what a page loads -----------------------------------------------------------------------------
def _place_prefetches(*extra: str) -> Prefetch[Any]:
    return Prefetch(
        "service_at_locations",
        queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
            "schedules",
            "phones",
            "location__addresses",
            "location__schedules",
            "location__phones",
            *extra,
        ),
    )


def card_queryset() -> QuerySet[Service]:
    """A result card's records, one query per relation whatever the number of services."""
    return Service.objects.select_related("organization").prefetch_related(
        "translations",
        "organization__translations",
        "organization__phones",
        "taxonomy_terms",  # the search's explanations read these four
        "target_groups",
        "schedules",
        "phones",
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("area")),
        _place_prefetches(),
    )


def detail_queryset() -> QuerySet[Service]:
    return Service.objects.select_related("organization").prefetch_related(
        "translations",
        "organization__translations",
        "organization__phones",
        "taxonomy_terms",
        "target_groups",
        "schedules",
        "cost_options",
        "required_documents",
        "languages",
        Prefetch("phones", queryset=Phone.objects.prefetch_related("languages")),
        Prefetch("contacts", queryset=Contact.objects.prefetch_related("phones")),
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("area")),
        Prefetch("initiatives", queryset=Initiative.objects.order_by("sort_key")),
        _place_prefetches("location__languages", "location__accessibility"),
    )


def public_service_or_404(uuid: UUID) -> Service:
    """The service residents may see: active (or temporarily closed), else 404."""
    service = detail_queryset().filter(uuid=uuid, status__in=PUBLIC_STATUSES).first()
    if service is None:
        raise Http404(_("No such service in the directory."))
    return service


# -- what a card and a page show -------------------------------------------------------------------
@dataclass(frozen=True)
class PhoneView:
    number: str
    href: str  # tel: link, empty for fax
    kind: str
    extension: str
    description: str
    languages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlaceView:
    name: str
    sensitive: bool
    address: str = ""
    access: str = ""
    latitude: str = ""
    longitude: str = ""
    hours: list[str] = field(default_factory=list)
    phones: list[PhoneView] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    @property
    def on_map(self) -> bool:
        return bool(self.latitude and self.longitude)


@dataclass(frozen=True)
class OpenState:
    has_hours: bool
    open_now: bool = False
    next_opening: str = ""


def phone_view(phone: Phone, *, languages: bool = False) -> PhoneView:
    digits = "".join(c for c in phone.number if c.isdigit() or c == "+")
    return PhoneView(
        number=phone.number,
        href=f"tel:{digits}" if phone.type != PhoneType.FAX and digits else "",
        kind=str(PhoneType(phone.type).label) if phone.type in PhoneType.values else phone.type,
        extension=str(phone.extension or ""),
        description=phone.description,
        languages=[language_name(lang.code, lang.name) for lang in phone.languages.all()]
        if languages
        else [],
    )


def place_view(sal: ServiceAtLocation, *, details: bool = False) -> PlaceView:
    location: Location = sal.location
    hours = _hours([*sal.schedules.all(), *location.schedules.all()])
    if location.is_sensitive:
        # Name and hours only: no address, position, access notes or the place's own phones.
        return PlaceView(name=location.name, sensitive=True, hours=hours)
    address = location.public_address()
    coordinates = location.public_coordinates()
    return PlaceView(
        name=location.name,
        sensitive=False,
        address=address.formatted() if address else "",
        access=location.transportation,
        latitude=str(coordinates[0]) if coordinates else "",
        longitude=str(coordinates[1]) if coordinates else "",
        hours=hours,
        phones=[phone_view(p) for p in [*sal.phones.all(), *location.phones.all()]],
        accessibility=[
            " ".join(filter(None, [a.description, a.details])) for a in location.accessibility.all()
        ]
        if details
        else [],
        languages=[language_name(lang.code, lang.name) for lang in location.languages.all()]
        if details
        else [],
    )


def _hours(found: list[Schedule]) -> list[str]:
    return list(dict.fromkeys(line for line in (s.describe() for s in found) if line))


def all_schedules(service: Service) -> list[Schedule]:
    found = list(service.schedules.all())
    for sal in service.service_at_locations.all():
        found += [*sal.schedules.all(), *sal.location.schedules.all()]
    return found


def open_state(service: Service, now: datetime) -> OpenState:
    found = all_schedules(service)
    if not any(schedules.has_hours(s) for s in found):
        return OpenState(has_hours=False)
    if schedules.is_open(found, now):
        return OpenState(has_hours=True, open_now=True)
    upcoming = schedules.next_opening(found, now, horizon_days=62)
    return OpenState(
        has_hours=True, next_opening=describe_opening(upcoming, now) if upcoming else ""
    )


def describe_opening(moment: datetime, now: datetime) -> str:
    local_now = schedules.to_japan_time(now)
    time = f"{moment.hour}:{moment.minute:02d}"
    if moment.date() == local_now.date():
        return _("Opens today at %(time)s") % {"time": time}
    if moment.date() == local_now.date() + timedelta(days=1):
        return _("Opens tomorrow at %(time)s") % {"time": time}
    return _("Opens %(date)s (%(weekday)s) at %(time)s") % {
        "date": formats.date_format(moment, "MONTH_DAY_FORMAT"),
        "weekday": WEEKDAYS_ABBR[moment.weekday()],
        "time": time,
    }


def ages(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return _("Ages %(low)s to %(high)s") % {"low": low, "high": high}
    if low is not None:
        return _("Age %(low)s and over") % {"low": low}
    if high is not None:
        return _("Up to age %(high)s") % {"high": high}
    return ""


def amount(value: Decimal) -> str:
    if value == 0:
        return _("Free")
    return _("%(amount)s yen") % {"amount": intcomma(int(value) if value == int(value) else value)}


def areas(service: Service) -> list[tuple[str, str]]:
    """Where the service is offered, each with the language it is written in."""
    names = [sa.area.name if sa.area else sa.name for sa in service.service_areas.all()]
    return [(name, ORIGINAL_LANGUAGE) for name in names if name] or [(_("Whole city"), "")]


def shown_in(record: Service | Organization, field: str, language: str | None) -> str:
    """The language ``field`` is shown in: the page's, or Japanese where no translation
    says it (the page then marks it ``lang="ja"`` for screen readers)."""
    original = getattr(record, field)
    if record.translated(field, language) == original:
        return ORIGINAL_LANGUAGE
    return language or ""


def in_language(text: str, code: str) -> SafeString:
    """``text`` for a sentence in the page's language, marked when it is in another."""
    attribute = lang_attr(code)
    return format_html("<span{}>{}</span>", attribute, text) if attribute else escape(text)


def first_phone(service: Service) -> PhoneView | None:
    """The number to call: the service's own, a public place's, else the organisation's."""
    candidates = list(service.phones.all())
    for sal in service.service_at_locations.all():
        candidates += list(sal.phones.all())
        if not sal.location.is_sensitive:
            candidates += list(sal.location.phones.all())
    candidates += list(service.organization.phones.all())
    for phone in candidates:
        view = phone_view(phone)
        if phone.type in CALLABLE and view.href:
            return view
    return None


@dataclass(frozen=True)
class Card:
    service: Service
    url: str
    name: SafeString
    plain_name: SafeString  # for "More about …": the name, marked with its language
    name_lang: str
    organization_lang: str
    summary_lang: str
    application_lang: str
    fees_lang: str
    organization: str
    summary: SafeString
    found_in: str  # the label of the field the summary comes from, when not the description
    target_groups: list[str]
    ages: str
    areas: list[tuple[str, str]]
    places: list[PlaceView]
    hours: list[str]
    state: OpenState
    application: str
    fees: str
    phone: PhoneView | None

    @property
    def on_map(self) -> bool:
        return any(place.on_map for place in self.places)


def card(service: Service, page: ServicePage, display: Display, now: datetime) -> Card:
    language = get_language()
    query = page.query
    description = service.translated("description", language)
    summary = marked(description, query, display, SUMMARY_CHARS) if description else SafeString("")
    found_in = ""
    if query is not None and "<mark>" not in summary:
        other = [m for m in page.explain(service) if m.name not in ("name", "description")]
        if other:
            summary, found_in = other[0].snippet, other[0].label
    places = [place_view(sal) for sal in service.service_at_locations.all()]
    fees = service.translated("fees_description", language)
    name = service.translated("name", language)
    return Card(
        service=service,
        url=reverse("directory:service", args=[service.uuid]),
        name=marked(name, query, display, None),
        plain_name=in_language(name, shown_in(service, "name", language)),
        name_lang=shown_in(service, "name", language),
        organization_lang=shown_in(service.organization, "name", language),
        # A snippet from another field may mix languages: no single language to declare.
        summary_lang="" if found_in else shown_in(service, "description", language),
        application_lang=shown_in(service, "application_process", language),
        fees_lang=shown_in(service, "fees_description", language),
        organization=service.organization.translated("name", language),
        summary=summary,
        found_in=found_in,
        target_groups=[group.display_name(language) for group in service.target_groups.all()],
        ages=ages(service),
        areas=areas(service),
        places=places,
        hours=_hours(list(service.schedules.all())) or [h for p in places for h in p.hours],
        state=open_state(service, now),
        application=_shorten(service.translated("application_process", language), SUMMARY_CHARS),
        fees=_shorten(fees, SUMMARY_CHARS),
        phone=first_phone(service),
    )


# -- the search page -------------------------------------------------------------------------------
def clean_query(form: ServiceSearchForm) -> QueryDict:
    """The search as a query string without empty fields, the page or display toggles."""
    query = QueryDict(mutable=True)
    data = getattr(form, "cleaned_data", {})
    for name in ("q", *ServiceSearchForm.FILTERS):
        value = data.get(name) if name in data else form.data.get(name)
        if value:
            query[name] = "1" if value is True else str(value)
    return query


def _only(query: QueryDict, *names: str) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name in names:
        value = query.get(name)
        if value:
            kept[name] = str(value)
    return kept


def run_search(form: ServiceSearchForm, now: datetime) -> ServicePage | None:
    """The page of services the form asks for, or None with the problem on the form."""
    if not form.is_usable():
        return None
    try:
        return find_services(
            form.filters(now),
            page=form.page_number(),
            per_page=PER_PAGE,
            prefetch=card_queryset(),
        )
    except FilterError as error:
        form.add_error(error.field_name if error.field_name in form.fields else None, error.message)
        return None


def is_fragment_request(request: HttpRequest) -> bool:
    # A history restore after a cache miss wants the whole page.
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )


def tile_settings() -> dict[str, str]:
    return {
        "nav": "directory",  # base.html's staff menu marks the directory as current
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Find services by keyword and filters; htmx asks for the results fragment only."""
    display, changes = display_preferences(request)
    now = timezone.now()
    form = ServiceSearchForm(request.GET, language=get_language())
    page = run_search(form, now)
    query = clean_query(form)
    context = {
        "form": form,
        "page": page,
        "cards": [card(service, page, display, now) for service in page.services] if page else [],
        "query": query,
        "query_without_filters": _only(query, "q").urlencode(),
        # Where to send someone who found nothing: the general consultation desks.
        "general_category": GENERAL_CATEGORY
        if page is not None
        and not page.services
        and TaxonomyTerm.objects.filter(code=GENERAL_CATEGORY, parent=None).exists()
        else "",
        "current_page": page.page if page and page.page > 1 else None,
        "display": display,
        "page_error": form.errors.get("page", [""])[0] if form.errors else "",
        "form_error": form.non_field_errors()[0] if form.non_field_errors() else "",
        **tile_settings(),
    }
    if is_fragment_request(request):
        response = render(request, "directory/public/_results.html", {**context, "oob": True})
    else:
        response = render(request, "directory/public/search.html", context)
    remember(response, request, changes)
    return response


@require_safe
def map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the public places of the services on the current results page."""
    form = ServiceSearchForm(request.GET, language=get_language())
    page = run_search(form, timezone.now())
    if page is None:
        return JsonResponse(
            {"errors": {name: [str(e) for e in errors] for name, errors in form.errors.items()}},
            status=400,
        )
    language = get_language()
    features = []
    for service in page.services:
        name = service.translated("name", language)
        url = reverse("directory:service", args=[service.uuid]) + "#places"
        for sal in service.service_at_locations.all():
            place = place_view(sal)
            if not place.on_map:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [float(place.longitude), float(place.latitude)],
                    },
                    "properties": {
                        "service": name,
                        "place": place.name,
                        "address": place.address,
                        "url": url,
                    },
                }
            )
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    patch_vary_headers(response, ("Cookie",))
    return response


# -- the service page ------------------------------------------------------------------------------
@require_safe
def service_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    service = public_service_or_404(uuid)
    display, changes = display_preferences(request)
    language = get_language()
    now = timezone.now()
    places = [place_view(sal, details=True) for sal in service.service_at_locations.all()]
    phones = [phone_view(p, languages=True) for p in service.phones.all()]
    if not phones and not any(place.phones for place in places):
        phones = [phone_view(p) for p in service.organization.phones.all()]
    plain_name = service.translated("name", language)
    languages = [
        language_name(lang.code, lang.name) for lang in service.languages.all() if lang.code != "ja"
    ]
    languages += [name for phone in phones for name in phone.languages]
    languages += [name for place in places for name in place.languages]
    context = {
        "service": service,
        "display": display,
        "name": text(plain_name, display),
        "plain_name": plain_name,
        "name_lang": shown_in(service, "name", language),
        "organization_lang": shown_in(service.organization, "name", language),
        "description_lang": shown_in(service, "description", language),
        "eligibility_lang": shown_in(service, "eligibility_description", language),
        "application_lang": shown_in(service, "application_process", language),
        "fees_lang": shown_in(service, "fees_description", language),
        "description": text(service.translated("description", language), display),
        "organization": service.organization.translated("name", language),
        "eligibility": service.translated("eligibility_description", language),
        "application": service.translated("application_process", language),
        "fees": service.translated("fees_description", language),
        "costs": [
            " ".join(filter(None, [c.option, amount(c.amount) if c.amount is not None else ""]))
            + (f" ({c.amount_description})" if c.amount_description else "")
            for c in service.cost_options.all()
        ],
        "target_groups": [g.display_name(language) for g in service.target_groups.all()],
        "ages": ages(service),
        "areas": areas(service),
        "categories": [t.display_name(language) for t in service.taxonomy_terms.all()],
        "hours": _hours(list(service.schedules.all())),
        "state": open_state(service, now),
        "places": places,
        "map_places": [place for place in places if place.on_map],
        "phones": phones,
        "call": first_phone(service),
        "contacts": [
            {
                "label": contact.department or _("Contact"),
                "label_lang": ORIGINAL_LANGUAGE if contact.department else "",
                "text": " ".join(filter(None, [contact.title, contact.name])),
                "email": contact.email,
                "phones": [phone_view(phone) for phone in contact.phones.all()],
            }
            for contact in service.contacts.all()
        ],
        "service_languages": list(dict.fromkeys(languages)),
        "current_page": None,
        "documents": list(service.required_documents.all()),
        "initiatives": list(service.initiatives.all()),
        "is_demo": service.is_demo or service.organization.is_demo,
        "query": QueryDict(),
        "back_url": _back_url(request),
        **tile_settings(),
    }
    response = render(request, "directory/public/service.html", context)
    remember(response, request, changes)
    return response


def _back_url(request: HttpRequest) -> str:
    """Back to the search the resident came from (same site only), else to the start."""
    start = reverse("directory:search")
    referer = request.headers.get("Referer", "")
    host = request.get_host()
    for scheme in ("http://", "https://"):
        prefix = f"{scheme}{host}{start}"
        rest = referer[len(prefix) :] if referer.startswith(prefix) else None
        if rest is not None and (rest == "" or rest.startswith("?")):
            return start + rest
    return start


urlpatterns: list[URLPattern | URLResolver] = [
    path("", search, name="search"),
    path("map.json", map_data, name="map_data"),
    path("services/<uuid:uuid>/", service_detail, name="service"),
]
