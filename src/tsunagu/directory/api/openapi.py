"""The HSDS API's response shapes for drf-spectacular (`/api/schema/`).

The views return plain dicts from ``directory.hsds``, so there are no serializers
to introspect; the shapes are declared here as OpenAPI components that mirror the
Open Referral HSDS 3.0 schemas (same property names, types, formats and required
fields; ``directory/tests/test_api.py`` checks them against the vendored schemas)
plus tsunagu's extensions (``x_translations``; ``services`` on an organisation,
``location`` and ``service`` on a service-at-location). `HsdsAutoSchema` registers
them on every HSDS operation.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from .params import UUID_PATTERN

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
NUMBER: Schema = {"type": "number"}
INTEGER: Schema = {"type": "integer"}
BOOLEAN: Schema = {"type": "boolean"}
UUID: Schema = {"type": "string", "format": "uuid"}
URI: Schema = {"type": "string", "format": "uri"}
EMAIL: Schema = {"type": "string", "format": "email"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def obj(required: list[str], **properties: Schema) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


TRANSLATIONS: Schema = {
    "type": "object",
    "description": 'tsunagu: translations by language code, e.g. {"en": {"name": …}}.',
    "additionalProperties": {"type": "object", "additionalProperties": STRING},
}
ATTRIBUTES = array(ref("HsdsAttribute"))
METADATA = array(ref("HsdsMetadata"))

COMPONENTS: dict[str, Schema] = {
    "HsdsMetadata": obj(
        [
            "id",
            "last_action_date",
            "last_action_type",
            "field_name",
            "previous_value",
            "replacement_value",
            "updated_by",
        ],
        id=UUID,
        resource_id=UUID,
        resource_type=STRING,
        last_action_date=STRING,
        last_action_type=STRING,
        field_name=STRING,
        previous_value=STRING,
        replacement_value=STRING,
        updated_by=STRING,
    ),
    "HsdsTaxonomy": obj(
        ["id", "name", "description"],
        id=UUID,
        name=STRING,
        description=STRING,
        uri=URI,
        version=STRING,
        metadata=METADATA,
    ),
    "HsdsTaxonomyTerm": obj(
        ["id", "name", "description"],
        id=UUID,
        code=STRING,
        name=STRING,
        description=STRING,
        parent_id=UUID,
        taxonomy=STRING,
        taxonomy_detail=ref("HsdsTaxonomy"),
        language=STRING,
        taxonomy_id=UUID,
        term_uri=URI,
        metadata=METADATA,
        x_translations=TRANSLATIONS,
    ),
    "HsdsAttribute": obj(
        ["id"],
        id=UUID,
        link_id=UUID,
        taxonomy_term_id=UUID,
        link_type=STRING,
        link_entity=STRING,
        value=STRING,
        taxonomy_term=ref("HsdsTaxonomyTerm"),
        metadata=METADATA,
    ),
    "HsdsLanguage": obj(
        ["id"],
        id=UUID,
        service_id=UUID,
        location_id=UUID,
        phone_id=UUID,
        name=STRING,
        code=STRING,
        note=STRING,
        attributes=ATTRIBUTES,
        metadata=METADATA,
    ),
    "HsdsPhone": obj(
        ["id", "number"],
        id=UUID,
        location_id=UUID,
        service_id=UUID,
        organization_id=UUID,
        contact_id=UUID,
        service_at_location_id=UUID,
        number=STRING,
        extension=NUMBER,
        type=STRING,
        description=STRING,
        languages=array(ref("HsdsLanguage")),
        attributes=ATTRIBUTES,
        metadata=METADATA,
    ),
    "HsdsContact": obj(
        ["id"],
        id=UUID,
        organization_id=UUID,
        service_id=UUID,
        service_at_location_id=UUID,
        location_id=UUID,
        name=STRING,
        title=STRING,
        department=STRING,
        email=EMAIL,
        phones=array(ref("HsdsPhone")),
        attributes=ATTRIBUTES,
        metadata=METADATA,
    ),
    "HsdsSchedule": obj(
        ["id"],
        id=UUID,
        service_id=UUID,
        location_id=UUID,
        service_at_location_id=UUID,
        valid_from=STRING,
        valid_to=STRING,
        dtstart=STRING,
        timezone=NUMBER,
        until=STRING,
        count=NUMBER,
        wkst={"type": "string", "enum": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]},
        freq={"type": "string", "enum": ["WEEKLY", "MONTHLY"]},
        interval=NUMBER,
        byday=STRING,
        byweekno=STRING,
        bymonthday=STRING,
        byyearday=STRING,
        description=STRING,
        opens_at=STRING,
        closes_at=STRING,
        schedule_link=URI,
        attending_type=STRING,
        notes=STRING,
        attributes=ATTRIBUTES,
        metadata=METADATA,
    ),
    "HsdsAddress": obj(
        ["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"],
        id=UUID,
        location_id=UUID,
        attention=STRING,
        address_1=STRING,
        address_2=STRING,
        city=STRING,
        region=STRING,
        state_province=STRING,
        postal_code=STRING,
        country=STRING,
        address_type={"type": "string", "enum": ["physical", "postal", "virtual"]},
        attributes=ATTRIBUTES,
        metadata=METADATA,
    ),
    "HsdsAccessibility": obj(
        ["id"],
        id=UUID,
        location_id=UUID,
        description=STRING,
        details=STRING,
        url=URI,
        attributes=ATTRIBUTES,
        metadata=METADATA,
    ),
    "HsdsLocation": obj(
        ["id", "location_type"],
        id=UUID,
        location_type={"type": "string", "enum": ["physical", "postal", "virtual"]},
        url=URI,
        organization_id=UUID,
        name=STRING,
        alternate_name=STRING,
        description=STRING,
        transportation=STRING,
        latitude=NUMBER,
        longitude=NUMBER,
        external_identifier=STRING,
        external_identifier_type=STRING,
        languages=array(ref("HsdsLanguage")),
        addresses=array(ref("HsdsAddress")),
        contacts=array(ref("HsdsContact")),
        accessibility=array(ref("HsdsAccessibility")),
        phones=array(ref("HsdsPhone")),
        schedules=array(ref("HsdsSchedule")),
        attributes=ATTRIBUTES,
        metadata=METADATA,
    ),
    "HsdsServiceArea": obj(
        ["id"],
        id=UUID,
        service_id=UUID,
        name=STRING,
        description=STRING,
        extent=STRING,
        extent_type=STRING,
        uri=STRING,
        attributes=ATTRIBUTES,
        metadata=METADATA,
    ),
    "HsdsCostOption": obj(
        ["id"],
        id=UUID,
        service_id=UUID,
        valid_from=STRING,
        valid_to=STRING,
        option=STRING,
        currency=STRING,
        amount=NUMBER,
        amount_description=STRING,
        attributes=ATTRIBUTES,
        metadata=METADATA,
    ),
    "HsdsRequiredDocument": obj(
        ["id"],
        id=UUID,
        service_id=UUID,
        document=STRING,
        uri=URI,
        attributes=ATTRIBUTES,
        metadata=METADATA,
    ),
    "HsdsServiceAtLocation": obj(
        ["id"],
        id=UUID,
        service_id=UUID,
        location_id=UUID,
        description=STRING,
        contacts=array(ref("HsdsContact")),
        phones=array(ref("HsdsPhone")),
        schedules=array(ref("HsdsSchedule")),
        location=ref("HsdsLocation"),
        attributes=ATTRIBUTES,
        metadata=METADATA,
        service=ref("HsdsService"),
    ),
    "HsdsOrganization": obj(
        ["id", "name", "description"],
        id=UUID,
        name=STRING,
        alternate_name=STRING,
        description=STRING,
        email=EMAIL,
        website=URI,
        tax_status=STRING,
        tax_id=STRING,
        year_incorporated=NUMBER,
        legal_status=STRING,
        logo=STRING,
        uri=URI,
        parent_organization_id=UUID,
        contacts=array(ref("HsdsContact")),
        phones=array(ref("HsdsPhone")),
        locations=array(ref("HsdsLocation")),
        attributes=ATTRIBUTES,
        metadata=METADATA,
        x_translations=TRANSLATIONS,
        services=array(ref("HsdsService")),
    ),
    # One shape for the fully nested service and the list entry: the list entry is
    # the same object without the arrays, which HSDS makes optional.
    "HsdsService": obj(
        ["id", "name", "status"],
        id=UUID,
        organization_id=UUID,
        program_id=UUID,
        name=STRING,
        alternate_name=STRING,
        description=STRING,
        url=URI,
        email=EMAIL,
        status={
            "type": "string",
            "enum": ["active", "inactive", "defunct", "temporarily closed"],
        },
        interpretation_services=STRING,
        application_process=STRING,
        fees_description=STRING,
        wait_time=STRING,
        fees=STRING,
        accreditations=STRING,
        eligibility_description=STRING,
        minimum_age=NUMBER,
        maximum_age=NUMBER,
        assured_date=STRING,
        assurer_email=EMAIL,
        licenses=STRING,
        alert=STRING,
        last_modified=DATE_TIME,
        phones=array(ref("HsdsPhone")),
        schedules=array(ref("HsdsSchedule")),
        service_areas=array(ref("HsdsServiceArea")),
        service_at_locations=array(ref("HsdsServiceAtLocation")),
        languages=array(ref("HsdsLanguage")),
        organization=ref("HsdsOrganization"),
        cost_options=array(ref("HsdsCostOption")),
        required_documents=array(ref("HsdsRequiredDocument")),
        contacts=array(ref("HsdsContact")),
        attributes=ATTRIBUTES,
        metadata=METADATA,
        x_translations=TRANSLATIONS,
    ),
    "HsdsServiceMinimal": obj(["id"], id=UUID, last_modified=DATE_TIME),
    "HsdsApiInfo": obj(
        ["version", "profile", "openapi_url"], version=STRING, profile=URI, openapi_url=URI
    ),
    "HsdsError": obj(["detail"], detail=STRING, parameter=STRING),
}

# Which vendored HSDS schema file each component mirrors (checked by the tests).
MIRRORS: dict[str, str] = {
    "HsdsMetadata": "metadata.json",
    "HsdsTaxonomy": "taxonomy.json",
    "HsdsTaxonomyTerm": "taxonomy_term.json",
    "HsdsAttribute": "attribute.json",
    "HsdsLanguage": "language.json",
    "HsdsPhone": "phone.json",
    "HsdsContact": "contact.json",
    "HsdsSchedule": "schedule.json",
    "HsdsAddress": "address.json",
    "HsdsAccessibility": "accessibility.json",
    "HsdsLocation": "location.json",
    "HsdsServiceArea": "service_area.json",
    "HsdsCostOption": "cost_option.json",
    "HsdsRequiredDocument": "required_document.json",
    "HsdsServiceAtLocation": "service_at_location.json",
    "HsdsOrganization": "organization.json",
    "HsdsService": "service.json",
}
EXTENSIONS = frozenset({"x_translations", "services", "service"})


def page(item: Schema) -> Schema:
    """The HSDS ``Page`` of openapi.json with its ``contents``."""
    return obj(
        [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        total_items=INTEGER,
        total_pages=INTEGER,
        page_number=INTEGER,
        size=INTEGER,
        first_page=BOOLEAN,
        last_page=BOOLEAN,
        empty=BOOLEAN,
        contents=array(item),
    )


COMPONENTS.update(
    {
        "HsdsServicePage": page({"anyOf": [ref("HsdsService"), ref("HsdsServiceMinimal")]}),
        "HsdsOrganizationPage": page(ref("HsdsOrganization")),
        "HsdsTaxonomyPage": page(ref("HsdsTaxonomy")),
        "HsdsTaxonomyTermPage": page(ref("HsdsTaxonomyTerm")),
        "HsdsServiceAtLocationPage": page(ref("HsdsServiceAtLocation")),
    }
)


class HsdsAutoSchema(AutoSchema):
    """Registers the HSDS components and tags every operation "HSDS"."""

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: Any
    ) -> Any:
        for name, schema in COMPONENTS.items():
            registry.register_on_missing(
                # A copy: drf-spectacular's hooks rewrite component schemas in place.
                ResolvedComponent(
                    name=name,
                    type=ResolvedComponent.SCHEMA,
                    schema=copy.deepcopy(schema),
                    object=name,
                )
            )
        return super().get_operation(path, path_regex, path_prefix, method, registry)

    def get_tags(self) -> list[str]:
        return ["HSDS"]


def _error(description: str | Promise) -> OpenApiResponse:
    return OpenApiResponse(response=ref("HsdsError"), description=description)


def responses(body: str, *, bad_request: bool = True, not_found: bool = False) -> dict[int, Any]:
    """A 200 of component ``body`` and the errors an HSDS operation can answer with."""
    result: dict[int, Any] = {200: OpenApiResponse(response=ref(body))}
    if bad_request:
        result[400] = _error(_("A query parameter is invalid; “parameter” names it."))
    if not_found:
        result[404] = _error(_("There is no record with this id."))
    result[429] = _error(_("Too many requests; try again later."))
    return result


def id_parameter(description: str | Promise) -> OpenApiParameter:
    return OpenApiParameter(
        "id",
        type={"type": "string", "pattern": UUID_PATTERN},
        location=OpenApiParameter.PATH,
        required=True,
        description=description,  # type: ignore[arg-type]  # lazy: translated per request
    )
