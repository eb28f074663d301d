"""``tsunagu import_plan`` and ``tsunagu export_plan``, driven as an operator would through call_command.

Each test that writes imports the seed chapter (about half a second) into an empty
test database, so the tests stay independent; the tests that only read the export
share one import (``seed_export``). A malformed file is always tried against a
database that already holds the plan (``kamakura_plan``), to show that a rejected
file changes nothing.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from openpyxl import load_workbook

from tsunagu.core.models import AuditEvent, Organization, OrganizationAlias
from tsunagu.plans.models import Initiative, Plan, Responsibility

pytestmark = pytest.mark.django_db

SEED_OPTIONS = {"name": "鎌倉市地域福祉計画", "municipality": "鎌倉市", "fiscal_years": "2020-2025"}
IMPORTED = "plans.plan.imported"


# -- helpers ---------------------------------------------------------------------------------------------
def import_plan(path: Path, *args: str, **options: Any) -> str:
    out = StringIO()
    call_command("import_plan", str(path), *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def import_seed(seed_text_path: Path, *args: str) -> dict[str, Any]:
    """Import the seed chapter and return the command's --json report."""
    return json.loads(import_plan(seed_text_path, "--json", *args, **SEED_OPTIONS))


def export_plan(fmt: str = "json", output: Path | None = None) -> str:
    out = StringIO()
    # -o goes through the argument parser (as on the command line) so it becomes a Path.
    args = ["--format", fmt, *(["-o", str(output)] if output is not None else [])]
    call_command("export_plan", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def walk(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        initiative
        for goal in data["goals"]
        for direction in goal["directions"]
        for measure in direction["measures"]
        for initiative in measure["initiatives"]
    ]


def find(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(initiative for initiative in walk(data) if initiative["code"] == code)


def snapshot() -> dict[str, Any]:
    """What a rejected import must leave exactly as it was."""
    return {
        "plans": Plan.objects.count(),
        "initiatives": Initiative.objects.count(),
        "archived": Initiative.objects.filter(archived_at__isnull=False).count(),
        "organizations": Organization.objects.count(),
        "responsibilities": Responsibility.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "export": export_plan("json") if Plan.objects.exists() else None,
    }


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seed_with(
    seed_text_path: Path, code: str, old: str, new: str, tmp_path: Path
) -> tuple[Path, int]:
    """The seed with one edit on the row of ``code``; returns the file and the row's line number."""
    lines = seed_text_path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{code}\t"))
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    return write_lines(tmp_path / "chapter4.txt", lines), index + 1


@pytest.fixture(scope="module")
def seed_export(
    django_db_setup: None, django_db_blocker: Any, seed_text_path: Path
) -> dict[str, Any]:
    """The seed imported and exported once for the tests that only read the export.

    Everything happens in a transaction that is rolled back, so no test sees it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        import_seed(seed_text_path)
        exported = json.loads(export_plan("json"))
        transaction.set_rollback(True)
    return exported


# -- importing and exporting the seed --------------------------------------------------------------------------
def test_it_imports_the_seed_and_says_what_it_imported(seed_text_path: Path) -> None:
    output = import_plan(seed_text_path, **SEED_OPTIONS)

    assert "imported 5 goals, 10 directions, 31 measures, 203 initiatives." in output
    plan = Plan.objects.get()
    assert (plan.name, plan.municipality, plan.first_fiscal_year, plan.last_fiscal_year) == (
        "鎌倉市地域福祉計画",
        "鎌倉市",
        2020,
        2025,
    )
    assert Initiative.objects.filter(plan=plan).count() == 203


def test_it_exports_5_goals_10_directions_31_measures_203_initiatives(
    seed_export: dict[str, Any],
) -> None:
    data = seed_export
    directions = [d for g in data["goals"] for d in g["directions"]]
    measures = [m for d in directions for m in d["measures"]]
    assert (len(data["goals"]), len(directions), len(measures), len(walk(data))) == (5, 10, 31, 203)


def test_it_exports_the_json_shape_of_the_design(seed_export: dict[str, Any]) -> None:
    data = seed_export
    assert list(data) == ["plan", "goals"]
    assert data["plan"] == {
        "name": "鎌倉市地域福祉計画",
        "municipality": "鎌倉市",
        "fiscal_years": [2020, 2025],
    }
    goal = data["goals"][0]
    assert list(goal) == ["number", "title", "directions", "indicators"]
    assert (goal["number"], goal["title"]) == (1, "総合的な相談体制の確立")
    direction = goal["directions"][0]
    assert list(direction) == ["number", "title", "measures"]
    assert (direction["number"], direction["title"]) == (
        1,
        "縦割りを超えた柔軟な相談機能の整備・充実",
    )
    measure = direction["measures"][0]
    assert list(measure) == ["number", "title", "initiatives"]
    assert (measure["number"], measure["title"]) == (1, "福祉総合相談窓口の整備")
    assert measure["initiatives"][0] == {
        "code": "1-1-1-1",
        "title": "福祉総合相談窓口の設置・運営",
        "detail": "全市的な福祉の相談体制との整合性を図りながら、福祉に関する相談を総合的に扱うための窓口を設置・運営します。",
        "guideline_codes": ["⑤イ"],
        "responsibilities": [{"organization": "地域共生課", "via": None}],
        "repost_of": None,
    }
    assert goal["indicators"] == [
        {"title": "生活課題等に対して、身近なところで相談できる人や場があると思う市民の割合"}
    ]


def test_it_exports_bodies_reposts_and_several_codes(seed_export: dict[str, Any]) -> None:
    data = seed_export
    assert find(data, "3-2-2-3")["responsibilities"] == [
        {"organization": "福祉総務課", "via": "市社会福祉協議会"},
        {"organization": "地域のつながり課", "via": "NPOセンター"},
    ]
    assert find(data, "3-1-1-1")["repost_of"] == "2-1-1-2"
    assert find(data, "3-1-1-1")["title"] == "福祉事業者と関係団体等との交流促進"
    assert find(data, "4-1-2-3")["guideline_codes"] == ["①キ", "①ア"]
    assert [len(g["indicators"]) for g in data["goals"]] == [1, 2, 3, 8, 2]


def test_it_writes_an_audit_event_for_every_import(seed_text_path: Path) -> None:
    import_seed(seed_text_path)
    import_seed(seed_text_path)

    events = list(AuditEvent.objects.filter(action=IMPORTED).order_by("at"))
    plan = Plan.objects.get()
    assert len(events) == 2
    assert {(e.object_type, e.object_id) for e in events} == {("plans.plan", str(plan.pk))}
    assert events[0].data["counts"] == {
        "goals": 5,
        "directions": 10,
        "measures": 31,
        "initiatives": 203,
    }
    assert [e.data["created"] for e in events] == [True, False]


# -- round trips -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_it_round_trips_export_import_export_byte_for_byte(
    seed_text_path: Path, tmp_path: Path, fmt: str
) -> None:
    import_seed(seed_text_path)
    first = tmp_path / f"first.{fmt}"
    second = tmp_path / f"second.{fmt}"
    export_plan(fmt, first)
    # Start again from nothing, so only the file carries the plan.
    Plan.objects.all().delete()
    Organization.objects.all().delete()

    import_plan(first)
    export_plan(fmt, second)

    assert second.read_bytes() == first.read_bytes()
    assert Initiative.objects.count() == 203


def test_it_reimports_its_excel_export_to_the_same_plan(
    seed_text_path: Path, tmp_path: Path
) -> None:
    import_seed(seed_text_path)
    before = export_plan("json")
    workbook = tmp_path / "plan.xlsx"
    export_plan("xlsx", workbook)
    Plan.objects.all().delete()
    Organization.objects.all().delete()

    import_plan(workbook)

    assert export_plan("json") == before


def test_it_merges_an_alias_and_keeps_it_through_a_json_round_trip(
    seed_text_path: Path, tmp_path: Path
) -> None:
    OrganizationAlias.objects.create(
        alias="広聴広報課",
        organization=Organization.objects.create(
            name="広報広聴課", kind=Organization.Kind.CITY_DIVISION
        ),
    )
    import_seed(seed_text_path)
    exported = tmp_path / "plan.json"
    export_plan("json", exported)

    import_plan(exported)

    assert export_plan("json") == exported.read_text(encoding="utf-8")
    assert find(json.loads(exported.read_text(encoding="utf-8")), "5-2-1-2")["responsibilities"][
        1
    ] == {
        "organization": "広報広聴課",
        "via": None,
        "written_as": "広聴広報課",
    }


def test_it_keeps_an_alias_spelling_through_an_excel_round_trip(
    seed_text_path: Path, tmp_path: Path
) -> None:
    OrganizationAlias.objects.create(
        alias="広聴広報課",
        organization=Organization.objects.create(
            name="広報広聴課", kind=Organization.Kind.CITY_DIVISION
        ),
    )
    import_seed(seed_text_path)
    before = export_plan("json")
    workbook = tmp_path / "plan.xlsx"
    export_plan("xlsx", workbook)

    import_plan(workbook)

    assert (
        Responsibility.objects.get(initiative__code="5-2-1-2", position=1).written_as
        == "広聴広報課"
    )
    assert export_plan("json") == before


# -- malformed files change nothing ----------------------------------------------------------------------------
def assert_rejected(path: Path, *messages: str, **options: Any) -> str:
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        import_plan(path, **options)
    error = str(caught.value)
    assert "the plan was not imported; nothing was changed." in error
    for message in messages:
        assert message in error
    assert snapshot() == before
    return error


def test_it_rejects_a_text_row_with_three_cells_naming_the_line(
    kamakura_plan: Plan, seed_text_path: Path, tmp_path: Path
) -> None:
    path, line = seed_with(seed_text_path, "1-1-1-1", "\t地域共生課", "", tmp_path)

    assert_rejected(
        path, f"{path}:line {line}: initiative 1-1-1-1 has 3 cells; expected 4", **SEED_OPTIONS
    )


def test_it_rejects_a_text_row_with_an_unknown_code_naming_the_line(
    kamakura_plan: Plan, seed_text_path: Path, tmp_path: Path
) -> None:
    path, line = seed_with(seed_text_path, "1-1-1-1", "〔5-イ〕", "〔⑤Z〕", tmp_path)

    assert_rejected(
        path,
        f"{path}:line {line}: initiative 1-1-1-1: unknown guideline code 〔⑤Z〕",
        **SEED_OPTIONS,
    )


def test_it_rejects_a_code_missing_from_the_guideline_table_naming_the_line(
    kamakura_plan: Plan, seed_text_path: Path, tmp_path: Path
) -> None:
    path, line = seed_with(seed_text_path, "1-1-1-1", "〔5-イ〕", "〔9-イ〕", tmp_path)

    assert_rejected(
        path, f"{path}:line {line}: 1-1-1-1: unknown guideline code ⑨イ", **SEED_OPTIONS
    )


def test_it_rejects_a_duplicate_text_row_naming_both_lines(
    kamakura_plan: Plan, seed_text_path: Path, tmp_path: Path
) -> None:
    path, line = seed_with(seed_text_path, "1-1-1-2", "1-1-1-2", "1-1-1-1", tmp_path)

    assert_rejected(
        path,
        f"{path}:line {line}: initiative number 1-1-1-1 is used twice (first on line {line - 1})",
        **SEED_OPTIONS,
    )


def test_it_rejects_a_json_file_with_a_duplicate_code_naming_both_places(
    kamakura_plan: Plan, tmp_path: Path
) -> None:
    data = json.loads(export_plan("json"))
    initiatives = data["goals"][0]["directions"][0]["measures"][0]["initiatives"]
    initiatives[2]["code"] = "1-1-1-1"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    assert_rejected(
        path,
        "goals[0].directions[0].measures[0].initiatives[2]: initiative number 1-1-1-1 is used twice "
        "(also at goals[0].directions[0].measures[0].initiatives[0])",
    )


def test_it_rejects_invalid_json_naming_the_line(kamakura_plan: Plan, tmp_path: Path) -> None:
    lines = export_plan("json").splitlines()
    lines[5] = lines[5].rstrip(",")  # "2020" loses its comma
    path = write_lines(tmp_path / "plan.json", lines)

    assert_rejected(path, f"{path}:line 7: not valid JSON")


def test_it_rejects_an_excel_row_with_a_bad_number_naming_the_row(
    kamakura_plan: Plan, tmp_path: Path
) -> None:
    path = tmp_path / "plan.xlsx"
    export_plan("xlsx", path)
    workbook = load_workbook(path)
    sheet = workbook["取組"]
    assert sheet["G5"].value == "1-1-2-1"  # 番号 is column G; row 5 is the fourth initiative
    sheet["G5"] = "1-1-2"
    workbook.save(path)

    assert_rejected(path, "sheet 取組 row 5: 番号 '1-1-2' is not of the form 1-2-3-4")


def test_it_writes_nothing_on_a_dry_run(seed_text_path: Path) -> None:
    before = snapshot()

    output = import_plan(seed_text_path, "--dry-run", **SEED_OPTIONS)

    assert "would import 5 goals, 10 directions, 31 measures, 203 initiatives." in output
    assert "Dry run: nothing was written." in output
    assert (
        snapshot()
        == before
        == {
            "plans": 0,
            "initiatives": 0,
            "archived": 0,
            "organizations": 0,
            "responsibilities": 0,
            "audit_events": 0,
            "export": None,
        }
    )


def test_it_reports_on_a_dry_run_what_a_real_import_would(seed_text_path: Path) -> None:
    report = import_seed(seed_text_path, "--dry-run")

    assert report["dry_run"] is True
    assert report["created"] is True
    assert report["counts"] == {"goals": 5, "directions": 10, "measures": 31, "initiatives": 203}
    assert "地域共生課" in report["new_organizations"]


# -- re-importing -----------------------------------------------------------------------------------------------
def test_it_reimports_the_same_file_without_archiving_or_duplicating(seed_text_path: Path) -> None:
    import_seed(seed_text_path)
    before = snapshot()

    report = import_seed(seed_text_path)

    assert report["created"] is False
    assert report["archived_initiatives"] == []
    assert report["new_organizations"] == []
    after = snapshot()
    assert after.pop("audit_events") == before.pop("audit_events") + 1
    assert after == before


def test_it_archives_an_initiative_the_file_no_longer_has(
    seed_text_path: Path, tmp_path: Path
) -> None:
    import_seed(seed_text_path)
    data = json.loads(export_plan("json"))
    initiatives = data["goals"][0]["directions"][0]["measures"][0]["initiatives"]
    assert initiatives.pop(2)["code"] == "1-1-1-3"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    report = json.loads(import_plan(path, "--json"))

    assert report["archived_initiatives"] == ["1-1-1-3"]
    archived = Initiative.objects.get(code="1-1-1-3")
    assert archived.archived_at is not None
    assert archived.archive_reason == "not in the imported plan"
    assert Initiative.objects.count() == 203
    assert len(walk(json.loads(export_plan("json")))) == 202


def test_it_restores_an_archived_initiative_the_file_has_again(
    seed_text_path: Path, tmp_path: Path
) -> None:
    import_seed(seed_text_path)
    original = export_plan("json")
    data = json.loads(original)
    data["goals"][0]["directions"][0]["measures"][0]["initiatives"].pop(2)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    import_plan(path)

    import_seed(seed_text_path)

    assert Initiative.objects.get(code="1-1-1-3").archived_at is None
    assert export_plan("json") == original


def test_it_exports_what_it_imported_when_a_whole_measure_is_removed(
    seed_text_path: Path, tmp_path: Path
) -> None:
    import_seed(seed_text_path)
    data = json.loads(export_plan("json"))
    removed = data["goals"][0]["directions"][1]["measures"].pop(0)
    assert [i["code"] for i in removed["initiatives"]] == ["1-2-1-1"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    import_plan(path)

    assert Initiative.objects.get(code="1-2-1-1").archived_at is not None
    assert json.loads(export_plan("json")) == data


# -- the alias table ---------------------------------------------------------------------------------------------
def test_it_merges_a_spelling_listed_in_the_alias_table_and_says_so(seed_text_path: Path) -> None:
    office = Organization.objects.create(name="広報広聴課", kind=Organization.Kind.CITY_DIVISION)
    OrganizationAlias.objects.create(alias="広聴広報課", organization=office)

    report = import_seed(seed_text_path)

    responsibilities = Responsibility.objects.filter(initiative__code="5-2-1-2").select_related(
        "organization"
    )
    assert [(r.organization.name, r.written_as) for r in responsibilities] == [
        ("地域共生課", ""),
        ("広報広聴課", "広聴広報課"),
    ]
    assert not Organization.objects.filter(name="広聴広報課").exists()
    aliases = [n for n in report["notices"] if n["kind"] == "alias"]
    assert len(aliases) == 1
    assert "広聴広報課" in aliases[0]["message"]
    assert "広報広聴課" in aliases[0]["message"]
    assert not [n for n in report["notices"] if n["kind"] == "warning" and "広報" in n["message"]]


def test_it_keeps_two_organisations_and_warns_without_an_alias(seed_text_path: Path) -> None:
    report = import_seed(seed_text_path)

    assert Organization.objects.filter(name__in=["広報広聴課", "広聴広報課"]).count() == 2
    warnings = [n for n in report["notices"] if n["kind"] == "warning" and "広報" in n["message"]]
    assert len(warnings) == 1
    assert "広報広聴課" in warnings[0]["message"]
    assert "広聴広報課" in warnings[0]["message"]
    assert "alias table" in warnings[0]["message"]


def test_it_warns_about_a_similar_spelling_when_the_other_is_already_known(
    seed_text_path: Path,
) -> None:
    Organization.objects.create(name="広報広聴課", kind=Organization.Kind.CITY_DIVISION)

    report = import_seed(seed_text_path)

    warnings = [n for n in report["notices"] if n["kind"] == "warning" and "広報" in n["message"]]
    assert len(warnings) == 1
    assert warnings[0]["message"].startswith(
        "5-2-1-2: 広聴広報課 looks like another spelling of 広報広聴課"
    )
