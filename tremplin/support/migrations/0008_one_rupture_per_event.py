"""One rupture per event (rules A14, F12, F13): a support of a contract signed outside
Tremplin points to its rupture, one row of ``conventions.Rupture``; the former records are
merged in 0009 and removed in 0010 (separate migrations: PostgreSQL alters no table with
pending row changes)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_audit_security_actions_and_no_delete"),
        ("conventions", "0007_one_rupture_acknowledgements_smic"),
        ("registry", "0001_initial"),
        ("support", "0007_meeting_status_constraints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="supportepisode",
            name="contract_rupture",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="conventions.rupture",
                verbose_name="rupture du contrat (signé hors Tremplin)",
            ),
        ),
    ]
