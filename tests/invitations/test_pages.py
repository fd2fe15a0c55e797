"""The invitations' pages: invite from the file, in bulk (selection, confirmation), the
invitations and their messages, the letter (a real PDF), the no-shows per referent and per
operator with their follow-ups; access through visible_to (404 outside the scope)."""

import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests import factories
from tests.invitations.factories import (
    collective_action,
    in_days,
    operator_with_address,
    planned,
    running_support,
)
from tremplin.invitations import services
from tremplin.invitations.models import Invitation, NoShowFollowUp, SentMessage
from tremplin.support.models import Meeting
from tremplin.web import sms

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_file_shows_the_contact_choices_and_the_invitations(client, referent_user):
    episode = running_support(referent_user)
    services.invite_to_meeting(planned(episode), ["email"])
    client.force_login(referent_user)
    page = text(client.get(episode.beneficiary.get_absolute_url()))
    assert "Rendez-vous et invitations" in page
    assert "Moyen préféré : SMS — SMS : accepte les sms" in page
    assert "Inviter à un rendez-vous" in page


def test_inviting_from_the_file(client, referent_user):
    episode = running_support(referent_user)
    client.force_login(referent_user)
    url = reverse("invitations:invite", args=[episode.beneficiary.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert re.search(r'value="sms"[^>]*checked', text(form))  # the preferred channel
    response = client.post(
        url,
        {
            "target": "interview",
            "episode": episode.pk,
            "starts_at": local(in_days(5)),
            "duration_minutes": "45",
            "place": "operator",
            "channels": ["sms", "email"],
        },
    )
    invitation = Invitation.objects.get()
    assert response.status_code == 302 and response["Location"] == invitation.get_absolute_url()
    assert invitation.meeting.status == "planned"
    assert len(sms.outbox) == 1 and len(mail.outbox) == 1
    detail = text(client.get(invitation.get_absolute_url()))
    assert "+33612345678" in detail and "Envoyé" in detail


def test_no_sms_to_someone_who_refused_says_why_and_keeps_the_form(client, referent_user):
    episode = running_support(referent_user, sms_consent="refused", preferred_channel="email")
    client.force_login(referent_user)
    response = client.post(
        reverse("invitations:invite", args=[episode.beneficiary.pk]),
        {
            "target": "interview",
            "episode": episode.pk,
            "starts_at": local(in_days(5)),
            "duration_minutes": "50",
            "place": "operator",
            "channels": ["sms"],
        },
    )
    assert response.status_code == 200
    assert "SMS : La personne a refusé les SMS" in text(response)
    assert 'value="50"' in text(response)  # nothing typed is lost
    assert not Invitation.objects.exists() and not sms.outbox


def test_inviting_to_a_collective_action_from_the_file(client, referent_user, operator):
    episode = running_support(referent_user)
    action = collective_action(operator)
    client.force_login(referent_user)
    response = client.post(
        reverse("invitations:invite", args=[episode.beneficiary.pk]),
        {"target": "action", "action": action.pk, "channels": ["email"]},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.action == action
    assert "Atelier « Préparer un entretien d'embauche »" in mail.outbox[0].body or (
        "atelier « Préparer un entretien d'embauche »" in mail.outbox[0].body
    )


def test_bulk_invitations_are_confirmed_before_they_go(client, referent_user, operator):
    action = collective_action(operator)
    first = running_support(referent_user).beneficiary
    second = running_support(referent_user, sms_consent="", preferred_channel="email").beneficiary
    unreachable = running_support(
        referent_user, email="", phone="", sms_consent="", preferred_channel=""
    ).beneficiary
    unreachable.street = ""
    unreachable.save()
    client.force_login(referent_user)
    url = reverse("invitations:bulk")
    listing = client.get(url)
    assert str(first) in text(listing) and str(second) in text(listing)
    chosen = {
        "action": action.pk,
        "mode": "preferred",
        "people": [first.pk, second.pk, unreachable.pk],
    }
    confirm = client.post(url, {**chosen, "etape": "confirmer"})
    assert confirm.status_code == 200
    assert "Confirmer l'envoi des invitations" in text(confirm)
    assert "aucun moyen ne la joint" in text(confirm)
    assert not Invitation.objects.exists()  # nothing sent before the confirmation
    sent = client.post(url, {**chosen, "etape": "envoyer"}, follow=True)
    assert "2 invitations envoyées à « Préparer un entretien d&#x27;embauche »." in text(sent)
    assert "1 personne n&#x27;a pu être jointe" in text(sent)
    assert {i.beneficiary for i in Invitation.objects.all()} == {first, second}
    assert [m.to for m in sms.outbox] == ["+33612345678"] and len(mail.outbox) == 1


def test_an_empty_selection_is_refused_in_french(client, referent_user, operator):
    action = collective_action(operator)
    running_support(referent_user)
    client.force_login(referent_user)
    response = client.post(
        reverse("invitations:bulk"), {"action": action.pk, "mode": "chosen", "etape": "confirmer"}
    )
    assert response.status_code == 200
    assert "Cochez au moins une personne" in text(response)
    assert "Cochez au moins un moyen" in text(response)


def test_the_letter_is_a_pdf_with_the_operator_s_address(client, referent_user, operator):
    operator_with_address(operator)
    episode = running_support(referent_user)
    invitation = services.invite_to_meeting(planned(episode), ["letter"])
    letter = SentMessage.objects.get(invitation=invitation)
    assert letter.status == "to_print"
    client.force_login(referent_user)
    listing = text(client.get(reverse("invitations:list")))
    assert "Courriers à imprimer et poster" in listing and str(episode.beneficiary) in listing
    response = client.get(reverse("invitations:letter", args=[invitation.pk, "convocation"]))
    assert response["Content-Type"] == "application/pdf"
    pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("12 rue du Jeu-des-Enfants", "67000 Strasbourg", "Objet : convocation"):
        assert expected in pdf
    assert episode.beneficiary.last_name.upper() in pdf
    printed = client.post(reverse("invitations:mark_printed", args=[invitation.pk, letter.pk]))
    assert printed.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "printed"


def test_another_referent_s_invitation_is_a_404(client, referent_user, operator):
    invitation = services.invite_to_meeting(planned(running_support(referent_user)), ["email"])
    client.force_login(factories.referent(operator))
    assert client.get(invitation.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("invitations:letter", args=[invitation.pk, "invitation"])).status_code
        == 404
    )


# --- no-shows ------------------------------------------------------------------------------


def missed(episode, days=-3):
    meeting = planned(episode, days=days)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.NO_SHOW)
    meeting.refresh_from_db()
    return meeting


def test_the_no_shows_per_referent_and_per_operator(
    client, referent_user, coordinator_user, operator, other_operator
):
    mine = missed(running_support(referent_user))
    colleague = factories.referent(operator)
    theirs = missed(running_support(colleague))
    elsewhere = missed(running_support(factories.referent(other_operator)))
    client.force_login(referent_user)
    page = text(client.get(reverse("invitations:no_shows")))
    assert str(mine.episode.beneficiary) in page
    assert str(theirs.episode.beneficiary) not in page
    assert "1 absence du" in page
    client.force_login(coordinator_user)
    page = text(client.get(reverse("invitations:no_shows")))
    assert (
        str(theirs.episode.beneficiary) in page and str(elsewhere.episode.beneficiary) not in page
    )
    assert referent_user.get_full_name() in page and colleague.get_full_name() in page
    assert operator.name in page  # grouped by operator, then by referent


def test_recording_follow_ups(client, referent_user):
    episode = running_support(referent_user)
    meeting = missed(episode)
    client.force_login(referent_user)
    url = reverse("invitations:follow_up", args=[meeting.pk])
    assert (
        client.post(
            url,
            {
                "kind": "team_referral",
                "on": timezone.localdate().isoformat(),
                "note": "Après 2 absences",
            },
        ).status_code
        == 302
    )
    refused = client.post(url, {"kind": "new_invitation", "on": ""})
    assert refused.status_code == 200 and "Indiquez-le pour la nouvelle invitation." in text(
        refused
    )
    done = client.post(
        url,
        {
            "kind": "new_invitation",
            "starts_at": local(in_days(4)),
            "duration_minutes": "45",
            "place": "operator",
            "channels": ["email"],
        },
    )
    assert done.status_code == 302
    kinds = list(meeting.no_show_follow_ups.values_list("kind", flat=True))
    assert kinds == [NoShowFollowUp.Kind.TEAM_REFERRAL, NoShowFollowUp.Kind.NEW_INVITATION]
    page = text(client.get(reverse("invitations:no_shows")))
    assert "Saisine de l&#x27;équipe pluridisciplinaire le" in page
    assert "Aucune suite" not in page
    without = text(client.get(reverse("invitations:no_shows"), {"sans-suite": "1"}))
    assert "0 absence du" in without


def test_the_no_show_list_exports(client, referent_user):
    missed(running_support(referent_user))
    client.force_login(referent_user)
    response = client.get(reverse("invitations:no_shows"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == "Date;Rendez-vous;Personne;Référent·e;Structure;Suites données"
    assert len(body.splitlines()) == 2


def test_a_follow_up_of_another_s_meeting_is_a_404(client, referent_user, operator):
    meeting = missed(running_support(referent_user))
    client.force_login(factories.referent(operator))
    assert client.get(reverse("invitations:follow_up", args=[meeting.pk])).status_code == 404


def test_the_collective_action_page_invites_from_there(client, referent_user, operator):
    action = collective_action(operator)
    services.invite_to_action(action, [running_support(referent_user).beneficiary])
    client.force_login(referent_user)
    page = text(client.get(action.get_absolute_url()))
    assert "1 invitation envoyée, 0 réponse." in page
    bulk = reverse("invitations:bulk") + f"?action={action.pk}"
    assert bulk.replace("&", "&amp;") in page
    assert re.search(rf'<option value="{action.pk}" selected>', text(client.get(bulk)))


# --- inviting to a meeting already planned --------------------------------------------------


def test_a_planned_interview_s_row_invites_to_it(client, referent_user):
    episode = running_support(referent_user)
    meeting = planned(episode, days=6)
    held = planned(episode, days=-2)
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)
    client.force_login(referent_user)
    back = reverse("professional:episode_detail", args=[episode.pk])
    page = text(client.get(back))
    url = reverse("invitations:invite_meeting", args=[meeting.pk])
    assert f'href="{url}?next=' in page  # « Inviter » on the planned interview's row
    assert reverse("invitations:invite_meeting", args=[held.pk]) not in page  # not a held one

    form = client.get(url, {"next": back})
    assert form.status_code == 200
    assert "Inviter" in text(form) and "au rendez-vous du" in text(form)
    assert re.search(r'value="sms"[^>]*checked', text(form))  # the preferred channel
    response = client.post(f"{url}?next={back}", {"channels": ["email", "sms"]})
    assert response.status_code == 302 and response["Location"] == back
    invitation = Invitation.objects.get()
    assert invitation.meeting == meeting and invitation.channels == ["email", "sms"]
    assert invitation.sent_by == referent_user
    assert Meeting.objects.filter(episode=episode).count() == 2  # no new meeting
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1
    followed = client.get(back)
    assert "Invitation envoyée (courriel, sms) pour le" in text(followed)


def test_inviting_to_a_planned_meeting_keeps_the_consent_rules(client, referent_user):
    episode = running_support(referent_user, sms_consent="refused", preferred_channel="email")
    meeting = planned(episode, days=6)
    client.force_login(referent_user)
    url = reverse("invitations:invite_meeting", args=[meeting.pk])
    assert re.search(r'value="email"[^>]*checked', text(client.get(url)))
    refused = client.post(url, {"channels": ["sms"]})
    assert refused.status_code == 200
    assert "La personne a refusé les SMS" in text(refused)
    assert not Invitation.objects.exists() and sms.outbox == []
    empty = client.post(url, {})
    assert "Choisissez au moins un moyen" in text(empty)
    assert not Invitation.objects.exists()


def test_only_a_planned_meeting_to_come_is_invited_to(client, referent_user):
    episode = running_support(referent_user)
    past = planned(episode, days=-1)
    client.force_login(referent_user)
    response = client.post(
        reverse("invitations:invite_meeting", args=[past.pk]), {"channels": ["email"]}
    )
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    page = text(client.get(response["Location"]))
    assert "On n&#x27;invite qu&#x27;à une rencontre prévue et à venir" in page


def test_inviting_to_another_s_meeting_is_a_404(client, referent_user, operator):
    meeting = planned(running_support(referent_user), days=6)
    client.force_login(factories.referent(operator))
    url = reverse("invitations:invite_meeting", args=[meeting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"channels": ["email"]}).status_code == 404
    assert not Invitation.objects.exists() and mail.outbox == []


def test_the_in_employment_support_s_meetings_invite_too(client, referent_user):
    from tests.support.factories import episode_for

    episode = episode_for(referent_user, cdi=True)
    meeting = planned(episode, days=4)
    client.force_login(referent_user)
    page = text(client.get(reverse("support:episode_detail", args=[episode.pk])))
    url = reverse("invitations:invite_meeting", args=[meeting.pk])
    assert f'href="{url}?next=' in page and ">Inviter</a>" in page
