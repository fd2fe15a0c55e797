"""``tremplin import-beneficiaries``: import a list of people (CSV or XLSX) into the registry.

    tremplin import-beneficiaries liste.csv --referent marie.dupont@asso.fr [--dry-run] \\
        [--mapping colonnes.toml] [--format json]

The same import as the page « Importer une liste » and ``POST /api/v1/imports/beneficiaries``
(``registry.services.import_file``): the rows are matched by NIR, then allocation number,
then name and birth date; each is checked by the pages' form; the whole file is written in
one transaction (``--dry-run``: nothing is written). New files go to the referent's
structure, followed by the referent unless a « référent » column names another one.

The JSON output is a contract (keys may be added, never renamed)::

    {"rows": N, "created": N, "updated": N, "unchanged": N,
     "rejected": [{"row": N, "errors": [{"column": "…", "message": "…"}]}]}

Rows are numbered from 1 after the header. Bad arguments, an unreadable file or an unusable
mapping end with a French message on stderr and exit code 2.
"""

from __future__ import annotations

import json
import sys
from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError

from tremplin.accounts.models import Membership, Role
from tremplin.registry import services
from tremplin.registry.imports.columns import TARGETS
from tremplin.registry.imports.engine import ImportOptions, plural
from tremplin.web.commands import BAD_INPUT_EXIT_CODE, bad_input

USER_ERROR_EXIT_CODE = BAD_INPUT_EXIT_CODE

MAPPING_FORMAT = (
    """\
Colonnes reconnues (sans tenir compte des majuscules ni des accents) :
  """
    + "\n  ".join(f"{t.label}" for t in TARGETS)
    + """
Fichier de correspondance (--mapping, TOML) : une table [colonnes], chaque en-tête du
fichier = le champ qu'il remplit ("" pour ignorer la colonne), par exemple :
  [colonnes]
  "NOM_USAGE" = "nom"
  "DATE_NAISS" = "date de naissance"
Sortie --format json :
  {"rows": N, "created": N, "updated": N, "unchanged": N,
   "rejected": [{"row": N, "errors": [{"column": "…", "message": "…"}]}]}"""
)

ARGPARSE_MESSAGES = (
    ("the following arguments are required: ", "arguments obligatoires manquants : "),
    ("unrecognized arguments: ", "arguments inconnus : "),
    ("expected one argument", "une valeur est attendue"),
    ("invalid choice: ", "valeur non autorisée : "),
    ("choose from ", "choisissez parmi "),
    ("argument ", "argument "),
)


def _french(message: str) -> str:
    for english, french in ARGPARSE_MESSAGES:
        message = message.replace(english, french)
    return message


def _user_error(message: str) -> CommandError:
    return bad_input(message)


class Command(BaseCommand):
    help = (
        "Importe une liste de bénéficiaires (CSV ou XLSX) : chaque ligne est rapprochée d'un "
        "dossier existant (NIR, numéro d'allocataire, nom et date de naissance), contrôlée "
        "comme sur la page de saisie, puis créée, mise à jour ou rejetée avec ses raisons."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = MAPPING_FORMAT
        parser.formatter_class = RawDescriptionHelpFormatter

        def error(message):
            text = (
                f"{_french(message)}\nUsage : tremplin import-beneficiaries FICHIER "
                "--referent COURRIEL [--mapping FICHIER.toml] [--dry-run] [--format json]"
            )
            if getattr(self, "_called_from_command_line", False):
                sys.stderr.write(f"Erreur : {text}\n")
                sys.exit(USER_ERROR_EXIT_CODE)
            raise _user_error(text)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER", help="la liste, en CSV (UTF-8) ou XLSX")
        parser.add_argument(
            "--referent",
            metavar="COURRIEL",
            help="adresse du compte du référent des nouveaux dossiers ; sa structure les reçoit",
        )
        parser.add_argument(
            "--mapping", metavar="FICHIER.toml", help="correspondance des colonnes (TOML)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="contrôle tout, n'enregistre rien"
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="« text » (par défaut) : un résumé en français ; « json » : l'objet JSON",
        )

    def handle(self, *args, **options):
        if not options["referent"]:
            raise _user_error(
                "Indiquez --referent COURRIEL : l'adresse du compte du référent qui suivra les "
                "nouveaux dossiers ; sa structure les reçoit."
            )
        referent, operator = self._referent(options["referent"])
        mapping_toml = self._read_mapping(options["mapping"]) if options["mapping"] else None
        try:
            stream = open(options["file"], "rb")  # noqa: SIM115 (closed below)
        except FileNotFoundError:
            raise _user_error(f"Le fichier « {options['file']} » n'existe pas.") from None
        except OSError as error:
            raise _user_error(
                f"Le fichier « {options['file']} » ne peut pas être lu : {error.strerror}."
            ) from None
        with stream:
            try:
                result = services.import_file(
                    stream,
                    ImportOptions(operator=operator, referent=referent, dry_run=options["dry_run"]),
                    mapping_toml=mapping_toml,
                )
            except services.ImportRefused as error:
                raise _user_error(
                    "Le fichier ne peut pas être importé :\n"
                    + "\n".join(f"- {message}" for message in error.messages)
                ) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        self._summary(result, options["dry_run"])

    def _referent(self, email: str):
        memberships = list(
            Membership.objects.active()
            .filter(user__email__iexact=email.strip(), user__is_active=True, role=Role.REFERENT)
            .select_related("user", "organisation__territory")
        )
        if not memberships:
            raise _user_error(
                f"« {email} » n'est l'adresse d'aucun·e référent·e actif·ve : indiquez l'adresse "
                "du compte Tremplin du référent qui suivra les nouveaux dossiers."
            )
        if len(memberships) > 1:
            names = ", ".join(str(m.organisation) for m in memberships)
            raise _user_error(
                f"« {email} » est référent·e de plusieurs structures ({names}) : importez avec "
                "le compte d'un référent d'une seule structure, ou par la page d'import."
            )
        return memberships[0].user, memberships[0].organisation

    def _read_mapping(self, path: str) -> str:
        try:
            with open(path, encoding="utf-8") as mapping_file:
                return mapping_file.read()
        except FileNotFoundError:
            raise _user_error(f"Le fichier de correspondance « {path} » n'existe pas.") from None
        except (OSError, UnicodeDecodeError) as error:
            raise _user_error(
                f"Le fichier de correspondance « {path} » ne peut pas être lu en UTF-8 : {error}."
            ) from None

    def _summary(self, result, dry_run: bool) -> None:
        counts = [
            (result.created, "créé", "créés"),
            (result.updated, "mis à jour", "mis à jour"),
            (result.unchanged, "inchangé", "inchangés"),
            (len(result.rejected), "rejeté", "rejetés"),
        ]
        rows = f"{result.rows} " + plural(result.rows, "ligne", "lignes")
        parts = [f"{n} {plural(n, one, many)}" for n, one, many in counts]
        prefix = "Essai sans enregistrement : " if dry_run else ""
        self.stdout.write(f"{prefix}{rows} : " + ", ".join(parts) + ".")
        for outcome in result.rejected:
            for error in outcome.errors:
                self.stdout.write(f"Ligne {outcome.number}, {error.column} : {error.message}")
