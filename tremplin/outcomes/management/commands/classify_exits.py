"""``tremplin classify-exits``: (re)classify the exits of the ended supports (A3, A4, P10).

Run every night (cron, or ``make``): an in-employment exit is measured up to 3 months after
the support's end (rule A3), so a provisional classification must be redone as the days go.
The pages keep the stored exits in step on every change of a support or a situation. The
run ends by rebuilding the dashboard's monthly facts from the rows (``facts.rebuild_facts``:
they also follow, then, the people moved to another operator or territory during the day).
"""

from django.core.management.base import BaseCommand

from tremplin.outcomes.exits import classify_all


class Command(BaseCommand):
    help = "Classe les sorties des accompagnements terminés (règles A3, A4, P10)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Reclasser toutes les sorties, pas seulement celles encore en cours de mesure.",
        )

    def handle(self, *args, **options):
        count = classify_all(only_provisional=not options["all"])
        self.stdout.write(
            f"{count} sortie{'s' if count > 1 else ''} classée{'s' if count > 1 else ''}."
        )
