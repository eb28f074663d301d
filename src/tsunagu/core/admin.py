from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Area,
    AuditEvent,
    LoginAttempt,
    Membership,
    Organization,
    OrganizationAlias,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organization", "area"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_active", "is_superuser", "last_login"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Name shown in tsunagu"), {"fields": ["display_name", "display_name_kana"]}),
    )


class AliasInline(admin.TabularInline):
    model = OrganizationAlias
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "name_kana", "aliases__alias"]
    autocomplete_fields = ["parent"]
    inlines = [AliasInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "name_kana", "code"]
    autocomplete_fields = ["parent"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "action", "actor_repr", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["action", "actor_repr", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(AuditEventAdmin):
    list_display = ["at", "username", "succeeded", "ip_address"]
    list_filter = ["succeeded"]
    search_fields = ["username"]
    date_hierarchy = "at"
