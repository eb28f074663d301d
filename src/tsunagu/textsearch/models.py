from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SearchDocument(models.Model):
    """One indexed record: which kind of thing it is and which row.

    The text lives beside it in the backend's own structure (an FTS5 table whose
    rowid is this id on SQLite; a `vector` tsvector column on this table on
    PostgreSQL), written in the same transaction as the record.
    """

    kind = models.CharField(_("kind"), max_length=64)
    object_pk = models.BigIntegerField(_("record id"))
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_pk"], name="textsearch_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_pk}"


class Reading(models.Model):
    """A katakana reading that occurs in the index (lets kana queries be split)."""

    reading = models.CharField(_("reading"), max_length=64, primary_key=True)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")

    def __str__(self) -> str:
        return self.reading


class SynonymGroup(models.Model):
    """Words that mean the same thing to someone looking for help."""

    words = models.TextField(
        _("words"),
        help_text=_("One word or phrase per line. A search for any of them finds all."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_active = models.BooleanField(pgettext_lazy("in use", "active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["id"]

    def __str__(self) -> str:
        return " / ".join(self.word_list()[:4])

    def word_list(self) -> list[str]:
        return [line.strip() for line in self.words.splitlines() if line.strip()]
