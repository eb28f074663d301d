"""Template filters for the public directory pages."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import get_language

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


@register.simple_tag
def lang_attr(code: str) -> SafeString:
    """`` lang="ja"`` on an element whose text is not in the page's language (WCAG 3.1.2):
    ``<dd{% lang_attr "ja" %}>`` for Japanese-only data such as addresses, or
    ``{% lang_attr card.name_lang %}`` for a field that may have fallen back to Japanese."""
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if not code or code.split("-")[0] == current:
        return SafeString("")
    return format_html(' lang="{}"', code)


@register.filter
def web_url(value: object) -> str:
    """The address when it is an http(s) web address, else nothing (imported data is
    validated, but a ``javascript:`` link must never reach a resident's page)."""
    url = str(value or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""
