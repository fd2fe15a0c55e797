"""Changes of the professional support that touch several facts, each in one transaction
(docs/decisions.md, "One path for side effects"): opening a support with its first CER (P3,
P4), renewing and validating a CER and the deadlines of the chain (P4, P5), closing a
support (its exit is classified, through ``support.services.save_episode``), moving people
to another referent (P9), a collective action's invitations and attendance (P2). Pages, API,
commands and the demo call these. The support's kept cadence state (``cadence_states``)
follows its CERs here and its interviews and dates through the hooks
(``hooks.MEETING_CHANGED``, ``hooks.EPISODE_CHANGED``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry
from tremplin.rules.programmes import (
    ProfessionalFacts,
    Programme,
    RuleError,
    first_cer_term,
    professional_plan,
)
from tremplin.support.models import Deadline, SupportEpisode
from tremplin.support.services import announce_deadlines, deadline_marks, save_episode
from tremplin.web import hooks

from . import cadence_states
from .models import Cer, Invitation, ProfessionalSupport, cer_terms, next_renewal


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
    episode = save_episode(
        SupportEpisode(
            beneficiary=beneficiary,
            programme=Programme.PROFESSIONAL.value,
            operator=operator,
            referent=referent,
            started_on=started_on,
        )
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
    cadence_states.refresh_episode(episode)  # its last day is the new CER's end
    return cer


@transaction.atomic
def sync_cer_deadlines(episode: SupportEpisode) -> None:
    """Each CER's end is a deadline of the episode (P4, P5), stored like the in-employment
    deadlines so that the referent's day lists it; codes ``cer_end_N``."""
    cers = list(episode.cers.all())
    if not cers:
        return
    facts = ProfessionalFacts(cer_terms(cers, True), support_start=episode.started_on)
    try:
        plan = professional_plan(facts)
    except RuleError:
        return  # a chain the rules refuse is never stored (the forms check it first)
    existing = {d.code: d for d in episode.deadlines.filter(code__startswith="cer_end_")}
    before = deadline_marks(existing.values())
    for item in plan.deliverables:
        deadline = existing.pop(item.code, None) or Deadline(episode=episode, code=item.code)
        deadline.fill_from_rule(item)
        if deadline.state == Deadline.State.DROPPED:
            deadline.state = Deadline.State.TO_DO
            deadline.dropped_reason = ""
        deadline.save()
    # A CER is followed by a renewal: its end is no longer a decision to take.
    renewed = {f"cer_end_{cer.number}" for cer in cers[:-1]}
    for deadline in episode.deadlines.filter(code__in=renewed, state__in=Deadline.OPEN_STATES):
        deadline.state = Deadline.State.DROPPED
        deadline.dropped_reason = "Le CER a été renouvelé (P5)."
        deadline.save()
    announce_deadlines(before, episode.deadlines.filter(code__startswith="cer_end_"))


@transaction.atomic
def renew_cer(episode: SupportEpisode, objectives: str, user) -> Cer:
    """Add the next CER of the chain (P5); a RuleError when the rules refuse it."""
    episode = SupportEpisode.objects.select_for_update().get(pk=episode.pk)
    cers = list(episode.cers.all())
    renewal = next_renewal(episode, cers)
    cer = Cer.objects.create(
        episode=episode,
        number=len(cers) + 1,
        start=renewal.term.start,
        end=renewal.term.end,
        objectives=objectives,
        created_by=user,
    )
    sync_cer_deadlines(episode)
    cadence_states.refresh_episode(episode)  # its last day is the new CER's end
    cer.requires_validation = renewal.requires_validation
    return cer


@transaction.atomic
def validate_cer(cer: Cer, *, user) -> Cer:
    """The département validates a CER beyond the first renewal or 12 months (P5)."""
    cer.validated_by = user
    cer.validated_at = timezone.now()
    cer.save(update_fields=["validated_by", "validated_at"])
    return cer


@transaction.atomic
def close_support(episode: SupportEpisode, ended_on) -> SupportEpisode:
    """The person leaves the professional support (P9): its exit is classified."""
    episode.ended_on = ended_on
    return save_episode(episode)


@transaction.atomic
def save_collective_action(form) -> object:
    """A collective action (P2) and its invitations: the people invited now, no others."""
    action = form.save()
    wanted = {person.pk for person in form.cleaned_data["invited"]}
    action.invitations.exclude(beneficiary_id__in=wanted).delete()
    existing = set(action.invitations.values_list("beneficiary_id", flat=True))
    for pk in sorted(wanted - existing):
        Invitation.objects.create(action=action, beneficiary_id=pk)  # each one audited
    return action


@transaction.atomic
def record_attendance(action, invitations, present_ids: set[str], today=None) -> int:
    """Who came to a collective action (attendance counts as a contact, P4); gives the
    number of invitations changed. The first recording dates the attendance: once the
    action's day has come, the people invited and not present are absent (F8)."""
    if action.attendance_taken_on is None:
        action.attendance_taken_on = today or timezone.localdate()
        action.save(update_fields=["attendance_taken_on"])
    changed = 0
    for invitation in invitations:
        value = str(invitation.pk) in present_ids
        if invitation.present != value:
            invitation.present = value
            invitation.save()
            changed += 1
    return changed


@transaction.atomic
def transfer(episodes, source, target) -> int:
    """Each support of ``episodes`` goes from referent ``source`` to ``target`` (P9), with
    its person when ``source`` followed them (or nobody did); each transfer is written in
    the audit log. Gives the number of supports moved."""
    moved = 0
    for episode in episodes:
        episode.referent = target
        save_episode(episode)  # audited: referent old -> new
        beneficiary = episode.beneficiary
        if beneficiary.referent_id in (None, source.pk):
            beneficiary.referent = target
            beneficiary.save()
        # A transfer of its own in the log (rule P9), the référent before and after.
        audit.record(
            AuditEntry.Action.TRANSFER,
            episode,
            changes={"référent·e": [source.get_full_name(), target.get_full_name()]},
        )
        moved += 1
    return moved


def on_support_written(episode) -> None:
    """``hooks.EPISODE_CHANGED``, ``hooks.MEETING_CHANGED``: the support's cadence state
    (P4) follows its dates and its interviews held."""
    cadence_states.refresh_episode(episode)


def register_hooks() -> None:
    hooks.after(hooks.EPISODE_CHANGED, "professional.cadence", on_support_written)
    hooks.after(hooks.MEETING_CHANGED, "professional.cadence", on_support_written)
