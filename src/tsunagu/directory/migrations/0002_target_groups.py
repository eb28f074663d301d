"""Seed the target groups (高齢者, 外国人 …) from directory/data/target_groups.yaml."""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "target_groups.yaml"


def load(apps, schema_editor):
    TargetGroup = apps.get_model("directory", "TargetGroup")
    for position, row in enumerate(yaml.safe_load(DATA.read_text(encoding="utf-8")), start=1):
        TargetGroup.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en") or "",
                "sort_order": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
