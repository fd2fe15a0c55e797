"""The professional support's API: CERs, interviews, contacts and the interview cadence.

Mounted with the prefix "" (paths under /api/v1/episodes/{id}/...). Everything reads through
the episode's ``visible_to`` (``visible_object_or_404``): an episode outside the caller's
scope, or not a professional support, is a 404. Writes go through the pages' forms
and rules: the same French errors, answered 422, nothing saved.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema, Status

from tremplin.accounts import audit
from tremplin.rules.programmes import Programme, RuleError, parameters_in_force
from tremplin.support import services as support_services
from tremplin.support.api import READ_OF_EPISODE
from tremplin.support.models import SupportEpisode
from tremplin.web.api.errors import NOTHING_SAVED, ErrorOut, FormInvalid, ValidationErrorOut
from tremplin.web.form_pages import NOT_SAVED, save_in_savepoint
from tremplin.web.shortcuts import visible_object_or_404

from . import services
from .cadence import episode_cadence
from .forms import ContactForm, InterviewForm
from .models import INTERVIEW_KIND, needing_validation

professional_router = Router(tags=["Accompagnement professionnel"])


class CerOut(Schema):
    number: int
    start: dt.date
    end: dt.date
    objectives: str
    requires_validation: bool
    validated_by: str | None
    validated_at: dt.datetime | None


class CerIn(Schema):
    objectives: str


class InterviewOut(Schema):
    id: int
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    participants: str
    report: str


class InterviewIn(Schema):
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    participants: str = ""
    report: str = ""


class ContactOut(Schema):
    id: int
    on: dt.date
    channel: str
    note: str


class ContactIn(Schema):
    on: dt.date
    channel: str
    note: str = ""


class CadenceMonthOut(Schema):
    year: int
    month: int
    first: dt.date
    last: dt.date
    full: bool
    required: int
    done: int
    missing: int
    compliant: bool
    ended: bool


class CadenceOut(Schema):
    episode: int
    support_start: dt.date
    support_end: dt.date | None
    as_of: dt.date
    compliant: bool
    missing: int
    months: list[CadenceMonthOut]
    rule: str
    rule_text: str


def _episode(request, episode_id: int):
    return visible_object_or_404(
        SupportEpisode.objects.filter(programme=Programme.PROFESSIONAL.value).select_related(
            "beneficiary"
        ),
        request,
        episode_id,
    )


def _cer_out(cer, needed) -> dict:
    return {
        "number": cer.number,
        "start": cer.start,
        "end": cer.end,
        "objectives": cer.objectives,
        "requires_validation": cer.number in needed,
        "validated_by": cer.validated_by.get_full_name() if cer.validated_by_id else None,
        "validated_at": cer.validated_at,
    }


@professional_router.get(
    "/episodes/{episode_id}/cers",
    response={200: list[CerOut], 404: ErrorOut},
    summary="La chaîne des CER d'un accompagnement professionnel (P4, P5)",
    description=READ_OF_EPISODE,
)
def list_cers(request, episode_id: int):
    episode = _episode(request, episode_id)
    cers = list(episode.cers.select_related("validated_by"))
    audit.record_views([episode, *cers])
    needed = needing_validation(episode, cers)
    return [_cer_out(cer, needed) for cer in cers]


@professional_router.post(
    "/episodes/{episode_id}/cers",
    response={201: CerOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Renouveler le CER (P5 : une fois librement, jusqu'à 18 mois avec validation)",
)
def create_cer(request, episode_id: int, payload: CerIn):
    episode = _episode(request, episode_id)
    if not payload.objectives.strip():
        return Status(
            422,
            {"detail": NOTHING_SAVED, "errors": {"objectives": ["Indiquez les objectifs du CER."]}},
        )
    try:
        cer = services.renew_cer(episode, payload.objectives.strip(), request.user)
    except RuleError as error:
        return Status(422, {"detail": error.message, "errors": {"__all__": [error.message]}})
    needed = [cer.number] if cer.requires_validation else []
    return Status(201, _cer_out(cer, needed))


@professional_router.get(
    "/episodes/{episode_id}/interviews",
    response={200: list[InterviewOut], 404: ErrorOut},
    summary="Les entretiens individuels (rencontres de l'accompagnement)",
    description=READ_OF_EPISODE,
)
def list_interviews(request, episode_id: int):
    episode = _episode(request, episode_id)
    interviews = list(episode.meetings.filter(kind=INTERVIEW_KIND))
    audit.record_views([episode, *interviews])
    return interviews


@professional_router.post(
    "/episodes/{episode_id}/interviews",
    response={201: InterviewOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Enregistrer un entretien (dans l'accompagnement : P4)",
)
def create_interview(request, episode_id: int, payload: InterviewIn):
    episode = _episode(request, episode_id)
    data = payload.dict()
    moment = payload.starts_at
    if moment.tzinfo is not None:
        moment = timezone.localtime(moment)
    data["starts_at"] = moment.strftime("%Y-%m-%dT%H:%M")
    form = InterviewForm(data, episode=episode)
    if form.is_valid():
        saved = save_in_savepoint(
            form, lambda: support_services.save_meeting(form, user=request.user)
        )
        if saved is not NOT_SAVED:
            return Status(201, saved)
    raise FormInvalid(form)


@professional_router.get(
    "/episodes/{episode_id}/contacts",
    response={200: list[ContactOut], 404: ErrorOut},
    summary="Les contacts (téléphone, courriel, SMS, visite)",
    description=READ_OF_EPISODE,
)
def list_contacts(request, episode_id: int):
    episode = _episode(request, episode_id)
    contacts = list(episode.contacts.all())
    audit.record_views([episode, *contacts])
    return contacts


@professional_router.post(
    "/episodes/{episode_id}/contacts",
    response={201: ContactOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Enregistrer un contact",
)
def create_contact(request, episode_id: int, payload: ContactIn):
    episode = _episode(request, episode_id)
    form = ContactForm(payload.dict(), episode=episode)
    if not form.is_valid():
        raise FormInvalid(form)
    form.instance.created_by = request.user
    form.save()
    return Status(201, form.instance)


@professional_router.get(
    "/episodes/{episode_id}/cadence",
    response={200: CadenceOut, 404: ErrorOut},
    summary="La cadence des entretiens par mois civil (P4)",
    description="Chaque lecture est inscrite au journal d'audit comme une consultation de "
    "l'accompagnement.",
)
def read_cadence(request, episode_id: int):
    episode = _episode(request, episode_id)
    audit.record_view(episode)
    today = timezone.localdate()
    row = episode_cadence(episode, today)
    values = parameters_in_force(Programme.PROFESSIONAL, episode.started_on)
    full, partial = values["interviews_per_full_month"], values["interviews_per_partial_month"]
    months = []
    if row is not None:
        months = [
            {
                "year": m.year,
                "month": m.month,
                "first": m.first,
                "last": m.last,
                "full": m.full,
                "required": m.required,
                "done": m.done,
                "missing": m.missing,
                "compliant": m.compliant,
                "ended": m.ended,
            }
            for m in row.report.months
        ]
    return {
        "episode": episode.pk,
        "support_start": episode.started_on,
        "support_end": row.end if row else None,
        "as_of": today,
        "compliant": row.report.compliant if row else True,
        "missing": row.missing if row else 0,
        "months": months,
        "rule": "P4",
        "rule_text": f"Au moins {full.value} entretiens par mois civil entièrement compris dans "
        f"l'accompagnement, {partial.value} pour un mois partiel (P4) ; le mois en cours "
        "n'est pas encore jugé.",
    }
