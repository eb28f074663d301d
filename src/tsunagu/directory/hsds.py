"""Directory records as Open Referral HSDS 3.0 JSON: what `/api/hsds/` and the exports send.

Output only: reading HSDS back in is the importer's job (`import_directory`). How
what HSDS has no field for travels (target groups, categories, initiatives, areas,
schedule flags, confidential places, translations, kana readings) is fixed in
``docs/hsds-mapping.md``; this module is that page in code.

Conventions:

- every object's ``id`` is the record's ``uuid``; things tsunagu keeps without one
  (an attribute link, an initiative, an area, the flags) get a name-based UUID
  (`derived_id`), so the same record has the same id in every response;
- a value that is empty (``None`` or ``""``) is left out rather than sent as
  ``null``: the HSDS schemas type these fields as plain strings and numbers, and
  readers treat a missing key as "not given". Fields a schema requires are always sent;
- ``language`` picks the text of translated fields (``"en"`` gives the English
  translation where there is one, the Japanese original where not); ``None`` means
  the original. The translations themselves always travel as ``x_translations``,
  and a name's kana reading as ``x_name_kana``;
- ``public=True`` (the API) never sends a confidential place's address, position,
  access directions, area or external identifier; ``public=False`` is for exchange
  between staff.

Lists serialise without further queries when loaded through `prefetch_services`,
`prefetch_organizations` or `prefetch_service_at_locations`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from tsunagu.core.models import Area
from tsunagu.plans.models import Initiative

from .models import (
    ORIGINAL_LANGUAGE,
    Accessibility,
    Address,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TargetGroup,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_VERSION = "3.0"
# Ids for what tsunagu stores without a uuid are uuid5 names in this namespace.
NAMESPACE = uuid.UUID("6f1d4c1e-2b1a-5e8e-9a57-7473756e6167")
# tsunagu reads every opening time in Japan time (directory.schedules), which has no DST.
JAPAN_UTC_OFFSET = "+09:00"
JAPAN_UTC_OFFSET_HOURS = 9

HsdsObject = dict[str, Any]


def derived_id(*parts: str) -> str:
    """A stable UUID for something tsunagu keeps without one, named by ``parts``."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


# -- tsunagu's own taxonomies ---------------------------------------------------------------------
@dataclass(frozen=True)
class BuiltinTaxonomy:
    """A taxonomy tsunagu defines in code rather than in the Taxonomy table."""

    name: str
    description: str
    version: str = "1"

    @property
    def id(self) -> str:
        return derived_id("taxonomy", self.name)


@dataclass(frozen=True)
class BuiltinTerm:
    taxonomy: BuiltinTaxonomy
    code: str
    name: str  # Japanese, like every term's name
    name_en: str
    description: str

    @property
    def id(self) -> str:
        return derived_id(self.taxonomy.name, self.code)


TARGET_GROUP_TAXONOMY = BuiltinTaxonomy(
    "tsunagu-target-group",
    "対象者: who a service is for (tsunagu target groups; term code = TargetGroup.code).",
)
INITIATIVE_TAXONOMY = BuiltinTaxonomy(
    "tsunagu-plan-initiative",
    "地域福祉計画の取組: the plan initiatives a service serves (term code = initiative number).",
)
AREA_TAXONOMY = BuiltinTaxonomy(
    "tsunagu-area",
    "地域・地区: the city's areas and districts (term code = Area.code).",
)
SCHEDULE_TAXONOMY = BuiltinTaxonomy(
    "tsunagu-schedule",
    "開所日の扱い: how a schedule treats Japan's public and New Year holidays, and 24-hour service.",
)
LOCATION_TAXONOMY = BuiltinTaxonomy(
    "tsunagu-location",
    "場所の扱い: places whose address is confidential (shelters and similar).",
)
BUILTIN_TAXONOMIES: tuple[BuiltinTaxonomy, ...] = (
    TARGET_GROUP_TAXONOMY,
    INITIATIVE_TAXONOMY,
    AREA_TAXONOMY,
    SCHEDULE_TAXONOMY,
    LOCATION_TAXONOMY,
)

CLOSED_ON_HOLIDAYS = BuiltinTerm(
    SCHEDULE_TAXONOMY,
    "closed-on-holidays",
    "祝日休み",
    "Closed on public holidays",
    "国民の祝日・振替休日は休み。",
)
OPEN_24H = BuiltinTerm(SCHEDULE_TAXONOMY, "open-24h", "24時間対応", "Open 24 hours", "終日対応。")
CLOSED_NEW_YEAR = BuiltinTerm(
    SCHEDULE_TAXONOMY,
    "closed-new-year",
    "年末年始休み",
    "Closed over the New Year holidays",
    "12月29日から1月3日までは休み。",
)
CONFIDENTIAL_ADDRESS = BuiltinTerm(
    LOCATION_TAXONOMY,
    "confidential-address",
    "住所非公開",
    "Confidential address",
    "所在地を公開しない場所（シェルター等）。住所と位置は公開されない。",
)
BUILTIN_TERMS: tuple[BuiltinTerm, ...] = (
    CLOSED_ON_HOLIDAYS,
    OPEN_24H,
    CLOSED_NEW_YEAR,
    CONFIDENTIAL_ADDRESS,
)

# What a term of any kind can be: a row of the Taxonomy table or one of tsunagu's own.
AnyTerm = TaxonomyTerm | TargetGroup | Initiative | Area | BuiltinTerm
AnyTaxonomy = Taxonomy | BuiltinTaxonomy


def initiative_term_id(pk: int) -> str:
    return derived_id(INITIATIVE_TAXONOMY.name, str(pk))


def area_term_id(code: str) -> str:
    return derived_id(AREA_TAXONOMY.name, code)


def term_id(term: AnyTerm) -> str:
    if isinstance(term, TaxonomyTerm | TargetGroup):
        return str(term.uuid)
    if isinstance(term, Initiative):
        return initiative_term_id(term.pk)
    if isinstance(term, Area):
        return area_term_id(term.code)
    return term.id


# -- small helpers --------------------------------------------------------------------------------
def _language(language: str | None) -> str:
    return language or ORIGINAL_LANGUAGE


def _put(target: HsdsObject, **values: Any) -> HsdsObject:
    """Set the values that say something; leave out ``None`` and ``""``."""
    for key, value in values.items():
        if value is None or value == "":
            continue
        target[key] = value
    return target


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _uri(value: str) -> str:
    """A web address as a URI: non-ASCII characters percent-encoded (HSDS ``format: uri``)."""
    return iri_to_uri(value) if value else ""


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: time | None) -> str | None:
    if value is None:
        return None
    spec = "minutes" if value.second == 0 and value.microsecond == 0 else "seconds"
    return f"{value.isoformat(timespec=spec)}{JAPAN_UTC_OFFSET}"


def _translations(obj: Service | Organization) -> dict[str, dict[str, str]]:
    """``x_translations``: every stored translation, its non-empty fields only."""
    result: dict[str, dict[str, str]] = {}
    for translation in obj.translations.all():
        fields = {
            field: getattr(translation, field)
            for field in obj.TRANSLATED_FIELDS
            if getattr(translation, field)
        }
        if fields:
            result[translation.language] = fields
    return result


def _attribute(link_entity: str, link_id: str, term: AnyTerm, language: str | None) -> HsdsObject:
    """An HSDS attribute: the record ``link_id`` is classified by ``term``."""
    identifier = term_id(term)
    return {
        "id": derived_id("attribute", link_entity, link_id, identifier),
        "link_id": link_id,
        "link_entity": link_entity,
        "taxonomy_term_id": identifier,
        "taxonomy_term": taxonomy_term_to_hsds(term, language=language),
    }


def _demo_metadata(record: Service | Organization, resource_type: str) -> list[HsdsObject]:
    if not record.is_demo:
        return []
    return [
        {
            "id": derived_id("metadata", resource_type, str(record.uuid), "is_demo"),
            "resource_id": str(record.uuid),
            "resource_type": resource_type,
            "last_action_date": timezone.localtime(record.created_at).date().isoformat(),
            "last_action_type": "create",
            "field_name": "is_demo",
            "previous_value": "",
            "replacement_value": "true",
            "updated_by": "tsunagu",
        }
    ]


# -- taxonomies -----------------------------------------------------------------------------------
def taxonomy_to_hsds(taxonomy: AnyTaxonomy) -> HsdsObject:
    if isinstance(taxonomy, BuiltinTaxonomy):
        return {
            "id": taxonomy.id,
            "name": taxonomy.name,
            "description": taxonomy.description,
            "version": taxonomy.version,
        }
    result: HsdsObject = {
        "id": str(taxonomy.uuid),
        "name": taxonomy.name,
        "description": taxonomy.description,
    }
    return _put(result, uri=_uri(taxonomy.uri), version=taxonomy.version)


def term_taxonomy(term: AnyTerm) -> AnyTaxonomy:
    if isinstance(term, TaxonomyTerm):
        return term.taxonomy
    if isinstance(term, TargetGroup):
        return TARGET_GROUP_TAXONOMY
    if isinstance(term, Initiative):
        return INITIATIVE_TAXONOMY
    if isinstance(term, Area):
        return AREA_TAXONOMY
    return term.taxonomy


def taxonomy_term_to_hsds(term: AnyTerm, *, language: str | None = None) -> HsdsObject:
    """A taxonomy term with its taxonomy (``taxonomy_detail``), names in ``language``.

    A ``TaxonomyTerm`` reads ``term.taxonomy`` and ``term.parent``: select them.
    An ``Area`` reads ``area.parent``: select it too.
    """
    lang = _language(language)
    taxonomy = term_taxonomy(term)
    code: str
    name: str
    name_en = ""
    description = ""
    parent_id: str | None = None
    if isinstance(term, TaxonomyTerm):
        code, name, name_en, description = term.code, term.name, term.name_en, term.description
        parent_id = str(term.parent.uuid) if term.parent_id and term.parent else None
    elif isinstance(term, TargetGroup):
        code, name, name_en = term.code, term.name, term.name_en
    elif isinstance(term, Initiative):
        code, name, description = term.code, term.title, term.detail
    elif isinstance(term, Area):
        code, name, description = term.code, term.name, term.description
        parent_id = area_term_id(term.parent.code) if term.parent_id and term.parent else None
    else:
        code, name, name_en, description = term.code, term.name, term.name_en, term.description
    shown = name_en if name_en and lang.split("-")[0] == "en" else name
    result: HsdsObject = {
        "id": term_id(term),
        "code": code,
        "name": shown,
        "description": description,
    }
    _put(
        result,
        parent_id=parent_id,
        taxonomy=taxonomy.name,
        taxonomy_id=taxonomy.id if isinstance(taxonomy, BuiltinTaxonomy) else str(taxonomy.uuid),
    )
    result["taxonomy_detail"] = taxonomy_to_hsds(taxonomy)
    if name_en:
        result["x_translations"] = {"en": {"name": name_en}}
    return result


# -- the parts ------------------------------------------------------------------------------------
def language_to_hsds(language: Language) -> HsdsObject:
    return _put(
        {"id": str(language.uuid)}, name=language.name, code=language.code, note=language.note
    )


def phone_to_hsds(phone: Phone) -> HsdsObject:
    result = _put(
        {"id": str(phone.uuid), "number": phone.number},
        extension=phone.extension,
        type=phone.type,
        description=phone.description,
    )
    result["languages"] = [language_to_hsds(language) for language in phone.languages.all()]
    return result


def contact_to_hsds(contact: Contact) -> HsdsObject:
    result = _put(
        {"id": str(contact.uuid)},
        name=contact.name,
        title=contact.title,
        department=contact.department,
        email=contact.email,
    )
    result["phones"] = [phone_to_hsds(phone) for phone in contact.phones.all()]
    return result


def schedule_to_hsds(schedule: Schedule, *, language: str | None = None) -> HsdsObject:
    result = _put(
        {"id": str(schedule.uuid)},
        valid_from=_date(schedule.valid_from),
        valid_to=_date(schedule.valid_to),
        dtstart=_date(schedule.dtstart),
        timezone=_number(schedule.timezone)
        if schedule.timezone is not None
        else JAPAN_UTC_OFFSET_HOURS,
        until=_date(schedule.until),
        count=schedule.count,
        wkst=schedule.wkst,
        freq=schedule.freq,
        interval=schedule.interval if schedule.freq else None,
        byday=schedule.byday,
        bymonthday=schedule.bymonthday,
        description=schedule.description,
        opens_at=_time(schedule.opens_at),
        closes_at=_time(schedule.closes_at),
        schedule_link=_uri(schedule.schedule_link),
        attending_type=schedule.attending_type,
        notes=schedule.notes,
    )
    flags = [
        term
        for term, on in (
            (CLOSED_ON_HOLIDAYS, schedule.closed_on_holidays),
            (OPEN_24H, schedule.open_24h),
            (CLOSED_NEW_YEAR, schedule.closed_year_end),
        )
        if on
    ]
    result["attributes"] = [
        _attribute("schedule", str(schedule.uuid), term, language) for term in flags
    ]
    return result


def address_to_hsds(address: Address) -> HsdsObject:
    # address_1, city, state_province, postal_code, country and address_type are required.
    result: HsdsObject = {
        "id": str(address.uuid),
        "address_1": address.address_1,
        "city": address.city,
        "state_province": address.state_province,
        "postal_code": address.postal_code,
        "country": address.country,
        "address_type": address.address_type,
    }
    return _put(
        result, attention=address.attention, address_2=address.address_2, region=address.region
    )


def accessibility_to_hsds(accessibility: Accessibility) -> HsdsObject:
    return _put(
        {"id": str(accessibility.uuid)},
        description=accessibility.description,
        details=accessibility.details,
        url=_uri(accessibility.url),
    )


def location_to_hsds(
    location: Location, *, language: str | None = None, public: bool = True, full: bool = True
) -> HsdsObject:
    """A location; a confidential one without address, position, access, area or external
    identifier when ``public``."""
    hidden = public and location.is_sensitive
    result = _put(
        {"id": str(location.uuid), "location_type": location.location_type},
        url=_uri(location.url),
        organization_id=str(location.organization.uuid) if location.organization else None,
        name=location.name,
        alternate_name=location.alternate_name,
        description=location.description,
        transportation=None if hidden else location.transportation,
        latitude=None if hidden else _number(location.latitude),
        longitude=None if hidden else _number(location.longitude),
        # An external identifier (a property or address code) could locate it too.
        external_identifier=None if hidden else location.external_identifier,
        external_identifier_type=None if hidden else location.external_identifier_type,
        x_name_kana=location.name_kana,
    )
    if not full:
        return result
    result["languages"] = [language_to_hsds(item) for item in location.languages.all()]
    result["addresses"] = (
        [] if hidden else [address_to_hsds(address) for address in location.addresses.all()]
    )
    result["contacts"] = [contact_to_hsds(contact) for contact in location.contacts.all()]
    result["accessibility"] = [accessibility_to_hsds(item) for item in location.accessibility.all()]
    result["phones"] = [phone_to_hsds(phone) for phone in location.phones.all()]
    result["schedules"] = [
        schedule_to_hsds(schedule, language=language) for schedule in location.schedules.all()
    ]
    attributes: list[HsdsObject] = []
    if location.is_sensitive:
        # Said publicly too, so that a missing address reads as withheld, not unknown.
        attributes.append(
            _attribute("location", str(location.uuid), CONFIDENTIAL_ADDRESS, language)
        )
    if location.area is not None and not hidden:
        attributes.append(_attribute("location", str(location.uuid), location.area, language))
    result["attributes"] = attributes
    return result


def service_area_to_hsds(service_area: ServiceArea) -> HsdsObject:
    area = service_area.area
    return _put(
        {"id": str(service_area.uuid)},
        name=service_area.name or (area.name if area else ""),
        description=service_area.description,
        uri=f"tsunagu:area:{area.code}" if area else None,
    )


def cost_option_to_hsds(cost_option: CostOption) -> HsdsObject:
    return _put(
        {"id": str(cost_option.uuid)},
        valid_from=_date(cost_option.valid_from),
        valid_to=_date(cost_option.valid_to),
        option=cost_option.option,
        currency=cost_option.currency,
        amount=_number(cost_option.amount),
        amount_description=cost_option.amount_description,
    )


def required_document_to_hsds(document: RequiredDocument) -> HsdsObject:
    return _put({"id": str(document.uuid)}, document=document.document, uri=_uri(document.uri))


# -- organisations --------------------------------------------------------------------------------
def organization_to_hsds(
    organization: Organization,
    *,
    language: str | None = None,
    public: bool = True,
    full: bool = False,
    services: Iterable[Service] | None = None,
    full_services: bool = False,
) -> HsdsObject:
    """An organisation: its own fields; with ``full``, its contacts, phones and locations.

    ``services``, when given, become its ``services`` array: each service's own fields,
    or the fully nested service with ``full_services``.
    """
    lang = _language(language)
    result: HsdsObject = {
        "id": str(organization.uuid),
        "name": organization.translated("name", lang),
        "description": organization.translated("description", lang),
    }
    _put(
        result,
        alternate_name=organization.alternate_name,
        email=organization.email,
        website=_uri(organization.website),
        year_incorporated=organization.year_incorporated,
        legal_status=organization.legal_status,
        parent_organization_id=str(organization.parent.uuid) if organization.parent else None,
        x_name_kana=organization.name_kana,
    )
    translations = _translations(organization)
    if translations:
        result["x_translations"] = translations
    if full:
        result["contacts"] = [contact_to_hsds(contact) for contact in organization.contacts.all()]
        result["phones"] = [phone_to_hsds(phone) for phone in organization.phones.all()]
        result["locations"] = [
            location_to_hsds(location, language=lang, public=public)
            for location in organization.locations.all()
        ]
    if services is not None:
        result["services"] = [
            service_to_hsds(service, language=lang, public=public)
            if full_services
            else service_summary_to_hsds(service, language=lang, organization=False)
            for service in services
        ]
    result["metadata"] = _demo_metadata(organization, "organization")
    return result


# -- services -------------------------------------------------------------------------------------
def service_summary_to_hsds(
    service: Service, *, language: str | None = None, organization: bool = True
) -> HsdsObject:
    """A service's own fields, as `/services` lists it (HSDS ``service_list``), with its
    organisation's own fields nested unless ``organization=False``."""
    lang = _language(language)
    result: HsdsObject = {
        "id": str(service.uuid),
        "organization_id": str(service.organization.uuid),
        "name": service.translated("name", lang),
        "status": service.status,
    }
    _put(
        result,
        alternate_name=service.alternate_name,
        description=service.translated("description", lang),
        url=_uri(service.url),
        email=service.email,
        interpretation_services=service.interpretation_services,
        application_process=service.translated("application_process", lang),
        fees_description=service.translated("fees_description", lang),
        accreditations=service.accreditations,
        eligibility_description=service.translated("eligibility_description", lang),
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        # The verifier's e-mail (assurer_email) is staff personal data: never sent.
        assured_date=timezone.localtime(service.last_verified_at).date().isoformat()
        if service.last_verified_at
        else None,
        alert=service.alert,
        last_modified=_datetime(service.updated_at),
        x_name_kana=service.name_kana,
    )
    translations = _translations(service)
    if translations:
        result["x_translations"] = translations
    if organization:
        result["organization"] = organization_to_hsds(service.organization, language=lang)
    return result


def service_minimal_to_hsds(service: Service) -> HsdsObject:
    """`/services?minimal=true`: the id and when the service last changed."""
    return _put({"id": str(service.uuid)}, last_modified=_datetime(service.updated_at))


def service_at_location_to_hsds(
    service_at_location: ServiceAtLocation,
    *,
    language: str | None = None,
    public: bool = True,
    full: bool = True,
    service: bool = True,
) -> HsdsObject:
    """A service at a location. ``full``: its contacts, phones and hours and the fully
    nested location (and service, unless ``service=False``); otherwise the location's
    and service's own fields only, as `/service_at_locations` lists them."""
    lang = _language(language)
    sal = service_at_location
    result = _put(
        {
            "id": str(sal.uuid),
            "service_id": str(sal.service.uuid),
            "location_id": str(sal.location.uuid),
        },
        description=sal.description,
    )
    if full:
        result["contacts"] = [contact_to_hsds(contact) for contact in sal.contacts.all()]
        result["phones"] = [phone_to_hsds(phone) for phone in sal.phones.all()]
        result["schedules"] = [
            schedule_to_hsds(schedule, language=lang) for schedule in sal.schedules.all()
        ]
    result["location"] = location_to_hsds(sal.location, language=lang, public=public, full=full)
    if service:
        result["service"] = (
            service_to_hsds(sal.service, language=lang, public=public, locations=False)
            if full
            else service_summary_to_hsds(sal.service, language=lang, organization=False)
        )
    return result


def service_to_hsds(
    service: Service, *, language: str | None = None, public: bool = True, locations: bool = True
) -> HsdsObject:
    """The fully nested HSDS service, exactly as `/services/{id}` returns it.

    ``locations=False`` leaves out ``service_at_locations`` (for a service nested in
    one of its own service-at-locations). Load services through `prefetch_services`.
    """
    lang = _language(language)
    result = service_summary_to_hsds(service, language=lang)
    result["phones"] = [phone_to_hsds(phone) for phone in service.phones.all()]
    result["schedules"] = [
        schedule_to_hsds(schedule, language=lang) for schedule in service.schedules.all()
    ]
    result["service_areas"] = [service_area_to_hsds(item) for item in service.service_areas.all()]
    if locations:
        result["service_at_locations"] = [
            service_at_location_to_hsds(sal, language=lang, public=public, service=False)
            for sal in service.service_at_locations.all()
        ]
    result["languages"] = [language_to_hsds(item) for item in service.languages.all()]
    result["cost_options"] = [cost_option_to_hsds(item) for item in service.cost_options.all()]
    result["required_documents"] = [
        required_document_to_hsds(item) for item in service.required_documents.all()
    ]
    result["contacts"] = [contact_to_hsds(contact) for contact in service.contacts.all()]
    link = str(service.uuid)
    terms: list[AnyTerm] = [
        *service.taxonomy_terms.all(),
        *service.target_groups.all(),
        *service.initiatives.all(),
    ]
    result["attributes"] = [_attribute("service", link, term, lang) for term in terms]
    result["metadata"] = _demo_metadata(service, "service")
    return result


# -- loading for serialisation --------------------------------------------------------------------
def _phones() -> Prefetch:
    return Prefetch("phones", queryset=Phone.objects.prefetch_related("languages"))


def _contacts() -> Prefetch:
    return Prefetch(
        "contacts",
        queryset=Contact.objects.prefetch_related(
            Prefetch("phones", queryset=Phone.objects.prefetch_related("languages"))
        ),
    )


def location_queryset() -> QuerySet[Location]:
    """Locations with everything `location_to_hsds` reads."""
    return Location.objects.select_related("organization", "area", "area__parent").prefetch_related(
        "languages",
        "addresses",
        _contacts(),
        "accessibility",
        _phones(),
        "schedules",
    )


def _terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy", "parent")


def _service_at_locations() -> Prefetch:
    return Prefetch(
        "service_at_locations",
        queryset=ServiceAtLocation.objects.prefetch_related(
            _contacts(),
            _phones(),
            "schedules",
            # Not select_related: the location's own children are prefetched with it.
            Prefetch("location", queryset=location_queryset()),
        ),
    )


def prefetch_services(
    queryset: QuerySet[Service] | None = None, *, full: bool = True, locations: bool = True
) -> QuerySet[Service]:
    """Services loaded for `service_to_hsds` (``full``) or `service_summary_to_hsds`.

    A page of services then costs the same number of queries whatever its size.
    Pass it as ``prefetch=`` to ``directory.search.find_services``.
    """
    services = queryset if queryset is not None else Service.objects.all()
    services = services.select_related("organization", "organization__parent").prefetch_related(
        "translations", "organization__translations"
    )
    if not full:
        return services
    lookups: list[str | Prefetch] = [
        _phones(),
        "schedules",
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("area")),
        "languages",
        "cost_options",
        "required_documents",
        _contacts(),
        Prefetch("taxonomy_terms", queryset=_terms()),
        "target_groups",
        "initiatives",
    ]
    if locations:
        lookups.append(_service_at_locations())
    return services.prefetch_related(*lookups)


LISTED_SERVICES = "listed_services"


def prefetch_organizations(
    queryset: QuerySet[Organization] | None = None,
    *,
    full: bool = False,
    services: QuerySet[Service] | None = None,
    full_services: bool = False,
) -> QuerySet[Organization]:
    """Organisations loaded for `organization_to_hsds`.

    ``services`` (a queryset of the services to list, e.g. the active ones) is
    prefetched; `listed_services` reads them.
    """
    organizations = queryset if queryset is not None else Organization.objects.all()
    organizations = organizations.select_related("parent").prefetch_related("translations")
    if full:
        organizations = organizations.prefetch_related(
            _contacts(), _phones(), Prefetch("locations", queryset=location_queryset())
        )
    if services is not None:
        organizations = organizations.prefetch_related(
            Prefetch(
                "services",
                queryset=prefetch_services(services, full=full_services),
                to_attr=LISTED_SERVICES,
            )
        )
    return organizations


def listed_services(organization: Organization) -> list[Service]:
    """The services `prefetch_organizations` loaded for ``organization``."""
    services: list[Service] = getattr(organization, LISTED_SERVICES)
    return services


def prefetch_service_at_locations(
    queryset: QuerySet[ServiceAtLocation] | None = None, *, full: bool = True
) -> QuerySet[ServiceAtLocation]:
    """Services at locations loaded for `service_at_location_to_hsds`."""
    sals = queryset if queryset is not None else ServiceAtLocation.objects.all()
    if not full:
        return sals.select_related("location__organization").prefetch_related(
            Prefetch("service", queryset=prefetch_services(full=False))
        )
    return sals.prefetch_related(
        _contacts(),
        _phones(),
        "schedules",
        Prefetch("location", queryset=location_queryset()),
        Prefetch("service", queryset=prefetch_services(full=True, locations=False)),
    )
