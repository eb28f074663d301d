"""tsunagu search_directory QUERY [--area A] [--category C] [--target-group G] [--limit N] [--json]

Ranked directory search through ``directory.search.find_services`` (the same search
as the public pages and the API). ``--json`` prints
``{"total": N, "results": [{"id", "name", "organization", "score"}]}``, best first.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from tsunagu.core.models import Area
from tsunagu.directory.models import TargetGroup, TaxonomyTerm
from tsunagu.directory.search import MAX_PER_PAGE, FilterError, ServiceFilters, find_services

OPTIONS = {"area": "--area", "category": "--category", "target_group": "--target-group"}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


class Command(BaseCommand):
    help = "Search the directory as residents do; --json for scripts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="words to search for (empty: every service, by name)")
        parser.add_argument("--area", default="", help="area code or name")
        parser.add_argument(
            "--category", action="append", default=[], help="category code or name (repeatable)"
        )
        parser.add_argument(
            "--target-group",
            action="append",
            default=[],
            help="target group code or name (repeatable)",
        )
        parser.add_argument("--limit", type=int, default=10, help=f"at most {MAX_PER_PAGE}")
        parser.add_argument("--json", action="store_true", help="print the results as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        limit: int = options["limit"]
        if not 1 <= limit <= MAX_PER_PAGE:
            raise CommandError(
                _("--limit: give a number from 1 to %(max)s.") % {"max": MAX_PER_PAGE}
            )
        filters = ServiceFilters(
            q=options["query"],
            area=self._area(options["area"]),
            categories=tuple(self._category(value) for value in options["category"]),
            target_groups=tuple(self._group(value) for value in options["target_group"]),
        )
        try:
            page = find_services(filters, per_page=limit)
        except FilterError as exc:
            option = OPTIONS.get(exc.field_name, f"--{exc.field_name.replace('_', '-')}")
            raise CommandError(f"{option}: {exc.message}") from None
        results = [
            {
                "id": str(service.uuid),
                "name": service.name,
                "organization": service.organization.name,
                "score": float(page.scores.get(service.pk, 0.0)),
            }
            for service in page.services
        ]
        if options["json"]:
            self.stdout.write(
                json.dumps({"total": page.total, "results": results}, ensure_ascii=False)
            )
            return
        self.stdout.write(_("%(total)s services found.") % {"total": page.total})
        for number, result in enumerate(results, start=1):
            self.stdout.write(
                f"{number:>3}. {result['name']} — {result['organization']}"
                + (f"  ({result['score']:.3f})" if result["score"] else "")
            )

    # Names are accepted where the filters take codes, as people type them.
    def _area(self, value: str) -> str:
        text = _fold(value)
        if not text or Area.objects.filter(code=text).exists():
            return text
        found = list(Area.objects.filter(name=text).values_list("code", flat=True)[:2])
        return found[0] if len(found) == 1 else text

    def _category(self, value: str) -> str:
        text = _fold(value)
        if TaxonomyTerm.objects.filter(code=text).exists():
            return text
        found = list(
            TaxonomyTerm.objects.filter(Q(name=text) | Q(name_en__iexact=text)).values_list(
                "code", flat=True
            )[:2]
        )
        return found[0] if len(found) == 1 else text

    def _group(self, value: str) -> str:
        text = _fold(value)
        found = TargetGroup.objects.filter(
            Q(code=text) | Q(name=text) | Q(name_en__iexact=text)
        ).first()
        return found.code if found is not None else text
