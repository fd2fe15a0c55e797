"""One rupture per event (rules A14, F12, F13): the convention's rupture may stand without a
convention (a contract signed outside Tremplin) and carries what the in-employment support
recorded — the moment it was known (A14), the concertation, who recorded it — and the
person it concerns; ruptures and suspensions get the département's acknowledgement (its work
queue); the SMIC values a département enters (rules E1, F10).

The ruptures already recorded on a convention get their person and moment known in 0008,
then both become required in 0009 (separate migrations: PostgreSQL alters no table with
pending row changes). The in-employment support's former records are merged in by
``support.0009``."""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conventions", "0006_shipped_orders_validity"),
        ("registry", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SmicValue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "valid_from",
                    models.DateField(unique=True, verbose_name="en vigueur à partir du"),
                ),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=4,
                        max_digits=6,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                        verbose_name="SMIC horaire brut (€)",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        help_text="Le décret ou l'arrêté qui fixe cette valeur, tel que publié au Journal officiel (par exemple « Décret n° 2025-1228 du 17 décembre 2025 … »).",
                        max_length=300,
                        verbose_name="texte légal",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="saisie le")),
            ],
            options={
                "verbose_name": "valeur du SMIC horaire",
                "verbose_name_plural": "valeurs du SMIC horaire",
                "ordering": ["-valid_from"],
            },
        ),
        migrations.AddField(
            model_name="rupture",
            name="acknowledged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="prise en compte le"),
        ),
        migrations.AddField(
            model_name="rupture",
            name="acknowledged_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="prise en compte par",
            ),
        ),
        migrations.AddField(
            model_name="rupture",
            name="beneficiary",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ruptures",
                to="registry.beneficiary",
                verbose_name="salarié",
            ),
        ),
        migrations.AddField(
            model_name="rupture",
            name="concertation_held",
            field=models.BooleanField(
                default=False, verbose_name="concertation préalable tenue (A14)"
            ),
        ),
        migrations.AddField(
            model_name="rupture",
            name="known_at",
            field=models.DateTimeField(null=True, verbose_name="rupture connue le (date et heure)"),
        ),
        migrations.AddField(
            model_name="rupture",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="enregistrée par",
            ),
        ),
        migrations.AddField(
            model_name="rupture",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="modifiée le"),
        ),
        migrations.AddField(
            model_name="suspension",
            name="acknowledged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="prise en compte le"),
        ),
        migrations.AddField(
            model_name="suspension",
            name="acknowledged_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="prise en compte par",
            ),
        ),
        migrations.AddField(
            model_name="suspension",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="enregistrée par",
            ),
        ),
        migrations.AlterField(
            model_name="rupture",
            name="convention",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rupture",
                to="conventions.convention",
                verbose_name="convention",
            ),
        ),
        migrations.AlterField(
            model_name="rupture",
            name="reason",
            field=models.TextField(verbose_name="motif"),
        ),
        migrations.AddIndex(
            model_name="rupture",
            index=models.Index(fields=["acknowledged_at"], name="rupture_to_process"),
        ),
        migrations.AddIndex(
            model_name="suspension",
            index=models.Index(fields=["acknowledged_at"], name="suspension_to_process"),
        ),
        migrations.AddConstraint(
            model_name="rupture",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("convention__isnull", False), ("repayment_due", 0), _connector="OR"
                ),
                name="rupture_repayment_needs_convention",
            ),
        ),
        migrations.AddField(
            model_name="smicvalue",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="saisie par",
            ),
        ),
        migrations.AddConstraint(
            model_name="smicvalue",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__gt", 0)), name="smic_value_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="smicvalue",
            constraint=models.CheckConstraint(
                condition=models.Q(("source", ""), _negated=True), name="smic_value_has_source"
            ),
        ),
    ]
