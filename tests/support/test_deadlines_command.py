"""``tremplin deadlines``: dry run by default, --send sends, a second run sends nothing."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tests.support.factories import RefusalFactory, RuptureFactory, episode_for
from tremplin.support.models import Notification

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("deadlines", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def busy_referent(referent_user, agent_user, settings):
    settings.TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL = "cellule@departement.example.fr"
    # The example plan: trial review due 02/04/2025, first quarterly proof 03/06/2025.
    episode_for(referent_user)
    ruptured = episode_for(referent_user)
    RuptureFactory(episode=ruptured)
    RefusalFactory(episode=episode_for(referent_user))
    return referent_user


def test_the_dry_run_prints_and_sends_nothing(busy_referent):
    output = run("--today", "2025-03-28")
    assert "À envoyer à cellule@departement.example.fr" in output
    assert "À envoyer à claire.muller@departement.example.fr" in output
    assert f"À envoyer à {busy_referent.email}" in output
    assert "Simulation" in output
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_send_twice_sends_once(busy_referent):
    run("--send", "--today", "2025-03-28")
    first = len(mail.outbox)
    # the rupture to the Cellule, the refusal to the conseiller, the referent's coming list
    assert first == 3
    coming = next(m for m in mail.outbox if m.to == [busy_referent.email])
    assert coming.body.count("Bilan de fin de période d'essai") == 3
    run("--send", "--today", "2025-03-28")
    assert len(mail.outbox) == first
    assert "0 courriel envoyé." in run("--send", "--today", "2025-03-28")


def test_days_before_is_configurable_and_overdue_is_sent_once(busy_referent):
    run("--send", "--today", "2025-03-20", "--days-before", "3")
    referent_mails = [m for m in mail.outbox if m.to == [busy_referent.email]]
    assert referent_mails == []  # nothing within 3 days
    run("--send", "--today", "2025-04-05")
    referent_mails = [m for m in mail.outbox if m.to == [busy_referent.email]]
    assert [m.subject for m in referent_mails] == ["Tremplin — Échéances dépassées (3)"]
    run("--send", "--today", "2025-04-06")
    assert len([m for m in mail.outbox if m.to == [busy_referent.email]]) == 1


def test_a_rupture_notified_from_the_page_is_not_sent_again(busy_referent, client):
    from tremplin.support import notifications
    from tremplin.support.models import SupportEpisode

    episode = SupportEpisode.objects.get(contract_rupture__isnull=False)
    for message in notifications.rupture_messages(episode.current_rupture(), episode=episode):
        notifications.deliver(message)
    assert len(mail.outbox) == 1
    run("--send", "--today", "2025-03-28")
    assert sum(m.to == ["cellule@departement.example.fr"] for m in mail.outbox) == 1


def test_a_rupture_whose_report_is_marked_sent_is_not_e_mailed(busy_referent):
    # The operator sent the full report (A14) another way and recorded it: nothing to add.
    import datetime as dt

    from tremplin.support import deliverables
    from tremplin.support.models import Deadline, DeliverableContent

    notice = Deadline.objects.get(code="rupture_notice")
    DeliverableContent.objects.create(
        deadline=notice,
        items={
            item.key: item.choices[0][0] if item.choices else "Démission, lettre jointe."
            for item in deliverables.items_of("rupture_notice")
        },
    )
    notice.mark_sent("Cellule contrats aidés (courrier)", dt.date(2025, 6, 11))
    run("--send", "--today", "2025-06-11")
    assert not any(m.to == ["cellule@departement.example.fr"] for m in mail.outbox)


def test_the_daily_job_costs_the_same_queries_whatever_the_past_ruptures(busy_referent):
    from bench.core import captured_sql
    from tremplin.support import notifications
    from tremplin.support.models import SupportEpisode

    episode = SupportEpisode.objects.get(contract_rupture__isnull=False)
    for message in notifications.rupture_messages(episode.current_rupture(), episode=episode):
        notifications.deliver(message)
    before = len(captured_sql(lambda: run("--today", "2025-06-11")))
    for _ in range(5):  # five more ruptures, already reported to the Cellule
        other = episode_for(busy_referent)
        rupture = RuptureFactory(episode=other)
        for message in notifications.rupture_messages(rupture, episode=other):
            notifications.deliver(message)
    assert len(captured_sql(lambda: run("--today", "2025-06-11"))) == before


def test_the_daily_job_sends_by_batches_not_per_mail(operator):
    """The daily job's budget: a fixed number of queries for N e-mails (one read
    of what was recorded and one insert per batch), here 2 then 6 referents, one mail each
    (the deadlines coming, rules A10, E6)."""
    from bench.core import captured_sql
    from tests import factories

    def referents(n):
        for _ in range(n):
            episode_for(factories.referent(operator))

    referents(2)
    two = len(captured_sql(lambda: run("--send", "--today", "2025-03-28")))
    assert len(mail.outbox) == 2
    referents(4)
    # The first two are not sent again; the four new ones cost no more queries.
    six = len(captured_sql(lambda: run("--send", "--today", "2025-03-28")))
    assert len(mail.outbox) == 6
    assert six == two


def test_a_refused_mail_keeps_those_sent_and_is_retried(operator, monkeypatch):
    """The rows of the mails that left stay, those of the refused one and after are removed:
    the next run sends only what was not sent, once."""
    from smtplib import SMTPRecipientsRefused

    from django.core.mail.backends.locmem import EmailBackend

    from tests import factories

    for _ in range(3):
        episode_for(factories.referent(operator))
    original = EmailBackend.send_messages
    calls = []

    def second_refused(self, messages):
        calls.append(messages)
        if len(calls) == 2:
            raise SMTPRecipientsRefused({})
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", second_refused)
    with pytest.raises(SMTPRecipientsRefused):
        run("--send", "--today", "2025-03-28")
    assert len(mail.outbox) == 1
    recorded = set(Notification.objects.values_list("recipient", flat=True))
    assert recorded == {mail.outbox[0].to[0]}
    monkeypatch.setattr(EmailBackend, "send_messages", original)
    assert "2 courriels envoyés." in run("--send", "--today", "2025-03-28")
    assert len({m.to[0] for m in mail.outbox}) == len(mail.outbox) == 3


def test_bad_days_before_is_a_french_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--days-before"):
        run("--days-before", "-1")
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        run("--today", "demain")
