from __future__ import annotations

from typing import Any

from django import template

from ..fiscal import fiscal_year_label as _fiscal_year_label

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if mapping is None or key is None:
        return None
    return mapping.get(key)


@register.filter
def fiscal_year(year: int) -> str:
    return _fiscal_year_label(year)


@register.filter
def action_label(action: str) -> str:
    from ..audit_labels import label_for

    return label_for(action)
