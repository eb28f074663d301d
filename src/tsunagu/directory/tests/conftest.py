"""The directory's tests read messages and pages in English.

Japanese is the default language of the UI, and the catalogue is complete (checked by
core/tests/test_translations.py); the directory's tests assert on the English source
strings so that a change of wording in the catalogue does not break them. Tests of
Japanese output switch language themselves (translation.override("ja")), and the
browser tests run the Japanese UI.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
