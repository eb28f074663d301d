"""Validating JSON against the vendored Open Referral HSDS 3.0 schemas (``data/hsds-3.0``).

The schemas refer to each other by relative file name ("attribute.json"); a
`referencing.Registry` holds every file under the upstream URL the spec's own
``openapi.json`` uses, so ``$ref``s resolve offline. Formats are checked too:
``uuid`` and ``email`` by jsonschema, ``uri`` and ``date-time`` by the two small
checkers below (jsonschema needs extra packages for those).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "hsds-3.0"
BASE_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[!-~]+$", re.ASCII)

format_checker = FormatChecker()
for _name in Draft202012Validator.FORMAT_CHECKER.checkers:
    format_checker.checkers[_name] = Draft202012Validator.FORMAT_CHECKER.checkers[_name]


@format_checker.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_RFC3339.match(value))


@format_checker.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


def load(relative: str) -> Any:
    return json.loads((SCHEMA_DIR / relative).read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")) + sorted(SCHEMA_DIR.glob("compiled/*.json")):
        relative = path.relative_to(SCHEMA_DIR).as_posix()
        if relative == "openapi.json":
            continue
        resource = Resource.from_contents(load(relative), default_specification=DRAFT202012)
        resources.append((BASE_URL + relative, resource))
    return Registry().with_resources(resources)


@cache
def validator(schema_file: str) -> Draft202012Validator:
    """A validator for one schema file, e.g. ``"compiled/service.json"`` or ``"taxonomy.json"``."""
    return Draft202012Validator(
        {"$ref": BASE_URL + schema_file}, registry=registry(), format_checker=format_checker
    )


@cache
def page_validator(item_schema_file: str) -> Draft202012Validator:
    """The spec's ``Page`` (openapi.json) with every field required and ``contents`` items
    of ``item_schema_file``."""
    page = load("openapi.json")["components"]["schemas"]["Page"]
    schema = {
        **page,
        "required": [*page["properties"], "contents"],
        "properties": {
            **page["properties"],
            "contents": {"type": "array", "items": {"$ref": BASE_URL + item_schema_file}},
        },
    }
    return Draft202012Validator(schema, registry=registry(), format_checker=format_checker)


def _report(errors: list[Any]) -> str:
    return "\n".join(
        f"at {'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in errors[:20]
    )


def assert_valid(instance: Any, schema_file: str) -> None:
    errors = sorted(validator(schema_file).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, f"not a valid HSDS {schema_file}:\n{_report(errors)}"


def assert_valid_page(instance: Any, item_schema_file: str) -> None:
    errors = sorted(
        page_validator(item_schema_file).iter_errors(instance), key=lambda e: list(e.path)
    )
    assert not errors, f"not a valid HSDS page of {item_schema_file}:\n{_report(errors)}"
