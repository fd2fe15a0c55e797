"""The no-show list (F8): the absences at a held collective action (read from the one
recorded fact, ``professional.Invitation.present``) next to the interviews' no-shows, with
the same follow-ups; the filters by référent and by operator (only those the user may see)
and the pagination."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.invitations.factories import collective_action, in_days, planned, running_support
from tremplin.invitations import services
from tremplin.invitations.models import NoShowFollowUp
from tremplin.professional.models import CollectiveAction
from tremplin.professional.models import Invitation as Participation
from tremplin.support.models import Meeting

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def missed(episode, days=-3):
    meeting = planned(episode, days=days)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.NO_SHOW)
    meeting.refresh_from_db()
    return meeting


def workshop(operator, days=-2, theme="Préparer un entretien d'embauche"):
    action = collective_action(operator, days=days)
    action.theme = theme
    action.save()
    return action


def take_attendance(client, action, *present):
    """The attendance as the action's page records it: the boxes ticked for ``present``."""
    ids = [
        str(Participation.objects.get(action=action, beneficiary=person).pk) for person in present
    ]
    response = client.post(action.get_absolute_url(), {"present": ids})
    assert response.status_code == 302


def invite(action, *episodes):
    return [
        Participation.objects.create(action=action, beneficiary=episode.beneficiary)
        for episode in episodes
    ]


def no_shows(client, **params):
    return text(client.get(reverse("invitations:no_shows"), params))


def options(page: str, key: str) -> dict[str, bool]:
    """The values offered by the filter ``key`` (``referent``, ``structure``): selected?"""
    found = re.search(rf'<select id="filtre-{key}".*?</select>', page, re.DOTALL)
    if found is None:
        return {}
    return {
        value: bool(selected)
        for value, selected in re.findall(r'<option value="(\w+)"( selected)?>', found.group(0))
        if value
    }


def test_an_absence_at_a_held_collective_action_reaches_the_no_show_list(
    client, referent_user, operator
):
    came, stayed_home = running_support(referent_user), running_support(referent_user)
    action = workshop(operator)
    invite(action, came, stayed_home)
    client.force_login(referent_user)
    assert "0 absence du" in no_shows(client)  # nobody said who came: nobody is absent
    take_attendance(client, action, came.beneficiary)
    action.refresh_from_db()
    assert action.attendance_taken_on == timezone.localdate()
    page = no_shows(client)
    assert "1 absence du" in page
    assert str(stayed_home.beneficiary) in page and str(came.beneficiary) not in page
    assert "Atelier « Préparer un entretien d&#x27;embauche »" in page
    action_page = text(client.get(action.get_absolute_url()))
    assert "Présences relevées le" in action_page
    assert "1 absence à suivre dans la" in action_page
    # The absence is read from ``present``, not copied: marked present, it is gone.
    take_attendance(client, action, came.beneficiary, stayed_home.beneficiary)
    assert "0 absence du" in no_shows(client)


def test_an_action_to_come_or_without_attendance_has_no_absence(client, referent_user, operator):
    person = running_support(referent_user)
    client.force_login(referent_user)
    future = workshop(operator, days=5, theme="Atelier à venir")
    invite(future, person)
    take_attendance(client, future)  # recorded early: its day has not come
    untaken = workshop(operator, days=-4, theme="Atelier sans présences")
    invite(untaken, person)
    assert "0 absence du" in no_shows(client)
    assert Participation.objects.absent(timezone.localdate()).count() == 0
    assert Participation.objects.absent(future.on).count() == 1  # on its day, it counts


def test_a_follow_up_of_an_action_absence_is_recorded_like_an_interview_s(
    client, referent_user, operator
):
    episode = running_support(referent_user)
    action = workshop(operator)
    (participation,) = invite(action, episode)
    client.force_login(referent_user)
    take_attendance(client, action)
    url = reverse("invitations:action_follow_up", args=[participation.pk])
    assert url in no_shows(client)
    letter = client.post(
        url, {"kind": "letter", "on": timezone.localdate().isoformat(), "note": "Relance"}
    )
    assert letter.status_code == 302
    again = client.post(
        url,
        {
            "kind": "new_invitation",
            "starts_at": timezone.localtime(in_days(4)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "45",
            "place": "operator",
            "channels": ["email"],
        },
    )
    assert again.status_code == 302
    kinds = list(participation.no_show_follow_ups.values_list("kind", flat=True))
    assert kinds == [NoShowFollowUp.Kind.LETTER, NoShowFollowUp.Kind.NEW_INVITATION]
    follow_up = participation.no_show_follow_ups.get(kind=NoShowFollowUp.Kind.NEW_INVITATION)
    assert follow_up.meeting is None  # the absence is the action's
    assert follow_up.invitation.meeting.episode == episode  # an interview of the support
    assert follow_up.invitation.meeting.status == Meeting.Status.PLANNED
    page = no_shows(client)
    assert "Courrier à la personne le" in page and "Aucune suite" not in page
    assert "0 absence du" in no_shows(client, **{"sans-suite": "1"})


def test_a_follow_up_needs_an_absence(client, referent_user, operator):
    came = running_support(referent_user)
    action = workshop(operator)
    (participation,) = invite(action, came)
    with pytest.raises(ValidationError, match="ne sont pas encore relevées"):
        services.record_follow_up(participation, "letter", timezone.localdate())
    client.force_login(referent_user)
    take_attendance(client, action, came.beneficiary)
    participation.refresh_from_db()
    with pytest.raises(ValidationError, match="notée présente"):
        services.record_follow_up(participation, "letter", timezone.localdate())
    url = reverse("invitations:action_follow_up", args=[participation.pk])
    assert client.get(url).status_code == 404  # present: no absence to follow up


def test_another_referent_s_action_absence_is_a_404(client, referent_user, operator):
    action = workshop(operator)
    (participation,) = invite(action, running_support(referent_user))
    CollectiveAction.objects.filter(pk=action.pk).update(attendance_taken_on=action.on)
    client.force_login(factories.referent(operator))
    url = reverse("invitations:action_follow_up", args=[participation.pk])
    assert client.get(url).status_code == 404
    assert "0 absence du" in no_shows(client)


def test_after_an_action_without_a_running_support_no_interview_is_offered(
    client, referent_user, operator
):
    episode = running_support(referent_user)
    action = workshop(operator)
    (participation,) = invite(action, episode)
    CollectiveAction.objects.filter(pk=action.pk).update(attendance_taken_on=action.on)
    episode.ended_on = timezone.localdate()
    episode.save(update_fields=["ended_on"])
    participation.refresh_from_db()
    with pytest.raises(ValidationError, match="pas d'accompagnement en cours"):
        services.reinvite_after_no_show(
            participation,
            starts_at=in_days(4),
            duration_minutes=45,
            place="operator",
            channels=["email"],
        )
    assert not NoShowFollowUp.objects.exists()


def test_the_export_lists_both_kinds_of_absence(client, referent_user, operator):
    episode = running_support(referent_user)
    missed(episode)
    action = workshop(operator)
    invite(action, episode)
    CollectiveAction.objects.filter(pk=action.pk).update(attendance_taken_on=action.on)
    client.force_login(referent_user)
    response = client.get(reverse("invitations:no_shows"), {"format": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 3
    assert any("Atelier « Préparer un entretien d'embauche »" in line for line in lines)
    assert any("Entretien individuel" in line for line in lines)


# --- filters and pagination --------------------------------------------------------------


def test_the_list_filters_by_referent_and_by_operator(
    client, referent_user, coordinator_user, operator, other_operator
):
    colleague = factories.referent(operator)
    mine, theirs = missed(running_support(referent_user)), missed(running_support(colleague))
    elsewhere_referent = factories.referent(other_operator)
    missed(running_support(elsewhere_referent))
    absent = running_support(colleague)
    action = workshop(operator)
    invite(action, absent)
    CollectiveAction.objects.filter(pk=action.pk).update(attendance_taken_on=action.on)
    client.force_login(coordinator_user)
    page = no_shows(client)
    assert "3 absences du" in page
    # The choices: the référents and operators of the absences the coordinator sees.
    assert options(page, "referent") == {str(referent_user.pk): False, str(colleague.pk): False}
    assert options(page, "structure") == {}  # one operator: nothing to choose
    one = no_shows(client, referent=colleague.pk)
    assert "2 absences du" in one
    assert str(theirs.episode.beneficiary) in one and str(absent.beneficiary) in one
    assert str(mine.episode.beneficiary) not in one
    assert options(one, "referent")[str(colleague.pk)] is True
    # A référent outside the scope is not offered: the value is ignored, not obeyed.
    assert "3 absences du" in no_shows(client, referent=elsewhere_referent.pk)
    assert "3 absences du" in no_shows(client, structure=other_operator.pk)
    client.force_login(factories.admin())
    everyone = no_shows(client)
    assert "4 absences du" in everyone
    assert options(everyone, "structure") == {
        str(operator.pk): False,
        str(other_operator.pk): False,
    }
    assert len(options(everyone, "referent")) == 3
    assert "1 absence du" in no_shows(client, structure=other_operator.pk)
    assert "3 absences du" in no_shows(client, structure=operator.pk)
    both = no_shows(client, structure=operator.pk, referent=referent_user.pk)
    assert "1 absence du" in both and str(mine.episode.beneficiary) in both


def test_a_referent_is_offered_only_themselves(client, referent_user, operator):
    missed(running_support(referent_user))
    colleague = factories.referent(operator)
    missed(running_support(colleague))
    client.force_login(referent_user)
    page = no_shows(client)
    assert "1 absence du" in page
    assert options(page, "referent") == {}  # themselves only: nothing to choose
    assert "1 absence du" in no_shows(client, referent=colleague.pk)  # ignored


def test_the_list_is_paginated(client, referent_user, operator, settings):
    settings.TREMPLIN_PAGE_SIZE = 2
    episode = running_support(referent_user)
    recent, older, oldest = missed(episode, -1), missed(episode, -5), missed(episode, -9)
    client.force_login(referent_user)
    first = no_shows(client)
    assert "3 absences du" in first and "(page 1 sur 2)" in first
    assert "2 absences sur cette page" in first
    assert first.count("Donner une suite") == 2
    assert reverse("invitations:follow_up", args=[recent.pk]) in first
    assert reverse("invitations:follow_up", args=[oldest.pk]) not in first
    second = no_shows(client, page=2)
    assert "(page 2 sur 2)" in second and second.count("Donner une suite") == 1
    assert reverse("invitations:follow_up", args=[oldest.pk]) in second
    assert reverse("invitations:follow_up", args=[older.pk]) not in second
    assert "Précédente" in second and "Suivante" not in second


# --- the existing data -------------------------------------------------------------------


def test_the_migration_dates_the_attendance_of_actions_where_someone_came(referent_user, operator):
    came, absent = running_support(referent_user), running_support(referent_user)
    taken = workshop(operator, days=-10, theme="Présences relevées")
    Participation.objects.create(action=taken, beneficiary=came.beneficiary, present=True)
    Participation.objects.create(action=taken, beneficiary=absent.beneficiary)
    unknown = workshop(operator, days=-10, theme="Personne noté présent")
    Participation.objects.create(action=unknown, beneficiary=absent.beneficiary)
    migration = importlib.import_module(
        "tremplin.professional.migrations.0004_collective_action_attendance_taken_on"
    )
    migration.date_recorded_attendance(apps, None)
    taken.refresh_from_db()
    unknown.refresh_from_db()
    assert taken.attendance_taken_on == taken.on
    assert unknown.attendance_taken_on is None
    absences = Participation.objects.absent(timezone.localdate())
    assert list(absences.values_list("action", "beneficiary")) == [
        (taken.pk, absent.beneficiary.pk)
    ]


def test_attendance_keeps_the_day_it_was_first_recorded(client, referent_user, operator):
    person = running_support(referent_user)
    action = workshop(operator)
    invite(action, person)
    first_day = timezone.localdate() - dt.timedelta(days=1)
    CollectiveAction.objects.filter(pk=action.pk).update(attendance_taken_on=first_day)
    client.force_login(referent_user)
    take_attendance(client, action, person.beneficiary)
    action.refresh_from_db()
    assert action.attendance_taken_on == first_day
