from django.contrib import admin

from .models import GuidelineItem, Indicator, Plan


@admin.register(GuidelineItem)
class GuidelineItemAdmin(admin.ModelAdmin):
    """Administrators correct guideline texts and their status as sources are confirmed."""

    list_display = ["code", "text_status", "text", "source"]
    list_filter = ["text_status", "number"]
    search_fields = ["code", "text", "source"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "municipality",
        "first_fiscal_year",
        "last_fiscal_year",
        "owner",
        "is_current",
    ]
    autocomplete_fields = ["owner"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "unit", "baseline_value", "target_value", "target_year"]
    search_fields = ["title"]
