"""What every directory model shares: the HSDS id, translations, validators."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tsunagu.directory import schedules

# Directory content is written in Japanese; translations are kept beside it.
ORIGINAL_LANGUAGE = "ja"

language_code_validator = RegexValidator(
    r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$",
    _("Use a lower-case language code such as “en”, “zh-hans” or “pt-br”."),
)


def validate_byday(value: str) -> None:
    try:
        schedules.parse_byday(value)
    except ValueError as exc:
        raise ValidationError(
            _(
                "Weekdays must be a comma-separated list such as “MO,WE,FR” or “2WE,-1FR”: %(error)s"
            ),
            params={"error": exc},
        ) from None


def validate_bymonthday(value: str) -> None:
    try:
        schedules.parse_bymonthday(value)
    except ValueError as exc:
        raise ValidationError(
            _("Days of the month must be a comma-separated list such as “1,15,-1”: %(error)s"),
            params={"error": exc},
        ) from None


def language_candidates(language: str | None) -> list[str]:
    code = (language or get_language() or settings.LANGUAGE_CODE).lower().replace("_", "-")
    base = code.split("-")[0]
    return [code] if base == code else [code, base]


def translate_field(obj: Any, field: str, language: str | None) -> str:
    """``obj.field`` in ``language``, or the Japanese original where no translation says it.

    Reads ``obj.translations.all()``, so a list prefetches ``translations`` once.
    """
    if field not in obj.TRANSLATED_FIELDS:
        raise ValueError(f"{type(obj).__name__}.{field} is not translated")
    original: str = getattr(obj, field)
    candidates = language_candidates(language)
    if candidates[-1] == ORIGINAL_LANGUAGE:
        return original
    by_language = {translation.language: translation for translation in obj.translations.all()}
    for code in candidates:
        translation = by_language.get(code)
        if translation is not None and getattr(translation, field):
            return str(getattr(translation, field))
    return original


def at_least_one(*fields: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__isnull": False})
    return condition


class HsdsRecord(models.Model):
    """A directory record: its HSDS id beside Django's integer key."""

    uuid = models.UUIDField(_("HSDS id"), default=uuid4, unique=True, editable=False)

    class Meta:
        abstract = True
