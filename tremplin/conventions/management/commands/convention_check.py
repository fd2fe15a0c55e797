"""``tremplin convention-check``: the wizard's checks on a convention given as JSON, nothing saved.

    tremplin convention-check --input convention.json [--format json]
    cat convention.json | tremplin convention-check --input - --format json

The same checks as the convention wizard and ``POST /api/v1/conventions/check``
(``tremplin.rules.convention_check``, with the aid orders of the database over the shipped
files). Bad input — a missing ``kind``, a date that is not a date, a negative number, an
object where a number is expected, an unknown key — ends with French messages naming each
key on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from tremplin.conventions import services
from tremplin.rules.convention_check import CheckInputError, check_mapping
from tremplin.web.commands import bad_input, read_json_input

# A user error exits with 2, like a command-line usage error (argparse does the same).

SEVERITY_LABELS = {"blocking": "Bloquant", "warning": "À vérifier"}

INPUT_FORMAT = """\
Format du fichier d'entrée (JSON ; dates AAAA-MM-JJ ; montants et heures en nombres ou en
texte ; une clé absente ou null veut dire « inconnu », jamais « faux » ; seule « kind »
est obligatoire) :
  {"kind": "CIE", "department": "67", "signed_on": "2026-02-20",
   "beneficiary": {"birth_date": "1985-04-12", "rsa": true, "ass": false,
                   "disabled_worker": false},
   "employer": {"last_economic_dismissal_on": null, "late_social_contributions": false},
   "contract": {"type": "CDD", "start": "2026-03-02", "end": "2026-09-01",
                "weekly_hours": 26, "hourly_gross_wage": "12.40"},
   "aid": {"start": "2026-03-02", "end": "2026-09-01", "rate": "47", "weekly_hours": 26},
   "tutor": {"experience_years": 5, "employees_followed": 1}}
Sortie --format json :
  {"findings": [{"rule": "C3", "severity": "blocking" | "warning", "message": "…"}],
   "signable": false}
Voir docs/rules-aid.md."""


class Command(BaseCommand):
    help = (
        "Vérifie une convention CUI décrite en JSON avec les contrôles de l'assistant de saisie "
        "(règles C3, C5, C7, C8, C12, E1, E4, E6, E9, E12, F5, F8) ; rien n'est enregistré."
    )
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = INPUT_FORMAT
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--input",
            required=True,
            metavar="FICHIER",
            help="Fichier JSON de la convention ; « - » lit l'entrée standard.",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="« text » (par défaut) : un constat par ligne ; « json » : l'objet JSON.",
        )

    def handle(self, *args, **options):
        data = read_json_input(options["input"])
        try:
            try:
                result = services.check_from_outside(data)
            except DatabaseError:
                # No migrated database: the shipped orders only, said on stderr.
                self.stderr.write(
                    "Base de données indisponible : seuls les arrêtés livrés avec le produit "
                    "sont pris en compte."
                )
                result = check_mapping(data)
        except CheckInputError as error:
            raise bad_input(
                "La convention ne peut pas être vérifiée :\n"
                + "\n".join(f"- {message}" for message in error.messages)
            ) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        if not result.findings:
            self.stdout.write("Aucun constat : la convention peut être signée.")
            return
        for finding in result.findings:
            label = SEVERITY_LABELS[finding.severity]
            self.stdout.write(f"{label} ({finding.rule}) : {finding.message}")
        blocking = sum(1 for finding in result.findings if finding.blocking)
        if result.signable:
            self.stdout.write("Aucun point bloquant : la convention peut être signée.")
        else:
            plural = "s" if blocking > 1 else ""
            self.stdout.write(
                f"{blocking} point{plural} bloquant{plural} : la convention ne peut pas être "
                "signée en l'état."
            )
