"""`tsunagu load_demo` is assembled from loaders that each app registers.

Core knows nothing of the apps above it (like the home page's panels in
``core/home.py``): an app calls :func:`register_demo_loader` in its
``AppConfig.ready`` with a function that loads its demo data, and optionally a
function adding its own command-line options. The command loads the reference
data, then runs every loader in ``order`` (lower first) in one transaction.

A loader writes what it did through ``context.write`` (shown once everything is
loaded) and ``context.write_last`` for what the reader needs at the very end,
such as the demo accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.management.base import CommandParser

Style = Literal["", "warning", "success"]


@dataclass
class DemoContext:
    """What a loader receives: the command's options and somewhere to report."""

    options: Mapping[str, Any]
    lines: list[tuple[str, Style]] = field(default_factory=list)
    last_lines: list[tuple[str, Style]] = field(default_factory=list)

    def write(self, text: str, style: Style = "") -> None:
        self.lines.append((text, style))

    def write_last(self, text: str, style: Style = "") -> None:
        self.last_lines.append((text, style))


DemoLoader = Callable[[DemoContext], None]
ArgumentAdder = Callable[[CommandParser], None]


@dataclass(frozen=True)
class RegisteredLoader:
    name: str
    load: DemoLoader
    order: int
    add_arguments: ArgumentAdder | None = None


_loaders: list[RegisteredLoader] = []


def register_demo_loader(
    name: str,
    load: DemoLoader,
    *,
    order: int = 100,
    add_arguments: ArgumentAdder | None = None,
) -> None:
    """Add an app's demo loader; registering a name again does nothing (ready() may run twice)."""
    if any(loader.name == name for loader in _loaders):
        return
    _loaders.append(RegisteredLoader(name, load, order, add_arguments))
    _loaders.sort(key=lambda loader: (loader.order, loader.name))


def demo_loaders() -> list[RegisteredLoader]:
    return list(_loaders)
