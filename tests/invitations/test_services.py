"""Inviting (F8, P2): the channels that reach a person (no SMS without consent), the
messages kept with their status, the person's answer, the no-shows' follow-up."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.invitations.factories import (
    collective_action,
    in_days,
    operator_with_address,
    planned,
    running_support,
)
from tremplin.invitations import services
from tremplin.invitations.models import Invitation, NoShowFollowUp, SentMessage
from tremplin.professional.models import Invitation as Participation
from tremplin.support.models import Meeting
from tremplin.web import sms

pytestmark = pytest.mark.django_db


# --- channels and consent ------------------------------------------------------------------


def test_no_sms_without_consent(referent_user):
    episode = running_support(referent_user)
    person = episode.beneficiary
    assert services.check_channels(person, ["sms"]).usable == ["sms"]
    for consent, reason in (
        ("refused", "La personne a refusé les SMS"),
        ("", "consentement de la personne aux SMS n'est pas recueilli"),
    ):
        person.sms_consent, person.preferred_channel = consent, "email"
        check = services.check_channels(person, ["sms", "email"])
        assert check.usable == ["email"]
        assert reason in check.refused["sms"]


def test_a_landline_or_a_missing_address_cannot_be_used(referent_user):
    person = running_support(referent_user, phone="03 88 12 34 56", email="").beneficiary
    check = services.check_channels(person, ["sms", "email", "letter"])
    assert check.usable == ["letter"]
    assert "n'est pas un numéro de portable" in check.refused["sms"]
    assert "Aucune adresse électronique" in check.refused["email"]


def test_the_preferred_channel_comes_first_else_the_first_that_reaches(referent_user):
    person = running_support(referent_user).beneficiary
    assert services.default_channels(person) == ["sms"]
    person.preferred_channel, person.sms_consent = "", "refused"
    assert services.default_channels(person) == ["email"]
    person.email = ""
    assert services.default_channels(person) == ["letter"]


# --- invitations ---------------------------------------------------------------------------


def test_an_invitation_to_a_new_interview_sends_its_messages(referent_user, operator):
    operator_with_address(operator)
    episode = running_support(referent_user)
    invitation = services.invite_to_interview(
        episode,
        starts_at=in_days(7),
        duration_minutes=45,
        place=Meeting.Place.OPERATOR,
        channels=["email", "sms", "letter"],
        user=referent_user,
    )
    meeting = invitation.meeting
    assert (meeting.status, meeting.kind, meeting.created_by) == (
        "planned",
        "individual",
        referent_user,
    )
    rows = {row.channel: row for row in invitation.messages.all()}
    assert {c: r.status for c, r in rows.items()} == {
        "email": "sent",
        "sms": "sent",
        "letter": "to_print",
    }
    assert rows["sms"].recipient == "+33612345678"
    assert rows["sms"].provider_id.startswith("locmem-")
    [email] = mail.outbox
    assert email.to == ["lea.muller@exemple.fr"]
    assert email.subject.startswith("Invitation : entretien individuel le ")
    assert "12 rue du Jeu-des-Enfants, 67000 Strasbourg" in email.body
    assert f"/rdv/{invitation.pk}/" in email.body
    assert "03 88 12 34 56" in email.body
    [text] = sms.outbox
    assert text.to == "+33612345678" and f"/rdv/{invitation.pk}/" in text.body


def test_no_invitation_when_no_chosen_channel_reaches_the_person(referent_user):
    episode = running_support(referent_user, sms_consent="refused", preferred_channel="email")
    with pytest.raises(ValidationError, match="La personne a refusé les SMS"):
        services.invite_to_interview(
            episode, starts_at=in_days(3), duration_minutes=30, place="operator", channels=["sms"]
        )
    assert not Meeting.objects.exists() and not sms.outbox


def test_an_interview_in_the_past_is_not_an_invitation(referent_user):
    episode = running_support(referent_user)
    with pytest.raises(ValidationError, match="doit être à venir"):
        services.invite_to_interview(
            episode,
            starts_at=in_days(-1),
            duration_minutes=30,
            place="operator",
            channels=["email"],
        )


def test_bulk_invitations_to_a_collective_action_go_as_one_batch(
    referent_user, operator, django_assert_max_num_queries
):
    action = collective_action(operator)
    people = [running_support(referent_user).beneficiary for _ in range(3)]
    people[1].sms_consent, people[1].preferred_channel = "refused", "email"
    people[1].save()
    people[2].email, people[2].phone, people[2].preferred_channel = "", "", ""
    people[2].sms_consent = ""
    people[2].save()
    result = services.invite_to_action(action, people, channels=["sms", "email"])
    assert [i.beneficiary for i in result.invitations] == people[:2]
    assert "consentement" in result.skipped[people[2].pk]
    assert [m.to for m in sms.outbox] == ["+33612345678"]  # person 1 refused SMS
    assert len(mail.outbox) == 2
    assert set(
        Participation.objects.filter(action=action).values_list("beneficiary", flat=True)
    ) == {p.pk for p in people}
    # One batch: the messages cost the same queries for 2 people or for 8 (each person
    # costs only their own rows: the invitation, their place on the list, and the audit's).
    many = [running_support(referent_user).beneficiary for _ in range(8)]
    with django_assert_max_num_queries(60) as few:
        services.invite_to_action(collective_action(operator), many[:2])
    with django_assert_max_num_queries(60) as more:
        services.invite_to_action(collective_action(operator), many)

    def message_queries(captured):
        return [
            q["sql"] for q in captured.captured_queries if "invitations_sentmessage" in q["sql"]
        ]

    assert len(message_queries(few)) == len(message_queries(more)) == 3  # insert, read, update
    assert len(more.captured_queries) - len(few.captured_queries) == 6 * 4


def test_the_person_answers_once(referent_user):
    episode = running_support(referent_user)
    invitation = services.invite_to_meeting(planned(episode), ["email"])
    mail.outbox.clear()
    services.respond(invitation, "other_slot", "Le jeudi après-midi")
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.answer_note) == ("other_slot", "Le jeudi après-midi")
    [told] = mail.outbox
    assert told.to == [referent_user.email] and "Le jeudi après-midi" in told.body
    with pytest.raises(ValidationError, match="déjà répondu"):
        services.respond(invitation, "confirmed")


def test_asking_another_slot_needs_availabilities(referent_user):
    invitation = services.invite_to_meeting(planned(running_support(referent_user)), ["email"])
    with pytest.raises(ValidationError, match="Indiquez vos disponibilités"):
        services.respond(invitation, "other_slot", "  ")


def test_an_invited_meeting_cannot_be_deleted_only_cancelled(referent_user):
    from tremplin.support import services as meeting_services

    meeting = planned(running_support(referent_user))
    services.invite_to_meeting(meeting, ["email"])
    with pytest.raises(ValidationError, match="Annulez-la plutôt"):
        meeting_services.delete_meeting(meeting)


# --- no-shows ------------------------------------------------------------------------------


def no_show(episode):
    meeting = planned(episode, days=-2)
    meeting.status = Meeting.Status.NO_SHOW
    meeting.save()
    return meeting


def test_follow_ups_of_a_no_show_are_dated_records(referent_user):
    episode = running_support(referent_user)
    meeting = no_show(episode)
    referral = services.record_follow_up(
        meeting, NoShowFollowUp.Kind.TEAM_REFERRAL, dt.date.today(), "Deuxième absence"
    )
    assert referral.get_kind_display() == "Saisine de l'équipe pluridisciplinaire"
    follow_up = services.reinvite_after_no_show(
        meeting, starts_at=in_days(5), duration_minutes=45, place="operator", channels=["email"]
    )
    assert follow_up.invitation.meeting.status == "planned"
    assert meeting.no_show_follow_ups.count() == 2
    with pytest.raises(ValidationError, match="dans le futur"):
        services.record_follow_up(meeting, "letter", dt.date.today() + dt.timedelta(days=1))
    held = planned(episode, days=-1, status_reason="")
    Meeting.objects.filter(pk=held.pk).update(status="held")
    held.refresh_from_db()
    with pytest.raises(ValidationError, match="absence non excusée"):
        services.record_follow_up(held, "letter", dt.date.today())


def test_an_invitation_reads_the_meeting_s_status_and_follows_its_replacement(referent_user):
    from tremplin.support import services as meeting_services

    meeting = planned(running_support(referent_user))
    invitation = services.invite_to_meeting(meeting, ["email"])
    replacement = meeting_services.reschedule_meeting(meeting, in_days(9))
    invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.current_meeting == replacement
    assert invitation.starts_at == replacement.starts_at
    meeting_services.cancel_meeting(replacement, "Fermeture exceptionnelle")
    invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.appointment_status == "cancelled" and not invitation.is_upcoming


def test_every_message_is_kept_even_a_refused_one(referent_user):
    episode = running_support(referent_user)
    invitation = services.invite_to_meeting(planned(episode), ["sms"])
    person = episode.beneficiary
    person.sms_consent, person.preferred_channel = "refused", ""
    person.save()
    invitation = Invitation.objects.get(pk=invitation.pk)
    [row] = services.prepare(invitation, SentMessage.Kind.REMINDER, 1, ["sms"], now=in_days(0))
    assert row.status == "failed" and "refusé les SMS" in row.error
