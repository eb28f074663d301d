"""The welfare synonym list shipped in textsearch/data/synonyms.yaml."""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "synonyms.yaml"


def load(apps, schema_editor):
    SynonymGroup = apps.get_model("textsearch", "SynonymGroup")
    groups = yaml.safe_load(DATA.read_text(encoding="utf-8"))["groups"]
    SynonymGroup.objects.using(schema_editor.connection.alias).bulk_create(
        SynonymGroup(words="\n".join(str(word) for word in words), note="tsunagu 0.1")
        for words in groups
    )


def unload(apps, schema_editor):
    apps.get_model("textsearch", "SynonymGroup").objects.using(
        schema_editor.connection.alias
    ).filter(note="tsunagu 0.1").delete()


class Migration(migrations.Migration):
    dependencies = [("textsearch", "0002_index_schema")]

    operations = [migrations.RunPython(load, unload)]
