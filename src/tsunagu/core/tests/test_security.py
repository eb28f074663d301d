"""Login, lockout, the append-only audit log and production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from tsunagu.core.models import AuditEvent, LoginAttempt
from tsunagu.core.services import log_action
from tsunagu.core.tests.factories import UserFactory


def login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("core:login"), {"username": username, "password": password})


@pytest.mark.django_db
@pytest.mark.real_password_hashing
def test_it_hashes_passwords_with_argon2() -> None:
    user = UserFactory(password="correct horse battery staple")
    assert user.password.startswith("argon2")


@pytest.mark.django_db
def test_it_logs_in_and_audits_it(client: Client) -> None:
    user = UserFactory(username="hanako", password="correct horse battery")
    response = login(client, "hanako", "correct horse battery")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="core.user.logged_in", actor=user).exists()


@pytest.mark.django_db
def test_it_locks_an_account_after_repeated_failures(client: Client, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="hanako", password="correct horse battery")
    for _attempt in range(3):
        assert login(client, "hanako", "wrong").status_code == 200
    response = login(client, "hanako", "correct horse battery")
    assert response.status_code == 200, "the right password must not open a locked account"
    assert "_auth_user_id" not in client.session
    assert (
        response.context["form"]
        .errors["__all__"][0]
        .startswith(str(response.context["form"].error_messages["locked"]).split("%")[0][:10])
    )
    assert LoginAttempt.objects.filter(username="hanako", succeeded=False).count() == 4


@pytest.mark.django_db
def test_it_throttles_unknown_usernames_too(client: Client, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    for _attempt in range(3):
        login(client, "nobody", "guess")
    assert LoginAttempt.objects.filter(username="nobody").count() == 3


@pytest.mark.django_db
def test_it_refuses_to_change_or_delete_audit_events() -> None:
    event = log_action("core.test.happened", actor=None, data={"n": 1})
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="core.test.rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "core.test.happened"


@pytest.mark.django_db
def test_it_sends_security_headers(client: Client) -> None:
    response = client.get(reverse("core:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_it_needs_a_login_for_staff_pages(client: Client) -> None:
    response = client.get(reverse("plans:tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def run_tsunagu(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TSUNAGU_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "tsunagu", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path: Any) -> None:
    result = run_tsunagu(["check"], {"TSUNAGU_DEBUG": "0", "TSUNAGU_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "TSUNAGU_SECRET_KEY" in result.stderr


def test_it_passes_the_deploy_checks_in_production_mode(tmp_path: Any) -> None:
    result = run_tsunagu(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "TSUNAGU_DEBUG": "0",
            "TSUNAGU_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-" + "z" * 20,
            "TSUNAGU_ALLOWED_HOSTS": "tsunagu.example.jp",
            "TSUNAGU_DATABASE_URL": "postgres://tsunagu@127.0.0.1:5432/tsunagu",
            "TSUNAGU_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_rejects_a_malformed_setting(tmp_path: Any) -> None:
    result = run_tsunagu(
        ["check"], {"TSUNAGU_LOGIN_FAILURE_LIMIT": "many", "TSUNAGU_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "TSUNAGU_LOGIN_FAILURE_LIMIT must be an integer" in result.stderr
