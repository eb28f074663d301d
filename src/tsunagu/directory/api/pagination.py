"""The HSDS ``Page``: one page of a list with the counts clients page by."""

from __future__ import annotations

from typing import Any

from .params import Paging


def total_pages(total: int, per_page: int) -> int:
    """At least 1: an empty list is one empty page."""
    return max(1, -(-total // per_page))


def hsds_page(contents: list[Any], *, total: int, paging: Paging) -> dict[str, Any]:
    """``total_items`` … ``empty`` as HSDS 3.0's openapi.json defines them, then ``contents``.

    ``size`` is the number of entities on this page (the HSDS API reference), and
    ``empty`` says this page has none, as on a page past the last.
    """
    pages = total_pages(total, paging.per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= pages,
        "empty": not contents,
        "contents": contents,
    }
