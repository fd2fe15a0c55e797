"""Changes of the support that touch several facts, each in one transaction (docs/decisions.md,
"One path for side effects"). Pages, API, commands, the demo and the tests call these; the
models only persist, and no ``save()`` or signal reacts behind their back.

- ``save_episode``: start or change a support; its plan's deadlines follow its dates (A11–A14,
  C10, E6) and the exits are told (``hooks.EPISODE_CHANGED``);
- ``declare_rupture`` / ``withdraw_rupture``: the rupture of the contract (A14) is the one row of
  ``conventions.Rupture``, recorded through ``conventions.services.record_rupture``: the
  convention's aid and state follow (F12, F13), and the deadlines of every support of that
  contract are recomputed by ``on_rupture_changed`` (registered on ``hooks.RUPTURE_CHANGED``),
  whichever page or API recorded it; the Cellule contrats aidés is e-mailed (A14);
- ``record_suspension``: a suspension of the contract of a support with a convention, the one
  row of ``conventions.Suspension`` (C9, F12);
- ``record_refusal``: a refusal of the support, told to the conseiller RSA (A9);
- ``add_document``, ``save_deliverable_draft``: the livret (A6) and the deliverables' drafts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from tremplin.conventions import services as conventions_services
from tremplin.conventions.models import Rupture, Suspension
from tremplin.rules import ruptures
from tremplin.rules.calendar import to_paris
from tremplin.rules.programmes import Programme, RuleError, in_employment_plan
from tremplin.web import hooks

from . import notifications
from .models import Deadline, DeliverableContent, Document, Refusal, SupportEpisode

logger = logging.getLogger(__name__)

# --- The plan's deadlines (A11–A14, C10, E6) ------------------------------------------------


@transaction.atomic
def refresh_deadlines(episode: SupportEpisode, *, rupture=True) -> None:
    """Recompute the stored deadlines from the rules: changing a date — trial end, contract
    end, a rupture — recomputes the plan at once. ``rupture``: True reads the stored one,
    None ignores it (being withdrawn), a ``Rupture`` is the one just recorded.

    One row per deliverable code and episode. A row the plan no longer asks for is never
    deleted: it becomes "sans objet" with the reason (its content and sending stay), and
    comes back to life if a later change asks for it again. Sent rows keep their state.
    """
    if not episode.is_in_employment:
        return  # the professional programme's deadlines follow its CER chain
    plan = in_employment_plan(episode.plan_facts(rupture=rupture))
    existing = {deadline.code: deadline for deadline in episode.deadlines.all()}
    seen = set()
    for item in plan.deliverables:
        seen.add(item.code)
        deadline = existing.get(item.code) or Deadline(episode=episode, code=item.code)
        deadline.fill_from_rule(item)
        if deadline.state == Deadline.State.DROPPED:
            has_content = hasattr(deadline, "content") and deadline.content.items
            deadline.state = Deadline.State.DRAFT if has_content else Deadline.State.TO_DO
        deadline.dropped_reason = ""
        deadline.save()
    for dropped in plan.dropped:
        seen.add(dropped.deliverable.code)
        deadline = existing.get(dropped.deliverable.code)
        if deadline is None:
            continue  # never asked for: nothing to keep
        deadline.fill_from_rule(dropped.deliverable)
        deadline.drop(dropped.reason)
    for code, deadline in existing.items():
        if code not in seen:
            deadline.drop("N'est plus prévu par le plan après la modification des dates.")


@transaction.atomic
def save_episode(episode: SupportEpisode) -> SupportEpisode:
    """Start or change a support (already validated by its form or the caller): written,
    its plan recomputed when a date it depends on changed (or it is new), and the apps above
    told (``hooks.EPISODE_CHANGED``: the exit is reclassified)."""
    plan_changed = episode.pk is None or episode.plan_changed
    episode.save()
    if plan_changed:
        refresh_deadlines(episode)
    episode.mark_plan_stored()
    hooks.notify(hooks.EPISODE_CHANGED, episode=episode)
    return episode


# --- The rupture of the contract (A14, E5, F12, F13) ------------------------------------------


@dataclass
class RuptureDeclared:
    """What ``declare_rupture`` did: the rupture, the document added to the livret, the
    e-mails to the Cellule contrats aidés and the addresses actually reached (A14)."""

    rupture: Rupture
    evidence: Document | None = None
    outgoing: list = field(default_factory=list)
    sent: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Upload:
    """A file checked by its content (``support.uploads``), ready for the livret."""

    name: str
    content_type: str
    extension: str
    content: bytes


def episodes_of(rupture: Rupture):
    """The in-employment supports of the contract that ``rupture`` ended."""
    if rupture.convention_id is not None:
        condition = Q(convention_id=rupture.convention_id)
    elif rupture.pk is not None:
        condition = Q(contract_rupture_id=rupture.pk)
    else:
        return SupportEpisode.objects.none()
    return SupportEpisode.objects.filter(condition, programme=Programme.IN_EMPLOYMENT.value)


def on_rupture_changed(rupture: Rupture, withdrawn: bool) -> None:
    """``hooks.RUPTURE_CHANGED``: the deadlines of the supports of that contract follow the
    rupture (A14: the notice 48 hours after the moment it is known, the job search and the
    post-rupture review 3 months after), whichever page or API recorded it."""
    for episode in episodes_of(rupture):
        refresh_deadlines(episode, rupture=None if withdrawn else rupture)


def check_against_the_plan(episode: SupportEpisode, rupture: Rupture) -> None:
    """The support's plan must accept the rupture (A14): not before the hire, not after the
    contract's end. A French ``ValidationError`` on the field concerned otherwise."""
    if not episode.is_in_employment:
        raise ValidationError("Une rupture concerne un accompagnement dans l'emploi (A14).")
    try:
        in_employment_plan(episode.plan_facts(rupture=rupture))
    except RuleError as error:
        field_name = "last_day" if rupture.last_day and "rupture (" in error.message else "known_at"
        raise ValidationError({field_name: error.message}) from None


def _check_employee_ground(episode: SupportEpisode, rupture: Rupture) -> None:
    """Rule E5 for a contract signed outside Tremplin (a convention's rupture checks it on
    the convention)."""
    by_employee = rupture.initiative == Rupture.Initiative.EMPLOYEE
    early_end = ruptures.employee_early_end(
        episode.contract_type, by_employee, rupture.employee_ground, rupture.last_day
    )
    if early_end.severity == "blocking":
        raise ValidationError({"employee_ground": early_end.message})


@transaction.atomic
def record_episode_rupture(episode: SupportEpisode, rupture: Rupture, *, user) -> Rupture:
    """The rupture of the support's contract written once (``declare_rupture`` without its
    e-mail and document): the convention's rupture when the support has a convention, the
    support's own otherwise; the deadlines follow."""
    if rupture.known_at and not rupture.last_day:
        rupture.last_day = to_paris(rupture.known_at).date()  # empty: the day it is known
    check_against_the_plan(episode, rupture)
    if episode.convention_id is not None:
        return conventions_services.record_rupture(
            rupture, convention=episode.convention, user=user
        )
    _check_employee_ground(episode, rupture)
    conventions_services.record_rupture(rupture, beneficiary=episode.beneficiary, user=user)
    if episode.contract_rupture_id != rupture.pk:
        episode.contract_rupture = rupture
        episode.save(update_fields=["contract_rupture", "updated_at"])
        refresh_deadlines(episode, rupture=rupture)
    return rupture


@transaction.atomic
def declare_rupture(
    episode: SupportEpisode,
    rupture: Rupture,
    *,
    user,
    evidence: Upload | None = None,
    evidence_title: str = "",
) -> RuptureDeclared:
    """The référent declares (or corrects) the rupture of the support's contract (A14).

    One row, ``conventions.Rupture``: the convention's when the support has one (its aid
    stops, F12; the repayment check of F13 opens for an employer's rupture outside the
    lawful cases), the support's own otherwise. The deadlines follow (``on_rupture_changed``),
    the supporting document joins the livret and the Cellule contrats aidés is e-mailed
    with it. Refused in French (``ValidationError``), nothing written."""
    record_episode_rupture(episode, rupture, user=user)
    declared = RuptureDeclared(rupture)
    if evidence is not None:
        title = evidence_title.strip() or f"Pièce justificative de la rupture — {evidence.name}"
        declared.evidence = add_document(
            episode,
            category=Document.Category.RUPTURE_EVIDENCE,
            title=title[:200],
            upload=evidence,
            user=user,
        )
    # A14: the Cellule contrats aidés is told at once, with the document.
    declared.outgoing = notifications.rupture_messages(rupture, declared.evidence, episode=episode)
    declared.sent = [m.recipient for m in declared.outgoing if _deliver(m)]
    return declared


def _deliver(message) -> bool:
    """Send one e-mail now; a mail server that refuses loses nothing: the daily job
    (``tremplin deadlines --send``) sends what was not recorded as sent."""
    try:
        return notifications.deliver(message)
    except OSError:
        logger.exception("E-mail to %s not sent; the daily job will retry", message.recipient)
        return False


@transaction.atomic
def withdraw_rupture(episode: SupportEpisode) -> None:
    """A rupture declared by mistake: withdrawn for every module (the plan and the aid come
    back)."""
    rupture = episode.current_rupture()
    if rupture is not None:
        conventions_services.withdraw_rupture(rupture)
        episode.refresh_from_db()


# --- Suspension (C9, F12) and refusal (A9) ----------------------------------------------------


def record_suspension(episode: SupportEpisode, suspension: Suspension, *, user) -> Suspension:
    """A suspension declared from the support's page: the one row of the convention's
    suspensions (C9), whose unpaid days cut the aid (F12)."""
    if episode.convention_id is None:
        raise ValidationError(
            "Cet accompagnement ne suit pas une convention enregistrée dans Tremplin : aucune "
            "aide n'est à suspendre. Signalez la suspension à l'employeur et au payeur de "
            "l'aide (règle F12)."
        )
    return conventions_services.record_suspension(
        suspension, convention=episode.convention, user=user
    )


@dataclass
class RefusalRecorded:
    refusal: Refusal
    recipient: str = ""  # the conseiller RSA's address, empty when unknown
    sent: bool = False


@transaction.atomic
def record_refusal(episode: SupportEpisode, refusal: Refusal, *, user) -> RefusalRecorded:
    """A9: the refusal is recorded and the conseiller RSA told « dans les plus brefs
    délais » — at once, by e-mail."""
    refusal.episode = episode
    refusal.recorded_by = user
    refusal.full_clean()
    refusal.save()
    result = RefusalRecorded(refusal)
    message = notifications.refusal_message(refusal)
    if message is not None:
        result.recipient = message.recipient
        result.sent = _deliver(message)
    return result


# --- The livret (A6) and the deliverables (A11–A14) -------------------------------------------


def add_document(
    episode: SupportEpisode, *, category: str, title: str, upload: Upload, user
) -> Document:
    """A piece of the livret, stored under a random name (``Document``)."""
    document = Document(
        episode=episode,
        category=category,
        title=title,
        original_name=upload.name[:255],
        content_type=upload.content_type,
        extension=upload.extension,
        size=len(upload.content),
        uploaded_by=user,
    )
    document.file.save("document", ContentFile(upload.content), save=False)
    document.save()
    return document


@transaction.atomic
def save_deliverable_draft(deadline: Deadline, items: dict, *, user) -> DeliverableContent:
    """The deliverable's answers kept as a draft; a deliverable to do becomes a draft."""
    draft = DeliverableContent.objects.filter(deadline=deadline).first() or DeliverableContent(
        deadline=deadline
    )
    draft.items = {key: value for key, value in items.items() if value}
    draft.updated_by = user
    draft.save()
    if deadline.state == Deadline.State.TO_DO:
        deadline.state = Deadline.State.DRAFT
        deadline.save()
    return draft


def register_hooks() -> None:
    hooks.after(hooks.RUPTURE_CHANGED, "support.deadlines", on_rupture_changed)
