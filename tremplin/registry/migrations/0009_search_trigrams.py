"""The search by name's index on PostgreSQL: ``pg_trgm``'s GIN index on ``search_text``, which
serves ``LIKE '%part%'`` (registry/search_index.py; on SQLite the FTS5 table is built after
``migrate``). ``pg_trgm`` is a trusted extension: the database's owner may create it."""

from django.db import migrations

INDEX = "registry_beneficiary_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_beneficiary "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_import_file_deleted_at")]

    operations = [migrations.RunPython(create, drop)]
