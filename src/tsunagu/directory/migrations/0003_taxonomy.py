"""Load the tsunagu-welfare v1 taxonomy from directory/data/taxonomy.yaml.

Later edits to the file reach existing databases through `tsunagu load_taxonomy`.
"""

from django.db import migrations

from tsunagu.directory.taxonomy import DEFAULT_TAXONOMY_FILE, load_taxonomy, read_taxonomy_file


def load(apps, schema_editor):
    load_taxonomy(
        read_taxonomy_file(DEFAULT_TAXONOMY_FILE),
        taxonomy_model=apps.get_model("directory", "Taxonomy"),
        term_model=apps.get_model("directory", "TaxonomyTerm"),
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_target_groups")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
