"""Password login with lockout after repeated failures, and the request type of logged-in views."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from .models import LoginAttempt, User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a ``@login_required`` view receives: its user is a staff account.

    Only for annotations (django-stubs' recommended pattern); Django never builds one.
    """

    user: User


def is_locked_out(username: str) -> bool:
    """Locked while the window holds ``LOGIN_FAILURE_LIMIT`` failures since the last success."""
    window_start = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginAttempt.objects.filter(username__iexact=username, at__gte=window_start)
    last_success = recent.filter(succeeded=True).order_by("-at").values_list("at", flat=True)
    failures = recent.filter(succeeded=False)
    if last_success:
        failures = failures.filter(at__gt=last_success[0])
    return failures.count() >= settings.LOGIN_FAILURE_LIMIT


class LockoutModelBackend(ModelBackend):
    """The model backend, refusing any password while the username is locked out.

    Every attempt is recorded, also for usernames that do not exist, so that
    probing for accounts is throttled the same way.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username:
            return None
        ip = request.META.get("REMOTE_ADDR") if request is not None else None
        if is_locked_out(username):
            LoginAttempt.objects.create(username=username, succeeded=False, ip_address=ip)
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        LoginAttempt.objects.create(username=username, succeeded=user is not None, ip_address=ip)
        return user
