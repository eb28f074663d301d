"""The backend's own index structure: an FTS5 table (SQLite) or a tsvector column
with a GIN index (PostgreSQL)."""

from django.db import migrations


def create_schema(apps, schema_editor):
    from tsunagu.textsearch.backends import backend_for

    backend_for(schema_editor.connection.alias).create_schema()


def drop_schema(apps, schema_editor):
    from tsunagu.textsearch.backends import backend_for

    backend_for(schema_editor.connection.alias).drop_schema()


class Migration(migrations.Migration):
    dependencies = [("textsearch", "0001_initial")]

    operations = [migrations.RunPython(create_schema, drop_schema)]
