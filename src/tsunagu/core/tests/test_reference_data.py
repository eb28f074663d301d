"""`tsunagu load_reference_data`: the Kamakura organisations and areas, loaded idempotently."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.core.models import Area, Organization, OrganizationAlias

REGIONS = {
    "region-kamakura": "鎌倉",
    "region-koshigoe": "腰越",
    "region-fukasawa": "深沢",
    "region-ofuna": "大船",
    "region-tamanawa": "玉縄",
}


def load(*args: str) -> dict:
    out = StringIO()
    call_command("load_reference_data", "--json", *args, stdout=out)
    return json.loads(out.getvalue())["counts"]


def table_sizes() -> tuple[int, int, int]:
    return Organization.objects.count(), OrganizationAlias.objects.count(), Area.objects.count()


@pytest.mark.django_db
def test_it_loads_twice_with_the_same_result() -> None:
    first = load()
    sizes = table_sizes()

    second = load()

    assert table_sizes() == sizes
    assert first["organizations"]["created"] == sizes[0] > 40
    assert first["areas"]["created"] == sizes[2]
    for key in ("organizations", "aliases", "areas"):
        assert second[key]["total"] == first[key]["total"]
        assert second[key]["created"] == 0
        assert second[key]["updated"] == 0
        assert second[key]["unchanged"] == first[key]["total"]


@pytest.mark.django_db
def test_it_builds_the_area_tree() -> None:
    load()

    city = Area.objects.get(code="kamakura")
    assert city.kind == Area.Kind.CITY
    assert city.parent is None
    regions = Area.objects.filter(kind=Area.Kind.REGION)
    assert {region.code: region.name for region in regions} == REGIONS
    assert all(region.parent == city for region in regions)
    assert "46,193" in Area.objects.get(code="region-kamakura").description

    districts = Area.objects.filter(kind=Area.Kind.WELFARE_COMMISSIONER_DISTRICT).select_related(
        "parent"
    )
    assert sorted(d.code for d in districts) == [f"district-{n:02d}" for n in range(1, 11)]
    assert all(d.parent.kind == Area.Kind.REGION for d in districts)
    assert Area.objects.get(code="district-01").parent.code == "region-kamakura"
    assert Area.objects.get(code="district-10").parent.code == "region-koshigoe"
    assert "鎌倉山" in Area.objects.get(code="district-10").description

    for district in districts:
        associations = district.children.all()
        assert 2 <= len(associations) <= 3
        for association in associations:
            assert association.kind == Area.Kind.NEIGHBOURHOOD_ASSOCIATION
            assert "デモ" in association.name
    assert city.descendant_ids() == set(Area.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_it_groups_divisions_under_departments_and_keeps_aliases() -> None:
    load()

    owner = Organization.objects.get(name="福祉総務課")
    assert owner.kind == Organization.Kind.CITY_DIVISION
    assert owner.parent.kind == Organization.Kind.CITY_DEPARTMENT
    assert owner.name_kana == "ふくしそうむか"
    assert Organization.objects.get(name="市社会福祉協議会").kind == Organization.Kind.COUNCIL
    assert Organization.objects.get(name="NPOセンター").kind == Organization.Kind.PUBLIC_AGENCY
    fire_station = Organization.objects.get(name="消防署")
    assert fire_station.kind == Organization.Kind.CITY_DIVISION
    assert fire_station.parent.name == "消防本部"
    assert Organization.objects.filter(kind=Organization.Kind.CARE_CENTRE).count() == 5

    alias = OrganizationAlias.objects.select_related("organization").get(alias="広聴広報課")
    assert alias.organization.name == "広報広聴課"
    assert alias.note
    assert not Organization.objects.filter(name="広聴広報課").exists()


@pytest.mark.django_db
def test_it_changes_nothing_when_a_file_has_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "areas.yaml"
    broken.write_text(
        "areas:\n"
        "  - {code: town, name: 町, kind: city}\n"
        "  - {code: Not A Slug, name: 地域, kind: region}\n"
        "  - {code: town, name: 二重, kind: planet}\n",
        encoding="utf-8",
    )
    before = table_sizes()

    with pytest.raises(CommandError) as error:
        call_command("load_reference_data", "--areas", str(broken), stdout=StringIO())

    message = str(error.value)
    assert "code must be a slug" in message
    assert "the code appears twice" in message
    assert "kind 'planet'" in message
    assert table_sizes() == before


@pytest.mark.django_db
def test_it_writes_nothing_on_a_dry_run() -> None:
    before = table_sizes()

    counts = load("--dry-run")

    assert counts["areas"]["created"] > 0
    assert table_sizes() == before
