"""``tremplin reminders``: the daily messages of the invitations (F8).

    tremplin reminders                  # dry run: prints what it would send
    tremplin reminders --send           # sends
    tremplin reminders --send --today 2026-03-17

Sends, once each (a ``SentMessage`` row per invitation, kind, number and channel): the
reminders before an appointment (3 days and 1 day before by default: dated parameters in
``tremplin/rules/data/attendance.toml``), the convocation after an invitation left
unanswered (its delay is a dated parameter too), the news of an appointment cancelled or
moved; then it retries the e-mails and SMS that failed in the last two days. Letters are
not sent: they wait to be printed (« Invitations » page). Messages go in batches: the number
of queries does not grow with the number of messages. Running it twice sends nothing the
second time. Cron, every morning::

    0 8 * * * cd /srv/tremplin && .venv/bin/tremplin reminders --send
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from tremplin.invitations import services
from tremplin.invitations.models import SentMessage
from tremplin.invitations.texts import plural
from tremplin.web.commands import bad_input


class Command(BaseCommand):
    help = (
        "Rappels, convocations et changements de rendez-vous des invitations. Simulation par "
        "défaut ; --send pour envoyer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="envoyer (sinon : simulation)")
        parser.add_argument("--today", help="date du jour à simuler, AAAA-MM-JJ (essais)")

    def handle(self, *args, **options):
        now = timezone.now()
        today = timezone.localdate(now)
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise bad_input(
                    f"--today : « {options['today']} » n'est pas une date AAAA-MM-JJ."
                ) from None
            now = timezone.make_aware(dt.datetime.combine(today, timezone.localtime(now).time()))
        run = services.run_daily(today, now, send_them=options["send"])
        labels = dict(SentMessage.Channel.choices)
        for message in run.due:
            verb = "Envoi" if options["send"] else "À envoyer"
            channels = ", ".join(str(labels[channel]).lower() for channel in message.channels)
            kind = SentMessage.Kind(message.kind).label.lower()
            self.stdout.write(f"{verb} : {kind} ({channels}) — {message.invitation}")
        if not options["send"]:
            count = sum(len(message.channels) for message in run.due)
            self.stdout.write(
                plural(
                    "Simulation : %(count)d message à envoyer. Relancez avec --send.",
                    "Simulation : %(count)d messages à envoyer. Relancez avec --send.",
                    count,
                )
            )
            return
        sent = sum(1 for row in run.sent if row.status in ("sent", "to_print"))
        failed = sum(1 for row in [*run.sent, *run.retried] if row.status == "failed")
        text = plural("%(count)d message envoyé", "%(count)d messages envoyés", sent)
        if failed:
            text += plural(
                " ; %(count)d échec, réessayé au prochain passage.",
                " ; %(count)d échecs, réessayés au prochain passage.",
                failed,
            )
        self.stdout.write(text + ("" if failed else "."))
