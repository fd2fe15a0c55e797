"""Support episodes: constraints, stored deadlines recomputed from the rules by the support's
services (``support.services``), never by ``save()``."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.support.factories import (
    InEmploymentEpisodeFactory,
    MeetingFactory,
    RuptureFactory,
    paris,
)
from tremplin.conventions.models import Rupture
from tremplin.support import services
from tremplin.support.models import Deadline, DeliverableContent, Meeting

pytestmark = pytest.mark.django_db


def due_dates(episode) -> dict[str, object]:
    return {
        d.code: d.due
        for d in Deadline.objects.filter(episode=episode).exclude(state=Deadline.State.DROPPED)
    }


def test_a_new_episode_stores_one_deadline_per_deliverable():
    episode = InEmploymentEpisodeFactory()
    assert due_dates(episode) == {
        "trial_review": dt.date(2025, 4, 2),
        "synthesis_m4": dt.date(2025, 7, 2),
        "pathway_review_m5": dt.date(2025, 8, 2),
        "experience_certificate": dt.date(2025, 8, 2),
        "quarterly_proof_1": dt.date(2025, 6, 3),
        "quarterly_proof_2": dt.date(2025, 9, 3),
    }
    trial = episode.deadlines.get(code="trial_review")
    assert (trial.rule, trial.state, trial.recipient) == (
        "A11",
        Deadline.State.TO_DO,
        "Cellule contrats aidés (SAF/DIES)",
    )


def test_changing_the_trial_end_moves_its_deadline_at_once():
    episode = InEmploymentEpisodeFactory()
    episode.trial_end = dt.date(2025, 3, 16)
    services.save_episode(episode)
    assert due_dates(episode)["trial_review"] == dt.date(2025, 3, 16)
    assert episode.deadlines.filter(code="trial_review").count() == 1


def test_changing_the_contract_end_moves_the_certificate_and_the_proofs():
    episode = InEmploymentEpisodeFactory()
    episode.contract_end = dt.date(2026, 3, 2)
    services.save_episode(episode)
    dates = due_dates(episode)
    assert dates["experience_certificate"] == dt.date(2026, 2, 2)
    assert dates["quarterly_proof_4"] == dt.date(2026, 3, 3)


def test_a_cdd_not_made_permanent_adds_the_non_renewal_review():
    episode = InEmploymentEpisodeFactory()
    episode.not_renewed = True
    services.save_episode(episode)
    assert due_dates(episode)["non_renewal_review"] == dt.date(2025, 12, 2)


def test_a_rupture_sets_the_48_hour_deadline_with_its_offset_and_drops_what_is_moot():
    episode = InEmploymentEpisodeFactory()
    content = DeliverableContent.objects.create(
        deadline=episode.deadlines.get(code="synthesis_m4"), items={"progression": "Bonne"}
    )
    RuptureFactory(episode=episode, known_at=paris(2025, 6, 10, 14, 0))
    notice = episode.deadlines.get(code="rupture_notice")
    assert notice.due_at == paris(2025, 6, 12, 14, 0)
    assert notice.due_at.utcoffset() == dt.timedelta(0) or notice.due_at.tzinfo is not None
    assert notice.due_on == dt.date(2025, 6, 12)
    assert notice.due_display == "12/06/2025 à 14:00"
    assert due_dates(episode)["post_rupture_review"] == dt.date(2025, 9, 10)
    synthesis = episode.deadlines.get(code="synthesis_m4")
    assert synthesis.state == Deadline.State.DROPPED
    assert "rupture du 10/06/2025" in synthesis.dropped_reason
    assert DeliverableContent.objects.filter(pk=content.pk).exists()  # nothing lost
    phases = [phase.code for phase in episode.plan().phases]
    assert phases[-1] == "job_search"


def test_saving_an_episode_without_its_service_leaves_the_plan_alone():
    """No business effect hidden in save(): only the service recomputes the plan."""
    episode = InEmploymentEpisodeFactory()
    episode.trial_end = dt.date(2025, 3, 16)
    episode.save()
    assert due_dates(episode)["trial_review"] == dt.date(2025, 4, 2)


def test_withdrawing_a_rupture_brings_the_plan_back():
    episode = InEmploymentEpisodeFactory()
    RuptureFactory(episode=episode)
    services.withdraw_rupture(episode)
    assert not Rupture.objects.exists()
    episode.refresh_from_db()
    assert "synthesis_m4" in due_dates(episode)
    notice = episode.deadlines.get(code="rupture_notice")
    assert notice.state == Deadline.State.DROPPED


def test_a_48_hour_deadline_across_the_spring_clock_change_keeps_the_wall_hour():
    episode = InEmploymentEpisodeFactory(contract_end=dt.date(2025, 9, 2))
    RuptureFactory(episode=episode, known_at=paris(2025, 3, 29, 10, 0))
    notice = episode.deadlines.get(code="rupture_notice")
    assert notice.due_at == paris(2025, 3, 31, 10, 0)  # 47 elapsed hours, same wall hour
    assert notice.due_display == "31/03/2025 à 10:00"


def test_the_database_refuses_a_cdd_without_end():
    episode = InEmploymentEpisodeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(episode).objects.filter(pk=episode.pk).update(contract_end=None)


def test_the_database_refuses_a_contract_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        InEmploymentEpisodeFactory(contract_end=dt.date(2025, 1, 1))


def test_the_database_refuses_a_cdi_not_renewed():
    with pytest.raises(IntegrityError), transaction.atomic():
        InEmploymentEpisodeFactory(cdi=True, not_renewed=True)


def test_the_database_refuses_a_sent_deadline_without_recipient():
    episode = InEmploymentEpisodeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        episode.deadlines.filter(code="quarterly_proof_1").update(state="sent")


def test_the_database_refuses_two_deadlines_of_one_code():
    episode = InEmploymentEpisodeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(
            episode=episode, code="trial_review", label="x", rule="A11", due_on=dt.date.today()
        )


def test_the_database_refuses_a_meeting_of_no_duration():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(duration_minutes=0)


# --- French errors -----------------------------------------------------------------------


def test_a_meeting_before_the_contract_is_refused_in_french():
    episode = InEmploymentEpisodeFactory()
    meeting = Meeting(
        episode=episode,
        starts_at=paris(2025, 3, 1, 9, 0),
        duration_minutes=60,
        place="company",
        kind="individual",
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    message = error.value.message_dict["starts_at"][0]
    assert "La rencontre du 01/03/2025 précède le début du contrat (03/03/2025)" in message
    assert "(A5)" in message


def test_a_rupture_before_the_hire_is_refused_in_french():
    episode = InEmploymentEpisodeFactory()
    rupture = Rupture(known_at=paris(2025, 3, 1, 9, 0), initiative="employer", reason="Erreur")
    with pytest.raises(ValidationError) as error:
        services.record_episode_rupture(episode, rupture, user=None)
    assert not Rupture.objects.exists()
    text = " ".join(m for messages in error.value.message_dict.values() for m in messages)
    assert "ne peut pas précéder l'embauche" in text or "avant l'embauche" in text
    assert "(A14)" in text


def test_sending_a_deliverable_without_its_items_is_refused_in_french():
    episode = InEmploymentEpisodeFactory()
    trial = episode.deadlines.get(code="trial_review")
    with pytest.raises(ValidationError) as error:
        trial.mark_sent("Cellule contrats aidés", dt.date(2025, 4, 2))
    text = " ".join(error.value.messages)
    assert "ne peut pas être envoyé sans" in text
    assert "« Réponses construites avec le salarié »" in text
    trial.refresh_from_db()
    assert trial.state == Deadline.State.TO_DO


def test_a_complete_deliverable_is_marked_sent():
    episode = InEmploymentEpisodeFactory()
    trial = episode.deadlines.get(code="trial_review")
    DeliverableContent.objects.create(
        deadline=trial,
        items={
            "difficulties_met": "Transport",
            "answers_built": "Covoiturage",
            "training_needs": "Aucun",
            "professional_behaviour": "Ponctuel",
        },
    )
    trial.mark_sent("Cellule contrats aidés", dt.date(2025, 4, 2))
    trial.refresh_from_db()
    assert (trial.state, trial.sent_at) == (Deadline.State.SENT, dt.date(2025, 4, 2))


def test_an_episode_with_dates_the_rules_refuse_is_a_french_validation_error():
    episode = InEmploymentEpisodeFactory()
    episode.trial_end = dt.date(2025, 10, 1)
    with pytest.raises(ValidationError) as error:
        episode.clean()
    assert "dépasse la fin du contrat" in " ".join(error.value.messages)


def test_of_teams_gathers_the_supports_run_by_the_team_or_whose_person_it_follows():
    """A coordinator's team: the supports its operator runs, and those of the people it
    follows run by another operator — each once (two lookups joined by UNION)."""
    from tests import factories
    from tremplin.support.models import SupportEpisode

    team, other = factories.OrganisationFactory(), factories.OrganisationFactory()
    run_by_team = InEmploymentEpisodeFactory(beneficiary__operator=team)
    person_of_team = InEmploymentEpisodeFactory(beneficiary__operator=team, operator=other)
    run_for_others = InEmploymentEpisodeFactory(beneficiary__operator=other, operator=team)
    InEmploymentEpisodeFactory(beneficiary__operator=other)  # neither: left out

    found = list(SupportEpisode.objects.of_teams([team.pk]).order_by("pk"))

    assert found == [run_by_team, person_of_team, run_for_others]
    assert SupportEpisode.objects.of_teams([team.pk, other.pk]).count() == 4


def test_of_teams_keeps_only_the_open_supports_of_a_programme_when_asked():
    """The team's lookups read only the supports asked for (open, one programme): the same
    supports as filtering the team's afterwards."""
    from tests import factories
    from tests.professional.factories import ProfessionalEpisodeFactory
    from tremplin.support.models import SupportEpisode

    team = factories.OrganisationFactory()
    open_in_employment = InEmploymentEpisodeFactory(beneficiary__operator=team)
    InEmploymentEpisodeFactory(operator=team, ended_on=dt.date(2025, 9, 30))  # closed
    open_professional = ProfessionalEpisodeFactory(beneficiary__operator=team)
    episodes = SupportEpisode.objects.order_by("pk")

    assert list(episodes.of_teams([team.pk], open_only=True)) == [
        open_in_employment,
        open_professional,
    ]
    assert list(episodes.of_teams([team.pk], open_only=True, programme="professional")) == [
        open_professional
    ]
    assert episodes.of_teams([team.pk]).count() == 3
