"""The audit log refuses updates in the database itself, not only in the ORM.

PostgreSQL also refuses row deletions (TRUNCATE, used to purge at the end of retention or
by test teardown, stays possible to the database owner). SQLite triggers refuse updates.
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER accounts_auditentry_append_only
BEFORE UPDATE ON accounts_auditentry
BEGIN
    SELECT RAISE(ABORT, 'Le journal d''audit est en ajout seul.');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS accounts_auditentry_append_only;"

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION accounts_auditentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Le journal d''audit est en ajout seul.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditentry_append_only
BEFORE UPDATE OR DELETE ON accounts_auditentry
FOR EACH ROW EXECUTE FUNCTION accounts_auditentry_refuse_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry;
DROP FUNCTION IF EXISTS accounts_auditentry_refuse_change();
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
