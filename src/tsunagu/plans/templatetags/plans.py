from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

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


@register.filter
def css_string(value: Any) -> SafeString:
    """``value`` for use inside a double-quoted CSS string (e.g. a PDF page header).

    CSS escapes are a backslash and a hexadecimal code point followed by a space;
    JavaScript escapes (escapejs) print literally in CSS. Quotes, backslashes, line
    breaks and the characters that could close the <style> element are escaped.
    """
    escaped = []
    for character in str(value):
        if character in "\"'\\<>&" or ord(character) < 0x20 or ord(character) == 0x7F:
            escaped.append(f"\\{ord(character):X} ")
        else:
            escaped.append(character)
    # Safe for HTML too: every character HTML would escape has been escaped for CSS
    # (and inside <style> HTML entities would print literally).
    return mark_safe("".join(escaped))
