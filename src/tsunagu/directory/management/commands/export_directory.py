"""tsunagu export_directory --format csv|xlsx|hsds|ndjson [-o FILE] [--include-sensitive] [--template]

The whole directory (every status) as the CSV/Excel template that import_directory
reads back, or as fully nested HSDS 3 JSON (an array) or NDJSON. Confidential
addresses are left out unless --include-sensitive. --template writes the empty
template (the files in data/templates/ are made with it).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tsunagu.directory.exporters import FORMATS, export_directory


class Command(BaseCommand):
    help = (
        "Export the directory as the CSV/Excel template or HSDS 3 JSON/NDJSON; "
        "--template writes the empty template."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=FORMATS, help="default: hsds (xlsx with --template)"
        )
        parser.add_argument(
            "-o", "--output", type=Path, help="file to write (default: standard output)"
        )
        parser.add_argument(
            "--include-sensitive",
            action="store_true",
            help="include confidential addresses (shelters); for exchange between staff only",
        )
        parser.add_argument("--template", action="store_true", help="the empty CSV/Excel template")

    def handle(self, *args: Any, **options: Any) -> None:
        template: bool = options["template"]
        format = options["format"] or ("xlsx" if template else "hsds")
        if template and format not in ("csv", "xlsx"):
            raise CommandError(_("--template: the template is a csv or xlsx file."))
        result = export_directory(
            format, include_sensitive=options["include_sensitive"], template=template
        )
        output: Path | None = options["output"]
        if output is None:
            if format == "xlsx":
                if sys.stdout.isatty():
                    raise CommandError(
                        _("Refusing to write a workbook to a terminal; pass -o FILE.")
                    )
                sys.stdout.buffer.write(result.content)
                sys.stdout.flush()
            else:
                self.stdout.write(
                    result.content.decode("utf-8-sig" if format == "csv" else "utf-8"), ending=""
                )
        else:
            output.write_bytes(result.content)
        for notice in result.notices:
            self.stderr.write(notice)
        if output is not None:
            self.stderr.write(
                _("Wrote %(path)s (%(count)s services).") % {"path": output, "count": result.count}
                if not template
                else _("Wrote %(path)s.") % {"path": output}
            )
