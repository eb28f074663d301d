"""Synonym groups added to textsearch/data/synonyms.yaml after 0003.

Adds each group of the file that the database does not hold word for word; an
administrator's own groups and edits are left alone.
"""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "synonyms.yaml"


def add_missing(apps, schema_editor):
    SynonymGroup = apps.get_model("textsearch", "SynonymGroup")
    groups = SynonymGroup.objects.using(schema_editor.connection.alias)
    present = {tuple(g.words.splitlines()) for g in groups.all()}
    for words in yaml.safe_load(DATA.read_text(encoding="utf-8"))["groups"]:
        lines = tuple(str(word) for word in words)
        if lines not in present:
            groups.create(words="\n".join(lines), note="tsunagu 0.2")


def remove_added(apps, schema_editor):
    apps.get_model("textsearch", "SynonymGroup").objects.using(
        schema_editor.connection.alias
    ).filter(note="tsunagu 0.2").delete()


class Migration(migrations.Migration):
    dependencies = [("textsearch", "0003_synonyms")]

    operations = [migrations.RunPython(add_missing, remove_added)]
