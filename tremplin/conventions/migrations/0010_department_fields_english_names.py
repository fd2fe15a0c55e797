"""The three département fields of a convention get English Python names; their columns keep
the names they had (``db_column``), so the database does not change: no table rebuild, no
lock, and the check constraint keeps its name and its SQL."""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models

OLD_AND_NEW = [
    ("prescribed_for_departement", "prescribed_for_department"),
    ("departement_rate_percent", "department_rate_percent"),
    ("departement_funds_alone", "department_funds_alone"),
]


class Migration(migrations.Migration):
    dependencies = [("conventions", "0009_rupture_known_and_whose_required")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="convention", name="convention_departement_rate_at_most_100"
                ),
                *(
                    migrations.RenameField(model_name="convention", old_name=old, new_name=new)
                    for old, new in OLD_AND_NEW
                ),
                migrations.AlterField(
                    model_name="convention",
                    name="prescribed_for_department",
                    field=models.BooleanField(
                        db_column="prescribed_for_departement",
                        default=True,
                        help_text="Bénéficiaire du RSA financé par le département ; sinon "
                        "l'État (règle F6).",
                        verbose_name="convention entre le département, l'employeur et le salarié",
                    ),
                ),
                migrations.AlterField(
                    model_name="convention",
                    name="department_rate_percent",
                    field=models.DecimalField(
                        blank=True,
                        db_column="departement_rate_percent",
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01")),
                            django.core.validators.MaxValueValidator(Decimal("100")),
                        ],
                        verbose_name="taux du département s'il est supérieur ou s'il finance "
                        "seul (%)",
                    ),
                ),
                migrations.AlterField(
                    model_name="convention",
                    name="department_funds_alone",
                    field=models.BooleanField(
                        db_column="departement_funds_alone",
                        default=False,
                        verbose_name="financement exclusif du département",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="convention",
                    constraint=models.CheckConstraint(
                        condition=models.Q(department_rate_percent__isnull=True)
                        | models.Q(department_rate_percent__gt=0, department_rate_percent__lte=100),
                        name="convention_departement_rate_at_most_100",
                    ),
                ),
            ],
        )
    ]
