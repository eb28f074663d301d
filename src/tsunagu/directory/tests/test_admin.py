"""Every directory model has an admin page that renders, and a service's details are inline."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tsunagu.core.models import User
from tsunagu.directory.models import Service
from tsunagu.directory.tests import factories

pytestmark = pytest.mark.django_db

DIRECTORY_MODELS = [model for model in admin.site._registry if model._meta.app_label == "directory"]


def test_it_registers_every_directory_model() -> None:
    from django.apps import apps

    assert set(DIRECTORY_MODELS) == set(apps.get_app_config("directory").get_models())


@pytest.mark.parametrize("model", DIRECTORY_MODELS, ids=lambda model: model.__name__)
def test_it_renders_the_list_and_add_pages(model: type, administrator: User) -> None:
    factories.ScheduleFactory()
    factories.AddressFactory()
    client = Client()
    client.force_login(administrator)
    name = f"admin:directory_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 200


def test_it_edits_a_service_with_its_details_inline(administrator: User) -> None:
    schedule = factories.ScheduleFactory()
    factories.PhoneFactory(service=schedule.service, number="0467-61-3977")
    client = Client()
    client.force_login(administrator)
    page = client.get(reverse("admin:directory_service_change", args=[schedule.service.pk]))
    assert page.status_code == 200
    assert "0467-61-3977" in page.content.decode()


def test_it_finds_services_by_name(administrator: User) -> None:
    factories.ServiceFactory(name="ひきこもり相談")
    factories.ServiceFactory(name="子育て相談")
    client = Client()
    client.force_login(administrator)
    page = client.get(reverse("admin:directory_service_changelist"), {"q": "ひきこもり"})
    assert page.context["cl"].result_count == 1


def test_it_marks_services_verified(administrator: User) -> None:
    services = [factories.ServiceFactory(), factories.ServiceFactory()]
    client = Client()
    client.force_login(administrator)
    client.post(
        reverse("admin:directory_service_changelist"),
        {"action": "mark_verified", "_selected_action": [service.pk for service in services]},
    )
    assert not Service.objects.needing_verification().exists()
    assert set(Service.objects.values_list("verified_by", flat=True)) == {administrator.pk}
