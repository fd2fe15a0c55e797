"""Several people invited to individual interviews at once (F8, P4): from the people's list
or the list of the people below the interview cadence, each at their own slot of one day,
on the channels that reach them (no SMS without consent), in one transaction; someone out
of the user's scope is refused; a double submission invites once."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.invitations.factories import in_days, running_support
from tests.web.test_once import token_of
from tremplin.invitations import services
from tremplin.invitations.models import Invitation
from tremplin.support.models import Meeting
from tremplin.web import once, sms

pytestmark = pytest.mark.django_db

URL = "invitations:bulk_interviews"


def text(response) -> str:
    return response.content.decode()


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def invite(people, user, **changes):
    arguments = {
        "first_slot": in_days(5, 9, 0),
        "interval_minutes": 60,
        "duration_minutes": 45,
        "place": Meeting.Place.OPERATOR,
        "channels": None,
        "user": user,
        **changes,
    }
    return services.invite_many_to_interviews(people, **arguments)


# --- the service ---------------------------------------------------------------------------


def test_each_person_gets_an_interview_at_the_next_slot_on_their_channel(referent_user):
    sms_person = running_support(referent_user).beneficiary
    refused = running_support(referent_user, sms_consent="refused", preferred_channel="email")
    unreachable = running_support(
        referent_user, email="", phone="", sms_consent="", preferred_channel=""
    ).beneficiary
    unreachable.street = ""
    unreachable.save()
    result = invite([sms_person, unreachable, refused.beneficiary], referent_user)
    assert [i.beneficiary for i in result.invitations] == [sms_person, refused.beneficiary]
    assert list(result.skipped) == [unreachable.pk]  # no slot taken by the unreachable
    first, second = (i.meeting for i in result.invitations)
    assert (first.starts_at, second.starts_at) == (in_days(5, 9, 0), in_days(5, 10, 0))
    assert {first.status, second.status} == {Meeting.Status.PLANNED}
    assert first.kind == Meeting.Kind.INDIVIDUAL and first.duration_minutes == 45
    assert second.episode == refused  # the interview belongs to the person's support
    # Who refused SMS is written to by e-mail, their next channel; no SMS reaches them.
    assert result.invitations[0].by_sms and not result.invitations[1].by_sms
    assert result.invitations[1].by_email
    assert [m.to for m in sms.outbox] == ["+33612345678"] and len(mail.outbox) == 1


def test_chosen_channels_never_send_an_sms_to_who_refused(referent_user):
    refused = running_support(
        referent_user, sms_consent="refused", preferred_channel="email"
    ).beneficiary
    result = invite([refused], referent_user, channels=["sms", "email"])
    assert result.invitations[0].channels == ["email"]
    assert sms.outbox == []


def test_someone_out_of_the_scope_is_refused_and_nothing_is_planned(referent_user, operator):
    mine = running_support(referent_user).beneficiary
    theirs = running_support(factories.referent(operator)).beneficiary
    with pytest.raises(PermissionDenied):
        invite([mine, theirs], referent_user)
    assert not Meeting.objects.exists() and not Invitation.objects.exists()
    assert sms.outbox == [] and mail.outbox == []


def test_slots_past_the_day_or_shorter_than_the_interview_are_refused(referent_user):
    people = [running_support(referent_user).beneficiary for _ in range(3)]
    with pytest.raises(ValidationError) as late:
        invite(people, referent_user, first_slot=in_days(5, 22, 0))
    assert "dépasse la journée" in str(late.value)
    with pytest.raises(ValidationError) as short:
        invite(people, referent_user, interval_minutes=30)
    assert "au moins égal à leur durée (45 minutes)" in str(short.value)
    with pytest.raises(ValidationError):
        invite(people, referent_user, first_slot=timezone.now() - dt.timedelta(hours=1))
    assert not Meeting.objects.exists()


def test_one_transaction_a_refused_second_meeting_plans_none(referent_user, monkeypatch):
    first = running_support(referent_user).beneficiary
    second = running_support(referent_user).beneficiary
    plan_meeting = services.meetings.plan_meeting

    def refuse_the_second(episode, **kwargs):
        if episode.beneficiary == second:
            raise ValidationError({"starts_at": "Refusé pour l'essai."})
        return plan_meeting(episode, **kwargs)

    monkeypatch.setattr(services.meetings, "plan_meeting", refuse_the_second)
    with pytest.raises(ValidationError):
        invite([first, second], referent_user)
    assert not Meeting.objects.exists() and not Invitation.objects.exists()
    assert sms.outbox == [] and mail.outbox == []


# --- the pages -----------------------------------------------------------------------------


def form_data(people, **changes):
    return {
        "starts_at": local(in_days(6, 14, 0)),
        "duration_minutes": "30",
        "interval_minutes": "45",
        "place": "operator",
        "mode": "preferred",
        "people": [person.pk for person in people],
        **changes,
    }


def test_from_the_people_s_list_the_filtered_people_come_checked(client, referent_user):
    lea = running_support(referent_user).beneficiary
    other = running_support(referent_user).beneficiary
    client.force_login(referent_user)
    listing = text(client.get(reverse("registry:beneficiary_list"), {"q": lea.last_name}))
    link = re.search(r'href="([^"]*groupees/entretiens/[^"]*)"', listing).group(1)
    assert "depuis=personnes" in link and "Inviter ces personnes à des entretiens" in listing
    page = client.get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    assert re.search(rf'value="{lea.pk}"[^>]*checked', text(page))
    assert f'value="{other.pk}"' not in text(page)  # the list's search went along
    assert "1 personne en accompagnement, cochée ci-dessous." in text(page)


def test_from_the_people_below_the_cadence(client, coordinator_user, operator):
    below = running_support(factories.referent(operator)).beneficiary  # no interview: P4
    client.force_login(coordinator_user)
    cadence = text(client.get(reverse("professional:below_cadence")))
    link = re.search(r'href="([^"]*groupees/entretiens/[^"]*)"', cadence).group(1)
    page = text(client.get(link.replace("&amp;", "&")))
    assert "la liste des personnes sous la cadence d&#x27;entretiens" in page
    assert re.search(rf'value="{below.pk}"[^>]*checked', page)


def test_the_slots_are_confirmed_then_sent_once_however_often_it_is_posted(client, referent_user):
    first = running_support(referent_user).beneficiary
    second = running_support(referent_user, sms_consent="", preferred_channel="email").beneficiary
    client.force_login(referent_user)
    url = reverse(URL)
    chosen = form_data([first, second])
    confirm = client.post(url, {**chosen, "etape": "confirmer"})
    assert confirm.status_code == 200
    page = text(confirm)
    assert "Confirmer l'envoi des invitations aux entretiens" in page
    slots = in_days(6, 14, 0), in_days(6, 14, 45)
    assert all(f"{timezone.localtime(s):%d/%m/%Y à %H:%M}" in page for s in slots)
    assert "2 entretiens individuels de 30 minutes" in page
    assert not Invitation.objects.exists()  # nothing sent before the confirmation
    token = token_of(confirm)
    sent = client.post(url, {**chosen, "etape": "envoyer", "form_token": token}, follow=True)
    assert (
        "2 invitations envoyées à des entretiens individuels, le "
        f"{timezone.localtime(slots[0]):%d/%m/%Y} de 14:00 à 14:45." in text(sent)
    )
    again = client.post(url, {**chosen, "etape": "envoyer", "form_token": token}, follow=True)
    assert once.ALREADY_SENT.replace("'", "&#x27;") in text(again)
    assert Invitation.objects.count() == 2 and Meeting.objects.count() == 2
    assert len(sms.outbox) == 1 and len(mail.outbox) == 1


def test_one_invitation_says_its_slot_in_the_singular(client, referent_user):
    person = running_support(referent_user).beneficiary
    client.force_login(referent_user)
    sent = client.post(reverse(URL), {**form_data([person]), "etape": "envoyer"}, follow=True)
    slot = timezone.localtime(in_days(6, 14, 0))
    assert f"1 invitation envoyée à un entretien individuel, le {slot:%d/%m/%Y à %H:%M}." in text(
        sent
    )


def test_someone_out_of_the_scope_is_a_404(client, referent_user, operator):
    mine = running_support(referent_user).beneficiary
    theirs = running_support(factories.referent(operator)).beneficiary
    client.force_login(referent_user)
    for step in ("confirmer", "envoyer"):
        response = client.post(reverse(URL), {**form_data([mine, theirs]), "etape": step})
        assert response.status_code == 404
    assert not Invitation.objects.exists() and not Meeting.objects.exists()


def test_errors_are_in_french_and_keep_the_choices(client, referent_user):
    person = running_support(referent_user).beneficiary
    client.force_login(referent_user)
    response = client.post(
        reverse(URL),
        {**form_data([person], interval_minutes="15"), "etape": "confirmer"},
    )
    page = text(response)
    assert response.status_code == 200
    assert "au moins égal à leur durée (30 minutes)" in page
    assert re.search(rf'value="{person.pk}"[^>]*checked', page)
    empty = text(client.post(reverse(URL), {**form_data([]), "etape": "confirmer"}))
    assert "Cochez au moins une personne dans la liste." in empty
