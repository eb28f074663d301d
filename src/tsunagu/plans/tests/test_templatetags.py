"""Template filters of the plan pages and reports."""

from __future__ import annotations

from django.template import Context, Template

from tsunagu.plans.templatetags.plans import css_string


def test_css_string_escapes_what_would_end_or_break_the_css_string() -> None:
    assert css_string('A "B" \\ C') == "A \\22 B\\22  \\5C  C"
    assert css_string("a\nb") == "a\\A b"
    assert css_string("</style>") == "\\3C /style\\3E "
    assert css_string("鎌倉市地域福祉計画（令和7年度）") == "鎌倉市地域福祉計画（令和7年度）"


def test_css_string_is_not_escaped_again_by_the_template() -> None:
    rendered = Template('{% load plans %}<style>x{content:"{{ v|css_string }}"}</style>').render(
        Context({"v": "O'Neil & <Co>"})
    )
    assert rendered == '<style>x{content:"O\\27 Neil \\26  \\3C Co\\3E "}</style>'
