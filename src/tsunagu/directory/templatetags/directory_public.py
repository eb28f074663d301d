"""Template filters for the public directory pages."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString

from tsunagu.textsearch.furigana import ruby, ruby_highlighted

register = template.Library()


@register.filter(is_safe=True)
def furigana(value: object, wanted: bool = True) -> SafeString:
    """``{{ name|furigana:display.furigana }}``: ruby over the kanji when wanted.

    Safe input is taken to be a highlighted snippet (escaped text and <mark> tags).
    """
    if value is None:
        return SafeString("")
    if not wanted:
        return SafeString(conditional_escape(str(value)))
    if isinstance(value, SafeData):
        return ruby_highlighted(str(value))
    return ruby(str(value))
