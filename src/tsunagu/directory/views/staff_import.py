"""Bulk import on the staff pages: upload → dry-run preview with row errors → confirm.

The reading and writing are ``directory.importers.read_directory_file`` and
``directory.loading.load_directory`` (the same as ``tsunagu import_directory``).
Between preview and confirmation the upload waits in a private staging folder
under ``VAR_DIR``, named by a random token that only the uploader's session knows;
the confirmation re-reads that very file (checked by its SHA-256) and deletes it.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from tsunagu.core.auth import AuthenticatedHttpRequest

from .. import policies
from ..exporters import dump_xlsx
from ..forms import ImportForm
from ..importers import read_directory_file
from ..loading import LoadReport, load_directory

SESSION_KEY = "directory_import"
# Staged files nobody confirmed are removed after this long.
STAGING_SECONDS = 24 * 3600


def staging_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "directory-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clear_stale(folder: Path) -> None:
    cutoff = time.time() - STAGING_SECONDS
    for staged in folder.glob("*.upload"):
        if staged.stat().st_mtime < cutoff:
            staged.unlink(missing_ok=True)


def stage(data: bytes) -> str:
    folder = staging_dir()
    clear_stale(folder)
    token = secrets.token_hex(16)
    (folder / f"{token}.upload").write_bytes(data)
    return token


def staged_path(token: str) -> Path:
    if not token.isalnum():
        raise Http404
    return staging_dir() / f"{token}.upload"


def require_importer(request: AuthenticatedHttpRequest) -> None:
    if not policies.can_import(request.user):
        raise Http404


def crumbs(*items: tuple[str, str | None]) -> list[dict[str, str | None]]:
    return [{"label": label, "url": url} for label, url in items]


def page(request: AuthenticatedHttpRequest, template: str, **context: Any) -> HttpResponse:
    context.setdefault("nav", "directory")
    context.setdefault(
        "breadcrumbs",
        crumbs(
            (_("Directory"), reverse("directory:staff_list")),
            (_("Import"), None),
        ),
    )
    return render(request, template, context)


@login_required
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a file and see what importing it would do; nothing is written."""
    require_importer(request)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        batch = read_directory_file(data, name=upload.name)
        report = load_directory(
            batch,
            actor=request.user,
            dry_run=True,
            skip_invalid=form.cleaned_data["skip_invalid"],
            source=upload.name,
            request=request,
        )
        token = ""
        if confirmable(report):
            token = stage(data)
            request.session[SESSION_KEY] = {
                "token": token,
                "name": upload.name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "skip_invalid": form.cleaned_data["skip_invalid"],
            }
        return page(
            request,
            "directory/staff/import_preview.html",
            report=report,
            name=upload.name,
            token=token,
            writes=len(report.created) + len(report.updated),
            form=ImportForm(),
        )
    return page(request, "directory/staff/import.html", form=form)


def confirmable(report: LoadReport) -> bool:
    """Something would be written: no errors, or errors skipped with rows left to import."""
    would_write = bool(report.created or report.updated)
    return would_write and (report.ok or report.skip_invalid)


@login_required
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_importer(request)
    if request.method != "POST":
        return redirect("directory:staff_import")
    staged = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    if not staged or not secrets.compare_digest(staged.get("token", ""), token):
        messages.error(
            request, _("This import was already done or has expired. Upload the file again.")
        )
        return redirect("directory:staff_import")
    source = staged_path(token)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        request.session.pop(SESSION_KEY, None)
        messages.error(
            request, _("This import was already done or has expired. Upload the file again.")
        )
        return redirect("directory:staff_import")
    if hashlib.sha256(data).hexdigest() != staged["sha256"]:
        raise Http404
    batch = read_directory_file(data, name=staged["name"])
    report = load_directory(
        batch,
        actor=request.user,
        skip_invalid=staged["skip_invalid"],
        source=staged["name"],
        request=request,
    )
    source.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)
    if not report.written:
        # The directory changed since the preview and the file no longer passes.
        return page(
            request,
            "directory/staff/import_preview.html",
            report=report,
            name=staged["name"],
            token="",
            form=ImportForm(),
            failed=True,
        )
    counts = report.counts()
    messages.success(
        request,
        _(
            "%(name)s was imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(skipped)s rows skipped."
        )
        % {"name": staged["name"], **counts},
    )
    return redirect("directory:staff_list")


@login_required
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The empty Excel template with its 説明 sheet (``directory.exporters``)."""
    require_importer(request)
    response = HttpResponse(
        dump_xlsx([]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="directory-template.xlsx"'
    return response


urlpatterns: list[URLPattern] = [
    path("import/", import_upload, name="staff_import"),
    path("import/confirm/", import_confirm, name="staff_import_confirm"),
    path("import/template.xlsx", import_template, name="staff_import_template"),
]
