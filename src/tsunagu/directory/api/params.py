"""Query parameters of the HSDS API: one declaration serves parsing and the OpenAPI schema.

Every parameter is read strictly and a bad value is a 400 naming the parameter
(`InvalidParameter`), never a silent default: ``page=abc``, ``per_page=500``,
``open_now=yes`` and a parameter given twice are all errors. Text loses NUL
characters (no database stores them) but is otherwise passed on as given; the
patterns are matched in full, as JSON Schema means them (no trailing newline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
# Far beyond any directory, small enough that page × per_page stays a 64-bit offset.
MAX_PAGE = 1_000_000
MAX_SEARCH_LENGTH = 200

LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
UUID_PATTERN = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
_INTEGER = re.compile(r"^-?\d{1,12}$", re.ASCII)
# RFC 3339 date-time, as OpenAPI's `format: date-time` means it.
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
)
_LANGUAGE = re.compile(LANGUAGE_PATTERN, re.ASCII)
_UUID = re.compile(UUID_PATTERN, re.ASCII)

Kind = Literal["text", "integer", "boolean", "date-time", "language"]


class InvalidParameter(APIException):
    """A 400 whose body names the parameter: ``{"detail": "...", "parameter": "page"}``."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameter"

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__({"detail": message, "parameter": parameter})
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Param:
    name: str
    kind: Kind
    description: str | Promise
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    default: Any = None

    def schema(self) -> dict[str, Any]:
        """The parameter's OpenAPI schema: the same limits `read` enforces."""
        schema: dict[str, Any]
        if self.kind == "integer":
            schema = {"type": "integer"}
            if self.minimum is not None:
                schema["minimum"] = self.minimum
            if self.maximum is not None:
                schema["maximum"] = self.maximum
        elif self.kind == "boolean":
            schema = {"type": "boolean"}
        elif self.kind == "date-time":
            schema = {"type": "string", "format": "date-time"}
        elif self.kind == "language":
            schema = {"type": "string", "pattern": LANGUAGE_PATTERN}
        else:
            schema = {"type": "string"}
            if self.max_length is not None:
                schema["maxLength"] = self.max_length
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(
            self.name,
            type=self.schema(),
            location=OpenApiParameter.QUERY,
            required=False,
            description=self.description,  # type: ignore[arg-type]  # lazy: translated per request
        )


# -- the parameters -------------------------------------------------------------------------------
PAGE = Param(
    "page",
    "integer",
    gettext_lazy("Page number, from 1. A page past the last one is empty."),
    minimum=1,
    maximum=MAX_PAGE,
    default=1,
)
PER_PAGE = Param(
    "per_page",
    "integer",
    gettext_lazy("Number of results per page (at most 100)."),
    minimum=1,
    maximum=MAX_PER_PAGE,
    default=DEFAULT_PER_PAGE,
)
LANG = Param(
    "lang",
    "language",
    gettext_lazy(
        "Language of the text, e.g. “en”: translated fields where a translation exists, "
        "the Japanese original otherwise. All translations are also in “x_translations”."
    ),
)
SEARCH = Param(
    "search",
    "text",
    gettext_lazy(
        "Keywords (Japanese or English). Readings, spelling variants and welfare synonyms "
        "match too; results are ranked by relevance."
    ),
    max_length=MAX_SEARCH_LENGTH,
)
NAME_SEARCH = Param(
    "search",
    "text",
    gettext_lazy("Only records whose name or code contains this text."),
    max_length=MAX_SEARCH_LENGTH,
)
TAXONOMY_TERM_ID = Param(
    "taxonomy_term_id",
    "text",
    gettext_lazy(
        "Only services classified by this taxonomy term (its id, or a tsunagu-welfare code) "
        "or any term below it. Terms of tsunagu-target-group, tsunagu-plan-initiative and "
        "tsunagu-area work too."
    ),
)
TAXONOMY_ID = Param(
    "taxonomy_id",
    "text",
    gettext_lazy("Only services with any term of this taxonomy (its id or name)."),
)
ORGANIZATION_ID = Param(
    "organization_id",
    "text",
    gettext_lazy("Only services of this organisation (its id)."),
)
MODIFIED_AFTER = Param(
    "modified_after",
    "date-time",
    gettext_lazy(
        "Only services changed after this moment (RFC 3339, e.g. 2025-04-01T00:00:00+09:00)."
    ),
)
MINIMAL = Param(
    "minimal",
    "boolean",
    gettext_lazy("true: each service as just its id and last_modified."),
    default=False,
)
FULL = Param(
    "full",
    "boolean",
    gettext_lazy("true: fully nested records, as the single-record endpoint returns them."),
    default=False,
)
FULL_SERVICE = Param(
    "full_service",
    "boolean",
    gettext_lazy("true: fully nested services (on /services the same as “full”)."),
    default=False,
)
AREA = Param(
    "area",
    "text",
    gettext_lazy(
        "tsunagu: only services available in this area or district (its code), "
        "including services for the whole city."
    ),
)
TARGET_GROUP = Param(
    "target_group",
    "text",
    gettext_lazy(
        "tsunagu: only services for these target groups (codes, comma-separated, "
        "e.g. “elderly,carers”), including services for everyone."
    ),
)
LANGUAGE = Param(
    "language",
    "language",
    gettext_lazy("tsunagu: only services offered in this language (ISO 639 code, e.g. “en”)."),
)
OPEN_NOW = Param(
    "open_now",
    "boolean",
    gettext_lazy("tsunagu: true: only services open now (Japan time, public holidays included)."),
    default=False,
)
PARENT_ID = Param(
    "parent_id",
    "text",
    gettext_lazy("Only the terms directly below this term (its id)."),
)
TOP_ONLY = Param(
    "top_only",
    "boolean",
    gettext_lazy("true: only terms at the top of their taxonomy (without a parent)."),
    default=False,
)


# -- reading --------------------------------------------------------------------------------------
def _single(query: QueryDict, name: str) -> str | None:
    values = query.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise InvalidParameter(name, _("Give “%(name)s” only once.") % {"name": name})
    return values[0]


def read_text(query: QueryDict, param: Param) -> str:
    value = _single(query, param.name) or ""
    if param.max_length is not None and len(value) > param.max_length:
        raise InvalidParameter(
            param.name,
            _("“%(name)s” may be at most %(count)d characters long.")
            % {"name": param.name, "count": param.max_length},
        )
    # No database stores NUL; whatever else was typed is searched for as typed.
    return value.replace("\x00", "").strip()


def read_integer(query: QueryDict, param: Param) -> int:
    raw = _single(query, param.name)
    if raw is None:
        return int(param.default)
    low = param.minimum if param.minimum is not None else 0
    high = param.maximum if param.maximum is not None else MAX_PAGE
    if not _INTEGER.fullmatch(raw) or not low <= int(raw) <= high:
        raise InvalidParameter(
            param.name,
            _("“%(name)s” must be a whole number from %(low)d to %(high)d.")
            % {"name": param.name, "low": low, "high": high},
        )
    return int(raw)


def read_boolean(query: QueryDict, param: Param) -> bool:
    raw = _single(query, param.name)
    if raw is None:
        return bool(param.default)
    if raw not in ("true", "false"):
        raise InvalidParameter(
            param.name, _("“%(name)s” must be true or false.") % {"name": param.name}
        )
    return raw == "true"


def read_date_time(query: QueryDict, param: Param) -> datetime | None:
    raw = _single(query, param.name)
    if raw is None:
        return None
    message = _(
        "“%(name)s” must be a date and time with its UTC offset, such as 2025-04-01T09:00:00+09:00."
    ) % {"name": param.name}
    if not _DATE_TIME.fullmatch(raw):
        raise InvalidParameter(param.name, message)
    try:
        moment = datetime.fromisoformat(raw.upper())
    except ValueError:
        raise InvalidParameter(param.name, message) from None
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        # An offset pushed year 1 or 9999 out of range: before or after anything stored.
        return (
            datetime.min.replace(tzinfo=UTC)
            if moment.year < 5000
            else datetime.max.replace(tzinfo=UTC)
        )


def read_language(query: QueryDict, param: Param) -> str:
    raw = _single(query, param.name)
    if raw is None:
        return ""
    if not _LANGUAGE.fullmatch(raw):
        raise InvalidParameter(
            param.name,
            _("“%(name)s” must be a language code such as “en” or “zh-hans”.")
            % {"name": param.name},
        )
    return raw.lower()


def is_uuid(value: str) -> bool:
    """The canonical 8-4-4-4-12 form only: ids are sent that way and read that way."""
    return bool(_UUID.fullmatch(value))


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def read_paging(query: QueryDict) -> Paging:
    return Paging(page=read_integer(query, PAGE), per_page=read_integer(query, PER_PAGE))
