"""tsunagu load_taxonomy [FILE] [--dry-run] [--json]: load a service taxonomy from YAML.

Without FILE, the bundled tsunagu-welfare v1 (``directory/data/taxonomy.yaml``).
Running it again changes nothing; an edited file updates the terms it changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.directory.taxonomy import (
    DEFAULT_TAXONOMY_FILE,
    TaxonomyFileError,
    load_taxonomy,
    read_taxonomy_file,
)


class Command(BaseCommand):
    help = (
        "Load a service taxonomy (categories) from a YAML file; idempotent and all or "
        "nothing. Terms missing from the file are kept and listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_TAXONOMY_FILE)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        try:
            document = read_taxonomy_file(path)
        except TaxonomyFileError as exc:
            lines = [f"{path}: the taxonomy was not loaded; nothing was changed."]
            lines += [f"  {error}" for error in exc.errors]
            raise CommandError("\n".join(lines)) from None
        report = load_taxonomy(document, dry_run=options["dry_run"])

        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        prefix = "[dry run] " if report.dry_run else ""
        self.stdout.write(
            f"{prefix}{report.taxonomy}: {len(document.terms)} terms — "
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged."
        )
        if report.not_in_file:
            self.stdout.write(
                f"{len(report.not_in_file)} terms in the database are not in the file and were "
                f"kept: {', '.join(report.not_in_file)}"
            )
