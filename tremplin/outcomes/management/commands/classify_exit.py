"""``tremplin classify-exit``: classify one exit from a JSON file (rules A3, A4, P1, P10).

The same classification as the pages and the API: ``tremplin.rules.outcomes``. No database
is touched, so the command runs without migrations.
"""

import json

from django.core.management.base import BaseCommand

from tremplin.rules.outcomes import ExitInputError, classify_exit, exit_case_from_mapping
from tremplin.support.models import ProgrammeChoices
from tremplin.web.commands import bad_input, read_json_input
from tremplin.web.dates import french_date

# A user error exits with 2, like a command-line usage error (argparse does the same).

INPUT_FORMAT = """\
Format du fichier d'entrée (JSON, dates AAAA-MM-JJ) :
  {"programme": "in_employment" | "professional",
   "support_start": "2025-03-03",
   "support_end": "2025-09-02",          (facultatif)
   "evaluation_date": "2025-09-30",
   "situations": [
     {"kind": "cdd", "start": "2025-09-03", "end": "2026-03-02", "weekly_hours": 24},
     ...]}
kind : cdi, cdd, temporary_work, subsidised_contract, training, competitive_exam,
  activity_creation, cape, due_incubator, job_search, inactivity, move.
Champs facultatifs d'une situation : end (fin, incluse ; absente = en cours), weekly_hours,
  company_full_time_hours (temps complet de l'entreprise si le contrat le précise, sinon
  35 h), in_siae, permanent_contract (contrat aidé en CDI), supported_contract (le CUI-CIE
  suivi), qualifying et rncp_listed (formation), appointment (concours avec nomination).
support_end : dans l'emploi, fin des 6 mois (par défaut), du CDD non pérennisé ou rupture ;
  la sortie se mesure de cette date à 3 mois après (règle A3). En accompagnement
  professionnel, absente = accompagnement en cours.
Sortie --format json : {"category", "category_label", "positive", "rule", "explanation",
  "deciding_situations" (numéros à partir de 1), "indicators", "programme"}.
Voir docs/rules-outcomes.md."""


class Command(BaseCommand):
    help = (
        "Classe la sortie d'un accompagnement (règles A3, A4, P1, P10) à partir d'un fichier "
        "JSON : programme, dates de l'accompagnement, date d'évaluation, situations."
    )
    # Pure computation: no database, no need for the system checks.
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = INPUT_FORMAT
        return parser

    def add_arguments(self, parser):
        from argparse import RawDescriptionHelpFormatter

        parser.formatter_class = RawDescriptionHelpFormatter
        parser.add_argument(
            "--input",
            required=True,
            metavar="FICHIER",
            help="Fichier JSON des situations ; « - » lit l'entrée standard.",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="« text » (par défaut) : une phrase en français ; « json » : un objet JSON.",
        )

    def handle(self, *args, **options):
        data = read_json_input(options["input"])
        try:
            case = exit_case_from_mapping(data)
            result = classify_exit(case)
        except ExitInputError as error:
            raise bad_input(
                "Impossible de classer la sortie :\n"
                + "\n".join(f"- {message}" for message in error.messages)
            ) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        verdict = "positive" if result.positive else "non positive"
        programme = ProgrammeChoices(case.programme).label
        self.stdout.write(
            f"{programme}, sortie évaluée le "
            f"{french_date(case.evaluation_date)} : {result.category_label} ({verdict}). "
            f"{result.explanation}"
        )
