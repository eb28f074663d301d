"""The 404, 403 and 500 pages: translated, and the 500 page renders without a request."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import permission_denied, server_error


def test_it_renders_the_japanese_404_page_for_a_missing_url(client: Client, settings: Any) -> None:
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    html = response.content.decode()
    assert '<html lang="ja"' in html
    assert "ページが見つかりません" in html
    assert "ホームへ戻る" in html
    assert "Page not found" not in html


def test_it_renders_the_404_page_in_english_when_asked(client: Client, settings: Any) -> None:
    settings.DEBUG = False
    response = client.get("/no-such-page/", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_it_renders_the_japanese_403_page() -> None:
    request = RequestFactory().get("/plan/")
    with translation.override("ja"):
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "アクセスできません" in response.content.decode()


def test_it_renders_the_500_page_without_a_request_context() -> None:
    # server_error() renders 500.html with an empty Context: no request, no context processors.
    request = RequestFactory().get("/")
    with translation.override("ja"):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="ja"' in html
    assert "サーバーエラー" in html
    assert 'href="/"' in html
