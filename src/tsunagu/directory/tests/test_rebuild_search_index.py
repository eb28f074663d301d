"""`tsunagu rebuild_search_index` (textsearch) over the directory: rebuilds from the records, refuses unknown kinds."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tsunagu.textsearch.backends import backend_for
from tsunagu.textsearch.search import search

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_rebuild_restores_an_emptied_index() -> None:
    ServiceFactory(name="認知症カフェ")
    backend_for().clear()
    assert search("directory.service", "認知症").pks == []
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    # "directory.service: 1 records indexed" in whichever language is active.
    assert re.search(r"directory\.service\D+1\D", out.getvalue())
    assert len(search("directory.service", "認知症").pks) == 1


def test_one_kind_only() -> None:
    out = StringIO()
    call_command("rebuild_search_index", "--kind", "plans.initiative", stdout=out)
    assert "plans.initiative" in out.getvalue()
    assert "directory.service" not in out.getvalue()


def test_unknown_kind_is_refused_with_the_known_ones() -> None:
    with pytest.raises(CommandError, match=r"directory\.service"):
        call_command("rebuild_search_index", "--kind", "nothing.here")
