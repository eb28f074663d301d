"""Seed the national guideline table from plans/data/guideline_items.yaml."""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "guideline_items.yaml"


def load(apps, schema_editor):
    GuidelineItem = apps.get_model("plans", "GuidelineItem")
    circled = "①②③④⑤⑥⑦⑧⑨⑩"
    for row in yaml.safe_load(DATA.read_text(encoding="utf-8")):
        code = row["code"]
        GuidelineItem.objects.update_or_create(
            code=code,
            defaults={
                "number": circled.index(code[0]) + 1,
                "letter": code[1:],
                "text": row.get("text") or "",
                "text_status": row["text_status"],
                "source": row.get("source") or "",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
