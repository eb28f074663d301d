"""Reading the directory's demo files (``data/kamakura/directory/``, shape in its README.md).

:func:`read_demo_files` returns the entries and every problem it found in their
shape and cross-references; ``directory.demo`` checks them against the database
(areas, categories …) and writes them. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError

from .models import Frequency
from .models.base import validate_byday, validate_bymonthday

LANGUAGE_NAMES = {
    "ja": "日本語",
    "en": "英語",
    "zh": "中国語",
    "ko": "韓国語",
    "vi": "ベトナム語",
    "es": "スペイン語",
    "pt": "ポルトガル語",
    "tl": "タガログ語",
    "ne": "ネパール語",
    "id": "インドネシア語",
    "th": "タイ語",
    "jsl": "日本手話",
}
# libyaml's loader when PyYAML was built with it: the files are read on every load.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
CLOSURES = frozenset({"holidays", "new-year"})

ORGANIZATION_KEYS = frozenset(
    [
        "key",
        "id",
        "name",
        "kana",
        "also",
        "core",
        "legal_status",
        "year",
        "description",
        "email",
        "website",
        "en",
    ]
)
LOCATION_KEYS = frozenset(
    [
        "key",
        "id",
        "name",
        "kana",
        "org",
        "description",
        "type",
        "url",
        "address",
        "building",
        "postal",
        "lat",
        "lon",
        "area",
        "access",
        "accessibility",
        "sensitive",
        "phone",
    ]
)
SERVICE_KEYS = frozenset(
    [
        "id",
        "org",
        "name",
        "kana",
        "also",
        "description",
        "eligibility",
        "ages",
        "groups",
        "categories",
        "initiatives",
        "apply",
        "fees",
        "costs",
        "documents",
        "areas",
        "languages",
        "interpretation",
        "phones",
        "email",
        "url",
        "at",
        "hours",
        "verified",
        "status",
        "alert",
        "en",
    ]
)
TRANSLATION_KEYS = frozenset(["name", "description", "eligibility", "apply", "fees"])
HOURS_KEYS = frozenset(
    ["days", "monthly", "monthdays", "time", "24h", "closed", "note", "attending"]
)
PHONE_KEYS = frozenset(["number", "type", "note", "languages"])
COST_KEYS = frozenset(["option", "amount", "note"])
PLACE_KEYS = frozenset(["place", "note", "hours"])


@dataclass
class DemoFiles:
    """The entries of the demo files and what is wrong with them (nothing, hopefully)."""

    organizations: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    hours_presets: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def ids(self, entries: Iterable[dict[str, Any]]) -> list[uuid.UUID]:
        return [uuid.UUID(str(entry["id"])) for entry in entries]


def _read(path: Path, root: str, errors: list[str]) -> Any:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        errors.append(f"{path.name}: cannot be read: {exc}")
        return []
    if not isinstance(data, dict):
        errors.append(f"{path.name}: expected a mapping at the top")
        return []
    return data.get(root) or []


def read_demo_files(data_dir: Path) -> DemoFiles:
    """Read every file; entries with a broken shape are left out and their errors listed."""
    files = DemoFiles()
    errors = files.errors
    presets = _read(data_dir / "organizations.yaml", "hours_presets", errors)
    files.hours_presets = presets if isinstance(presets, dict) else {}
    seen_ids: set[str] = set()

    def accept(entry: Any, allowed: frozenset[str], required: Iterable[str], where: str) -> bool:
        if not isinstance(entry, dict):
            errors.append(f"{where}: expected a mapping")
            return False
        unknown = set(entry) - allowed - {"_file"}
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        missing = [key for key in required if not entry.get(key)]
        for key in missing:
            errors.append(f"{where}: {key} is missing")
        try:
            value = str(uuid.UUID(str(entry.get("id"))))
        except ValueError:
            errors.append(f"{where}: id {entry.get('id')!r} is not a uuid")
            return False
        if value in seen_ids:
            errors.append(f"{where}: id {value} is used twice")
        seen_ids.add(value)
        return not missing

    for index, org in enumerate(_read(data_dir / "organizations.yaml", "organizations", errors)):
        where = f"organizations.yaml #{index + 1}"
        if accept(org, ORGANIZATION_KEYS, ("key", "id", "name"), where):
            _check_translation(org.get("en"), where, errors)
            files.organizations.append(org)
    _check_unique_keys(files.organizations, "organizations.yaml", errors)
    org_keys = {org["key"] for org in files.organizations}

    for index, place in enumerate(_read(data_dir / "locations.yaml", "locations", errors)):
        where = f"locations.yaml #{index + 1}"
        if accept(place, LOCATION_KEYS, ("key", "id", "name"), where):
            if place.get("org") and place["org"] not in org_keys:
                errors.append(f"{where}: unknown organisation {place['org']!r}")
            if place.get("type", "physical") == "physical" and not place.get("address"):
                errors.append(f"{where}: a physical place needs an address")
            files.locations.append(place)
    _check_unique_keys(files.locations, "locations.yaml", errors)
    place_keys = {place["key"] for place in files.locations}

    for name, preset in files.hours_presets.items():
        _check_hours(preset, f"hours preset {name!r}", files.hours_presets, errors)
    names: set[str] = set()
    for path in sorted((data_dir / "services").glob("*.yaml")):
        for service in _read(path, "services", errors):
            where = f"{path.name}: {service.get('name', '?') if isinstance(service, dict) else '?'}"
            if not accept(service, SERVICE_KEYS, ("id", "org", "name", "description"), where):
                continue
            if service["name"] in names:
                errors.append(f"{where}: another service has the same name")
            names.add(service["name"])
            _check_service(service, where, org_keys, place_keys, files.hours_presets, errors)
            files.services.append({**service, "_file": path.name})
    if not files.services:
        errors.append(f"{data_dir / 'services'}: no services found")
    return files


def _check_unique_keys(entries: list[dict[str, Any]], where: str, errors: list[str]) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry["key"] in seen:
            errors.append(f"{where}: key {entry['key']!r} is used twice")
        seen.add(entry["key"])


def _check_service(
    service: dict[str, Any],
    where: str,
    org_keys: set[str],
    place_keys: set[str],
    presets: Mapping[str, Any],
    errors: list[str],
) -> None:
    if service["org"] not in org_keys:
        errors.append(f"{where}: unknown organisation {service['org']!r}")
    for place in service.get("at") or []:
        spec = place if isinstance(place, dict) else {"place": place}
        if set(spec) - PLACE_KEYS:
            errors.append(f"{where}: a place takes only {sorted(PLACE_KEYS)}")
        if spec.get("place") not in place_keys:
            errors.append(f"{where}: unknown place {spec.get('place')!r}")
        for hours in spec.get("hours") or []:
            _check_hours(hours, where, presets, errors)
    for hours in service.get("hours") or []:
        _check_hours(hours, where, presets, errors)
    for phone in service.get("phones") or []:
        if isinstance(phone, dict) and (set(phone) - PHONE_KEYS or not phone.get("number")):
            errors.append(f"{where}: a phone needs a number and takes only {sorted(PHONE_KEYS)}")
        languages = (phone.get("languages") or []) if isinstance(phone, dict) else []
        for code in languages:
            if code not in LANGUAGE_NAMES:
                errors.append(f"{where}: unknown language {code!r}")
    for cost in service.get("costs") or []:
        if not isinstance(cost, dict) or set(cost) - COST_KEYS:
            errors.append(f"{where}: a cost takes only {sorted(COST_KEYS)}")
    ages = service.get("ages")
    if ages is not None and (not isinstance(ages, list) or len(ages) != 2):
        errors.append(f"{where}: ages is [minimum, maximum] (either may be ~)")
    for code in service.get("languages") or []:
        if code not in LANGUAGE_NAMES:
            errors.append(f"{where}: unknown language {code!r}")
    _check_translation(service.get("en"), where, errors)
    verified = service.get("verified")
    if verified is not None and not (isinstance(verified, int) and verified >= 0):
        errors.append(f"{where}: verified is a number of days ago, or ~ for never")


def _check_translation(value: Any, where: str, errors: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or set(value) - TRANSLATION_KEYS or not value.get("name"):
        errors.append(f"{where}: en needs a name and takes only {sorted(TRANSLATION_KEYS)}")


def _check_hours(value: Any, where: str, presets: Mapping[str, Any], errors: list[str]) -> None:
    if isinstance(value, str) and value not in presets:
        errors.append(f"{where}: unknown hours preset {value!r}")
        return
    try:
        schedule_values(value, presets)
    except ValueError as exc:
        errors.append(f"{where}: hours {value!r}: {exc}")


# -- hours ----------------------------------------------------------------------------------------
def _days(value: str) -> str:
    """``MO-FR`` → ``MO,TU,WE,TH,FR``; ``daily`` → every day (no byday)."""
    value = str(value).strip().upper()
    if value == "DAILY":
        return ""
    parts: list[str] = []
    for part in value.split(","):
        part = part.strip()
        if "-" in part:
            first, _, last = part.partition("-")
            if first not in WEEKDAYS or last not in WEEKDAYS:
                raise ValueError(f"{part!r} is not a range of weekdays such as MO-FR")
            parts.extend(WEEKDAYS[WEEKDAYS.index(first) : WEEKDAYS.index(last) + 1])
        elif part in WEEKDAYS:
            parts.append(part)
        else:
            raise ValueError(f"{part!r} is not a weekday")
    return ",".join(parts)


_TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def schedule_values(entry: Any, presets: Mapping[str, Any]) -> dict[str, Any]:
    """A preset name or an hours mapping → the fields of a ``Schedule``; ValueError if wrong."""
    if isinstance(entry, str):
        entry = presets[entry]
    if not isinstance(entry, dict):
        raise ValueError("expected a preset name or a mapping")
    unknown = set(entry) - HOURS_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    if ("days" in entry) == ("monthly" in entry or "monthdays" in entry):
        raise ValueError("give either days (weekly) or monthly/monthdays")
    closed = set(entry.get("closed") or [])
    if closed - CLOSURES:
        raise ValueError(f"closed takes {sorted(CLOSURES)}")
    values: dict[str, Any] = {
        "freq": Frequency.WEEKLY if "days" in entry else Frequency.MONTHLY,
        "byday": _days(entry["days"]) if "days" in entry else str(entry.get("monthly") or ""),
        "bymonthday": str(entry.get("monthdays") or ""),
        "opens_at": None,
        "closes_at": None,
        "open_24h": bool(entry.get("24h")),
        "closed_on_holidays": "holidays" in closed,
        "closed_year_end": "new-year" in closed,
        "description": entry.get("note") or "",
        "attending_type": entry.get("attending") or "",
    }
    if values["open_24h"]:
        if "time" in entry:
            raise ValueError("24h and time exclude each other")
    else:
        match = _TIME_RANGE.match(str(entry.get("time") or ""))
        if match is None:
            raise ValueError("time must look like 08:30-17:15 (or say 24h: true)")
        hour1, minute1, hour2, minute2 = (int(group) for group in match.groups())
        values["opens_at"] = dt.time(hour1, minute1)
        values["closes_at"] = dt.time(hour2, minute2)
        if values["opens_at"] >= values["closes_at"]:
            raise ValueError("closing time must be after opening time")
    try:
        validate_byday(values["byday"])
        validate_bymonthday(values["bymonthday"])
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None
    return values
