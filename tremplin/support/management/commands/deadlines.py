"""``tremplin deadlines``: the daily e-mails of the support.

    tremplin deadlines                      # dry run: prints what it would send
    tremplin deadlines --send               # sends
    tremplin deadlines --send --days-before 10

Sends, once each (a ``Notification`` row per deadline or refusal, kind and recipient):
deadlines coming within ``--days-before`` days (default 7) and overdue ones to the referent,
one e-mail per referent and kind; ruptures not yet reported to the Cellule contrats aidés
(A14); refusals not yet reported to the conseiller RSA (A9). Running it twice sends nothing
the second time. Cron, every morning::

    15 6 * * * cd /srv/tremplin && .venv/bin/tremplin deadlines --send
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tremplin.support import notifications
from tremplin.web.french import plural


class Command(BaseCommand):
    help = (
        "Courriels quotidiens de l'accompagnement : échéances proches et dépassées, ruptures "
        "(A14), refus (A9). Simulation par défaut ; --send pour envoyer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="envoyer (sinon : simulation)")
        parser.add_argument(
            "--days-before",
            type=int,
            default=7,
            help="prévenir N jours avant l'échéance (7 par défaut)",
        )
        parser.add_argument("--today", help="date du jour à simuler, AAAA-MM-JJ (essais)")

    def handle(self, *args, **options):
        days_before = options["days_before"]
        if days_before < 0:
            raise CommandError("--days-before doit être positif ou nul.", returncode=2)
        now = timezone.now()
        today = timezone.localdate(now)
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today : « {options['today']} » n'est pas une date AAAA-MM-JJ.",
                    returncode=2,
                ) from None
            now = timezone.make_aware(dt.datetime.combine(today, timezone.localtime(now).time()))
        messages = [
            *notifications.pending_rupture_messages(),
            *notifications.pending_refusal_messages(),
            *notifications.deadline_messages(today, days_before, now),
        ]
        if options["send"]:
            # By batches: a constant number of queries per batch, not per mail.
            sent = notifications.deliver_all(messages)
            for message in sent:
                self.stdout.write(f"Envoyé à {message.recipient} : {message.subject}")
            self.stdout.write(
                plural(len(sent), "%(count)s courriel envoyé.", "%(count)s courriels envoyés.")
            )
            return
        for message in messages:
            self.stdout.write(f"À envoyer à {message.recipient} : {message.subject}")
            self.stdout.write("    " + message.body.replace("\n", "\n    "))
        self.stdout.write(
            plural(
                len(messages),
                "Simulation : %(count)s courriel à envoyer. Relancez avec --send.",
                "Simulation : %(count)s courriels à envoyer. Relancez avec --send.",
            )
        )
