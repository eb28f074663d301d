"""tsunagu import_plan FILE [--dry-run]: load a plan from chapter text, JSON/YAML or Excel."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.core.models import Organization
from tsunagu.plans.importers import PlanFormatError, read_plan_file
from tsunagu.plans.loading import load_plan


def fiscal_years(value: str) -> tuple[int, int]:
    try:
        first, last = (int(part) for part in value.split("-"))
    except ValueError:
        raise CommandError(f"--fiscal-years must look like 2020-2025, got {value!r}") from None
    if first > last:
        raise CommandError(f"--fiscal-years: {first} comes after {last}")
    return first, last


class Command(BaseCommand):
    help = (
        "Load a plan from the text of a plan PDF chapter (.txt), the structured export "
        "(.json/.yaml) or the Excel template (.xlsx). All or nothing: a file with any error "
        "changes nothing and every error is listed with its line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="read and check, write nothing")
        parser.add_argument("--name", default="", help="plan name (chapter text only)")
        parser.add_argument("--municipality", default="", help="municipality (chapter text only)")
        parser.add_argument(
            "--fiscal-years", type=str, default="", help="e.g. 2020-2025 (chapter text only)"
        )
        parser.add_argument(
            "--owner", default="", help="name of the division that manages the plan"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--verbose-notes", action="store_true", help="list every normalisation, not a summary"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        owner = None
        if options["owner"]:
            owner = Organization.objects.filter(name=options["owner"]).first()
            if owner is None:
                raise CommandError(f"--owner: no organisation named {options['owner']!r}")
        try:
            result = read_plan_file(
                path,
                name=options["name"],
                municipality=options["municipality"],
                fiscal_years=fiscal_years(options["fiscal_years"])
                if options["fiscal_years"]
                else None,
            )
            report = load_plan(result.document, dry_run=options["dry_run"], owner=owner)
        except PlanFormatError as exc:
            lines = [f"{path}: the plan was not imported; nothing was changed."]
            lines += [
                f"  {path}:{error}" if error.line is not None else f"  {path}: {error}"
                for error in exc.errors
            ]
            raise CommandError("\n".join(lines)) from None

        notices = result.notices + report.notices
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "dry_run": options["dry_run"],
                        "counts": report.counts,
                        "created": report.created,
                        "new_organizations": report.new_organizations,
                        "archived_initiatives": report.archived_initiatives,
                        "notices": [
                            {"kind": n.kind, "line": n.line, "message": n.message} for n in notices
                        ],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return

        counts = report.counts
        verb = "would import" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{path}: {verb} {counts['goals']} goals, {counts['directions']} directions, "
            f"{counts['measures']} measures, {counts['initiatives']} initiatives."
        )
        kinds = Counter(n.kind for n in notices)
        if kinds:
            self.stdout.write("Normalised and noticed:")
            for kind, count in sorted(kinds.items()):
                self.stdout.write(f"  {kind}: {count}")
        for notice in notices:
            if options["verbose_notes"] or notice.kind in {
                "warning",
                "alias",
                "organisation",
                "title",
            }:
                style = self.style.WARNING if notice.kind == "warning" else (lambda text: text)
                self.stdout.write(style(f"  {notice}"))
        if not options["verbose_notes"] and any(
            n.kind not in {"warning", "alias", "organisation", "title"} for n in notices
        ):
            self.stdout.write("  (--verbose-notes lists every normalisation with its line)")
        if report.archived_initiatives:
            self.stdout.write(
                f"Archived (no longer in the file): {', '.join(report.archived_initiatives)}"
            )
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS("Dry run: nothing was written."))
