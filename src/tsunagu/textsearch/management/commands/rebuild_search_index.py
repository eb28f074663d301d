from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tsunagu.textsearch.index import rebuild, searchables


class Command(BaseCommand):
    help = "Rebuild the search index from the records (all kinds, or one with --kind)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind",
            help="only this kind of record, e.g. plans.initiative or directory.service",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, kind: str | None, database: str, **options: Any) -> None:
        known = sorted(entry.kind for entry in searchables())
        if kind is not None and kind not in known:
            raise CommandError(
                _("Unknown kind %(kind)s. Known kinds: %(known)s")
                % {"kind": kind, "known": ", ".join(known)}
            )
        counts = rebuild(kind, using=database)
        for name, count in counts.items():
            self.stdout.write(
                _("%(kind)s: %(count)d records indexed") % {"kind": name, "count": count}
            )
