"""Bulk import on the staff pages: upload → dry-run preview → confirm."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.core.models import AuditEvent
from tsunagu.directory.models import Service

from . import staff_world

pytestmark = pytest.mark.django_db

GOOD = "サービス名,運営団体,メールアドレス\nふれあい相談,鎌倉市社会福祉協議会,soudan@example.jp\nいきいきサロン,鎌倉市社会福祉協議会,\n"
ONE_BAD_ROW = (
    "サービス名,運営団体,メールアドレス\n"
    "ふれあい相談,鎌倉市社会福祉協議会,soudan@example.jp\n"
    "壊れた行,鎌倉市社会福祉協議会,not-an-email\n"
)


@pytest.fixture(autouse=True)
def staging(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path / "directory-imports"


@pytest.fixture
def editor_client(directory_editor: Any) -> Client:
    client = Client()
    client.force_login(directory_editor)
    return client


def upload(client: Client, text: str, **extra: Any) -> Any:
    file = SimpleUploadedFile("services.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("directory:staff_import"), {"file": file, **extra})


def test_it_previews_a_file_with_a_bad_row_and_changes_nothing(
    editor_client: Client, staging: Path
) -> None:
    response = upload(editor_client, ONE_BAD_ROW)

    assert response.status_code == 200
    report = response.context["report"]
    assert [(error.row, error.field) for error in report.errors] == [(3, "メールアドレス")]
    html = response.content.decode()
    assert "メールアドレス" in html and "壊れた行" not in Service.objects.values_list(
        "name", flat=True
    )
    assert response.context["token"] == ""  # nothing to confirm
    assert 'name="token"' not in html
    assert not Service.objects.exists()
    assert not list(staging.glob("*"))


def test_it_imports_only_after_confirmation_and_audits_it(
    editor_client: Client, directory_editor: Any, staging: Path
) -> None:
    preview = upload(editor_client, GOOD)

    assert preview.context["writes"] == 2
    assert not Service.objects.exists()  # a preview writes nothing
    token = preview.context["token"]
    assert len(list(staging.glob("*.upload"))) == 1

    done = editor_client.post(reverse("directory:staff_import_confirm"), {"token": token})

    assert done.status_code == 302 and done["Location"] == reverse("directory:staff_list")
    assert set(Service.objects.values_list("name", flat=True)) == {"ふれあい相談", "いきいきサロン"}
    event = AuditEvent.objects.get(action="directory.services.imported")
    assert event.actor == directory_editor
    assert event.data["counts"]["created"] == 2
    assert event.data["source"] == "services.csv"
    assert not list(staging.glob("*.upload"))
    again = editor_client.post(reverse("directory:staff_import_confirm"), {"token": token})
    assert again.status_code == 302 and again["Location"] == reverse("directory:staff_import")
    assert Service.objects.count() == 2


def test_it_skips_bad_rows_when_asked(editor_client: Client) -> None:
    preview = upload(editor_client, ONE_BAD_ROW, skip_invalid="on")
    assert preview.context["token"]

    editor_client.post(
        reverse("directory:staff_import_confirm"), {"token": preview.context["token"]}
    )

    assert list(Service.objects.values_list("name", flat=True)) == ["ふれあい相談"]


def test_it_refuses_a_token_from_another_session(editor_client: Client, administrator: Any) -> None:
    token = upload(editor_client, GOOD).context["token"]
    other = Client()
    other.force_login(administrator)

    response = other.post(reverse("directory:staff_import_confirm"), {"token": token})

    assert response.status_code == 302
    assert not Service.objects.exists()


def test_it_offers_the_empty_template(editor_client: Client) -> None:
    response = editor_client.get(reverse("directory:staff_import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert "サービス名" in headers and "運営団体" in headers
    assert sheet.max_row == 1


def test_it_asks_for_a_file(editor_client: Client) -> None:
    response = editor_client.post(reverse("directory:staff_import"), {})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


@pytest.fixture
def council_staff(db: None) -> Any:
    return staff_world.council_staff()


@pytest.fixture
def plain_staff(db: None) -> Any:
    return staff_world.plain_staff()


@pytest.mark.parametrize("persona", ["council_staff", "officer_disability", "plain_staff"])
def test_it_hides_import_from_staff_who_do_not_manage_the_directory(
    persona: str, request: pytest.FixtureRequest
) -> None:
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("directory:staff_import")).status_code == 404
    file = SimpleUploadedFile("services.csv", GOOD.encode(), content_type="text/csv")
    assert client.post(reverse("directory:staff_import"), {"file": file}).status_code == 404
    assert client.post(reverse("directory:staff_import_confirm"), {"token": "x"}).status_code == 404
    assert client.get(reverse("directory:staff_import_template")).status_code == 404
    assert not Service.objects.exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client: Client) -> None:
    for name in ("directory:staff_import", "directory:staff_import_confirm"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]
