"""Administrators' view of the directory: every model, with a service's details inline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationTranslation,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
    TargetGroup,
    Taxonomy,
    TaxonomyTerm,
)

# Web addresses typed without a scheme are https (Django 6's default, without the warning).
URL_FIELDS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class DirectoryAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS


class TabularInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS


class StackedInline(admin.StackedInline):
    formfield_overrides = URL_FIELDS


# -- inlines ---------------------------------------------------------------------------------------


class ServiceTranslationInline(StackedInline):
    model = ServiceTranslation
    extra = 0


class OrganizationTranslationInline(StackedInline):
    model = OrganizationTranslation
    extra = 0


class ServiceAtLocationInline(TabularInline):
    model = ServiceAtLocation
    extra = 0
    autocomplete_fields = ["location"]


class ScheduleInline(StackedInline):
    model = Schedule
    extra = 0
    fields = [
        ("freq", "interval", "byday", "bymonthday"),
        ("opens_at", "closes_at", "open_24h"),
        ("closed_on_holidays", "closed_year_end"),
        ("valid_from", "valid_to", "dtstart", "until", "count"),
        "description",
        ("attending_type", "schedule_link"),
        "notes",
    ]


class PhoneInline(TabularInline):
    model = Phone
    extra = 0
    fields = ["number", "extension", "type", "description"]


class ContactInline(TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "department", "email"]


class LanguageInline(TabularInline):
    model = Language
    extra = 0
    fields = ["name", "code", "note"]


class CostOptionInline(TabularInline):
    model = CostOption
    extra = 0


class RequiredDocumentInline(TabularInline):
    model = RequiredDocument
    extra = 0


class ServiceAreaInline(TabularInline):
    model = ServiceArea
    extra = 0
    autocomplete_fields = ["area"]


class AddressInline(StackedInline):
    model = Address
    extra = 0


class AccessibilityInline(TabularInline):
    model = Accessibility
    extra = 0


class TaxonomyTermInline(TabularInline):
    model = TaxonomyTerm
    fk_name = "parent"
    extra = 0
    fields = ["code", "name", "name_en", "sort_order"]
    verbose_name_plural = _("narrower terms")


# -- models ----------------------------------------------------------------------------------------


@admin.register(Taxonomy)
class TaxonomyAdmin(DirectoryAdmin):
    list_display = ["name", "version", "uri"]
    search_fields = ["name"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(DirectoryAdmin):
    list_display = ["code", "name", "name_en", "parent", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["code", "name", "name_en", "description"]
    list_select_related = ["parent", "taxonomy"]
    autocomplete_fields = ["parent"]
    inlines = [TaxonomyTermInline]


@admin.register(TargetGroup)
class TargetGroupAdmin(DirectoryAdmin):
    list_display = ["code", "name", "name_en", "sort_order"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Organization)
class OrganizationAdmin(DirectoryAdmin):
    list_display = ["name", "legal_status", "core_organization", "is_demo", "updated_at"]
    list_filter = ["is_demo", "legal_status"]
    search_fields = ["name", "name_kana", "alternate_name"]
    list_select_related = ["core_organization"]
    autocomplete_fields = ["parent", "core_organization"]
    readonly_fields = ["uuid"]
    inlines = [OrganizationTranslationInline, ContactInline, PhoneInline]


@admin.register(Service)
class ServiceAdmin(DirectoryAdmin):
    list_display = ["name", "organization", "status", "last_verified_at", "is_demo"]
    list_filter = ["status", "is_demo", "target_groups", "taxonomy_terms__parent"]
    search_fields = ["name", "name_kana", "alternate_name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization", "taxonomy_terms", "target_groups", "verified_by"]
    filter_horizontal = ["initiatives"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    date_hierarchy = "last_verified_at"
    actions = ["mark_verified"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organization",
                    ("name", "name_kana"),
                    "alternate_name",
                    "description",
                    "status",
                    "alert",
                ]
            },
        ),
        (
            _("Who it is for"),
            {
                "fields": [
                    "target_groups",
                    "eligibility_description",
                    ("minimum_age", "maximum_age"),
                ]
            },
        ),
        (
            _("How to use it"),
            {
                "fields": [
                    "application_process",
                    "fees_description",
                    "interpretation_services",
                    ("url", "email"),
                    "accreditations",
                ]
            },
        ),
        (_("Classification"), {"fields": ["taxonomy_terms", "initiatives"]}),
        (
            _("Record"),
            {
                "fields": [
                    ("last_verified_at", "verified_by"),
                    "is_demo",
                    "uuid",
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]
    inlines = [
        ServiceTranslationInline,
        ServiceAtLocationInline,
        ScheduleInline,
        PhoneInline,
        ContactInline,
        LanguageInline,
        CostOptionInline,
        RequiredDocumentInline,
        ServiceAreaInline,
    ]

    @admin.action(description=_("Mark as verified today"))
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        count = queryset.update(last_verified_at=timezone.now(), verified_by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d service marked as verified.",
                "%(count)d services marked as verified.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Location)
class LocationAdmin(DirectoryAdmin):
    list_display = ["name", "organization", "location_type", "area", "is_sensitive"]
    list_filter = ["location_type", "is_sensitive", "area"]
    search_fields = ["name", "name_kana", "alternate_name"]
    list_select_related = ["organization", "area"]
    autocomplete_fields = ["organization", "area"]
    readonly_fields = ["uuid"]
    inlines = [AddressInline, AccessibilityInline, ScheduleInline, PhoneInline, LanguageInline]


@admin.register(ServiceAtLocation)
class ServiceAtLocationAdmin(DirectoryAdmin):
    list_display = ["service", "location"]
    search_fields = ["service__name", "location__name"]
    list_select_related = ["service", "location"]
    autocomplete_fields = ["service", "location"]
    inlines = [ScheduleInline, PhoneInline, ContactInline]


@admin.register(Address)
class AddressAdmin(DirectoryAdmin):
    list_display = ["__str__", "location", "address_type"]
    search_fields = ["address_1", "city", "postal_code", "location__name"]
    list_select_related = ["location"]
    autocomplete_fields = ["location"]


@admin.register(Contact)
class ContactAdmin(DirectoryAdmin):
    list_display = ["__str__", "department", "email", "organization", "service"]
    search_fields = ["name", "department", "email"]
    list_select_related = ["organization", "service"]
    autocomplete_fields = ["organization", "service", "service_at_location", "location"]
    inlines = [PhoneInline]


@admin.register(Phone)
class PhoneAdmin(DirectoryAdmin):
    list_display = ["number", "extension", "type", "organization", "service", "location"]
    list_filter = ["type"]
    search_fields = ["number", "description"]
    list_select_related = ["organization", "service", "location"]
    autocomplete_fields = ["organization", "service", "location", "service_at_location", "contact"]


@admin.register(Language)
class LanguageAdmin(DirectoryAdmin):
    list_display = ["name", "code", "service", "location", "phone"]
    list_filter = ["code"]
    search_fields = ["name", "code"]
    list_select_related = ["service", "location", "phone"]
    autocomplete_fields = ["service", "location", "phone"]


@admin.register(Accessibility)
class AccessibilityAdmin(DirectoryAdmin):
    list_display = ["__str__", "location"]
    search_fields = ["description", "details", "location__name"]
    list_select_related = ["location"]
    autocomplete_fields = ["location"]


@admin.register(CostOption)
class CostOptionAdmin(DirectoryAdmin):
    list_display = ["__str__", "service", "amount", "currency", "valid_from", "valid_to"]
    search_fields = ["option", "amount_description", "service__name"]
    list_select_related = ["service"]
    autocomplete_fields = ["service"]


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(DirectoryAdmin):
    list_display = ["document", "service"]
    search_fields = ["document", "service__name"]
    list_select_related = ["service"]
    autocomplete_fields = ["service"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(DirectoryAdmin):
    list_display = ["__str__", "service", "area"]
    list_filter = ["area"]
    search_fields = ["name", "service__name"]
    list_select_related = ["service", "area"]
    autocomplete_fields = ["service", "area"]


@admin.register(Schedule)
class ScheduleAdmin(DirectoryAdmin):
    list_display = ["__str__", "service", "location", "service_at_location"]
    list_filter = ["freq", "closed_on_holidays", "open_24h"]
    search_fields = ["description", "service__name", "location__name"]
    list_select_related = [
        "service",
        "location",
        "service_at_location__service",
        "service_at_location__location",
    ]
    autocomplete_fields = ["service", "location", "service_at_location"]


@admin.register(ServiceTranslation)
class ServiceTranslationAdmin(DirectoryAdmin):
    list_display = ["service", "language", "name"]
    list_filter = ["language"]
    search_fields = ["name", "service__name"]
    list_select_related = ["service"]
    autocomplete_fields = ["service"]


@admin.register(OrganizationTranslation)
class OrganizationTranslationAdmin(DirectoryAdmin):
    list_display = ["organization", "language", "name"]
    list_filter = ["language"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
