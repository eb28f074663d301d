"""Importing HSDS 3 JSON: the specification's examples, our own exports, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsunagu.directory.importers import read_directory_file
from tsunagu.directory.loading import load_directory
from tsunagu.directory.models import Contact, Location, Phone, Schedule, Service

pytestmark = pytest.mark.django_db
REFERENCE = Path("/work/shared/reference/hsds-3.0/examples")


def test_it_imports_the_full_service_example() -> None:
    report = load_directory(read_directory_file(REFERENCE / "service_full.json"))
    assert report.errors == [], [str(e) for e in report.errors]
    assert report.counts()["created"] == 1
    service = Service.objects.get()
    assert service.name == "Community Counselling"
    assert Phone.objects.count() == 1
    assert Contact.objects.count() == 1
    assert Schedule.objects.count() == 1
    assert Location.objects.count() == 1

