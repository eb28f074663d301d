from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .auth import is_locked_out
from .home import home_panels
from .services import log_action


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is not correct. Check them and try again; "
            "after several failures the account is locked for a while."
        ),
        "inactive": _("This account is disabled. Ask your administrator."),
        "locked": _(
            "This account is locked after repeated failed logins. "
            "Try again in %(minutes)s minutes or ask your administrator."
        ),
    }

    def clean(self) -> dict:
        username = self.cleaned_data.get("username")
        try:
            return super().clean()
        except ValidationError:
            if username and is_locked_out(username):
                from django.conf import settings

                raise ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
                ) from None
            raise


LoginForm.base_fields["username"].widget = forms.TextInput(
    attrs={"autocomplete": "username", "autocapitalize": "none"}
)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        log_action("core.user.logged_in", actor=form.get_user(), request=self.request)
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        log_action("core.user.logged_out", actor=request.user, request=request)  # type: ignore[arg-type]
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("core:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    panels = [panel(request) for panel in home_panels()]
    return render(request, "core/home.html", {"panels": [p for p in panels if p]})


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
