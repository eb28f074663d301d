"""Who may see and change what on the directory's staff pages.

- Administrators and directory editors (``Membership.Role.DIRECTORY_EDITOR``) edit
  every service and create services for any directory organisation.
- 社協 staff (``council_staff``) edit the services of directory organisations whose
  ``core_organization`` is one of the organisations they are council staff of.
- Staff of a city division (plan officer, manager, intake, caseworker, disaster
  officer) edit the services of directory organisations whose
  ``core_organization`` is one of their divisions.
- Every other signed-in staff member (auditors, agency staff, welfare
  commissioners …) reads the staff list, the "needs checking" list and the
  service pages, read-only.
- Confidential addresses (``Location.is_sensitive``) and their history are shown
  only to those who may edit the service.
- Anonymous visitors are sent to the login page (``@login_required``); a lookup or
  an edit outside the user's scope raises Http404, so ids cannot be probed.
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from tsunagu.core.models import Membership
from tsunagu.core.policies import AnyUser, has_role, is_administrator, organization_ids_for

from .models import Organization, Service, ServiceQuerySet

Role = Membership.Role

# Roles that make a member of a city division its staff for the directory.
DIVISION_STAFF_ROLES = (
    Role.PLAN_OFFICER,
    Role.MANAGER,
    Role.INTAKE,
    Role.CASEWORKER,
    Role.DISASTER_OFFICER,
)


def is_directory_manager(user: AnyUser) -> bool:
    """Edits the whole directory: an administrator or a directory editor."""
    return is_administrator(user) or has_role(user, Role.DIRECTORY_EDITOR)


def editing_core_organization_ids(user: AnyUser) -> set[int]:
    """The core organisations whose directory services ``user`` edits (managers aside)."""
    return organization_ids_for(user, Role.COUNCIL_STAFF, *DIVISION_STAFF_ROLES)


def can_view(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def editable_services(user: AnyUser) -> ServiceQuerySet:
    services = cast(ServiceQuerySet, Service.objects.all())
    if is_directory_manager(user):
        return services
    ids = editing_core_organization_ids(user)
    if not ids:
        return services.none()
    return services.filter(organization__core_organization_id__in=ids)


def editable_organizations(user: AnyUser) -> QuerySet[Organization]:
    """Directory organisations the user may create services for."""
    if is_directory_manager(user):
        return Organization.objects.all()
    ids = editing_core_organization_ids(user)
    if not ids:
        return Organization.objects.none()
    return Organization.objects.filter(core_organization_id__in=ids)


def can_edit_service(user: AnyUser, service: Service) -> bool:
    """Reads ``service.organization`` (select it with the service)."""
    if is_directory_manager(user):
        return True
    core_id = service.organization.core_organization_id
    return core_id is not None and core_id in editing_core_organization_ids(user)


def can_create(user: AnyUser) -> bool:
    return is_directory_manager(user) or editable_organizations(user).exists()


def get_service_for_viewing(user: AnyUser, uuid: UUID | str) -> Service:
    """A service for the read-only staff page, or 404."""
    if not can_view(user):
        raise Http404
    service = Service.objects.select_related("organization", "verified_by").filter(uuid=uuid)
    found = service.first()
    if found is None:
        raise Http404
    return found


def get_service_for_editing(user: AnyUser, uuid: UUID | str) -> Service:
    """A service the user may change, or 404 (also for services outside her scope)."""
    found = (
        editable_services(user)
        .select_related("organization", "verified_by")
        .filter(uuid=uuid)
        .first()
    )
    if found is None:
        raise Http404
    return found


def require_create(user: AnyUser) -> None:
    if not can_create(user):
        raise Http404


def can_import(user: AnyUser) -> bool:
    """Bulk import writes many organisations' services at once: managers only."""
    return is_directory_manager(user)
