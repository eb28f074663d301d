"""Every setting read from the environment is documented in ``.env.example``."""

from __future__ import annotations

import re

from django.conf import settings


def test_every_tsunagu_variable_is_documented_in_env_example() -> None:
    source = (settings.BASE_DIR / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))
    example = (settings.PROJECT_DIR / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^TSUNAGU_([A-Z0-9_]+)=", example, flags=re.MULTILINE))

    assert "API_RATE" in names and "DEBUG" in names  # the pattern finds them
    assert names - documented == set()
