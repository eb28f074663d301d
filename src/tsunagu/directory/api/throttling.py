"""Rate limits for the public HSDS API: per client address, shared by every endpoint.

The rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["hsds"]`` (``TSUNAGU_API_RATE``,
e.g. ``120/min``), counted in the default cache (Redis when several app processes
serve the city). It is read per request rather than once at import, so a changed
setting (and a test's override) takes effect.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

SCOPE = "hsds"


class HsdsRateThrottle(SimpleRateThrottle):
    scope = SCOPE

    def get_rate(self) -> str | None:
        rate: str | None = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return rate

    def get_cache_key(self, request: Request, view: Any) -> str:
        # Anonymous by design: the API has no accounts, so the address is the client.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
