"""The HSDS 3.0 endpoints: public, read-only, JSON, rate-limited.

Views are thin: they read the query (``params``), find records (services always
through ``directory.search.find_services``, or its filter half for services at
locations), and turn them into HSDS JSON with ``directory.hsds``. Lists load each
page through the ``prefetch_*`` helpers, so a page costs the same number of
queries however many records it holds. Inactive and defunct services are left out
of lists; a service asked for by id is returned whatever its status, so that a
client holding the id learns it has closed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tsunagu.core.models import Area
from tsunagu.plans.models import Initiative

from .. import hsds
from ..models import Organization, Service, ServiceAtLocation, TargetGroup, Taxonomy, TaxonomyTerm
from ..search import FilterError, ServiceFilters, filtered_services, find_services
from . import params as p
from .openapi import HsdsAutoSchema, id_parameter, responses
from .pagination import hsds_page
from .params import InvalidParameter, is_uuid, read_paging
from .terms import (
    TermQuery,
    find_taxonomy,
    find_term,
    listed_initiatives,
    page_across,
    table_terms,
    taxonomy_sources,
    term_sources,
)
from .throttling import HsdsRateThrottle

# No published HSDS profile: plain HSDS 3.0 (tsunagu's extension keys, x_translations and
# the tsunagu-* taxonomies, are described in docs/hsds-mapping.md).
PROFILE_URL = "https://github.com/openreferral/specification/tree/3.0"
# Directory data changes a few times a day; a minute of caching spares the database.
CACHE_SECONDS = 60


class HsdsView(APIView):
    # Anyone may read: no sessions (so no CSRF), no personal data, limited per address.

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (HsdsRateThrottle,)
    renderer_classes = (JSONRenderer,)
    schema = HsdsAutoSchema()

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response


def language_of(request: Request) -> str | None:
    return p.read_language(request.query_params, p.LANG) or None


# -- services: the query string as ServiceFilters -------------------------------------------------
class NoMatches(Exception):
    """Filters that exclude everything (e.g. a taxonomy without terms): an empty page."""


def _term_by_id_or_code(value: str) -> hsds.AnyTerm | None:
    if is_uuid(value):
        return find_term(value)
    # A tsunagu-welfare code such as "elderly.care-insurance".
    return table_terms().filter(code=value).first()


def service_filters(
    request: Request, *, keyword: bool = True
) -> tuple[ServiceFilters, dict[str, str]]:
    """The service filters the query asks for, and which parameter set each filter
    (to name it when ``find_services`` finds the value unknown)."""
    query = request.query_params
    set_by: dict[str, str] = {}
    categories: tuple[str, ...] = ()
    initiatives: tuple[str, ...] = ()
    term_groups: tuple[str, ...] = ()
    term_area = ""
    # Raised only once every parameter has been checked, so bad input is still a 400.
    nothing = False

    taxonomy = None
    taxonomy_text = p.read_text(query, p.TAXONOMY_ID)
    if taxonomy_text:
        taxonomy = find_taxonomy(taxonomy_text)
        if taxonomy is None:
            raise InvalidParameter("taxonomy_id", _("There is no taxonomy with this id."))
    term = None
    term_text = p.read_text(query, p.TAXONOMY_TERM_ID)
    if term_text:
        term = _term_by_id_or_code(term_text)
        if term is None:
            raise InvalidParameter("taxonomy_term_id", _("There is no taxonomy term with this id."))
        # A term of another taxonomy: no service can match both.
        nothing = taxonomy is not None and hsds.term_taxonomy(term) != taxonomy

    if isinstance(term, TaxonomyTerm):
        categories, set_by["category"] = (str(term.uuid),), "taxonomy_term_id"
    elif isinstance(term, TargetGroup):
        term_groups = (term.code,)
    elif isinstance(term, Initiative):
        initiatives = (term.code,)
    elif isinstance(term, Area):
        term_area = term.code
    elif term is not None:
        raise InvalidParameter(
            "taxonomy_term_id",
            _("This term describes opening hours or places, not services; use another term."),
        )
    elif isinstance(taxonomy, Taxonomy):
        roots = taxonomy.terms.filter(parent__isnull=True).values_list("uuid", flat=True)
        categories, set_by["category"] = tuple(str(u) for u in roots), "taxonomy_id"
        nothing = not categories
    elif taxonomy == hsds.TARGET_GROUP_TAXONOMY:
        term_groups = tuple(TargetGroup.objects.values_list("code", flat=True))
    elif taxonomy == hsds.INITIATIVE_TAXONOMY:
        initiatives = tuple(
            listed_initiatives()
            .filter(directory_services__isnull=False)
            .values_list("code", flat=True)
        )
        nothing = not initiatives
    elif taxonomy is not None:
        raise InvalidParameter(
            "taxonomy_id",
            _("This taxonomy describes opening hours or places, not services; use another one."),
        )

    groups = tuple(
        code.strip() for code in p.read_text(query, p.TARGET_GROUP).split(",") if code.strip()
    )
    if groups and term_groups:
        raise InvalidParameter(
            "target_group",
            _("Give target groups either as “target_group” or as “taxonomy_term_id”, not both."),
        )
    set_by["target_group"] = "target_group" if groups else "taxonomy_term_id"
    area = p.read_text(query, p.AREA)
    if area and term_area:
        raise InvalidParameter(
            "area", _("Give the area either as “area” or as “taxonomy_term_id”, not both.")
        )
    set_by["area"] = "area" if area else "taxonomy_term_id"

    organization = p.read_text(query, p.ORGANIZATION_ID)
    if organization and not (
        is_uuid(organization) and Organization.objects.filter(uuid=organization).exists()
    ):
        raise InvalidParameter("organization_id", _("There is no organisation with this id."))

    filters = ServiceFilters(
        q=p.read_text(query, p.SEARCH) if keyword else "",
        categories=categories,
        area=area or term_area,
        target_groups=groups or term_groups,
        language=p.read_language(query, p.LANGUAGE),
        open_at=timezone.now() if p.read_boolean(query, p.OPEN_NOW) else None,
        organization=organization,
        modified_after=p.read_date_time(query, p.MODIFIED_AFTER),
        initiatives=initiatives,
    )
    if nothing:
        raise NoMatches
    return filters, set_by


def filter_error(error: FilterError, set_by: dict[str, str]) -> InvalidParameter:
    return InvalidParameter(set_by.get(error.field_name, error.field_name), error.message)


SERVICE_FILTER_PARAMS = [
    p.TAXONOMY_TERM_ID,
    p.TAXONOMY_ID,
    p.ORGANIZATION_ID,
    p.MODIFIED_AFTER,
    p.AREA,
    p.TARGET_GROUP,
    p.LANGUAGE,
    p.OPEN_NOW,
]
PAGING_PARAMS = [p.PAGE, p.PER_PAGE]


def _openapi(params: list[p.Param]) -> list[Any]:
    return [param.openapi() for param in params]


# -- the endpoints --------------------------------------------------------------------------------
class ApiInfoView(HsdsView):
    @extend_schema(
        operation_id="getAPIMetaInformation",
        summary=gettext_lazy("About this API and its relationship with HSDS."),
        responses=responses("HsdsApiInfo", bad_request=False),
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": hsds.HSDS_VERSION,
                "profile": PROFILE_URL,
                "openapi_url": request.build_absolute_uri(reverse("api-schema")),
            }
        )


class ServiceListView(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfServices",
        summary=gettext_lazy("Services, best match first: their own fields, or fully nested."),
        parameters=_openapi(
            [
                p.SEARCH,
                *PAGING_PARAMS,
                *SERVICE_FILTER_PARAMS,
                p.MINIMAL,
                p.FULL,
                p.FULL_SERVICE,
                p.LANG,
            ]
        ),
        responses=responses("HsdsServicePage"),
    )
    def get(self, request: Request) -> Response:
        query = request.query_params
        paging = read_paging(query)
        language = language_of(request)
        minimal = p.read_boolean(query, p.MINIMAL)
        full = p.read_boolean(query, p.FULL) | p.read_boolean(query, p.FULL_SERVICE)
        try:
            filters, set_by = service_filters(request)
        except NoMatches:
            return Response(hsds_page([], total=0, paging=paging))
        loader = (
            Service.objects.only("uuid", "updated_at")
            if minimal
            else hsds.prefetch_services(full=full)
        )
        try:
            found = find_services(
                filters,
                page=paging.page,
                per_page=paging.per_page,
                prefetch=loader,
            )
        except FilterError as error:
            raise filter_error(error, set_by) from None
        except EmptyResultSet:
            # textsearch cannot restrict a keyword search to a queryset Django already
            # knows is empty (e.g. "open now" when nothing is open): nothing matches.
            return Response(hsds_page([], total=0, paging=paging))
        if minimal:
            contents = [hsds.service_minimal_to_hsds(service) for service in found.services]
        elif full:
            contents = [hsds.service_to_hsds(s, language=language) for s in found.services]
        else:
            contents = [hsds.service_summary_to_hsds(s, language=language) for s in found.services]
        return Response(hsds_page(contents, total=found.total, paging=paging))


class ServiceDetailView(HsdsView):
    @extend_schema(
        operation_id="getFullyNestedServiceById",
        summary=gettext_lazy("A fully nested service."),
        parameters=[id_parameter(gettext_lazy("The service's id.")), p.LANG.openapi()],
        responses=responses("HsdsService", not_found=True),
    )
    def get(self, request: Request, id: str) -> Response:
        language = language_of(request)
        service = hsds.prefetch_services().filter(uuid=id).first() if is_uuid(id) else None
        if service is None:
            raise NotFound(_("There is no service with this id."))
        return Response(hsds.service_to_hsds(service, language=language))


def _page_of(queryset: QuerySet[Any], paging: p.Paging) -> tuple[int, list[int]]:
    """The total and one page of primary keys, in the queryset's order."""
    total = queryset.count()
    pks = list(
        queryset.values_list("pk", flat=True)[paging.offset : paging.offset + paging.per_page]
    )
    return total, pks


def _in_order(queryset: QuerySet[Any], pks: list[int]) -> list[Any]:
    by_pk = queryset.in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _active_services() -> QuerySet[Service]:
    return Service.objects.filter(status=Service.Status.ACTIVE)


class OrganizationListView(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfOrganizations",
        summary=gettext_lazy("Organisations: their own fields, or fully nested."),
        parameters=_openapi([p.NAME_SEARCH, p.FULL_SERVICE, p.FULL, *PAGING_PARAMS, p.LANG]),
        responses=responses("HsdsOrganizationPage"),
    )
    def get(self, request: Request) -> Response:
        query = request.query_params
        paging = read_paging(query)
        language = language_of(request)
        full = p.read_boolean(query, p.FULL)
        full_services = p.read_boolean(query, p.FULL_SERVICE)
        search = p.read_text(query, p.NAME_SEARCH)
        organizations = Organization.objects.order_by("name_kana", "name", "pk")
        if search:
            organizations = organizations.filter(
                Q(name__icontains=search)
                | Q(name_kana__icontains=search)
                | Q(alternate_name__icontains=search)
                | Q(translations__name__icontains=search)
            ).distinct()
        total, pks = _page_of(organizations, paging)
        with_services = full or full_services
        loaded = hsds.prefetch_organizations(
            Organization.objects.all(),
            full=full,
            services=_active_services() if with_services else None,
            full_services=full_services,
        )
        contents = [
            hsds.organization_to_hsds(
                organization,
                language=language,
                full=full,
                services=hsds.listed_services(organization) if with_services else None,
                full_services=full_services,
            )
            for organization in _in_order(loaded, pks)
        ]
        return Response(hsds_page(contents, total=total, paging=paging))


class OrganizationDetailView(HsdsView):
    @extend_schema(
        operation_id="getOrganizationById",
        summary=gettext_lazy("A fully nested organisation with its services."),
        parameters=[
            id_parameter(gettext_lazy("The organisation's id.")),
            p.FULL_SERVICE.openapi(),
            p.LANG.openapi(),
        ],
        responses=responses("HsdsOrganization", not_found=True),
    )
    def get(self, request: Request, id: str) -> Response:
        language = language_of(request)
        full_services = p.read_boolean(request.query_params, p.FULL_SERVICE)
        organization = None
        if is_uuid(id):
            organization = (
                hsds.prefetch_organizations(
                    full=True, services=_active_services(), full_services=full_services
                )
                .filter(uuid=id)
                .first()
            )
        if organization is None:
            raise NotFound(_("There is no organisation with this id."))
        return Response(
            hsds.organization_to_hsds(
                organization,
                language=language,
                full=True,
                services=hsds.listed_services(organization),
                full_services=full_services,
            )
        )


class TaxonomyListView(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfTaxonomies",
        summary=gettext_lazy("Taxonomies, tsunagu's own (tsunagu-*) included."),
        parameters=_openapi([p.NAME_SEARCH, *PAGING_PARAMS]),
        responses=responses("HsdsTaxonomyPage"),
    )
    def get(self, request: Request) -> Response:
        paging = read_paging(request.query_params)
        search = p.read_text(request.query_params, p.NAME_SEARCH)
        total, rows = page_across(taxonomy_sources(search), paging.offset, paging.per_page)
        contents = [hsds.taxonomy_to_hsds(taxonomy) for taxonomy in rows]
        return Response(hsds_page(contents, total=total, paging=paging))


class TaxonomyDetailView(HsdsView):
    @extend_schema(
        operation_id="getTaxonomyById",
        summary=gettext_lazy("A taxonomy."),
        parameters=[id_parameter(gettext_lazy("The taxonomy's id."))],
        responses=responses("HsdsTaxonomy", bad_request=False, not_found=True),
    )
    def get(self, request: Request, id: str) -> Response:
        taxonomy = find_taxonomy(id) if is_uuid(id) else None
        if taxonomy is None:
            raise NotFound(_("There is no taxonomy with this id."))
        return Response(hsds.taxonomy_to_hsds(taxonomy))


class TaxonomyTermListView(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfTaxonomyTerms",
        summary=gettext_lazy("Taxonomy terms, tsunagu's own included."),
        parameters=_openapi(
            [p.NAME_SEARCH, *PAGING_PARAMS, p.TAXONOMY_ID, p.TOP_ONLY, p.PARENT_ID, p.LANG]
        ),
        responses=responses("HsdsTaxonomyTermPage"),
    )
    def get(self, request: Request) -> Response:
        query = request.query_params
        paging = read_paging(query)
        language = language_of(request)
        taxonomy = None
        taxonomy_text = p.read_text(query, p.TAXONOMY_ID)
        if taxonomy_text:
            taxonomy = find_taxonomy(taxonomy_text)
            if taxonomy is None:
                raise InvalidParameter("taxonomy_id", _("There is no taxonomy with this id."))
        parent = None
        parent_text = p.read_text(query, p.PARENT_ID)
        if parent_text:
            parent = find_term(parent_text)
            if parent is None:
                raise InvalidParameter("parent_id", _("There is no taxonomy term with this id."))
        term_query = TermQuery(
            taxonomy=taxonomy,
            parent=parent,
            top_only=p.read_boolean(query, p.TOP_ONLY),
            search=p.read_text(query, p.NAME_SEARCH),
        )
        total, rows = page_across(term_sources(term_query), paging.offset, paging.per_page)
        contents = [hsds.taxonomy_term_to_hsds(term, language=language) for term in rows]
        return Response(hsds_page(contents, total=total, paging=paging))


class TaxonomyTermDetailView(HsdsView):
    @extend_schema(
        operation_id="getTaxonomyTermById",
        summary=gettext_lazy("A taxonomy term."),
        parameters=[id_parameter(gettext_lazy("The term's id.")), p.LANG.openapi()],
        responses=responses("HsdsTaxonomyTerm", not_found=True),
    )
    def get(self, request: Request, id: str) -> Response:
        language = language_of(request)
        term = find_term(id)
        if term is None:
            raise NotFound(_("There is no taxonomy term with this id."))
        return Response(hsds.taxonomy_term_to_hsds(term, language=language))


class ServiceAtLocationListView(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfServiceAtLocation",
        summary=gettext_lazy(
            "Services at locations, of active services: their own fields, or fully nested."
        ),
        parameters=_openapi([*SERVICE_FILTER_PARAMS, p.FULL, *PAGING_PARAMS, p.LANG]),
        responses=responses("HsdsServiceAtLocationPage"),
    )
    def get(self, request: Request) -> Response:
        query = request.query_params
        paging = read_paging(query)
        language = language_of(request)
        full = p.read_boolean(query, p.FULL)
        try:
            filters, set_by = service_filters(request, keyword=False)
        except NoMatches:
            return Response(hsds_page([], total=0, paging=paging))
        try:
            services = filtered_services(filters)
        except FilterError as error:
            raise filter_error(error, set_by) from None
        sals = ServiceAtLocation.objects.filter(
            service__in=services.order_by().values("pk")
        ).order_by(
            "service__name_kana",
            "service__name",
            "service_id",
            "location__name_kana",
            "location__name",
            "pk",
        )
        total, pks = _page_of(sals, paging)
        loaded = hsds.prefetch_service_at_locations(full=full)
        contents = [
            hsds.service_at_location_to_hsds(sal, language=language, full=full)
            for sal in _in_order(loaded, pks)
        ]
        return Response(hsds_page(contents, total=total, paging=paging))


class ServiceAtLocationDetailView(HsdsView):
    @extend_schema(
        operation_id="getServiceAtLocationWithNestedDataById",
        summary=gettext_lazy("A fully nested service at a location, with its service."),
        parameters=[id_parameter(gettext_lazy("The service-at-location's id.")), p.LANG.openapi()],
        responses=responses("HsdsServiceAtLocation", not_found=True),
    )
    def get(self, request: Request, id: str) -> Response:
        language = language_of(request)
        sal = hsds.prefetch_service_at_locations().filter(uuid=id).first() if is_uuid(id) else None
        if sal is None:
            raise NotFound(_("There is no service at a location with this id."))
        return Response(hsds.service_at_location_to_hsds(sal, language=language))


@csrf_exempt  # nothing is written; a POST here is a 404 like any other method
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other address under /api/hsds/: a JSON 404 like the API's own."""
    return JsonResponse({"detail": _("There is nothing at this address.")}, status=404)
