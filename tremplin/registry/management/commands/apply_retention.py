"""``tremplin apply-retention``: anonymise the files kept beyond their retention period.

    tremplin apply-retention [--apply] [--format json] [--date AAAA-MM-JJ]

Without ``--apply`` nothing is written: the command lists the files it would anonymise (by
number, with their last contact and the day they fell due; never a name: its output may go
to a log). With ``--apply`` it anonymises them (``tremplin.registry.lifecycle.anonymise``:
identity, contact, NIR, allocation number, notes and documents removed; dates, categories
and links kept, so the indicators do not change), one audit entry each.

The uploaded lists of people (the imports' files, whole lists with NIR in clear) have their
own period, in days after the import's last step (``[[import_file]]``): the command lists
them the same way and, with ``--apply``, deletes them (the import's record stays). The
worker deletes them every night too (``registry.tasks.purge_import_files``).

The period is the one in force on the day (``tremplin/rules/data/retention.toml``, or the
département's file in ``TREMPLIN_RETENTION_FILE``), with its source. The JSON output::

    {"date": "…", "applied": false, "period": {"years_after_last_contact": 2, "valid_from": "…",
     "source": "…"}, "files": [{"id": N, "last_contact": "…", "due_on": "…"}],
     "import_files": {"period": {"days_after_last_step": 30, "valid_from": "…",
     "source": "…"}, "imports": [{"id": N, "last_step": "…", "due_on": "…"}]}}
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tremplin.registry import lifecycle
from tremplin.rules import retention
from tremplin.web.dates import french_date


class Command(BaseCommand):
    help = (
        "Anonymise les dossiers conservés au-delà de la durée de conservation (à blanc par défaut)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="anonymise vraiment (sinon : liste seulement)"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--date", help="le jour de référence (AAAA-MM-JJ ; défaut : aujourd'hui)"
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date « {options['date']} » : date attendue au format AAAA-MM-JJ."
                ) from None
        try:
            period = retention.period_at(today, settings.TREMPLIN_RETENTION_FILE or None)
            import_period = retention.import_file_period_at(
                today, settings.TREMPLIN_RETENTION_FILE or None
            )
        except retention.RetentionError as error:
            raise CommandError(str(error)) from None
        due = lifecycle.due_files(today, period)
        due_imports = lifecycle.due_import_files(today, import_period)
        if options["apply"]:
            for item in due:
                lifecycle.anonymise(item.beneficiary)
            for item in due_imports:
                lifecycle.delete_import_file(item.beneficiary_import)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "date": today.isoformat(),
                        "applied": options["apply"],
                        "period": {
                            "years_after_last_contact": period.years_after_last_contact,
                            "valid_from": period.valid_from.isoformat(),
                            "source": period.source,
                        },
                        "files": [
                            {
                                "id": item.beneficiary.pk,
                                "last_contact": item.last_contact.isoformat(),
                                "due_on": item.due_on.isoformat(),
                            }
                            for item in due
                        ],
                        "import_files": {
                            "period": {
                                "days_after_last_step": import_period.days_after_last_step,
                                "valid_from": import_period.valid_from.isoformat(),
                                "source": import_period.source,
                            },
                            "imports": [
                                {
                                    "id": item.beneficiary_import.pk,
                                    "last_step": item.last_step.isoformat(),
                                    "due_on": item.due_on.isoformat(),
                                }
                                for item in due_imports
                            ],
                        },
                    },
                    ensure_ascii=False,
                )
            )
            return
        years = period.years_after_last_contact
        self.stdout.write(
            f"Durée de conservation au {french_date(today)} : {years} an{'s' if years > 1 else ''} "
            f"après le dernier contact ({period.source})."
        )
        count = len(due)
        files = "dossier" if count == 1 else "dossiers"
        if not due:
            self.stdout.write("Aucun dossier à anonymiser.")
        for item in due:
            self.stdout.write(
                f"  dossier n° {item.beneficiary.pk} : dernier contact le "
                f"{french_date(item.last_contact)}, échu le {french_date(item.due_on)}"
            )
        if due and options["apply"]:
            self.stdout.write(f"{count} {files} anonymisé{'s' if count > 1 else ''}.")
        elif due:
            self.stdout.write(
                f"{count} {files} à anonymiser. Rien n'a été modifié : relancez avec --apply "
                "pour les anonymiser."
            )
        self._write_imports(import_period, due_imports, options["apply"])

    def _write_imports(self, period, due, applied: bool) -> None:
        days = period.days_after_last_step
        self.stdout.write(
            f"Listes importées : conservées {days} jour{'s' if days > 1 else ''} après la "
            f"dernière étape de l'import ({period.source})."
        )
        if not due:
            self.stdout.write("Aucune liste importée à supprimer.")
            return
        for item in due:
            self.stdout.write(
                f"  import n° {item.beneficiary_import.pk} : dernière étape le "
                f"{french_date(item.last_step)}, échu le {french_date(item.due_on)}"
            )
        count = len(due)
        lists = "liste importée" if count == 1 else "listes importées"
        if applied:
            self.stdout.write(f"{count} {lists} supprimée{'s' if count > 1 else ''}.")
        else:
            self.stdout.write(
                f"{count} {lists} à supprimer. Rien n'a été modifié : relancez avec --apply "
                "pour les supprimer."
            )
