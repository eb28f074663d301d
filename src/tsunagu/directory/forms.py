"""Staff forms of the directory: the list filter, the service editor, status and import.

Typed input is NFKC-normalised before it is parsed, so full-width digits and
colons (０４６７, ９：００) and Japanese weekday names (月・水・金, 月〜金) are
accepted. Child rows (places, phones, hours …) are model forms used for
validation only: ``directory.services`` writes them.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagu.core.models import Area

from . import services
from .models import (
    Address,
    CostOption,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceStatus,
    TargetGroup,
    TaxonomyTerm,
)

# Areas a service can be limited to: the 地域 and the 民生委員地区.
SERVICE_AREA_KINDS = (Area.Kind.REGION, Area.Kind.WELFARE_COMMISSIONER_DISTRICT)


def normalise(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def accept_full_width(field: forms.Field) -> None:
    """Let ``field`` parse full-width input (「９：００」, 「２４８－８６８６」)."""
    parse: Callable[[Any], Any] = field.to_python

    def to_python(value: Any) -> Any:
        return parse(normalise(value))

    field.to_python = to_python  # type: ignore[method-assign]


def service_areas() -> QuerySet[Area]:
    return Area.objects.filter(kind__in=SERVICE_AREA_KINDS).select_related("parent")


def area_label(area: Area) -> str:
    if area.kind == Area.Kind.WELFARE_COMMISSIONER_DISTRICT and area.parent is not None:
        return f"{area.name}（{area.parent.name}）"
    return area.name


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return area_label(obj)


class AreaMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return area_label(obj)


def area_tree_order(areas: list[Area]) -> list[Area]:
    """Each 地域 followed by its districts."""
    children: dict[int | None, list[Area]] = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)
    known = {area.pk for area in areas}
    ordered: list[Area] = []

    def walk(area: Area) -> None:
        ordered.append(area)
        for child in children.get(area.pk, []):
            walk(child)

    for area in areas:
        if area.parent_id not in known:
            walk(area)
    return ordered


def term_groups(terms: list[TaxonomyTerm]) -> list[tuple[TaxonomyTerm, list[TaxonomyTerm]]]:
    """Top-level terms, each with every term below it in tree order."""
    children: dict[int | None, list[TaxonomyTerm]] = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    known = {term.pk for term in terms}
    groups = []
    for root in terms:
        if root.parent_id in known:
            continue
        below: list[TaxonomyTerm] = []
        stack = list(reversed(children.get(root.pk, [])))
        while stack:
            term = stack.pop()
            below.append(term)
            stack.extend(reversed(children.get(term.pk, [])))
        groups.append((root, below))
    return groups


def all_terms() -> list[TaxonomyTerm]:
    return list(TaxonomyTerm.objects.order_by("taxonomy__name", "sort_order", "code"))


def formfield(db_field: Any, **kwargs: Any) -> forms.Field | None:
    """Model fields as form fields; web addresses typed without a scheme get https://."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


# -- the staff list ---------------------------------------------------------------------------
class StaffFilterForm(forms.Form):
    """The staff list's filters: one form for the page, its htmx rows and the export."""

    SORTS = {
        "name": ("name_kana", "name", "pk"),
        "organization": ("organization__name_kana", "organization__name", "name_kana", "pk"),
        "status": ("status", "name_kana", "pk"),
        "verified": ("last_verified_at", "name_kana", "pk"),
        "updated": ("updated_at", "name_kana", "pk"),
    }

    q = forms.CharField(label=_("Keyword"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    status = forms.ChoiceField(
        label=pgettext_lazy("service status", "Status"),
        required=False,
        choices=[("", _("Any status")), *ServiceStatus.choices],
    )
    needs_checking = forms.BooleanField(label=_("Needs checking only"), required=False)
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = term_groups(all_terms())
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Any category")),
            *[
                (
                    root.name,
                    [(root.code, root.name), *[(term.code, f"— {term.name}") for term in below]],
                )
                for root, below in groups
            ],
        ]
        areas = area_tree_order(list(service_areas()))
        cast(forms.ChoiceField, self.fields["area"]).choices = [
            ("", _("Whole city")),
            *[(area.code, area_label(area)) for area in areas],
        ]
        cast(forms.ChoiceField, self.fields["sort"]).choices = [
            ("", ""),
            ("relevance", "relevance"),
            *[(key, key) for key in self.SORTS],
            *[(f"-{key}", f"-{key}") for key in self.SORTS],
        ]
        accept_full_width(self.fields["page"])

    def problems(self) -> list[str]:
        """Errors worth showing: an invalid page or sort just falls back to the default."""
        found = [
            f"{field.label}: {error}" for field in self.visible_fields() for error in field.errors
        ]
        return found + [str(error) for error in self.non_field_errors()]

    def value(self, name: str) -> Any:
        """The cleaned value, or the empty value when the field is invalid or absent."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or self.fields[name].initial or ""


# -- the service editor -----------------------------------------------------------------------
class InitiativeCodesField(forms.CharField):
    """Plan initiative numbers such as 「1-2-1-1、5-1-1-1」 (full-width accepted)."""

    SEPARATORS = re.compile(r"[\s,、，;；]+")
    DASHES = re.compile(r"[‐‑‒–—―−ーｰ－]")

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = self.DASHES.sub("-", normalise(super().to_python(value) or ""))
        return list(dict.fromkeys(code for code in self.SEPARATORS.split(text) if code))


class ServiceForm(forms.ModelForm):
    """The service's own fields and its classifications."""

    target_groups = forms.ModelMultipleChoiceField(
        label=_("Who it is for"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    taxonomy_terms = forms.TypedMultipleChoiceField(
        label=_("Categories"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = AreaMultipleChoiceField(
        label=_("Service areas"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for a service offered to the whole city."),
    )
    initiatives = InitiativeCodesField(
        label=_("Plan initiatives"),
        required=False,
        help_text=_("Numbers from the plan, separated by commas, e.g. 1-2-1-1, 5-1-1-1."),
    )
    mark_verified = forms.BooleanField(
        label=_("I have confirmed that these details are current"),
        required=False,
        help_text=_("Records you as having verified the service today."),
    )

    class Meta:
        model = Service
        formfield_callback = formfield
        fields = ["organization", *services.SERVICE_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "eligibility_description": forms.Textarea(attrs={"rows": 3}),
            "application_process": forms.Textarea(attrs={"rows": 3}),
            "fees_description": forms.Textarea(attrs={"rows": 2}),
            "interpretation_services": forms.Textarea(attrs={"rows": 2}),
            "accreditations": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "name_kana": _("In hiragana, for sorting and for the furigana toggle."),
            "eligibility_description": _("Who can use it, in plain words."),
            "application_process": _("What to do first: call, visit, apply online …"),
        }

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        plan: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        organization_field = cast(forms.ModelChoiceField, self.fields["organization"])
        organization_field.queryset = organizations
        organization_field.empty_label = _("Choose the provider")
        terms = all_terms()
        self._term_by_pk = {term.pk: term for term in terms}
        self._groups = term_groups(terms)
        cast(forms.ChoiceField, self.fields["taxonomy_terms"]).choices = [
            (term.pk, term.name) for root, below in self._groups for term in (root, *below)
        ]
        areas = area_tree_order(list(service_areas()))
        area_field = cast(forms.ModelMultipleChoiceField, self.fields["areas"])
        area_field.queryset = service_areas()
        # Keep the tree order in the rendered list (the queryset orders by sort_order).
        area_field.choices = [(area.pk, area_label(area)) for area in areas]
        if plan is None:
            self.fields["initiatives"].disabled = True
            self.fields["initiatives"].help_text = _("No plan has been loaded yet.")
        for name in ("minimum_age", "maximum_age", "email", "url"):
            accept_full_width(self.fields[name])
        if self.instance.pk is not None and not self.is_bound:
            self.initial.setdefault("target_groups", list(self.instance.target_groups.all()))
            self.initial.setdefault(
                "taxonomy_terms", [term.pk for term in self.instance.taxonomy_terms.all()]
            )
            self.initial.setdefault(
                "areas", [row.area_id for row in self.instance.service_areas.all() if row.area_id]
            )
            self.initial.setdefault(
                "initiatives",
                ", ".join(
                    initiative.code
                    for initiative in self.instance.initiatives.all()
                    if plan is not None and initiative.plan_id == plan.pk
                ),
            )

    def category_groups(self) -> list[tuple[str, list[BoundWidget]]]:
        """The category checkboxes grouped under their top-level term."""
        widgets = {int(widget.data["value"]): widget for widget in self["taxonomy_terms"]}
        return [
            (root.name, [widgets[term.pk] for term in (root, *below)])
            for root, below in self._groups
        ]

    def clean_taxonomy_terms(self) -> list[TaxonomyTerm]:
        return [self._term_by_pk[pk] for pk in self.cleaned_data["taxonomy_terms"]]

    def clean_initiatives(self) -> list[Any] | None:
        if self.plan is None:
            return None
        codes: list[str] = self.cleaned_data["initiatives"] or []
        found = {
            initiative.code: initiative
            for initiative in self.plan.initiatives.filter(code__in=codes, archived_at__isnull=True)
        }
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(
                _("The plan has no initiative numbered %(codes)s. Check the numbers."),
                params={"codes": "、".join(unknown)},
            )
        kept = []
        if self.instance.pk is not None:
            # Links to initiatives of earlier plans stay as they are.
            kept = list(self.instance.initiatives.exclude(plan=self.plan))
        return [*kept, *(found[code] for code in codes)]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error(
                "maximum_age", _("The maximum age must be the same as the minimum age or above.")
            )
        return cleaned


class TranslationForm(forms.Form):
    """The service in English (other languages arrive by import)."""

    name = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    eligibility_description = forms.CharField(
        label=_("Who can use it, in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    application_process = forms.CharField(
        label=_("How to apply, in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fees_description = forms.CharField(
        label=_("Fees, in English"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_for(cls, service: Service | None, language: str) -> dict[str, str]:
        if service is None or service.pk is None:
            return {}
        translation = next((t for t in service.translations.all() if t.language == language), None)
        if translation is None:
            return {}
        return {name: getattr(translation, name) for name in Service.TRANSLATED_FIELDS}


class ChildForm(forms.ModelForm):
    """One row of a child list (a place, a phone line …), validated, never saved here.

    ``key`` carries the child's uuid so that an edited row updates the same record.
    """

    key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    full_width_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.full_width_fields:
            accept_full_width(self.fields[name])

    def row(self) -> services.Row:
        data = {name: value for name, value in self.cleaned_data.items() if name in self.fields}
        data.pop("DELETE", None)
        data["uuid"] = data.pop("key", None)
        return data

    @classmethod
    def initial_for(cls, child: Any) -> dict[str, Any]:
        return {
            "key": child.uuid,
            **{name: getattr(child, name) for name in cast(Any, cls._meta).fields},
        }


def _address_fields() -> dict[str, forms.Field]:
    fields = forms.fields_for_model(Address, fields=list(services.ADDRESS_FIELDS))
    for field in fields.values():
        field.required = False
    return cast(dict[str, forms.Field], fields)


class LocationForm(ChildForm):
    """A place where the service is offered, with its address."""

    full_width_fields = ("latitude", "longitude", "postal_code", "address_1", "address_2")
    POSTAL_CODE = re.compile(r"^(\d{3})-?(\d{4})$")

    class Meta:
        model = Location
        formfield_callback = formfield
        fields = list(services.LOCATION_FIELDS)
        field_classes = {"area": AreaChoiceField}
        widgets = {"transportation": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "transportation": _("How to get there, e.g. 鎌倉駅東口から徒歩5分."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = cast(forms.ModelChoiceField, self.fields["area"])
        area_field.queryset = service_areas()

    def clean_postal_code(self) -> str:
        value: str = self.cleaned_data.get("postal_code") or ""
        match = self.POSTAL_CODE.match(value)
        return f"{match.group(1)}-{match.group(2)}" if match else value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        given = [name for name in services.ADDRESS_FIELDS if cleaned.get(name)]
        if not given:
            return cleaned
        for name in ("state_province", "city", "address_1"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("Give the whole address: prefecture, city and street."))
        # The address is not a model field of this form: run its model's validators here.
        address = Address(**{name: cleaned.get(name) or "" for name in services.ADDRESS_FIELDS})
        try:
            address.full_clean(
                exclude=["location"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
        return cleaned

    @classmethod
    def initial_for(cls, child: Any) -> dict[str, Any]:
        initial = super().initial_for(child)
        addresses = sorted(
            child.addresses.all(),
            key=lambda a: (a.address_type != Address.AddressType.PHYSICAL, a.pk),
        )
        if addresses:
            initial.update({name: getattr(addresses[0], name) for name in services.ADDRESS_FIELDS})
        return initial


# The address is edited on the place's row (one address per place).
LocationForm.base_fields.update(_address_fields())


class PhoneForm(ChildForm):
    full_width_fields = ("number", "extension")

    class Meta:
        model = Phone
        formfield_callback = formfield
        fields = list(services.PHONE_FIELDS)
        help_texts = {"number": _("With the area code, e.g. 0467-23-3000.")}


WEEKDAY_KANJI = {"月": "MO", "火": "TU", "水": "WE", "木": "TH", "金": "FR", "土": "SA", "日": "SU"}
KANJI_ORDER = "月火水木金土日"
KANJI_RANGE = re.compile(r"([月火水木金土日])曜?日?[〜~\-－ー]([月火水木金土日])")


def normalise_byday(value: str) -> str:
    """「月〜金」「月・水・金」「mo, we」 → ``MO,TU,WE,TH,FR``; other text is left to the validator."""
    text = normalise(value)

    def expand(match: re.Match[str]) -> str:
        start, end = KANJI_ORDER.index(match.group(1)), KANJI_ORDER.index(match.group(2))
        if end < start:
            return match.group(0)
        return ",".join(KANJI_ORDER[start : end + 1])

    text = KANJI_RANGE.sub(expand, text)
    text = re.sub(r"曜日|曜", "", text)
    for kanji, code in WEEKDAY_KANJI.items():
        text = text.replace(kanji, code)
    parts = [part for part in re.split(r"[\s,、・/]+", text.upper()) if part]
    return ",".join(parts)


class ScheduleForm(ChildForm):
    """Opening hours of the service."""

    full_width_fields = (
        "opens_at",
        "closes_at",
        "interval",
        "bymonthday",
        "valid_from",
        "valid_to",
    )

    class Meta:
        model = Schedule
        formfield_callback = formfield
        fields = list(services.SCHEDULE_FIELDS)
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "dtstart": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.TextInput,
            "notes": forms.TextInput,
        }
        help_texts = {
            "byday": _("e.g. 月〜金, 月・水・金 or MO,WE,FR; monthly: 2WE (second Wednesday)."),
        }

    def clean_byday(self) -> str:
        return normalise_byday(self.cleaned_data.get("byday") or "")

    def _post_clean(self) -> None:
        # The service is set when the row is saved; until then the model's "belongs to
        # a service or a place" check would fail on every new row, so borrow a parent id.
        if not (
            self.instance.service_id
            or self.instance.location_id
            or self.instance.service_at_location_id
        ):
            self.instance.service_id = -1
        super()._post_clean()  # type: ignore[misc]


class CostOptionForm(ChildForm):
    full_width_fields = ("amount", "valid_from", "valid_to")

    class Meta:
        model = CostOption
        formfield_callback = formfield
        fields = list(services.COST_OPTION_FIELDS)
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"amount": _("In yen; leave empty when it depends, and say how below.")}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and start > end:
            self.add_error("valid_to", _("The end date must be on or after the start date."))
        return cleaned


class RequiredDocumentForm(ChildForm):
    class Meta:
        model = RequiredDocument
        formfield_callback = formfield
        fields = list(services.DOCUMENT_FIELDS)


def child_formset(form: type[ChildForm]) -> type[forms.BaseFormSet]:
    return forms.formset_factory(form, extra=1, can_delete=True, max_num=50, validate_max=True)


LocationFormSet = child_formset(LocationForm)
PhoneFormSet = child_formset(PhoneForm)
ScheduleFormSet = child_formset(ScheduleForm)
CostOptionFormSet = child_formset(CostOptionForm)
RequiredDocumentFormSet = child_formset(RequiredDocumentForm)


def formset_rows(formset: forms.BaseFormSet) -> list[services.Row]:
    """The rows a valid formset keeps: filled in and not marked for removal."""
    rows = []
    for form in formset.forms:
        if not form.cleaned_data or form.cleaned_data.get("DELETE"):
            continue
        rows.append(cast(ChildForm, form).row())
    return rows


# -- status -------------------------------------------------------------------------------------
class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ServiceStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required unless the service is reopening, e.g. 令和7年3月末で事業終了."),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("Choose the new status")),
            *[choice for choice in ServiceStatus.choices if choice[0] != current],
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("status") in services.REASON_REQUIRED and not cleaned.get("reason"):
            self.add_error("reason", _("Say why, so that colleagues know later."))
        return cleaned


# -- the editor: every form of one service page -----------------------------------------------------
class ServiceEditor:
    """The service form, its English translation and its child lists, bound together.

    Valid only when every part is; on error every part keeps what was typed.
    """

    CHILD_LISTS: tuple[tuple[str, type[forms.BaseFormSet], type[ChildForm]], ...] = (
        ("locations", LocationFormSet, LocationForm),
        ("phones", PhoneFormSet, PhoneForm),
        ("schedules", ScheduleFormSet, ScheduleForm),
        ("cost_options", CostOptionFormSet, CostOptionForm),
        ("required_documents", RequiredDocumentFormSet, RequiredDocumentForm),
    )

    def __init__(
        self,
        data: Any,
        *,
        service: Service | None,
        organizations: QuerySet[Organization],
        plan: Any,
    ) -> None:
        self.service = service
        initial: dict[str, Any] = {}
        if service is None and organizations.count() == 1:
            initial["organization"] = organizations.first()
        self.form = ServiceForm(
            data,
            # A copy: validating writes the typed values onto the instance, and the page
            # keeps showing the saved name until the changes are saved.
            instance=copy.copy(service) if service is not None else Service(),
            organizations=organizations,
            plan=plan,
            initial=initial,
        )
        self.translation = TranslationForm(
            data, prefix="en", initial=TranslationForm.initial_for(service, "en")
        )
        self.formsets: dict[str, forms.BaseFormSet] = {}
        for name, formset_class, form_class in self.CHILD_LISTS:
            children = self._children(name) if service is not None else []
            self.formsets[name] = formset_class(
                data,
                prefix=name,
                initial=[form_class.initial_for(child) for child in children],
            )

    def _children(self, name: str) -> list[Any]:
        assert self.service is not None
        if name == "locations":
            return [
                link.location
                for link in self.service.service_at_locations.select_related(
                    "location"
                ).prefetch_related("location__addresses")
            ]
        return list(getattr(self.service, name).order_by("pk"))

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), self.translation.is_valid()]
        results += [formset.is_valid() for formset in self.formsets.values()]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return bool(
            self.form.errors
            or self.translation.errors
            or any(formset.total_error_count() for formset in self.formsets.values())
        )

    def problems(self) -> list[dict[str, str]]:
        """Where the errors are, for the summary at the top: a link to each."""
        found = []
        for name, errors in self.form.errors.items():
            if name in self.form.fields and errors:
                found.append(
                    {"label": str(self.form[name].label), "anchor": self.form[name].auto_id}
                )
        for name in self.translation.errors:
            if name in self.translation.fields:
                field = self.translation[name]
                found.append({"label": str(field.label), "anchor": field.auto_id})
        titles = {
            "locations": _("Places"),
            "phones": _("Phones"),
            "schedules": _("Opening hours"),
            "cost_options": _("Fees"),
            "required_documents": _("Required documents"),
        }
        for prefix, formset in self.formsets.items():
            for number, errors in enumerate(formset.errors, start=1):
                if errors:
                    found.append(
                        {
                            "label": _("%(list)s, row %(number)s")
                            % {"list": titles[prefix], "number": number},
                            "anchor": f"{prefix}-{number - 1}",
                        }
                    )
            if formset.non_form_errors():
                found.append({"label": str(titles[prefix]), "anchor": f"{prefix}-heading"})
        return found

    def service_data(self) -> services.ServiceData:
        cleaned = self.form.cleaned_data
        return services.ServiceData(
            organization=cleaned["organization"],
            fields={name: cleaned[name] for name in services.SERVICE_FIELDS},
            target_groups=list(cleaned["target_groups"]),
            taxonomy_terms=cleaned["taxonomy_terms"],
            initiatives=cleaned["initiatives"],
            areas=list(cleaned["areas"]),
            translations={"en": dict(self.translation.cleaned_data)},
            **{name: formset_rows(formset) for name, formset in self.formsets.items()},
        )

    @property
    def verify(self) -> bool:
        return bool(self.form.cleaned_data.get("mark_verified"))


# -- bulk import -------------------------------------------------------------------------------------
class ImportForm(forms.Form):
    """A directory file to check (nothing is written until the preview is confirmed)."""

    MAX_BYTES = 20 * 1024 * 1024

    file = forms.FileField(
        label=_("Directory file"),
        help_text=_(
            "The CSV or Excel template (one row per service) or HSDS 3 JSON / NDJSON, up to 20 MB."
        ),
    )
    skip_invalid = forms.BooleanField(
        label=_("Import the rows that pass and skip the others"),
        required=False,
        help_text=_("Unticked, a file with any error changes nothing."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB; split it into smaller files."))
        return upload
