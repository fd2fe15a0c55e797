"""The targets of the seeds, shipped as data: the default of every operator's agreement.

Dated like the rules' parameters (rules/data/outcomes.toml): seed 000 from 2010-01-01, the
day the CUI came into force; seed 004 from 2009-06-01, the day the RSA came into force.
The département records its own agreements' values as new dated rows (admin pages).
"""

import datetime
from decimal import Decimal

from django.db import migrations

SEED_000 = "Annexe technique d'accompagnement dans l'emploi des bénéficiaires d'un CUI-CIE"
SEED_004 = "Fiche action 8, accompagnement professionnel"

DEFAULT_TARGETS = [
    ("durable_placement", datetime.date(2010, 1, 1), Decimal(70),
     f"{SEED_000}, II « objectifs de sortie » : taux de placement pérenne de 70 % (règle A3)"),
    ("return_to_activity", datetime.date(2009, 6, 1), Decimal(50),
     f"{SEED_004}, 8 : taux de reprise d'activité ou d'emploi de 50 % (règle P10)"),
    ("exits_linked_to_employment", datetime.date(2009, 6, 1), Decimal(40),
     f"{SEED_004}, 8 : taux de sortie du dispositif liée à l'emploi de 40 % (règle P10)"),
    ("cv_online", datetime.date(2009, 6, 1), Decimal(100),
     f"{SEED_004}, 8 : CV de 100 % des personnes prêtes à l'emploi dans Job Connexion (règle P10)"),
    ("portfolio_per_fte", datetime.date(2009, 6, 1), Decimal(60),
     f"{SEED_004}, 7 : 60 bénéficiaires en file active pour 1 équivalent temps plein (règle P9)"),
]  # fmt: skip


def add_default_targets(apps, schema_editor):
    AgreementTarget = apps.get_model("outcomes", "AgreementTarget")
    for indicator, valid_from, value, source in DEFAULT_TARGETS:
        AgreementTarget.objects.get_or_create(
            operator=None,
            indicator=indicator,
            valid_from=valid_from,
            defaults={"value": value, "source": source},
        )


def remove_default_targets(apps, schema_editor):
    AgreementTarget = apps.get_model("outcomes", "AgreementTarget")
    for indicator, valid_from, _, _ in DEFAULT_TARGETS:
        AgreementTarget.objects.filter(
            operator=None, indicator=indicator, valid_from=valid_from
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0002_agreement_target")]

    operations = [migrations.RunPython(add_default_targets, remove_default_targets)]
