"""The social-resource directory (社会資源), shaped like Open Referral HSDS 3.0.

Every record has an integer primary key (the search index keys on it) and a
``uuid``, which is its HSDS ``id`` in the API and in exports. Field names follow
HSDS where HSDS has the field; what Japan needs on top (kana readings, 地域,
national holidays, target groups, the plan's initiatives) is added beside them.

A package by subject; import from here: ``from tsunagu.directory.models import Service``.
"""

from .base import ORIGINAL_LANGUAGE, HsdsRecord
from .contact import Contact, Language, Phone, PhoneType
from .location import Accessibility, Address, Location, LocationType, ServiceAtLocation
from .organization import Organization, OrganizationTranslation
from .schedule import Frequency, Schedule, Weekday
from .service import (
    VERIFY_AFTER,
    CostOption,
    RequiredDocument,
    Service,
    ServiceArea,
    ServiceQuerySet,
    ServiceStatus,
    ServiceTranslation,
)
from .taxonomy import TargetGroup, Taxonomy, TaxonomyTerm

__all__ = [
    "ORIGINAL_LANGUAGE",
    "VERIFY_AFTER",
    "Accessibility",
    "Address",
    "Contact",
    "CostOption",
    "Frequency",
    "HsdsRecord",
    "Language",
    "Location",
    "LocationType",
    "Organization",
    "OrganizationTranslation",
    "Phone",
    "PhoneType",
    "RequiredDocument",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceQuerySet",
    "ServiceStatus",
    "ServiceTranslation",
    "TargetGroup",
    "Taxonomy",
    "TaxonomyTerm",
    "Weekday",
]
