"""Every rupture says whose contract ended and when it was known (rule A14)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("conventions", "0008_rupture_whose_and_when")]

    operations = [
        migrations.AlterField(
            model_name="rupture",
            name="beneficiary",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ruptures",
                to="registry.beneficiary",
                verbose_name="salarié",
            ),
        ),
        migrations.AlterField(
            model_name="rupture",
            name="known_at",
            field=models.DateTimeField(verbose_name="rupture connue le (date et heure)"),
        ),
    ]
