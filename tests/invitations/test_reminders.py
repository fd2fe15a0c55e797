"""The daily job (``tremplin reminders``): reminders 3 days and 1 day before (dated
parameters), the convocation after an unanswered invitation, the news of a cancelled or
moved appointment — each sent once however often the job runs, in batches."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.invitations.factories import in_days, planned, running_support
from tremplin.invitations import services
from tremplin.invitations.models import SentMessage
from tremplin.support import services as meeting_services
from tremplin.web import sms
from tremplin.web.sms import SmsResult
from tremplin.web.sms.backends.base import BaseSmsBackend

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOW = timezone.now()


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def run(offset: int, send=True):
    """The job as if run ``offset`` days from today, at this hour."""
    now = NOW + dt.timedelta(days=offset)
    return services.run_daily(day(offset), now, send_them=send)


def kinds(invitation):
    return sorted(
        (m.kind, m.number % 100, m.channel)
        for m in SentMessage.objects.filter(invitation=invitation)
        if m.kind != "invitation"
    )


@pytest.fixture
def invitation(referent_user):
    """Invited today (e-mail and SMS) to an interview in 10 days."""
    meeting = planned(running_support(referent_user), days=10)
    return services.invite_to_meeting(meeting, ["email", "sms"])


def test_reminders_three_days_and_one_day_before_each_once(invitation):
    services.respond(invitation, "confirmed")  # no convocation in the way
    mail.outbox.clear()
    sms.outbox.clear()
    assert run(6).sent == []  # 4 days before: nothing
    sent = run(7).sent  # 3 days before
    assert sorted((r.kind, r.channel) for r in sent) == [("reminder", "email"), ("reminder", "sms")]
    assert mail.outbox[0].subject.startswith("Rappel : entretien individuel dans 3 jours")
    assert "dans 3 jours" in sms.outbox[0].body
    assert run(7).sent == [] and run(8).sent == []  # twice the same day, then the next day
    assert {r.number % 100 for r in run(9).sent} == {1}  # the day before
    assert "demain" in sms.outbox[-1].body
    assert run(9).sent == [] and run(10).sent == []
    assert kinds(invitation) == [
        ("reminder", 1, "email"),
        ("reminder", 1, "sms"),
        ("reminder", 3, "email"),
        ("reminder", 3, "sms"),
    ]


def test_the_command_is_a_dry_run_without_send(invitation):
    services.respond(invitation, "confirmed")
    out = io.StringIO()
    call_command("reminders", "--today", day(7).isoformat(), stdout=out)
    assert "À envoyer : rappel (courriel, sms)" in out.getvalue()
    assert "Simulation : 2 messages à envoyer. Relancez avec --send." in out.getvalue()
    assert not SentMessage.objects.exclude(kind="invitation").exists()
    out = io.StringIO()
    call_command("reminders", "--send", "--today", day(7).isoformat(), stdout=out)
    assert "2 messages envoyés." in out.getvalue()
    out = io.StringIO()
    call_command("reminders", "--send", "--today", day(7).isoformat(), stdout=out)
    assert "0 message envoyé." in out.getvalue()


def test_a_bad_date_is_refused_in_french():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="n'est pas une date AAAA-MM-JJ"):
        call_command("reminders", "--today", "17/03/2026")


def test_a_convocation_after_four_days_without_answer_once(invitation):
    invitation.by_letter = True
    invitation.save()
    assert not [m for m in run(3).due if m.kind == "convocation"]
    due = [m for m in run(4).due if m.kind == "convocation"]  # invited today + 4 days
    assert due and due[0].channels == ["email", "sms", "letter"]
    rows = {r.channel: r.status for r in SentMessage.objects.filter(kind="convocation")}
    assert rows == {"email": "sent", "sms": "sent", "letter": "to_print"}
    assert "convoqué·e" in mail.outbox[-1].body
    assert not [m for m in run(5).due if m.kind == "convocation"]


def test_no_convocation_once_the_person_answered(invitation):
    services.respond(invitation, "confirmed")
    assert not [m for m in run(4).due if m.kind == "convocation"]


def test_a_cancellation_is_told_once(invitation):
    meeting_services.cancel_meeting(invitation.meeting, "Fermeture exceptionnelle")
    sent = run(1).sent
    assert {(r.kind, r.channel) for r in sent} == {("update", "email"), ("update", "sms")}
    assert "est annulé" in sms.outbox[-1].body
    assert "Motif : Fermeture exceptionnelle" in mail.outbox[-1].body
    assert run(1).sent == [] and run(7).sent == []  # no reminder of a cancelled meeting


def test_a_moved_appointment_is_told_and_gets_its_own_reminders(invitation):
    services.respond(invitation, "confirmed")
    run(7)  # the 3-day reminder of the first date
    replacement = meeting_services.reschedule_meeting(invitation.meeting, in_days(14))
    sent = run(8).sent
    assert {r.kind for r in sent} == {"update"}
    assert "déplacé au" in mail.outbox[-1].body
    assert {r.kind for r in run(11).sent} == {"reminder"}  # 3 days before the new date
    assert replacement.status == "planned"


class FailingOnce(BaseSmsBackend):
    failures = 1

    def send_messages(self, messages):
        if FailingOnce.failures:
            FailingOnce.failures -= 1
            return [SmsResult(SmsResult.FAILED, error="Fournisseur indisponible") for _ in messages]
        sms.outbox.extend(messages)
        return [SmsResult(SmsResult.SENT, provider_id="ok") for _ in messages]


def test_a_failed_sms_is_kept_with_its_reason_and_retried(invitation, settings):
    settings.TREMPLIN_SMS_BACKEND = "tests.invitations.test_reminders.FailingOnce"
    services.respond(invitation, "confirmed")
    run(7)
    failed = SentMessage.objects.get(kind="reminder", channel="sms")
    assert (failed.status, failed.error, failed.attempts) == (
        "failed",
        "Fournisseur indisponible",
        1,
    )
    again = run(8)  # the next morning
    assert [r.pk for r in again.retried] == [failed.pk]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 2)


def test_queries_per_batch_not_per_message(referent_user, django_assert_max_num_queries):
    def invite(count):
        for _ in range(count):
            meeting = planned(running_support(referent_user), days=10)
            services.invite_to_meeting(meeting, ["email", "sms"])

    # Read the invitations and their messages, insert, read back, update the statuses,
    # retry the failures — with their savepoints: the same for 2 invitations or 8.
    invite(2)
    with django_assert_max_num_queries(12) as two:
        assert len(run(7).sent) == 8  # reminder and convocation, by e-mail and SMS
    SentMessage.objects.exclude(kind="invitation").delete()
    invite(6)
    with django_assert_max_num_queries(12) as eight:
        assert len(run(7).sent) == 32
    assert len(two.captured_queries) == len(eight.captured_queries)


def test_a_message_claimed_a_moment_ago_is_not_claimed_again(invitation):
    """Two runs at once: a message another run claimed (still "pending") a moment ago is
    its own, even when it was prepared long ago; one left pending for over an hour by a
    run that stopped on the way is sent by the next."""
    prepared = NOW - dt.timedelta(hours=5)
    message = SentMessage.objects.get(kind="invitation", channel="email")
    SentMessage.objects.filter(pk=message.pk).update(
        status="pending", created_at=prepared, claimed_at=NOW - dt.timedelta(minutes=10)
    )
    mail.outbox.clear()
    assert services.retry_failed(NOW) == []
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)

    SentMessage.objects.filter(pk=message.pk).update(claimed_at=NOW - dt.timedelta(minutes=61))
    [retried] = services.retry_failed(NOW)
    assert retried.pk == message.pk and len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claimed_at) == ("sent", 2, NOW)
    assert services.retry_failed(NOW + dt.timedelta(minutes=1)) == []  # sent: done


def test_overlapping_retries_claim_each_failure_once(invitation):
    message = SentMessage.objects.get(kind="invitation", channel="email")
    SentMessage.objects.filter(pk=message.pk).update(
        status="failed", claimed_at=NOW - dt.timedelta(hours=3)
    )
    first = SentMessage.objects.filter(status="failed", claimed_at__lt=NOW)
    # The first run's claim, as retry_failed writes it, then a second run a moment later.
    assert first.update(status="pending", batch="premier", claimed_at=NOW) == 1
    assert services.retry_failed(NOW + dt.timedelta(minutes=2)) == []
    message.refresh_from_db()
    assert (message.batch, message.status) == ("premier", "pending")
