"""Changes of the professional support that touch several facts, each in one transaction:
opening a support with its first CER (P3, P4), moving people to another referent (P9).
Pages and commands call these; CER renewals and validations live with the CER chain
(``models.renew_cer``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry
from tremplin.rules.programmes import Programme, first_cer_term
from tremplin.support.models import SupportEpisode

from .models import Cer, ProfessionalSupport, sync_cer_deadlines


@transaction.atomic
def open_support(
    beneficiary,
    *,
    user,
    operator,
    referent,
    started_on: dt.date,
    project: str,
    new_entrant: bool,
    pathway_start: dt.date | None,
    barriers_lifted_on: dt.date | None,
    objectives: str,
) -> Cer:
    """The support, its facts (P3, P4) and its first CER (P4), with the CER's deadlines;
    gives the first CER (its ``episode`` is the new support)."""
    episode = SupportEpisode.objects.create(
        beneficiary=beneficiary,
        programme=Programme.PROFESSIONAL.value,
        operator=operator,
        referent=referent,
        started_on=started_on,
    )
    ProfessionalSupport.objects.create(
        episode=episode,
        project=project,
        new_entrant=new_entrant,
        pathway_start=pathway_start,
        barriers_lifted_on=barriers_lifted_on,
    )
    term = first_cer_term(started_on)
    cer = Cer.objects.create(
        episode=episode,
        number=1,
        start=term.start,
        end=term.end,
        objectives=objectives,
        created_by=user,
    )
    sync_cer_deadlines(episode)
    return cer


@transaction.atomic
def transfer(episodes, source, target) -> int:
    """Each support of ``episodes`` goes from referent ``source`` to ``target`` (P9), with
    its person when ``source`` followed them (or nobody did); each transfer is written in
    the audit log. Gives the number of supports moved."""
    moved = 0
    for episode in episodes:
        episode.referent = target
        episode.save()  # audited: referent old -> new
        beneficiary = episode.beneficiary
        if beneficiary.referent_id in (None, source.pk):
            beneficiary.referent = target
            beneficiary.save()
        audit.record(
            AuditEntry.Action.UPDATE,
            episode,
            changes={"transfert (P9)": [source.get_full_name(), target.get_full_name()]},
        )
        moved += 1
    return moved
