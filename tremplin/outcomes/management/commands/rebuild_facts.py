"""``tremplin rebuild-facts``: recompute the dashboard's monthly facts from the rows, and
the professional supports' kept cadence states (``professional.cadence_states``).

    tremplin rebuild-facts [--apply]

The facts (``MonthlyFact``) are derived data: the services keep the months they touch in
step, and the nightly ``tremplin classify-exits`` rebuilds them all. This command is for the
other times: after rows were written in bulk (an import, a restored backup, the bench), or
to check them. Without ``--apply`` nothing is written: it says how many facts would change.
"""

from django.core.management.base import BaseCommand

from tremplin.outcomes.facts import rebuild_facts
from tremplin.web.french import plural


class Command(BaseCommand):
    help = "Recalcule les chiffres mensuels du tableau de bord (à blanc par défaut)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="réécrit les chiffres (sinon : compte seulement)"
        )

    def handle(self, *args, **options):
        result = rebuild_facts(apply=options["apply"])
        changed = plural(
            result.changed,
            "%(count)s chiffre mensuel différent des lignes",
            "%(count)s chiffres mensuels différents des lignes",
        )
        states = plural(
            result.cadence.changed,
            "%(count)s état de la cadence des entretiens différent des lignes",
            "%(count)s états de la cadence des entretiens différents des lignes",
        )
        if options["apply"]:
            stored = plural(
                result.after,
                "%(count)s chiffre mensuel enregistré",
                "%(count)s chiffres mensuels enregistrés",
            )
            self.stdout.write(f"{stored} ({changed} avant le recalcul).")
        else:
            self.stdout.write(f"{changed} (à blanc : rien n'est écrit ; --apply pour réécrire).")
        moment = "avant le recalcul" if options["apply"] else "à blanc"
        self.stdout.write(f"{states} ({moment}).")
