"""tsunagu export_plan --format json|yaml|xlsx [-o FILE]: the structured plan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.plans.importers import dump_json, dump_xlsx, dump_yaml
from tsunagu.plans.loading import plan_to_document
from tsunagu.plans.models import Plan


class Command(BaseCommand):
    help = "Write the plan as JSON, YAML or the Excel template (which import_plan reads back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "yaml", "xlsx"], default="json")
        parser.add_argument(
            "-o", "--output", type=Path, help="file to write (default: standard output)"
        )
        parser.add_argument("--plan", type=int, help="plan id (default: the current plan)")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = Plan.objects.all()
        plan = (
            plans.filter(pk=options["plan"]).first()
            if options["plan"]
            else (plans.filter(is_current=True).order_by("-last_fiscal_year", "-pk").first())
        )
        if plan is None:
            raise CommandError("no plan to export; load one with `tsunagu import_plan FILE`")
        document = plan_to_document(plan)
        output = Path(options["output"]) if options["output"] else None
        if options["format"] == "xlsx":
            data = dump_xlsx(document)
            if output is None:
                if sys.stdout.isatty():
                    raise CommandError("refusing to write a workbook to a terminal; pass -o FILE")
                sys.stdout.buffer.write(data)
                return
            output.write_bytes(data)
        else:
            text = dump_json(document) if options["format"] == "json" else dump_yaml(document)
            if output is None:
                self.stdout.write(text, ending="")
                return
            output.write_text(text, encoding="utf-8")
        self.stderr.write(f"wrote {output}")
