"""Configuration mistakes surface as Django system checks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list:
    errors = []
    if settings.SECRET_KEY.startswith("insecure-"):
        errors.append(
            Error(
                "TSUNAGU_SECRET_KEY is the development placeholder.",
                hint="Set TSUNAGU_SECRET_KEY to a long random value.",
                id="tsunagu.E001",
            )
        )
    return errors


@register()
def check_languages(app_configs: Any, **kwargs: Any) -> list:
    codes = [code for code, _name in settings.LANGUAGES]
    if settings.LANGUAGE_CODE not in codes:
        return [
            Error(
                f"LANGUAGE_CODE {settings.LANGUAGE_CODE!r} is not in LANGUAGES.",
                id="tsunagu.E002",
            )
        ]
    return []


@register(deploy=True)
def check_database(app_configs: Any, **kwargs: Any) -> list:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3") and not settings.DEBUG:
        return [
            Warning(
                "Production is running on SQLite.",
                hint="Fine for a small town; a city should set TSUNAGU_DATABASE_URL to PostgreSQL.",
                id="tsunagu.W001",
            )
        ]
    return []


@register(deploy=True)
def check_allowed_hosts(app_configs: Any, **kwargs: Any) -> list:
    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        return [
            Error(
                "TSUNAGU_ALLOWED_HOSTS is empty.",
                hint="Set it to the host names the site is served on, comma-separated.",
                id="tsunagu.E003",
            )
        ]
    return []
