"""The audit log stays append-only, with one privileged path: when a person's file is
anonymised, their rows' ``object_repr`` and ``changes`` may be rewritten (``db.audit_rewrite``),
nothing else, and never a deletion.

SQLite: the UPDATE trigger of 0002 lets an update through only when the connection's
``tremplin_audit_rewrite_allowed()`` answers 1 and no other column changes. PostgreSQL: the
trigger function of 0002 lets an UPDATE through only when the transaction-local setting
``tremplin.audit_rewrite`` is ``on`` and no other column changes; DELETE is still refused.
"""

from django.db import migrations

# Every column but object_repr and changes.
KEPT = (
    "id", "at", "actor_id", "actor_email", "action", "object_type", "object_id",
    "ip_address", "user_agent", "source", "path",
)  # fmt: skip

SQLITE_UP = f"""
DROP TRIGGER IF EXISTS accounts_auditentry_append_only;
CREATE TRIGGER accounts_auditentry_append_only
BEFORE UPDATE ON accounts_auditentry
WHEN tremplin_audit_rewrite_allowed() IS NOT 1
    OR {" OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in KEPT)}
BEGIN
    SELECT RAISE(ABORT, 'Le journal d''audit est en ajout seul.');
END;
"""
SQLITE_DOWN = """
DROP TRIGGER IF EXISTS accounts_auditentry_append_only;
CREATE TRIGGER accounts_auditentry_append_only
BEFORE UPDATE ON accounts_auditentry
BEGIN
    SELECT RAISE(ABORT, 'Le journal d''audit est en ajout seul.');
END;
"""

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION accounts_auditentry_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND current_setting('tremplin.audit_rewrite', true) = 'on'
        AND ({", ".join(f"NEW.{column}" for column in KEPT)})
            IS NOT DISTINCT FROM ({", ".join(f"OLD.{column}" for column in KEPT)})
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Le journal d''audit est en ajout seul.';
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_DOWN = """
CREATE OR REPLACE FUNCTION accounts_auditentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Le journal d''audit est en ajout seul.';
END;
$$ LANGUAGE plpgsql;
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _sqlite(schema_editor, SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _sqlite(schema_editor, SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


def _sqlite(schema_editor, script: str) -> None:
    # One statement per call (the trigger's body holds a semicolon of its own).
    drop, create = script.strip().split(";\n", 1)
    schema_editor.execute(drop)
    schema_editor.execute(create)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_organisation_address")]
    operations = [migrations.RunPython(install, uninstall)]
