"""The ruptures already recorded on a convention (rules A14, F13): their person is the
convention's, and they were known, at the latest, when they were recorded."""

from django.db import migrations


def whose_and_when(apps, schema_editor):
    Rupture = apps.get_model("conventions", "Rupture")
    for rupture in Rupture.objects.select_related("convention"):
        rupture.beneficiary_id = rupture.convention.beneficiary_id
        rupture.known_at = rupture.created_at
        rupture.save(update_fields=["beneficiary", "known_at"])


class Migration(migrations.Migration):
    dependencies = [("conventions", "0007_one_rupture_acknowledgements_smic")]

    operations = [migrations.RunPython(whose_and_when, migrations.RunPython.noop)]
