"""A strict Content-Security-Policy: our own scripts and styles only."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


@lru_cache(maxsize=8)
def policy(tile_url: str = "") -> str:
    """POLICY, with images also from the host of the map tiles (``MAP_TILE_URL``)."""
    parts = urlsplit(tile_url)
    host = parts.netloc.rpartition("@")[2] if parts.scheme in {"http", "https"} else ""
    host = host.replace("{s}.", "*.", 1)  # Leaflet's subdomains: a CSP wildcard
    if not host or "{" in host:
        return POLICY
    return POLICY.replace("img-src 'self' data:", f"img-src 'self' data: {parts.scheme}://{host}")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", policy(getattr(settings, "MAP_TILE_URL", ""))
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response
