"""The staff home page is assembled from panels that each app registers.

Core knows nothing of the apps above it; an app calls :func:`register_panel`
in its ``AppConfig.ready`` with a function returning a context for the panel's
template (or ``None`` to hide it for this user).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

PanelFunction = Callable[[HttpRequest], dict[str, Any] | None]
_panels: list[tuple[int, str, PanelFunction]] = []


def register_panel(template: str, function: PanelFunction, *, order: int = 100) -> None:
    if any(existing == template for _order, existing, _function in _panels):
        return
    _panels.append((order, template, function))
    _panels.sort(key=lambda panel: panel[0])


def home_panels() -> list[Callable[[HttpRequest], SafeString | None]]:
    def renderer(
        template: str, function: PanelFunction
    ) -> Callable[[HttpRequest], SafeString | None]:
        def render(request: HttpRequest) -> SafeString | None:
            context = function(request)
            if context is None:
                return None
            return SafeString(render_to_string(template, context, request=request))

        return render

    return [renderer(template, function) for _order, template, function in _panels]
