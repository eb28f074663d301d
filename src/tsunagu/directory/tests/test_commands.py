"""``import_directory``, ``export_directory`` and ``search_directory`` as an operator
or a script drives them (call_command, with the options parsed as on the command line)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tsunagu.core.models import Area, AuditEvent
from tsunagu.directory.loading import IMPORTED
from tsunagu.directory.models import Service
from tsunagu.plans.models import Initiative

from .import_world import make_areas, rich_directory

pytestmark = pytest.mark.django_db

CSV = """サービス名,運営団体,概要,分類,対象者区分,受付時間,電話番号,施設名,住所
福祉総合相談窓口,鎌倉市 地域共生課,暮らしの困りごとを分野を問わず相談できます,福祉総合相談窓口,全世代,月-金 8:30-17:15 祝日休み,0467-23-3000,本庁舎,神奈川県鎌倉市御成町18-10
認知症カフェ,鎌倉市社会福祉協議会,認知症の方と家族が気軽に集えるカフェ,高齢・介護,"高齢者、介護者",第2水 13:30-15:30,0467-23-0000,福祉センター,神奈川県鎌倉市御成町20-21
子ども食堂,NPO法人つなぐ,子どもがひとりでも来られる食堂,子ども・子育て,子ども・子育て,第1・3土 12:00-14:00,,,
"""


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "directory.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def search(*args: str) -> dict[str, Any]:
    out, _err = run("search_directory", *args, "--json")
    result = json.loads(out)
    assert isinstance(result, dict)
    return result


# -- the acceptance path ---------------------------------------------------------------------------
def test_import_then_search_works_on_a_freshly_migrated_empty_database(tmp_path: Path) -> None:
    # Nothing but what the migrations bring: the taxonomy and the target groups.
    assert (Service.objects.count(), Area.objects.count(), Initiative.objects.count()) == (0, 0, 0)
    path = write(tmp_path, CSV, encoding="cp932")

    out, _err = run("import_directory", str(path))

    assert "Shift_JIS (CP932)" in out and "3 created, 0 updated, 0 unchanged" in out
    result = search("にんちしょう")
    assert list(result) == ["total", "results"]
    assert result["total"] == 1
    [hit] = result["results"]
    assert list(hit) == ["id", "name", "organization", "score"]
    assert (hit["name"], hit["organization"]) == ("認知症カフェ", "鎌倉市社会福祉協議会")
    assert hit["id"] == str(Service.objects.get(name="認知症カフェ").uuid)
    assert isinstance(hit["score"], float) and hit["score"] > 0

    everyone = search("相談")
    assert everyone["results"][0]["name"] == "福祉総合相談窓口"
    scores = [item["score"] for item in search("食堂 子ども")["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_filters_take_codes_or_names() -> None:
    rich_directory()
    assert [r["name"] for r in search("", "--category", "福祉総合相談窓口")["results"]] == [
        "福祉総合相談窓口"
    ]
    assert {r["name"] for r in search("", "--target-group", "外国人")["results"]} == {
        "福祉総合相談窓口"
    }
    # Services without a service area serve the whole city, so they are in every area.
    assert {r["name"] for r in search("", "--area", "腰越地域")["results"]} == {
        "福祉総合相談窓口",
        "一時保護の相談",
    }
    assert search("", "--limit", "1")["total"] == 2  # the salon is temporarily closed


def test_a_keyword_with_a_filter() -> None:
    rich_directory()
    assert search("相談", "--target-group", "elderly")["total"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "どこでもない"], "--area: "),
        (["--category", "no-such-category"], "--category: "),
        (["--target-group", "宇宙人"], "--target-group: "),
        (["--limit", "0"], "--limit: "),
    ],
)
def test_search_options_that_name_nothing_are_refused_naming_the_option(
    args: list[str], message: str
) -> None:
    make_areas()
    with pytest.raises(CommandError, match=message):
        run("search_directory", "相談", *args)


# -- import_directory ------------------------------------------------------------------------------
def test_a_file_with_a_bad_row_is_refused_with_every_error_and_a_non_zero_exit(
    tmp_path: Path,
) -> None:
    bad = CSV.replace("第2水 13:30-15:30", "第2水 15:30-13:30").replace("NPO法人つなぐ,", ",")
    path = write(tmp_path, bad)
    out = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_directory", str(path), stdout=out, stderr=StringIO())

    assert raised.value.returncode == 1
    assert "nothing was changed" in str(raised.value)
    text = out.getvalue()
    assert "row 3 受付時間: " in text and "row 4 運営団体: " in text
    assert Service.objects.count() == 0


def test_json_report_and_skip_invalid(tmp_path: Path) -> None:
    path = write(tmp_path, CSV.replace("NPO法人つなぐ,", ","))
    out = StringIO()

    with pytest.raises(CommandError, match="1 rows with errors were skipped"):
        call_command(
            "import_directory", str(path), "--skip-invalid", "--json", stdout=out, stderr=StringIO()
        )

    report = json.loads(out.getvalue())
    assert report["counts"]["created"] == 2 and report["skipped_rows"] == [4]
    assert report["errors"][0]["row"] == 4 and report["errors"][0]["field"] == "運営団体"
    assert report["written"] is True
    assert Service.objects.count() == 2
    assert AuditEvent.objects.filter(action=IMPORTED).count() == 1


def test_dry_run_writes_nothing_and_says_what_it_would_do(tmp_path: Path) -> None:
    out, _err = run("import_directory", str(write(tmp_path, CSV)), "--dry-run")
    assert "dry run, nothing written: 3 would be created" in out
    assert Service.objects.count() == 0
    assert not AuditEvent.objects.filter(action=IMPORTED).exists()


def test_the_format_option_overrides_the_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, CSV, name="services.txt")
    with pytest.raises(CommandError):
        run("import_directory", str(path), "--format", "hsds")
    run("import_directory", str(path), "--format", "csv")
    assert Service.objects.count() == 3


def test_a_missing_file_is_named() -> None:
    with pytest.raises(CommandError, match="no such file"):
        run("import_directory", "/nonexistent/directory.csv")


# -- export_directory ------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hsds", "ndjson"])
def test_export_writes_a_file_that_import_reads_back(tmp_path: Path, fmt: str) -> None:
    rich_directory()
    path = tmp_path / f"directory.{fmt}"

    _out, err = run("export_directory", "--format", fmt, "-o", str(path))

    assert f"Wrote {path} (3 services)." in err
    out, _err = run("import_directory", str(path), "--format", fmt)
    assert "0 created, 0 updated, 3 unchanged" in out


def test_export_to_standard_output_and_the_template(tmp_path: Path) -> None:
    rich_directory()
    out, _err = run("export_directory", "--format", "hsds")
    assert len(json.loads(out)) == 3
    template = tmp_path / "template.csv"
    run("export_directory", "--template", "--format", "csv", "-o", str(template))
    assert template.read_bytes().decode("utf-8-sig").splitlines()[0].startswith("ID,サービス名,")
    with pytest.raises(CommandError, match="--template"):
        run("export_directory", "--template", "--format", "hsds")
