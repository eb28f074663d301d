"""The Japanese message catalogue: complete, compiled, and what a visitor sees by default.

The UI is Japanese unless the browser asks for English (LANGUAGE_CODE = "ja"), so a
string without a translation shows English to Japanese staff. These tests read the
catalogue that ships (``locale/ja/LC_MESSAGES/django.po`` and its compiled ``.mo``)
and, where GNU gettext is installed, extract the messages from the source afresh to
catch strings added since the catalogue was last updated.

To fix a failure here: ``make messages`` (or, from ``src/tsunagu``,
``tsunagu makemessages -l ja --add-location file --no-obsolete --ignore 'static/vendor/*'
--ignore 'tests/*'``), translate the entries with an empty ``msgstr`` or a ``#, fuzzy``
flag, then ``tsunagu compilemessages -l ja`` and commit both files.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tsunagu.plans.fiscal import fiscal_year_label

PACKAGE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_FILE = LOCALE_DIR / "ja" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The same extraction as `make messages` (migrations hold no translatable strings).
MAKEMESSAGES_IGNORE = ["static/vendor/*", "tests/*", "migrations/*"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%|\{\{.*?\}\}")


@dataclass
class Entry:
    """One message of a .po file, as far as these tests need it."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)  # plural index (0 when singular) → text
    flags: set[str] = field(default_factory=set)
    locations: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        where = " ".join(self.locations) or "?"
        return f"{self.msgid!r} ({where})"


def read_po(path: Path) -> list[Entry]:
    """A small .po reader: entries with their flags; obsolete (#~) and previous (#|) lines skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    key: str | None = None  # the keyword the next continuation line belongs to
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            entry, key = None, None
            continue
        if line.startswith("#"):
            if entry is not None and key is not None:  # a comment after the strings starts anew
                entry, key = None, None
            if entry is None:
                entry = Entry()
                entries.append(entry)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            elif line.startswith("#:"):
                entry.locations.extend(line[2:].split())
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            keyword, index, literal = match.groups()
            if keyword in ("msgctxt", "msgid") and (
                entry is None or (key or "").startswith("msgstr")
            ):
                entry = Entry()
                entries.append(entry)
            assert entry is not None, f"{path}: {raw!r} outside an entry"
            key = keyword
            text = ast.literal_eval(literal)
            if keyword == "msgctxt":
                entry.msgctxt = text
            elif keyword == "msgid":
                entry.msgid = text
            elif keyword == "msgid_plural":
                entry.msgid_plural = text
            else:
                current_index = int(index or 0)
                entry.msgstrs[current_index] = text
                key = f"msgstr[{current_index}]"
            continue
        assert line.startswith('"') and entry is not None and key is not None, f"{path}: {raw!r}"
        text = ast.literal_eval(line)
        if key == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + text
        elif key == "msgid":
            entry.msgid += text
        elif key == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + text
        else:
            current_index = int(key[len("msgstr[") : -1])
            entry.msgstrs[current_index] += text
    # Comment-only blocks (e.g. a file's leading comments) are not messages.
    return [entry for entry in entries if entry.msgstrs or entry.msgid]


def messages_of(entries: list[Entry]) -> list[Entry]:
    """Every entry but the header."""
    return [entry for entry in entries if entry.msgid != ""]


def header_of(entries: list[Entry]) -> dict[str, str]:
    header = next(entry for entry in entries if entry.msgid == "" and entry.msgctxt is None)
    lines = header.msgstrs[0].splitlines()
    return {key.strip(): value.strip() for key, value in (line.split(":", 1) for line in lines)}


def problems(entries: list[Entry]) -> list[str]:
    """Entries that would show English (or a wrong guess) to Japanese users."""
    found = []
    for entry in messages_of(entries):
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.label}")
        elif not entry.msgstrs or any(not text for text in entry.msgstrs.values()):
            found.append(f"untranslated: {entry.label}")
    return found


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_FILE.exists(), f"{PO_FILE} is missing: run `make messages`"
    return read_po(PO_FILE)


def test_it_declares_japanese_with_one_plural_form(po_entries: list[Entry]) -> None:
    header = header_of(po_entries)
    assert header["Language"] == "ja"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    header_entry = next(entry for entry in po_entries if entry.msgid == "")
    assert "fuzzy" not in header_entry.flags, "a fuzzy header makes msgfmt ignore the charset"


def test_it_translates_every_message(po_entries: list[Entry]) -> None:
    assert len(messages_of(po_entries)) > 300, "the catalogue looks truncated"
    assert problems(po_entries) == []


def test_it_gives_one_form_for_plural_messages(po_entries: list[Entry]) -> None:
    plural = [entry for entry in messages_of(po_entries) if entry.msgid_plural is not None]
    assert plural, "the templates use {% blocktranslate count %}; expected plural entries"
    wrong = [entry.label for entry in plural if sorted(entry.msgstrs) != [0]]
    assert wrong == [], "Japanese has nplurals=1: give msgstr[0] only"


def test_it_keeps_every_placeholder(po_entries: list[Entry]) -> None:
    wrong = []
    for entry in messages_of(po_entries):
        expected = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.msgstrs.values():
            if set(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{entry.label}: {text!r}")
    assert wrong == []


def test_it_ships_a_compiled_catalogue_matching_the_po(po_entries: list[Entry]) -> None:
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run `tsunagu compilemessages -l ja`"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    expected: dict[object, str] = {}
    for entry in messages_of(po_entries):
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstrs[0]
        else:
            for index, text in entry.msgstrs.items():
                expected[(msgid, index)] = text
    catalog = {key: value for key, value in compiled._catalog.items() if key != ""}  # type: ignore[attr-defined]
    missing = sorted(str(key) for key in expected.keys() - catalog.keys())
    extra = sorted(str(key) for key in catalog.keys() - expected.keys())
    changed = sorted(
        str(key) for key in expected.keys() & catalog.keys() if expected[key] != catalog[key]
    )
    assert (missing, extra, changed) == ([], [], []), "django.mo is stale: run compilemessages"


def test_it_labels_fiscal_years_in_japanese() -> None:
    with translation.override("ja"):
        assert fiscal_year_label(2025) == "2025年度（令和7年度）"
    with translation.override("en"):
        assert fiscal_year_label(2025) == "FY2025 (令和7)"


@pytest.mark.django_db
def test_it_serves_japanese_when_the_browser_states_no_language(client: Client) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja"' in html
    assert "ログイン" in html
    assert "パスワード" in html
    assert ">Log in<" not in html
    assert response.headers["Content-Language"] == "ja"


@pytest.mark.django_db
def test_it_serves_english_when_the_browser_asks_for_it(client: Client) -> None:
    response = client.get("/login/", headers={"accept-language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert ">Log in<" in html
    assert "ログイン" not in html


def test_it_has_a_translation_for_every_string_in_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Extract the messages afresh into a copy of the package, merge them into a copy of the
    catalogue and require every one to be translated: catches strings added to templates or
    Python without running `make messages`."""
    missing_tools = [tool for tool in ("xgettext", "msgmerge", "msguniq") if not shutil.which(tool)]
    if missing_tools:
        message = f"needs GNU gettext ({', '.join(missing_tools)} not found)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    copy = tmp_path / "tsunagu"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            "__pycache__", "*.pyc", "*.mo", "static", "tests", "migrations"
        ),
    )
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["ja"],
        ignore_patterns=MAKEMESSAGES_IGNORE,
        no_obsolete=True,
        add_location="file",
        verbosity=0,
    )
    fresh = copy / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    assert fresh.read_bytes() != b"", "makemessages wrote nothing"
    found = problems(read_po(fresh))
    assert found == [], (
        "Strings in the source without a Japanese translation (run `make messages`, translate, "
        "compile, commit):\n" + "\n".join(found)
    )
