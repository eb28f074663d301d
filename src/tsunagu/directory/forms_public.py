"""The public directory's search form: keyword plus filters, read from the query string.

One form serves the search page, its htmx fragment and the map's JSON (STYLE.md rule 13).
Choices come from the database; a value that is not (or no longer) among them is still
passed on to ``find_services``, whose ``FilterError`` the view shows next to the filter,
so an old bookmark says what is wrong instead of silently showing everything.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from tsunagu.core.models import Area

from .models import Language, TargetGroup, TaxonomyTerm
from .models.base import language_code_validator
from .search import EVERYONE, ServiceFilters

Choices = list[tuple[str, Any]]


def category_choices(language: str | None) -> Choices:
    """Top-level categories, each as a group with "all of it" and its subcategories."""
    terms = list(TaxonomyTerm.objects.order_by("taxonomy_id", "sort_order", "code"))
    children: dict[int, list[TaxonomyTerm]] = {}
    for term in terms:
        if term.parent_id is not None:
            children.setdefault(term.parent_id, []).append(term)
    choices: Choices = [("", _("All categories"))]
    for root in (term for term in terms if term.parent_id is None):
        name = root.display_name(language)
        options = [(root.code, _("%(category)s (all)") % {"category": name})]
        options += [
            (child.code, child.display_name(language)) for child in children.get(root.pk, [])
        ]
        choices.append((name, options))
    return choices


def area_choices() -> Choices:
    regions = Area.objects.filter(kind=Area.Kind.REGION).order_by("sort_order", "code")
    return [("", _("Anywhere in the city")), *((area.code, area.name) for area in regions)]


def target_group_choices(language: str | None) -> Choices:
    # "Everyone" is not a choice: services for everyone are found under every group.
    groups = TargetGroup.objects.exclude(code=EVERYONE).order_by("sort_order", "code")
    return [("", _("Anyone")), *((group.code, group.display_name(language)) for group in groups)]


def language_name(code: str, stored_name: str = "") -> str:
    """A language in its own name (English, 中文, Tiếng Việt), as its readers look for it."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return stored_name or code


def language_choices() -> Choices:
    """The languages some service, place or phone line is offered in (Japanese goes without saying)."""
    names: dict[str, str] = {}
    for code, name in Language.objects.exclude(code="").values_list("code", "name").distinct():
        code = code.lower()
        if code != "ja" and code not in names:
            names[code] = language_name(code, name)
    return [("", _("Any language")), *sorted(names.items())]


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=200,
        help_text=_("For example: 介護, こそだて, ひとり暮らし, DV. Hiragana works too."),
        error_messages={"max_length": _("Use at most %(limit_value)d characters.")},
    )
    category = forms.CharField(label=_("Category"), required=False, max_length=100)
    area = forms.CharField(label=_("Area"), required=False, max_length=60)
    target_group = forms.CharField(label=_("Who is it for?"), required=False, max_length=50)
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=20,
        validators=[language_code_validator],
        error_messages={"max_length": _("Choose a language from the list.")},
    )
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=10_000,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The page number must be a whole number; the first page is shown."),
            "min_value": _("The page number must be 1 or more; the first page is shown."),
            "max_value": _("That page number is too large; the first page is shown."),
        },
    )

    # Filters, in the order they are shown; the keyword and page are not filters.
    FILTERS = ("category", "area", "target_group", "language", "open_now")

    def __init__(self, *args: Any, language: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget = forms.Select(choices=category_choices(language))
        self.fields["area"].widget = forms.Select(choices=area_choices())
        self.fields["target_group"].widget = forms.Select(choices=target_group_choices(language))
        self.fields["language"].widget = forms.Select(choices=language_choices())
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}
        )
        for name in ("q", *self.FILTERS):
            # Every field points at its message slot, which exists even when empty.
            self.fields[name].widget.attrs["aria-describedby"] = f"{name}-errors"
        self.fields["q"].widget.attrs["aria-describedby"] = "q-help q-errors"

    def clean_q(self) -> str:
        return " ".join(str(self.cleaned_data.get("q") or "").split())

    def page_number(self) -> int:
        if not self.is_valid() and "page" in self.errors:
            return 1
        return int(self.cleaned_data.get("page") or 1)

    def active_filters(self) -> int:
        """How many filters are set (shown on the closed filter panel)."""
        data = getattr(self, "cleaned_data", {})
        return sum(1 for name in self.FILTERS if data.get(name))

    def filters(self, now: datetime) -> ServiceFilters:
        """What to ask ``find_services`` for; call after ``is_valid()``."""
        data = self.cleaned_data
        return ServiceFilters(
            q=data.get("q") or "",
            categories=(data["category"],) if data.get("category") else (),
            area=data.get("area") or "",
            target_groups=(data["target_group"],) if data.get("target_group") else (),
            language=data.get("language") or "",
            open_at=now if data.get("open_now") else None,
        )

    def is_usable(self) -> bool:
        """Valid, or invalid only in its page number (then the first page is shown)."""
        return self.is_valid() or set(self.errors) == {"page"}
