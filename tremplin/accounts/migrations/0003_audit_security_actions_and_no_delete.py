"""The audit log's security actions (failed logins, lockouts, second factor,
password changes, expired sessions), and SQLite refusing deletions as PostgreSQL does.

The SQLite trigger lets a deletion through only when the connection's
``tremplin_audit_purge_allowed()`` function answers 1: Tremplin registers it on each of its
connections (``tremplin.accounts.db``) and it answers 1 only under the setting
``TREMPLIN_AUDIT_PURGE_ALLOWED`` (the test suite's flush between tests, as PostgreSQL's
TRUNCATE). Any other client (the sqlite3 shell) lacks the function: its DELETE fails too.
"""

from django.db import migrations, models

SQLITE_UP = """
CREATE TRIGGER accounts_auditentry_no_delete
BEFORE DELETE ON accounts_auditentry
WHEN tremplin_audit_purge_allowed() IS NOT 1
BEGIN
    SELECT RAISE(ABORT, 'Le journal d''audit est en ajout seul.');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS accounts_auditentry_no_delete;"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    # PostgreSQL: 0002's trigger already refuses UPDATE and DELETE.


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_append_only")]
    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Consultation"),
                    ("create", "Création"),
                    ("update", "Modification"),
                    ("delete", "Suppression"),
                    ("export", "Export"),
                    ("transfer", "Transfert"),
                    ("login", "Connexion"),
                    ("login_fail", "Échec de connexion"),
                    ("lockout", "Compte verrouillé"),
                    ("password", "Changement de mot de passe"),
                    ("otp_on", "Double authentification activée"),
                    ("otp_off", "Double authentification retirée"),
                    ("otp_reset", "Double authentification réinitialisée"),
                    ("session", "Session expirée"),
                ],
                max_length=10,
                verbose_name="action",
            ),
        ),
        migrations.RunPython(install, uninstall),
    ]
