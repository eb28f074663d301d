"""Writes to persons (``people.services``): audited, locked, and silent about protected contacts."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tsunagu.core.models import AuditEvent, Organization, User
from tsunagu.core.services import history_for
from tsunagu.people import services
from tsunagu.people.locking import StaleEditError, save_with_version
from tsunagu.people.models import Household, HouseholdMember, Person

from .factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

SECRET_ADDRESS = "神奈川県鎌倉市秘密町1-2-3"
SECRET_PHONE = "0467-99-1234"
SECRET_EMAIL = "hidden@example.jp"
SECRETS = (SECRET_ADDRESS, SECRET_PHONE, SECRET_EMAIL, "248-0099", "0467991234")


def person_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "family_name": "高橋",
        "given_name": "花子",
        "family_name_kana": "たかはし",
        "given_name_kana": "はなこ",
        "birth_date": datetime.date(1941, 3, 2),
        "sex": Person.Sex.FEMALE,
        **overrides,
    }


def audit_text() -> str:
    """Everything the audit log holds, as one string to search."""
    return json.dumps(
        [
            [event.action, event.object_repr, event.purpose, event.data]
            for event in AuditEvent.objects.all()
        ],
        ensure_ascii=False,
    )


def assert_no_secret_in_audit() -> None:
    text = audit_text()
    for secret in SECRETS:
        assert secret not in text


# -- create and update ----------------------------------------------------------------------------


def test_it_creates_a_person_and_audits_the_values(protecting_worker: User) -> None:
    person = services.create_person(
        actor=protecting_worker, **person_fields(address="鎌倉市御成町1-1")
    )
    event = history_for(person).get()
    assert event.action == "people.person.created"
    assert event.actor == protecting_worker
    assert event.data["changes"]["address"] == [None, "鎌倉市御成町1-1"]
    assert event.data["changes"]["birth_date"] == [None, "1941-03-02"]
    assert person.version == 1
    assert person.created_by == protecting_worker


def test_it_validates_before_creating(protecting_worker: User) -> None:
    with pytest.raises(ValidationError):
        services.create_person(actor=protecting_worker, **person_fields(family_name_kana="高橋"))
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_updates_and_audits_what_changed(protecting_worker: User) -> None:
    person = services.create_person(actor=protecting_worker, **person_fields())
    updated = services.update_person(
        person, actor=protecting_worker, expected_version=1, phone="0467-23-3000", notes="初回"
    )
    assert updated.version == 2
    event = history_for(person).filter(action="people.person.updated").get()
    assert event.data["changes"] == {"phone": ["", "0467-23-3000"], "notes": ["", "初回"]}


def test_an_update_without_changes_writes_nothing(protecting_worker: User) -> None:
    person = services.create_person(actor=protecting_worker, **person_fields())
    same = services.update_person(
        person, actor=protecting_worker, expected_version=1, family_name="高橋"
    )
    assert same.version == 1
    assert not history_for(person).filter(action="people.person.updated").exists()


def test_it_refuses_fields_a_person_does_not_have(protecting_worker: User) -> None:
    with pytest.raises(TypeError):
        services.create_person(actor=protecting_worker, **person_fields(kana_key="x"))


# -- protected persons never leave their address in the audit log --------------------------------


def test_creating_a_protected_person_logs_no_contact_values(
    protecting_worker: User, protecting_division: Organization
) -> None:
    person = services.create_person(
        actor=protecting_worker,
        **person_fields(
            postal_code="248-0099",
            address=SECRET_ADDRESS,
            phone=SECRET_PHONE,
            email=SECRET_EMAIL,
            is_protected=True,
            protecting_organization=protecting_division,
            protection_basis=Person.ProtectionBasis.DOMESTIC_VIOLENCE,
        ),
    )
    event = history_for(person).get()
    assert set(event.data["hidden_fields_changed"]) == {"postal_code", "address", "phone", "email"}
    assert event.data["changes"]["is_protected"] == [None, True]
    assert_no_secret_in_audit()


def test_updating_a_protected_persons_contacts_logs_that_they_changed_not_the_values(
    protecting_worker: User, protecting_division: Organization
) -> None:
    person = PersonFactory(
        address="旧住所", is_protected=True, protecting_organization=protecting_division
    )
    services.update_person(
        person,
        actor=protecting_worker,
        expected_version=1,
        address=SECRET_ADDRESS,
        mobile_phone=SECRET_PHONE,
        email=SECRET_EMAIL,
        notes="転居",
    )
    event = history_for(person).get()
    assert event.data["hidden_fields_changed"] == ["address", "mobile_phone", "email"]
    assert event.data["changes"] == {"notes": ["", "転居"]}
    assert "旧住所" not in audit_text()
    assert_no_secret_in_audit()


def test_the_move_that_comes_with_protection_is_not_logged(
    protecting_worker: User, protecting_division: Organization
) -> None:
    """The usual case: a person flees, moves and is protected in one edit."""
    person = services.create_person(actor=protecting_worker, **person_fields(address="旧住所"))
    services.update_person(
        person,
        actor=protecting_worker,
        expected_version=1,
        address=SECRET_ADDRESS,
        phone=SECRET_PHONE,
        is_protected=True,
        protecting_organization=protecting_division,
    )
    assert_no_secret_in_audit()


def test_lifting_protection_does_not_log_the_protected_address(
    protecting_worker: User, protecting_division: Organization
) -> None:
    person = PersonFactory(
        address=SECRET_ADDRESS, is_protected=True, protecting_organization=protecting_division
    )
    services.update_person(
        person,
        actor=protecting_worker,
        expected_version=1,
        is_protected=False,
        protecting_organization=None,
        address="新住所",
    )
    assert_no_secret_in_audit()


def test_only_the_protecting_organisation_changes_protected_contacts(
    other_worker: User, administrator: User, protecting_division: Organization
) -> None:
    person = PersonFactory(is_protected=True, protecting_organization=protecting_division)
    for outsider in (other_worker, administrator):
        with pytest.raises(PermissionDenied):
            services.update_person(
                person, actor=outsider, expected_version=1, address=SECRET_ADDRESS
            )
        with pytest.raises(PermissionDenied):
            services.update_person(person, actor=outsider, expected_version=1, is_protected=False)
    # Other details stay editable for whoever may see the person.
    services.update_person(person, actor=other_worker, expected_version=1, notes="来所")
    assert_no_secret_in_audit()


def test_it_refuses_protection_without_a_protecting_organisation(protecting_worker: User) -> None:
    person = services.create_person(actor=protecting_worker, **person_fields())
    with pytest.raises(ValidationError):
        services.update_person(
            person, actor=protecting_worker, expected_version=1, is_protected=True
        )
    person.refresh_from_db()
    assert not person.is_protected


def test_a_household_address_is_not_logged_while_a_protected_person_lives_there(
    protecting_worker: User, protecting_division: Organization
) -> None:
    protected = PersonFactory(is_protected=True, protecting_organization=protecting_division)
    household = HouseholdFactory(address="旧住所")
    services.save_household_member(
        HouseholdMember(
            household=household, person=protected, relationship=HouseholdMember.Relationship.HEAD
        ),
        actor=protecting_worker,
    )
    household = Household.objects.get(pk=household.pk)
    household.address = SECRET_ADDRESS
    services.save_household(household, actor=protecting_worker)
    event = history_for(household).filter(action="people.household.updated").get()
    assert event.data["hidden_fields_changed"] == ["address"]
    assert_no_secret_in_audit()


# -- optimistic locking ---------------------------------------------------------------------------


def test_a_stale_edit_is_refused_and_nothing_is_lost(
    protecting_worker: User, other_worker: User
) -> None:
    person = services.create_person(actor=protecting_worker, **person_fields())
    # Both open the record at version 1.
    first_copy = Person.objects.get(pk=person.pk)
    second_copy = Person.objects.get(pk=person.pk)
    services.update_person(
        first_copy, actor=protecting_worker, expected_version=1, phone="0467-23-3000"
    )
    with translation.override("en"), pytest.raises(StaleEditError) as error:
        services.update_person(
            second_copy, actor=other_worker, expected_version=1, notes="上書きしようとした"
        )
    assert "Someone else saved this record" in str(error.value)
    assert error.value.current.phone == "0467-23-3000"
    assert error.value.current_version == 2
    stored = Person.objects.get(pk=person.pk)
    assert stored.phone == "0467-23-3000"  # the first edit stands
    assert stored.notes == ""  # the second was not applied half-way
    assert stored.version == 2
    # Reloaded, the second edit goes through on top of the first.
    services.update_person(stored, actor=other_worker, expected_version=2, notes="再入力")
    stored.refresh_from_db()
    assert (stored.phone, stored.notes, stored.version) == ("0467-23-3000", "再入力", 3)
    assert history_for(person).filter(action="people.person.updated").count() == 2


def test_save_with_version_checks_the_stored_version() -> None:
    person = PersonFactory()
    stale = Person.objects.get(pk=person.pk)
    person.notes = "first"
    save_with_version(person, 1)
    stale.notes = "second"
    with pytest.raises(StaleEditError):
        save_with_version(stale, 1)
    assert stale.version == 1  # left as it was
    person.refresh_from_db()
    assert (person.notes, person.version) == ("first", 2)


def test_a_failed_save_keeps_the_version(protecting_division: Organization) -> None:
    person = PersonFactory()
    person.is_protected = True  # without an organisation: the database refuses
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError, backend-specific subclass
        save_with_version(person, 1)
    assert person.version == 1
    assert Person.objects.get(pk=person.pk).version == 1


# -- archive ------------------------------------------------------------------------------------------


def test_it_archives_with_a_reason(protecting_worker: User) -> None:
    person = services.create_person(actor=protecting_worker, **person_fields())
    archived = services.archive_person(person, actor=protecting_worker, reason="転出")
    assert archived.is_archived
    assert archived.archive_reason == "転出"
    assert history_for(person).filter(action="people.person.archived").exists()
    with pytest.raises(ValueError):
        services.archive_person(person, actor=protecting_worker, reason=" ")


def test_every_action_the_services_write_has_a_label(
    protecting_worker: User, protecting_division: Organization
) -> None:
    from tsunagu.people.audit_labels import label_for

    person = services.create_person(actor=protecting_worker, **person_fields())
    services.update_person(person, actor=protecting_worker, expected_version=1, notes="x")
    other = services.create_person(actor=protecting_worker, **person_fields())
    services.merge_persons(other, person, actor=protecting_worker, reason="重複")
    services.archive_person(person, actor=protecting_worker, reason="転出")
    household = services.save_household(Household(name="高橋さん世帯"), actor=protecting_worker)
    services.save_household_member(
        HouseholdMember(household=household, person=person, relationship="head"),
        actor=protecting_worker,
    )
    consent = services.record_consent(
        person, purpose="referral", given=True, method="oral", actor=protecting_worker
    )
    services.withdraw_consent(consent, actor=protecting_worker)
    for action in AuditEvent.objects.values_list("action", flat=True).distinct():
        assert label_for(action) != action
