"""Administrators' view of persons, households and consent.

Every page here reads personal data, so:

- A superuser reaches the records through ``policies.persons_for_administration``,
  which writes one ``people.persons.administered`` audit event per request (with the
  path and any search); any other staff account sees only its ``visible_persons``.
- A protected person's address and contacts (``Person.CONTACT_FIELDS``) are shown —
  in lists and forms — only to members of the protecting organisation; everyone
  else, superusers included, sees «支援措置対象のため非表示». They cannot be searched,
  filtered or sorted on, which would reveal them as surely as showing them.
- Writes go through ``people.services`` (audited, optimistic locking); nothing is
  deleted.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tsunagu.core.policies import is_administrator
from tsunagu.core.services import log_action
from tsunagu.core.wareki import JapaneseDateField

from . import policies, services
from .locking import StaleEditError
from .models import Consent, Household, HouseholdMember, Person

REQUEST_CACHE = "_tsunagu_people_admin_persons"


def persons_for(request: HttpRequest) -> QuerySet[Person]:
    """The persons this admin request may reach; the first call per request is audited."""
    cached: QuerySet[Person] | None = getattr(request, REQUEST_CACHE, None)
    if cached is None:
        user = request.user
        if is_administrator(user):
            query = request.GET.get("q", "")
            purpose = _("Administration site: %(path)s") % {"path": request.path}
            if query:
                purpose = _("Administration site: %(path)s (search: %(query)s)") % {
                    "path": request.path,
                    "query": query,
                }
            cached = policies.persons_for_administration(
                user, purpose=purpose[:300], request=request
            )
        else:
            cached = policies.visible_persons(user)
        setattr(request, REQUEST_CACHE, cached)
    return cached


def _copy_saved(obj: Model, saved: Model) -> None:
    """Make the admin's ``obj`` the record a service saved (for the redirect and messages)."""
    vars(obj).update(vars(saved))


class NoDeleteAdmin(admin.ModelAdmin):
    """Personal records are archived or closed, never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# -- persons ----------------------------------------------------------------------------------------


class PersonForm(forms.ModelForm):
    birth_date = JapaneseDateField(
        label=gettext_lazy("date of birth"),
        required=False,
        help_text=gettext_lazy("1941-03-02 or 昭和16年3月2日. Leave empty if not known."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = services.PERSON_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk:
            stored = Person.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if cleaned.get("expected_version") != stored.first():
                current = Person.objects.filter(pk=self.instance.pk).first()
                expected = cleaned.get("expected_version") or 0
                raise ValidationError(str(StaleEditError(self.instance, expected, current)))
        return cleaned


@admin.register(Person)
class PersonAdmin(NoDeleteAdmin):
    form = PersonForm
    search_fields = ["name_key"]  # replaced by services.search_persons (shows the box)
    search_help_text = gettext_lazy(
        "Name in kanji or kana, or a date of birth (1941-03-02, 昭和16年3月2日)."
    )
    list_filter = ["sex", "is_protected"]
    list_select_related = ["area"]
    autocomplete_fields = ["area", "protecting_organization"]
    readonly_fields = [
        "uuid",
        "version",
        "merged_into",
        "created_at",
        "updated_at",
        "archived_at",
        "archive_reason",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return persons_for(request).select_related("area", "protecting_organization")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        if not search_term.strip():
            return queryset, False
        return services.search_persons(search_term, queryset), False

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        user = request.user

        @admin.display(description=gettext_lazy("name"), ordering="name_key")
        def name(person: Person) -> str:
            return person.full_name

        @admin.display(description=gettext_lazy("reading"), ordering="kana_key")
        def reading(person: Person) -> str:
            return person.full_name_kana

        @admin.display(description=gettext_lazy("address"))
        def address(person: Person) -> str:
            shown = policies.redact(person, user)
            return " ".join(part for part in (shown.postal_code, shown.address) if part)

        @admin.display(description=gettext_lazy("telephone"))
        def phone(person: Person) -> str:
            shown = policies.redact(person, user)
            return shown.phone or shown.mobile_phone

        @admin.display(description=gettext_lazy("area"))
        def area(person: Person) -> str:
            return policies.redact(person, user).area

        return [name, reading, "birth_date", "sex", address, phone, area, "is_protected"]

    def get_fieldsets(self, request: HttpRequest, obj: Person | None = None) -> Any:
        contacts_visible = obj is None or policies.can_see_contact_details(request.user, obj)
        fieldsets: list[tuple[Any, dict[str, Any]]] = [
            (
                None,
                {
                    "fields": [
                        ("family_name", "given_name"),
                        ("family_name_kana", "given_name_kana"),
                        ("birth_date", "sex"),
                        "expected_version",
                    ]
                },
            ),
        ]
        if contacts_visible:
            fieldsets.append(
                (
                    _("Address and contacts"),
                    {
                        "fields": [
                            "postal_code",
                            "address",
                            "area",
                            "phone",
                            "mobile_phone",
                            "email",
                        ]
                    },
                )
            )
        else:
            fieldsets.append(
                (_("Address and contacts"), {"description": policies.hidden_reason(), "fields": []})
            )
        fieldsets += [
            (None, {"fields": ["notes"]}),
            (
                _("Protection (support measure)"),
                {"fields": list(Person.PROTECTION_FIELDS)},
            ),
        ]
        if obj is not None:
            fieldsets.append(
                (
                    _("Record"),
                    {"fields": self.readonly_fields, "classes": ["collapse"]},
                )
            )
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Person | None = None) -> Any:
        readonly = list(self.readonly_fields)
        if obj is not None and not policies.can_see_contact_details(request.user, obj):
            readonly += list(Person.PROTECTION_FIELDS)
        return readonly

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        person = self.get_object(request, object_id)
        if person is not None and request.method == "GET":
            log_action(
                "people.person.viewed",
                actor=request.user,  # type: ignore[arg-type]
                obj=person,
                purpose=_("Administration site"),
                request=request,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        actor = request.user
        fields = {
            field: form.cleaned_data[field]
            for field in services.PERSON_FIELDS
            if field in form.cleaned_data
        }
        if change:
            changed = {field: fields[field] for field in form.changed_data if field in fields}
            saved = services.update_person(
                Person.objects.get(pk=obj.pk),
                actor=actor,  # type: ignore[arg-type]
                expected_version=form.cleaned_data["expected_version"],
                request=request,
                **changed,
            )
        else:
            saved = services.create_person(actor=actor, request=request, **fields)  # type: ignore[arg-type]
        _copy_saved(obj, saved)


# -- households -------------------------------------------------------------------------------------


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    can_delete = False
    autocomplete_fields = ["person"]
    fields = ["person", "relationship", "joined_on", "left_on"]


@admin.register(Household)
class HouseholdAdmin(NoDeleteAdmin):
    search_fields = ["name"]
    inlines = [HouseholdMemberInline]
    autocomplete_fields = ["area"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Household]:
        households = Household.objects.prefetch_related("memberships__person")
        if is_administrator(request.user):
            persons_for(request)  # audited
            return households
        return households.filter(Q(memberships__person__in=persons_for(request))).distinct()

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        user = request.user

        @admin.display(description=gettext_lazy("address"))
        def address(household: Household) -> str:
            if not policies.can_see_household_address(user, household):
                return policies.hidden_reason()
            return " ".join(part for part in (household.postal_code, household.address) if part)

        return ["name", address]

    def get_fields(self, request: HttpRequest, obj: Household | None = None) -> Any:
        if obj is not None and not policies.can_see_household_address(request.user, obj):
            return ["name", "notes"]
        return ["name", "postal_code", "address", "area", "notes"]

    def save_model(self, request: HttpRequest, obj: Household, form: Any, change: bool) -> None:
        services.save_household(obj, actor=request.user, request=request)  # type: ignore[arg-type]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for member in formset.save(commit=False):
            services.save_household_member(member, actor=request.user, request=request)  # type: ignore[arg-type]


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(NoDeleteAdmin):
    list_display = ["household", "person", "relationship", "joined_on", "left_on"]
    list_filter = ["relationship"]
    autocomplete_fields = ["household", "person"]
    fields = ["household", "person", "relationship", "joined_on", "left_on"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[HouseholdMember]:
        return HouseholdMember.objects.filter(person__in=persons_for(request)).select_related(
            "household", "person"
        )

    def save_model(
        self, request: HttpRequest, obj: HouseholdMember, form: Any, change: bool
    ) -> None:
        services.save_household_member(obj, actor=request.user, request=request)  # type: ignore[arg-type]


# -- consent ----------------------------------------------------------------------------------------


@admin.register(Consent)
class ConsentAdmin(NoDeleteAdmin):
    list_display = [
        "person",
        "purpose",
        "recipient_class",
        "recipient_organization",
        "given",
        "method",
        "recorded_at",
        "withdrawn_at",
    ]
    list_filter = ["purpose", "recipient_class", "given", "method"]
    search_fields = ["person__name_key"]  # replaced by services.search_persons
    autocomplete_fields = ["person", "recipient_organization"]
    fields = [
        "person",
        "purpose",
        "recipient_class",
        "recipient_organization",
        "method",
        "given",
        "recorded_at",
        "note",
    ]
    actions = ["withdraw"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Consent]:
        return Consent.objects.filter(person__in=persons_for(request)).select_related(
            "person", "recipient_organization"
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Consent], search_term: str
    ) -> tuple[QuerySet[Consent], bool]:
        if not search_term.strip():
            return queryset, False
        found = services.search_persons(search_term, persons_for(request))
        return queryset.filter(person__in=found.values("pk")), False

    def get_readonly_fields(self, request: HttpRequest, obj: Consent | None = None) -> Any:
        if obj is None:
            return []
        return [*self.fields, "recorded_by", "withdrawn_at", "withdrawn_by", "withdrawal_reason"]

    def get_fields(self, request: HttpRequest, obj: Consent | None = None) -> Any:
        if obj is None:
            return self.fields
        return self.get_readonly_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: Consent, form: Any, change: bool) -> None:
        if change:  # records are never edited; a change of mind is a new record
            return
        saved = services.record_consent(
            obj.person,
            purpose=obj.purpose,
            given=obj.given,
            method=obj.method,
            recipient_class=obj.recipient_class,
            recipient_organization=obj.recipient_organization,
            recorded_at=obj.recorded_at,
            note=obj.note,
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
        _copy_saved(obj, saved)

    @admin.action(description=gettext_lazy("Withdraw the selected consent records"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Consent]) -> None:
        withdrawn = 0
        for consent in queryset.filter(withdrawn_at__isnull=True):
            services.withdraw_consent(
                consent,
                actor=request.user,  # type: ignore[arg-type]
                reason=_("Withdrawn in the administration site"),
                request=request,
            )
            withdrawn += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d consent record withdrawn.",
                "%(count)d consent records withdrawn.",
                withdrawn,
            )
            % {"count": withdrawn},
            messages.SUCCESS,
        )
