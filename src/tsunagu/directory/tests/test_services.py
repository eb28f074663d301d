"""Directory writes (``directory.services``): each in one transaction, each audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tsunagu.core.models import AuditEvent
from tsunagu.core.tests.factories import UserFactory
from tsunagu.directory import services
from tsunagu.directory.models import (
    Location,
    Service,
    ServiceStatus,
    ServiceTranslation,
    TargetGroup,
)
from tsunagu.directory.search import ServiceFilters, find_services
from tsunagu.directory.services import ServiceData

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor() -> Any:
    return UserFactory(username="editor", display_name="編集 者")


def data_for(service: Service, **changes: Any) -> ServiceData:
    fields = {name: getattr(service, name) for name in services.SERVICE_FIELDS}
    fields.update(changes.pop("fields", {}))
    return ServiceData(organization=service.organization, fields=fields, **changes)


def found(query: str) -> list[str]:
    return [s.name for s in find_services(ServiceFilters(q=query, include_inactive=True)).services]


def test_it_creates_a_service_with_its_places_and_audits_only_what_was_given(editor: Any) -> None:
    organization = factories.OrganizationFactory()
    data = ServiceData(
        organization=organization,
        fields={"name": "フードパントリー", "description": "食品の無料配布"},
        target_groups=[TargetGroup.objects.get(code="low_income")],
        translations={"en": {"name": "Food pantry"}},
        locations=[
            {
                "name": "福祉センター",
                "location_type": "physical",
                "state_province": "神奈川県",
                "city": "鎌倉市",
                "address_1": "御成町20-21",
            }
        ],
        phones=[{"number": "0467-00-0000", "type": "voice"}],
    )

    service = services.create_service(data, actor=editor)

    assert service.created_by == editor and service.updated_by == editor
    assert service.translations.get().name == "Food pantry"
    location = service.service_at_locations.get().location
    assert location.organization == organization
    assert location.addresses.get().formatted() == "神奈川県鎌倉市御成町20-21"
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_id) == (
        "directory.service.created",
        editor,
        str(service.pk),
    )
    changes = event.data["changes"]
    assert changes["name"] == [None, "フードパントリー"]
    assert changes["en.name"] == [None, "Food pantry"]
    assert changes["target_groups"] == [None, ["生活困窮"]]
    assert "alert" not in changes  # empty fields are not news
    assert found("パントリー") == ["フードパントリー"]
    assert found("pantry") == ["フードパントリー"]


def test_it_writes_nothing_when_a_child_is_invalid(editor: Any) -> None:
    service = factories.ServiceFactory(name="ひまわり相談室")
    factories.PhoneFactory(service=service, number="0467-11-1111")
    data = data_for(
        service,
        fields={"name": "あさがお教室"},
        phones=[],
        schedules=[
            {"freq": "WEEKLY", "byday": "MO", "opens_at": dt.time(17), "closes_at": dt.time(9)}
        ],
    )

    with pytest.raises(ValidationError) as raised:
        services.update_service(service, data, actor=editor)

    assert "1" in raised.value.messages[0]  # names the row
    service.refresh_from_db()
    assert service.name == "ひまわり相談室"
    assert service.phones.count() == 1
    assert not AuditEvent.objects.exists()
    assert found("あさがお") == []  # the index was rolled back too


def test_it_leaves_children_alone_when_not_given_and_reindexes_the_new_name(editor: Any) -> None:
    service = factories.ServiceFactory(name="旧称の相談室")
    factories.PhoneFactory(service=service)
    factories.ScheduleFactory(service=service)

    services.update_service(
        service, data_for(service, fields={"name": "新しい相談室"}), actor=editor
    )

    assert service.phones.count() == 1 and service.schedules.count() == 1
    assert found("新しい相談室") == ["新しい相談室"]
    assert found("旧称") == []
    event = AuditEvent.objects.get()
    assert event.data["changes"] == {"name": ["旧称の相談室", "新しい相談室"]}


def test_it_updates_a_place_and_keeps_its_confidential_address_apart(editor: Any) -> None:
    service = factories.ServiceFactory()
    location = factories.ServiceAtLocationFactory(service=service).location
    factories.AddressFactory(location=location, address_1="旧町1-1")
    row = {
        "uuid": location.uuid,
        "name": location.name,
        "location_type": "physical",
        "is_sensitive": True,
        "state_province": "神奈川県",
        "city": "鎌倉市",
        "address_1": "新町2-2",
    }

    services.update_service(service, data_for(service, locations=[row]), actor=editor)

    location.refresh_from_db()
    assert location.is_sensitive
    assert location.addresses.get().address_1 == "新町2-2"  # the same place, its address replaced
    assert Location.objects.count() == 1
    changes = AuditEvent.objects.get().data["changes"]
    assert changes["confidential_locations"] == [[], [location.name]]
    assert changes["confidential_addresses"][1] == [f"{location.name}: 神奈川県鎌倉市新町2-2"]
    assert "新町" not in str(changes["locations"][1])
    assert "旧町" in str(changes["locations"][0])  # it was public before


def test_it_removes_a_translation_left_blank(editor: Any) -> None:
    service = factories.ServiceFactory()
    factories.ServiceTranslationFactory(service=service, name="Advice", description="")

    services.update_service(
        service,
        data_for(service, translations={"en": {"name": "", "description": ""}}),
        actor=editor,
    )

    assert not ServiceTranslation.objects.filter(service=service).exists()
    assert AuditEvent.objects.get().data["changes"]["en.name"] == ["Advice", ""]


def test_it_marks_a_service_verified_without_changing_its_modification_time(editor: Any) -> None:
    service = factories.ServiceFactory()
    modified = service.updated_at

    services.verify_service(service, actor=editor)

    service.refresh_from_db()
    assert service.verified_by == editor
    assert timezone.now() - service.last_verified_at < dt.timedelta(minutes=1)
    assert service.updated_at == modified
    event = AuditEvent.objects.get()
    assert event.action == "directory.service.verified"
    assert event.data["changes"]["last_verified_at"][0] is None


def test_it_verifies_in_the_same_transaction_as_an_edit(editor: Any) -> None:
    service = factories.ServiceFactory()

    services.update_service(
        service, data_for(service, fields={"alert": "8月は休み"}), actor=editor, verify=True
    )

    service.refresh_from_db()
    assert service.alert == "8月は休み" and service.verified_by == editor
    assert list(AuditEvent.objects.order_by("at").values_list("action", flat=True)) == [
        "directory.service.updated",
        "directory.service.verified",
    ]


def test_it_changes_status_with_a_reason_and_refuses_a_non_change(editor: Any) -> None:
    service = factories.ServiceFactory()

    with pytest.raises(ValidationError) as no_reason:
        services.change_status(service, ServiceStatus.TEMPORARILY_CLOSED, actor=editor)
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError):
        services.change_status(service, "closed", actor=editor, reason="x")
    with pytest.raises(ValidationError) as same:
        services.change_status(service, ServiceStatus.ACTIVE, actor=editor)
    assert "status" in same.value.message_dict
    assert not AuditEvent.objects.exists()

    services.change_status(service, ServiceStatus.TEMPORARILY_CLOSED, actor=editor, reason="改修")

    service.refresh_from_db()
    assert service.status == ServiceStatus.TEMPORARILY_CLOSED and service.updated_by == editor
    event = AuditEvent.objects.get()
    assert event.data == {"changes": {"status": ["active", "temporarily closed"]}, "reason": "改修"}


def test_it_snapshots_every_edited_field_as_plain_values() -> None:
    service = factories.ServiceFactory(minimum_age=65)
    factories.CostOptionFactory(service=service)
    factories.RequiredDocumentFactory(service=service)
    schedule = factories.ScheduleFactory(service=service)
    assert schedule.service == service

    snapshot = services.snapshot(service)

    assert set(services.SERVICE_FIELDS) <= set(snapshot)
    assert snapshot["minimum_age"] == 65
    assert snapshot["cost_options"] == ["1回 500 JPY"]
    assert snapshot["required_documents"] == ["本人確認書類"]
    assert (
        snapshot["schedules"] == ["月〜金 9:00–17:00（祝日休み）"]
        or len(snapshot["schedules"]) == 1
    )
    assert snapshot["en.name"] == ""
