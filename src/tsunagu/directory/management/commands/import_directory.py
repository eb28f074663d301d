"""tsunagu import_directory FILE [--dry-run] [--skip-invalid] [--format F] [--json]

Loads services from the CSV/Excel template or HSDS 3 JSON/NDJSON. All or nothing:
a file with any error changes nothing and every error is listed with its row (or
line, or entry) and field; ``--skip-invalid`` writes the good rows and lists the
others. Exits non-zero whenever an error was reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tsunagu.directory.importers import FORMATS, read_directory_file
from tsunagu.directory.loading import LoadReport, load_directory


class Command(BaseCommand):
    help = (
        "Import directory services from the CSV/Excel template or HSDS 3 JSON/NDJSON. "
        "All or nothing unless --skip-invalid; every error is listed with its row and field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="write the rows that pass and report the others",
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="file format (default: from the name and content)"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file") % {"path": path})
        batch = read_directory_file(path, options["format"])
        report = load_directory(
            batch,
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            source=path.name,
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(path, report)
        if report.errors:
            if report.written:
                message = _(
                    "%(count)s rows with errors were skipped; the other rows were imported."
                ) % {"count": len(report.skipped_rows)}
            else:
                message = _("The file was not imported; nothing was changed.")
            raise CommandError(message, returncode=1)

    def _print(self, path: Path, report: LoadReport) -> None:
        counts = report.counts()
        source = (
            f"{path} ({report.format}, {report.encoding})"
            if report.encoding
            else f"{path} ({report.format})"
        )
        if report.written:
            summary = _(
                "%(source)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
            )
        elif report.dry_run and not report.errors:
            summary = _(
                "%(source)s: dry run, nothing written: %(created)s would be created, %(updated)s updated, %(unchanged)s unchanged."
            )
        else:
            summary = _(
                "%(source)s: nothing written; the rows that passed: %(created)s new, %(updated)s changed, %(unchanged)s unchanged."
            )
        self.stdout.write(summary % {"source": source, **counts})
        if report.skipped_rows:
            self.stdout.write(
                _("Skipped (errors): %(rows)s") % {"rows": ", ".join(map(str, report.skipped_rows))}
            )
        if report.errors:
            self.stdout.write(
                self.style.ERROR(_("Errors (%(count)s):") % {"count": len(report.errors)})
            )
            for error in report.errors:
                self.stdout.write(f"  {error}")
        if report.warnings:
            self.stdout.write(
                self.style.WARNING(_("Warnings (%(count)s):") % {"count": len(report.warnings)})
            )
            for warning in report.warnings:
                self.stdout.write(f"  {warning}")
