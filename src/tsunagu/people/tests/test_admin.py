"""The administration pages: audited access, protected contacts hidden, writes through services."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tsunagu.core.models import AuditEvent, Membership, Organization, User
from tsunagu.core.services import history_for
from tsunagu.core.tests.factories import MembershipFactory
from tsunagu.people.models import Consent, Household, Person

from .factories import ConsentFactory, HouseholdMemberFactory, PersonFactory

pytestmark = pytest.mark.django_db

SECRET_ADDRESS = "鎌倉市秘密町1-2-3"
SECRET_PHONE = "0467-99-1234"
PEOPLE_MODELS = [model for model in admin.site._registry if model._meta.app_label == "people"]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def protected(protecting_division: Organization) -> Person:
    return PersonFactory(
        family_name="秘匿",
        given_name="花子",
        address=SECRET_ADDRESS,
        phone=SECRET_PHONE,
        is_protected=True,
        protecting_organization=protecting_division,
    )


@pytest.fixture
def protecting_administrator(administrator: User, protecting_division: Organization) -> User:
    """A superuser who also works in the protecting division."""
    MembershipFactory(
        user=administrator, organization=protecting_division, role=Membership.Role.CASEWORKER
    )
    return administrator


def test_it_registers_every_people_model() -> None:
    assert set(PEOPLE_MODELS) == set(apps.get_app_config("people").get_models())


@pytest.mark.parametrize("model", PEOPLE_MODELS, ids=lambda model: model.__name__)
def test_it_renders_the_list_and_add_pages(model: type, administrator: User) -> None:
    HouseholdMemberFactory()
    ConsentFactory()
    client = client_for(administrator)
    name = f"admin:people_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 200


def test_the_list_hides_a_protected_address_from_an_administrator(
    protected: Person, administrator: User
) -> None:
    PersonFactory(address="鎌倉市御成町18-10")
    page = client_for(administrator).get(reverse("admin:people_person_changelist"))
    content = page.content.decode()
    assert "秘匿" in content
    assert "鎌倉市御成町18-10" in content
    assert SECRET_ADDRESS not in content
    assert SECRET_PHONE not in content


def test_the_list_shows_it_to_the_protecting_organisation(
    protected: Person, protecting_administrator: User
) -> None:
    page = client_for(protecting_administrator).get(reverse("admin:people_person_changelist"))
    assert SECRET_ADDRESS in page.content.decode()


def test_the_change_page_hides_a_protected_address_from_an_administrator(
    protected: Person, administrator: User
) -> None:
    page = client_for(administrator).get(reverse("admin:people_person_change", args=[protected.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert SECRET_ADDRESS not in content
    assert SECRET_PHONE not in content
    assert 'name="address"' not in content


def test_a_protected_address_cannot_be_probed_by_searching(
    protected: Person, administrator: User
) -> None:
    page = client_for(administrator).get(reverse("admin:people_person_changelist"), {"q": "秘密町"})
    assert page.context["cl"].result_count == 0


def test_it_searches_by_kana_kanji_and_date(administrator: User) -> None:
    PersonFactory(family_name="髙橋", family_name_kana="たかはし", given_name_kana="はなこ")
    PersonFactory(family_name="佐藤", family_name_kana="さとう", birth_date="1941-03-02")
    client = client_for(administrator)
    url = reverse("admin:people_person_changelist")
    assert client.get(url, {"q": "高橋"}).context["cl"].result_count == 1
    assert client.get(url, {"q": "ﾀｶﾊｼ"}).context["cl"].result_count == 1
    assert client.get(url, {"q": "昭和16年3月2日"}).context["cl"].result_count == 1


def test_every_admin_request_that_reads_persons_is_audited(
    protected: Person, administrator: User
) -> None:
    client = client_for(administrator)
    client.get(reverse("admin:people_person_changelist"), {"q": "秘匿"})
    client.get(reverse("admin:people_person_change", args=[protected.pk]))
    administered = AuditEvent.objects.filter(action="people.persons.administered")
    assert administered.count() == 2
    assert "秘匿" in administered.order_by("at").first().purpose  # type: ignore[union-attr]
    assert history_for(protected).filter(action="people.person.viewed").count() == 1


def test_staff_without_scope_see_no_one(protected: Person, other_worker: User) -> None:
    other_worker.is_staff = True
    other_worker.save()
    other_worker.user_permissions.add(*_view_permissions())
    page = client_for(other_worker).get(reverse("admin:people_person_changelist"))
    assert page.context["cl"].result_count == 0


def _view_permissions() -> list[object]:
    from django.contrib.auth.models import Permission

    return list(
        Permission.objects.filter(content_type__app_label="people", codename__startswith="view_")
    )


def test_adding_a_person_goes_through_the_service(administrator: User) -> None:
    response = client_for(administrator).post(
        reverse("admin:people_person_add"),
        {
            "family_name": "高橋",
            "given_name": "花子",
            "family_name_kana": "たかはし",
            "given_name_kana": "はなこ",
            "birth_date": "昭和16年3月2日",
            "sex": "female",
            "protection_basis": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get()
    assert str(person.birth_date) == "1941-03-02"
    assert history_for(person).filter(action="people.person.created").exists()


def test_a_stale_admin_form_is_refused(administrator: User) -> None:
    person = PersonFactory(notes="")
    client = client_for(administrator)
    url = reverse("admin:people_person_change", args=[person.pk])
    form = {
        "family_name": person.family_name,
        "given_name": person.given_name,
        "family_name_kana": person.family_name_kana,
        "given_name_kana": person.given_name_kana,
        "birth_date": str(person.birth_date),
        "sex": person.sex,
        "postal_code": person.postal_code,
        "address": person.address,
        "phone": person.phone,
        "notes": "一回目",
        "protection_basis": "",
        "expected_version": "1",
    }
    assert client.post(url, form).status_code == 302
    second = client.post(url, {**form, "notes": "二回目"}, HTTP_ACCEPT_LANGUAGE="en")
    assert second.status_code == 200
    errors = second.context["adminform"].form.non_field_errors()
    assert any("Someone else saved this record" in error for error in errors)
    person.refresh_from_db()
    assert (person.notes, person.version) == ("一回目", 2)


def test_an_outsiders_edit_keeps_the_hidden_contacts(
    protected: Person, administrator: User
) -> None:
    client = client_for(administrator)
    response = client.post(
        reverse("admin:people_person_change", args=[protected.pk]),
        {
            "family_name": protected.family_name,
            "given_name": protected.given_name,
            "family_name_kana": protected.family_name_kana,
            "given_name_kana": protected.given_name_kana,
            "birth_date": str(protected.birth_date),
            "sex": protected.sex,
            "notes": "窓口に来所",
            "expected_version": "1",
        },
    )
    assert response.status_code == 302
    protected.refresh_from_db()
    assert (protected.notes, protected.address, protected.is_protected) == (
        "窓口に来所",
        SECRET_ADDRESS,
        True,
    )


def test_consent_records_are_added_and_withdrawn_through_the_services(
    administrator: User,
) -> None:
    person = PersonFactory()
    client = client_for(administrator)
    response = client.post(
        reverse("admin:people_consent_add"),
        {
            "person": person.pk,
            "purpose": Consent.Purpose.INFORMATION_SHARING,
            "recipient_class": Consent.RecipientClass.ANY,
            "method": Consent.Method.WRITTEN,
            "given": "on",
            "recorded_at_0": "2025-04-01",
            "recorded_at_1": "10:00:00",
            "note": "",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.recorded_by == administrator
    client.post(
        reverse("admin:people_consent_changelist"),
        {"action": "withdraw", "_selected_action": [consent.pk]},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_by == administrator
    actions = set(history_for(person).values_list("action", flat=True))
    assert {"people.consent.recorded", "people.consent.withdrawn"} <= actions


def test_a_household_with_a_protected_member_hides_its_address(
    protected: Person, administrator: User
) -> None:
    membership = HouseholdMemberFactory(person=protected)
    household: Household = membership.household
    client = client_for(administrator)
    listing = client.get(reverse("admin:people_household_changelist")).content.decode()
    change = client.get(reverse("admin:people_household_change", args=[household.pk]))
    for content in (listing, change.content.decode()):
        assert household.address not in content
