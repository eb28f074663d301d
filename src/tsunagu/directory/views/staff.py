"""Staff pages of the directory: the list, "needs checking", the editor, verification,
status changes, history and the Excel export.

Views are thin: lookups go through ``directory.policies`` (404 outside scope),
writes through ``directory.services``, keyword searching through
``directory.search.find_services``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, OrderBy, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from tsunagu.core.auth import AuthenticatedHttpRequest
from tsunagu.core.services import history_for

from .. import audit_labels, policies, services
from ..forms import ServiceEditor, StaffFilterForm, StatusForm
from ..models import (
    Location,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from ..search import MAX_PER_PAGE, FilterError, ServiceFilters, filtered_services, find_services
from . import staff_import

PER_PAGE = 50
# A keyword search sorted by a column (or exported) reads at most this many matches.
KEYWORD_LIMIT = 1000
EXPORT_LIMIT = 10000
# Services that have ended are not checked any more.
CHECKED_STATUSES = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def due_for_checking(service: Service, now: datetime | None = None) -> bool:
    """Not verified for a year, and not ended (inactive and defunct services are not checked)."""
    return service.status in CHECKED_STATUSES and service.needs_verification(now)


def crumbs(*items: tuple[str, str | None]) -> list[dict[str, str | None]]:
    return [{"label": label, "url": url} for label, url in items]


def directory_crumb() -> tuple[str, str]:
    return (_("Directory"), reverse("directory:staff_list"))


# -- the staff list -------------------------------------------------------------------------------
def list_loader() -> QuerySet[Service]:
    """How a page of the list is loaded: a fixed number of queries however long the page."""
    return Service.objects.select_related("organization").prefetch_related(
        Prefetch("taxonomy_terms", queryset=TaxonomyTerm.objects.order_by("sort_order", "code")),
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("area")),
    )


def ordering(sort: str) -> list[Any]:
    """ORDER BY for a ``sort`` key of the filter form (``-`` for descending)."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "verified":
        # Never-verified services are the most overdue: first when oldest first.
        first = (
            F("last_verified_at").desc(nulls_last=True)
            if descending
            else F("last_verified_at").asc(nulls_first=True)
        )
        return [first, "name_kana", "pk"]
    fields = StaffFilterForm.SORTS.get(key, StaffFilterForm.SORTS["name"])
    result: list[Any] = []
    for name in fields:
        if name == "pk" or not descending:
            result.append(name)
        else:
            result.append(OrderBy(F(name), descending=True))
    return result


@dataclass
class Listing:
    """One page of the staff list, with the counts of the whole filtered list."""

    services: list[Service]
    total: int
    needs_checking: int
    page: int
    total_pages: int
    sort: str
    keyword: str
    truncated: bool = False
    pks: list[int] | None = field(default=None, repr=False)


def list_filters(form: StaffFilterForm) -> tuple[ServiceFilters, QuerySet[Service]]:
    """What the form asks for: the search's filters and the staff-only ones as a base."""
    category = form.value("category")
    filters = ServiceFilters(
        q=form.value("q"),
        categories=(category,) if category else (),
        area=form.value("area"),
        include_inactive=True,
    )
    base = Service.objects.all()
    if form.value("status"):
        base = base.filter(status=form.value("status"))
    if form.value("needs_checking"):
        base = base.needing_verification().filter(status__in=CHECKED_STATUSES)
    return filters, base


def keyword_pks(
    filters: ServiceFilters, base: QuerySet[Service], limit: int
) -> tuple[list[int], int]:
    """The ids matching a keyword, best first (at most ``limit``), and how many match."""
    pks: list[int] = []
    page, total = 1, 0
    while True:
        found = find_services(
            filters,
            page=page,
            per_page=MAX_PER_PAGE,
            base=base,
            prefetch=Service.objects.only("pk"),
        )
        total = found.total
        pks.extend(service.pk for service in found.services)
        if page >= found.total_pages or len(pks) >= limit:
            break
        page += 1
    return pks[:limit], total


def build_listing(
    form: StaffFilterForm,
    *,
    per_page: int = PER_PAGE,
    everything: bool = False,
    limit: int = KEYWORD_LIMIT,
) -> Listing:
    """The filtered, sorted list; one page of it, or every row with ``everything``."""
    filters, base = list_filters(form)
    keyword = filters.q.strip()
    sort = form.value("sort") or ("relevance" if keyword else "name")
    if sort == "relevance" and not keyword:
        sort = "name"
    page = form.value("page") or 1
    try:
        if keyword:
            pks, total = keyword_pks(filters, base, limit)
            truncated = total > len(pks)
            matched = Service.objects.filter(pk__in=pks)
            if sort != "relevance":
                pks = list(matched.order_by(*ordering(sort)).values_list("pk", flat=True))
            needs_checking = (
                matched.needing_verification().filter(status__in=CHECKED_STATUSES).count()
                if pks
                else 0
            )
            selected = Service.objects.filter(pk__in=pks)
            count = len(pks)
        else:
            candidates = filtered_services(filters, base)
            # A subquery, so that sorting by a related column works beside DISTINCT.
            selected = Service.objects.filter(pk__in=candidates.values("pk"))
            total = count = selected.count()
            truncated = False
            needs_checking = (
                selected.needing_verification().filter(status__in=CHECKED_STATUSES).count()
                if total
                else 0
            )
            pks = None
    except FilterError as exc:
        form.add_error(exc.field_name if exc.field_name in form.fields else None, exc.message)
        return Listing([], 0, 0, 1, 1, sort, keyword)
    total_pages = max(1, -(-count // per_page))
    page = min(max(1, page), total_pages)
    if everything:
        ordered = pks if pks is not None else None
        loader = (
            list_loader().prefetch_related("target_groups", "phones").select_related("verified_by")
        )
        if ordered is not None:
            by_pk = loader.in_bulk(ordered)
            rows = [by_pk[pk] for pk in ordered if pk in by_pk]
        else:
            rows = list(loader.filter(pk__in=selected.values("pk")).order_by(*ordering(sort)))
        return Listing(rows, total, needs_checking, 1, 1, sort, keyword, truncated, pks)
    offset = (page - 1) * per_page
    if pks is not None:
        page_pks = pks[offset : offset + per_page]
    else:
        page_pks = list(
            selected.order_by(*ordering(sort)).values_list("pk", flat=True)[
                offset : offset + per_page
            ]
        )
    by_pk = list_loader().in_bulk(page_pks) if page_pks else {}
    return Listing(
        [by_pk[pk] for pk in page_pks if pk in by_pk],
        total,
        needs_checking,
        page,
        total_pages,
        sort,
        keyword,
        truncated,
    )


def querystring(params: QueryDict, **changes: Any) -> str:
    """The current query with some parameters changed (``None`` removes one)."""
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return query.urlencode()


SORTABLE_COLUMNS = ("name", "organization", "status", "verified")


def sort_headers(params: QueryDict, sort: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it and its aria-sort state."""
    headers = {}
    for key in SORTABLE_COLUMNS:
        if sort == key:
            state, next_sort = "ascending", f"-{key}"
        elif sort == f"-{key}":
            state, next_sort = "descending", key
        else:
            state, next_sort = "none", key
        headers[key] = {"query": querystring(params, sort=next_sort, page=None), "state": state}
    return headers


def page_links(params: QueryDict, listing: Listing) -> dict[str, str | None]:
    return {
        "previous": querystring(params, page=listing.page - 1) if listing.page > 1 else None,
        "next": querystring(params, page=listing.page + 1)
        if listing.page < listing.total_pages
        else None,
    }


def list_context(request: AuthenticatedHttpRequest, form: StaffFilterForm) -> dict[str, Any]:
    listing = build_listing(form)
    return {
        "form": form,
        "listing": listing,
        "headers": sort_headers(request.GET, listing.sort),
        "pages": page_links(request.GET, listing),
        "export_query": querystring(request.GET, page=None),
        "can_create": policies.can_create(request.user),
        "can_import": policies.can_import(request.user),
        "checked_statuses": CHECKED_STATUSES,
    }


@login_required
def service_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StaffFilterForm(request.GET)
    context = list_context(request, form)
    if request.headers.get("HX-Request"):
        return render(request, "directory/staff/_rows.html", context)
    context.update(
        {"nav": "directory", "breadcrumbs": crumbs((_("Directory"), None))},
    )
    return render(request, "directory/staff/list.html", context)


# -- export ---------------------------------------------------------------------------------------
def services_xlsx(rows: list[Service]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Services")[:31]
    headers = [
        (_("Name"), 32),
        (_("Name (kana)"), 24),
        (_("Organisation"), 28),
        (_("Categories"), 30),
        (_("Who it is for"), 24),
        (_("Service areas"), 20),
        (pgettext("service status", "Status"), 14),
        (_("Last verified"), 14),
        (_("Verified by"), 16),
        (_("Needs checking"), 10),
        (_("Phones"), 20),
        (_("Web page"), 30),
        (_("Last changed"), 14),
        (_("HSDS id"), 38),
    ]
    fill = PatternFill("solid", fgColor="1A3D8F")
    for column, (title, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{sheet.cell(row=1, column=len(headers)).column_letter}1"
    now = timezone.now()
    for service in rows:
        sheet.append(
            [
                service.name,
                service.name_kana,
                service.organization.name,
                "、".join(term.name for term in service.taxonomy_terms.all()),
                "、".join(group.name for group in service.target_groups.all()),
                "、".join(str(area) for area in service.service_areas.all()) or _("Whole city"),
                service.get_status_display(),  # type: ignore[attr-defined]
                timezone.localdate(service.last_verified_at) if service.last_verified_at else None,
                str(service.verified_by) if service.verified_by else "",
                _("Yes") if due_for_checking(service, now) else "",
                "、".join(str(phone) for phone in service.phones.all()),
                service.url,
                timezone.localdate(service.updated_at),
                str(service.uuid),
            ]
        )
    for row in sheet.iter_rows(min_row=2, min_col=8, max_col=8):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    for row in sheet.iter_rows(min_row=2, min_col=13, max_col=13):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
def service_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StaffFilterForm(request.GET)
    listing = build_listing(form, everything=True, limit=EXPORT_LIMIT)
    if form.errors:
        messages.error(request, _("Check the filters before exporting."))
        return redirect(f"{reverse('directory:staff_list')}?{request.GET.urlencode()}")
    if listing.total > EXPORT_LIMIT:
        messages.error(
            request,
            _("%(count)s services match; narrow the filters to %(limit)s or fewer to export.")
            % {"count": listing.total, "limit": EXPORT_LIMIT},
        )
        return redirect(f"{reverse('directory:staff_list')}?{request.GET.urlencode()}")
    services.log_export(
        actor=request.user,
        filters={key: value for key, value in form.cleaned_data.items() if value and key != "page"},
        count=len(listing.services),
        request=request,
    )
    # Translators: the file name of the directory export, without its extension.
    filename = _("directory_services_%(date)s") % {"date": timezone.localdate().isoformat()}
    response = HttpResponse(services_xlsx(listing.services), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(filename + '.xlsx', safe='')}"
    )
    return response


# -- needs checking ----------------------------------------------------------------------------
@login_required
def needs_checking(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Services nobody has confirmed for a year, oldest first; the user's own by default."""
    editable = policies.editable_services(request.user)
    limited = not policies.is_directory_manager(request.user) and editable.exists()
    scope = request.GET.get("scope", "mine" if limited else "all")
    if scope not in {"mine", "all"} or not limited:
        scope = "all"
    candidates = Service.objects.needing_verification().filter(status__in=CHECKED_STATUSES)
    if scope == "mine":
        candidates = candidates.filter(pk__in=editable.values("pk"))
    total = candidates.count()
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    total_pages = max(1, -(-total // PER_PAGE))
    page = min(page, total_pages)
    rows = list(
        candidates.select_related("organization", "verified_by").order_by(
            F("last_verified_at").asc(nulls_first=True), "name_kana", "pk"
        )[(page - 1) * PER_PAGE : page * PER_PAGE]
    )
    editable_ids = set(editable.filter(pk__in=[s.pk for s in rows]).values_list("pk", flat=True))
    return render(
        request,
        "directory/staff/needs_checking.html",
        {
            "rows": [{"service": s, "editable": s.pk in editable_ids} for s in rows],
            "total": total,
            "page": page,
            "total_pages": total_pages,
            "previous_query": querystring(request.GET, page=page - 1) if page > 1 else None,
            "next_query": querystring(request.GET, page=page + 1) if page < total_pages else None,
            "scope": scope,
            "limited": limited,
            "nav": "directory",
            "breadcrumbs": crumbs(directory_crumb(), (_("Needs checking"), None)),
        },
    )


# -- one service ---------------------------------------------------------------------------------
def detail_queryset() -> QuerySet[Service]:
    return Service.objects.select_related("organization", "verified_by").prefetch_related(
        "translations",
        "target_groups",
        Prefetch("taxonomy_terms", queryset=TaxonomyTerm.objects.order_by("sort_order", "code")),
        "initiatives",
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("area")),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__area").prefetch_related(
                "location__addresses"
            ),
        ),
        "phones",
        "schedules",
        "cost_options",
        "required_documents",
    )


def history_rows(service: Service, *, confidential: bool) -> list[dict[str, Any]]:
    """The audit events about ``service``, newest first, with labelled field changes.

    Without ``confidential``, values of confidential keys are withheld.
    """
    rows = []
    for event in history_for(service)[:100]:
        changes = []
        for key, change in (event.data.get("changes") or {}).items():
            old, new = [*change, None, None][:2]
            hidden = key in services.CONFIDENTIAL_KEYS and not confidential
            changes.append(
                {
                    "label": audit_labels.field_label(key),
                    "old": None if hidden else display_value(key, old),
                    "new": None if hidden else display_value(key, new),
                    "hidden": hidden,
                }
            )
        rows.append(
            {
                "event": event,
                "label": audit_labels.label_for(event.action),
                "changes": changes,
                "reason": event.data.get("reason", ""),
            }
        )
    return rows


def display_value(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key == "status":
        return str(dict(ServiceStatus.choices).get(value, value))
    if key == "last_verified_at" and isinstance(value, str):
        try:
            moment = timezone.localtime(datetime.fromisoformat(value))
        except ValueError:
            return value
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return str(value)


def detail_context(
    request: AuthenticatedHttpRequest, service: Service, status_form: StatusForm | None = None
) -> dict[str, Any]:
    can_edit = policies.can_edit_service(request.user, service)
    locations: list[Location] = [link.location for link in service.service_at_locations.all()]
    return {
        "service": service,
        "translation": next((t for t in service.translations.all() if t.language == "en"), None),
        "locations": locations,
        "can_edit": can_edit,
        "needs_checking": due_for_checking(service),
        "status_form": status_form or StatusForm(current=service.status),
        "history": history_rows(service, confidential=can_edit),
        "nav": "directory",
        "breadcrumbs": crumbs(directory_crumb(), (service.name, None)),
    }


@login_required
def service_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    service = policies.get_service_for_viewing(request.user, uuid)
    service = detail_queryset().get(pk=service.pk)
    return render(request, "directory/staff/detail.html", detail_context(request, service))


# -- the editor ---------------------------------------------------------------------------------
def editor(request: AuthenticatedHttpRequest, service: Service | None) -> HttpResponse:
    from tsunagu.plans.services import current_plan

    bound = request.POST if request.method == "POST" else None
    forms = ServiceEditor(
        bound,
        service=service,
        organizations=policies.editable_organizations(request.user),
        plan=current_plan(),
    )
    if bound is not None and forms.is_valid():
        try:
            if service is None:
                saved = services.create_service(
                    forms.service_data(), actor=request.user, verify=forms.verify, request=request
                )
            else:
                saved = services.update_service(
                    service,
                    forms.service_data(),
                    actor=request.user,
                    verify=forms.verify,
                    request=request,
                )
        except ValidationError as exc:
            forms.form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("“%(name)s” was created.") % {"name": saved.name}
                if service is None
                else _("Your changes to “%(name)s” were saved.") % {"name": saved.name},
            )
            return redirect("directory:staff_detail", uuid=saved.uuid)
    if service is None:
        trail = crumbs(directory_crumb(), (_("New service"), None))
    else:
        trail = crumbs(
            directory_crumb(),
            (service.name, reverse("directory:staff_detail", args=[service.uuid])),
            (_("Edit"), None),
        )
    return render(
        request,
        "directory/staff/editor.html",
        {
            "service": service,
            "editor": forms,
            "form": forms.form,
            "translation_form": forms.translation,
            "formsets": forms.formsets,
            "nav": "directory",
            "breadcrumbs": trail,
        },
    )


@login_required
def service_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    policies.require_create(request.user)
    return editor(request, None)


@login_required
def service_edit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    service = policies.get_service_for_editing(request.user, uuid)
    service = detail_queryset().get(pk=service.pk)
    return editor(request, service)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_POST
def service_verify(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    service = policies.get_service_for_editing(request.user, uuid)
    services.verify_service(service, actor=request.user, request=request)
    messages.success(request, _("“%(name)s” is marked as verified today.") % {"name": service.name})
    return redirect(safe_next(request, reverse("directory:staff_detail", args=[service.uuid])))


@login_required
@require_POST
def service_status(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    service = policies.get_service_for_editing(request.user, uuid)
    form = StatusForm(request.POST, current=service.status)
    if form.is_valid():
        try:
            changed = services.change_status(
                service,
                form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("“%(name)s” is now %(status)s.")
                % {"name": changed.name, "status": changed.get_status_display()},  # type: ignore[attr-defined]
            )
            return redirect("directory:staff_detail", uuid=service.uuid)
    service = detail_queryset().get(pk=service.pk)
    return render(
        request,
        "directory/staff/detail.html",
        detail_context(request, service, status_form=form),
    )


# -- the home panel -----------------------------------------------------------------------------
def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not policies.can_view(user):
        return None
    manager = policies.is_directory_manager(user)
    editable = policies.editable_services(user)
    due = (
        editable.needing_verification().filter(status__in=CHECKED_STATUSES).count()
        if manager or policies.editing_core_organization_ids(user)
        else None
    )
    return {"due": due, "manager": manager}


urlpatterns: list[URLPattern | URLResolver] = [
    *staff_import.urlpatterns,
    path("", service_list, name="staff_list"),
    path("export.xlsx", service_export, name="staff_export"),
    path("needs-checking/", needs_checking, name="staff_needs_checking"),
    path("new/", service_create, name="staff_create"),
    path("<uuid:uuid>/", service_detail, name="staff_detail"),
    path("<uuid:uuid>/edit/", service_edit, name="staff_edit"),
    path("<uuid:uuid>/verify/", service_verify, name="staff_verify"),
    path("<uuid:uuid>/status/", service_status, name="staff_status"),
]
