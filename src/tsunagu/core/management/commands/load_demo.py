"""tsunagu load_demo [options of the apps' loaders]: a realistic demo data set.

Loads the reference organisations and areas, then runs every demo loader the apps
registered with ``core.demo.register_demo_loader`` (the plan with accounts and
progress reports, the directory's services …), in order, in one transaction: a
failure leaves the database as it was. Each loader is idempotent, so running the
command again changes nothing. `make demo` runs it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tsunagu.core.demo import DemoContext, Style, demo_loaders
from tsunagu.core.management.commands.load_reference_data import (
    ReferenceDataError,
    load_reference_data,
)


class Command(BaseCommand):
    help = (
        "Load the reference data and every app's demo data (the Kamakura plan, demo accounts, "
        "progress reports, indicator values, directory services). Idempotent: running it "
        "again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for loader in demo_loaders():
            if loader.add_arguments is not None:
                loader.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        context = DemoContext(options=options)
        try:
            with transaction.atomic():
                reference = load_reference_data()
                for loader in demo_loaders():
                    loader.load(context)
        except ReferenceDataError as exc:
            raise CommandError("reference data not loaded:\n" + "\n".join(exc.errors)) from None

        for key, label in (("organizations", "organisations"), ("areas", "areas")):
            counts = reference.counts[key]
            self.stdout.write(f"{label}: {counts.total} ({counts.created} new)")
        for text, style in context.lines:
            self._write(text, style)
        if context.last_lines:
            self.stdout.write("")
        for text, style in context.last_lines:
            self._write(text, style)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _write(self, text: str, style: Style) -> None:
        if style == "warning":
            text = self.style.WARNING(text)
        elif style == "success":
            text = self.style.SUCCESS(text)
        self.stdout.write(text)
