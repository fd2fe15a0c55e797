"""Demo data of the professional support for ``tremplin seed-demo``.

Five people of the demo referent, on RSA and without any other support, get a professional
support started some months before the reference day, built with the rules (first CER of 6
months, renewals proposed by ``propose_cer_renewal``, the third CER validated by the demo
agent, P4/P5), with two interviews a month — except one person who misses some, so that
the referent's home and the coordinator's cadence view show someone below cadence — a few
contacts, and one information session with its attendance (P2).
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tremplin.accounts.models import Membership, Role
from tremplin.professional.cadence_states import refresh_states
from tremplin.professional.models import (
    Cer,
    CollectiveAction,
    Contact,
    Invitation,
    ProfessionalSupport,
)
from tremplin.professional.services import sync_cer_deadlines
from tremplin.registry.models import Beneficiary
from tremplin.rules.calendar import PARIS
from tremplin.rules.programmes import Programme, first_cer_term, propose_cer_renewal
from tremplin.support.models import Meeting, SupportEpisode
from tremplin.support.services import save_episode

DEMO_REFERENT_EMAIL = "referent@tremplin.demo"
DEMO_AGENT_EMAIL = "agent@tremplin.demo"
# months before the reference day each support started; the index BEHIND misses interviews
STARTED_MONTHS_AGO = (1, 2, 4, 8, 13)
BEHIND = 1
OBJECTIVES = (
    "Confirmer le projet d'agent·e de logistique ; préparer le CACES R489.",
    "Entrer en formation qualifiante d'aide-soignant·e (IFAS) à la rentrée.",
    "Retrouver un emploi dans la vente : CV, candidatures, simulation d'entretien.",
    "Lever les freins de mobilité (permis B) puis rechercher un emploi en restauration.",
    "Consolider l'emploi trouvé en CDD et viser un CDI dans le nettoyage industriel.",
)
REPORTS = (
    "Entretien : point sur les candidatures de la quinzaine et les réponses reçues.",
    "Entretien : préparation d'un entretien d'embauche, simulation et conseils.",
)


def seed_professional(*, today: dt.date, users: dict) -> dict:
    referent = users.get(DEMO_REFERENT_EMAIL)
    agent = users.get(DEMO_AGENT_EMAIL)
    if referent is None:
        return {}
    operator = Membership.objects.get(user=referent, role=Role.REFERENT).organisation
    people = list(
        Beneficiary.objects.filter(referent=referent, receives_rsa=True)
        .exclude(support_episodes__isnull=False)
        .order_by("-id")[: len(STARTED_MONTHS_AGO)]
    )
    episodes = []
    for index, (person, months_ago) in enumerate(zip(people, STARTED_MONTHS_AGO, strict=False)):
        start = today - relativedelta(months=months_ago, day=1) + dt.timedelta(days=index * 3)
        episode = save_episode(
            SupportEpisode(
                beneficiary=person,
                programme=Programme.PROFESSIONAL.value,
                operator=operator,
                referent=referent,
                started_on=start,
            )
        )
        ProfessionalSupport.objects.create(
            episode=episode,
            project="training" if index == 1 else "employment",
            new_entrant=True,
        )
        terms = [first_cer_term(start)]
        while terms[-1].end < today:
            terms.append(propose_cer_renewal(terms, support_start=start).term)
        for number, term in enumerate(terms, start=1):
            validated = number >= 3 and agent is not None
            Cer.objects.create(
                episode=episode,
                number=number,
                start=term.start,
                end=term.end,
                objectives=OBJECTIVES[index],
                validated_by=agent if validated else None,
                validated_at=timezone.now() if validated else None,
                created_by=referent,
            )
        sync_cer_deadlines(episode)
        month = start
        meetings = []
        while month <= today:
            days = (month, month + dt.timedelta(days=14))
            missed = None
            if index == BEHIND:
                # Behind: the second interview of each month missed, without excuse (F8).
                days, missed = days[:1], days[1]
            for number, day in enumerate(days):
                if start <= day <= today:
                    moment = dt.datetime.combine(day, dt.time(10), tzinfo=PARIS)
                    meetings.append(
                        Meeting(
                            episode=episode,
                            starts_at=moment,
                            duration_minutes=45,
                            place=Meeting.Place.OPERATOR,
                            kind=Meeting.Kind.INDIVIDUAL,
                            status=Meeting.Status.HELD
                            if moment <= timezone.now()
                            else Meeting.Status.PLANNED,
                            report=REPORTS[number],
                            created_by=referent,
                        )
                    )
            if missed is not None and start <= missed < today:
                meetings.append(
                    Meeting(
                        episode=episode,
                        starts_at=dt.datetime.combine(missed, dt.time(14), tzinfo=PARIS),
                        duration_minutes=45,
                        place=Meeting.Place.OPERATOR,
                        kind=Meeting.Kind.INDIVIDUAL,
                        status=Meeting.Status.NO_SHOW,
                        created_by=referent,
                    )
                )
            month = (month + relativedelta(months=1)).replace(day=1)
        Meeting.objects.bulk_create(meetings)
        refresh_states([episode.pk])  # its CERs and interviews went in without a service
        Contact.objects.create(
            episode=episode,
            on=min(start + dt.timedelta(days=7), today),
            channel=Contact.Channel.PHONE,
            note="Rappel du rendez-vous et des documents à apporter.",
            created_by=referent,
        )
        episodes.append(episode)
    if episodes:
        action = CollectiveAction.objects.create(
            operator=operator,
            kind=CollectiveAction.Kind.INFORMATION,
            on=today - dt.timedelta(days=10),
            theme="Les métiers de la logistique qui recrutent",
            place="Maison de l'emploi, Strasbourg",
            created_by=referent,
        )
        for number, episode in enumerate(episodes):
            Invitation.objects.create(
                action=action, beneficiary=episode.beneficiary, present=number % 2 == 0
            )
    return {"professional_supports": len(episodes)}
