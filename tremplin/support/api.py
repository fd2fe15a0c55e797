"""The support's API (django-ninja): episodes, their plan, deadlines and meetings.

``support_router`` is mounted by the API (``api.add_router("/support", support_router)``),
which brings authentication (personal token or session). Everything reads through
``SupportEpisode.objects.visible_to``: an episode outside the caller's scope is a 404.
A rupture or a suspension declared here is the one row of the event, the same as the
convention's (``tremplin.conventions.api``), through the same forms and services as the
pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from tremplin.accounts import audit
from tremplin.conventions.api import RuptureOut, SuspensionIn, SuspensionOut, form_data
from tremplin.conventions.forms import SuspensionForm
from tremplin.rules.calendar import to_paris
from tremplin.rules.programmes import RuleError
from tremplin.support.management.commands.support_plan import plan_as_json
from tremplin.web.api.errors import ErrorOut, ValidationErrorOut
from tremplin.web.api.payloads import save_through_service
from tremplin.web.shortcuts import visible_object_or_404

from . import services
from .forms import MeetingForm, RuptureForm
from .models import SupportEpisode

support_router = Router(tags=["Accompagnements"])

MAX_PAGE_SIZE = 100


class EpisodeOut(Schema):
    id: int
    beneficiary: int
    programme: str
    referent: int | None
    operator: int | None
    employer: int | None
    tutor: int | None
    rsa_adviser: str
    contract_type: str
    contract_start: dt.date | None
    trial_end: dt.date | None
    contract_end: dt.date | None
    not_renewed: bool
    started_on: dt.date
    ended_on: dt.date | None
    rupture_known_at: dt.datetime | None
    convention: int | None = None  # the signed convention it was started from


class EpisodePage(Schema):
    count: int
    items: list[EpisodeOut]


class DeadlineOut(Schema):
    code: str
    label: str
    rule: str
    due: str  # a date, or an ISO datetime with its offset for the 48 hours (A14)
    state: str
    recipient: str
    sent_to: str
    sent_at: dt.date | None
    note: str
    dropped_reason: str


class MeetingOut(Schema):
    id: int
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    kind: str
    participants: str
    report: str
    over_budget_reason: str


class MeetingIn(Schema):
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    kind: str
    participants: str = ""
    report: str = ""
    over_budget_reason: str = ""


def _episode_out(episode: SupportEpisode) -> dict:
    rupture = episode.current_rupture()
    return {
        "id": episode.pk,
        "beneficiary": episode.beneficiary_id,
        "programme": episode.programme,
        "referent": episode.referent_id,
        "operator": episode.operator_id,
        "employer": episode.employer_id,
        "tutor": episode.tutor_id,
        "rsa_adviser": episode.rsa_adviser_display,
        "contract_type": episode.contract_type,
        "contract_start": episode.contract_start,
        "trial_end": episode.trial_end,
        "contract_end": episode.contract_end,
        "not_renewed": episode.not_renewed,
        "started_on": episode.started_on,
        "ended_on": episode.ended_on,
        "rupture_known_at": rupture.known_at if rupture else None,
        "convention": episode.convention_id,
    }


RELATED = ("convention__rupture", "contract_rupture", "rsa_adviser")


def _visible(request):
    return SupportEpisode.objects.visible_to(request.user).select_related(*RELATED)


def _episode(request, episode_id: int) -> SupportEpisode:
    return visible_object_or_404(
        SupportEpisode.objects.select_related(*RELATED, "beneficiary"), request, episode_id
    )


@support_router.get("/episodes", response=EpisodePage, summary="Lister les accompagnements")
def list_episodes(
    request,
    beneficiary: int | None = None,
    open: bool | None = None,
    page: int = 1,
    page_size: int = 50,
):
    queryset = _visible(request).order_by("-started_on", "-id")
    if beneficiary is not None:
        queryset = queryset.filter(beneficiary_id=beneficiary)
    if open is not None:
        queryset = queryset.filter(ended_on__isnull=open)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    start = (max(page, 1) - 1) * page_size
    return {
        "count": queryset.count(),
        "items": [_episode_out(e) for e in queryset[start : start + page_size]],
    }


@support_router.get(
    "/episodes/{episode_id}",
    response={200: EpisodeOut, 404: ErrorOut},
    summary="Lire un accompagnement",
)
def read_episode(request, episode_id: int):
    episode = _episode(request, episode_id)
    audit.record_view(episode)
    return _episode_out(episode)


@support_router.get(
    "/episodes/{episode_id}/plan",
    response={200: dict, 404: ErrorOut, 422: ErrorOut},
    summary="Le plan : phases, livrables et échéances (contrat JSON de support-plan)",
)
def read_plan(request, episode_id: int):
    episode = _episode(request, episode_id)
    if not episode.is_in_employment:
        return Status(
            422, {"detail": "Le plan de l'accompagnement professionnel n'est pas encore calculé."}
        )
    try:
        plan = episode.plan()
    except RuleError as error:
        return Status(422, {"detail": error.message})
    return plan_as_json(plan, episode.contract_start)


@support_router.get(
    "/episodes/{episode_id}/deadlines",
    response={200: list[DeadlineOut], 404: ErrorOut},
    summary="Les échéances enregistrées et leur état",
)
def list_deadlines(request, episode_id: int):
    episode = _episode(request, episode_id)
    return [
        {
            "code": d.code,
            "label": d.label,
            "rule": d.rule,
            # The 48 hours (A14) on the Paris wall clock, with their offset.
            "due": to_paris(d.due_at).isoformat() if d.due_at else d.due_on.isoformat(),
            "state": d.state,
            "recipient": d.recipient,
            "sent_to": d.sent_to,
            "sent_at": d.sent_at,
            "note": d.note,
            "dropped_reason": d.dropped_reason,
        }
        for d in episode.deadlines.all()
    ]


@support_router.get(
    "/episodes/{episode_id}/meetings",
    response={200: list[MeetingOut], 404: ErrorOut},
    summary="Les rencontres et leurs comptes-rendus",
)
def list_meetings(request, episode_id: int):
    return list(_episode(request, episode_id).meetings.all())


@support_router.post(
    "/episodes/{episode_id}/meetings",
    response={201: MeetingOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Enregistrer une rencontre (mêmes contrôles que la page : A5)",
)
def create_meeting(request, episode_id: int, payload: MeetingIn):
    episode = _episode(request, episode_id)
    data = payload.dict()
    # The form reads Paris wall-clock time; an aware moment is converted to it first.
    moment = payload.starts_at
    if moment.tzinfo is not None:
        moment = timezone.localtime(moment)
    data["starts_at"] = moment.strftime("%Y-%m-%dT%H:%M")
    form = MeetingForm(data, episode=episode)
    if form.is_valid():
        form.instance.created_by = request.user
        try:
            form.instance.full_clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                form.add_error(name if name in form.fields else None, messages)
        else:
            form.save()
            return Status(201, form.instance)
    return Status(
        422,
        {
            "detail": "Les données envoyées contiennent des erreurs : rien n'a été enregistré.",
            "errors": {name: [str(m) for m in messages] for name, messages in form.errors.items()},
        },
    )


# --- The rupture and the suspensions of the contract (A14, C9, F12): one row each ----------


class EpisodeRuptureIn(Schema):
    known_at: dt.datetime = Field(
        ..., description="Le moment où la rupture est connue (A14 : 48 heures à partir de là)."
    )
    last_day: dt.date | None = Field(
        None, description="Le dernier jour du contrat ; absent : le jour où elle est connue."
    )
    initiative: Literal["employer", "employee", "mutual"]
    employee_ground: str = Field(
        "", description="Rupture anticipée d'un CDD par le salarié : son motif (règle E5)."
    )
    reason: str
    concertation_held: bool = False


@support_router.post(
    "/episodes/{episode_id}/rupture",
    response={200: RuptureOut, 201: RuptureOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Déclarer ou corriger la rupture du contrat (A14)",
    description="Un seul enregistrement par rupture : celle de la convention quand "
    "l'accompagnement en suit une (l'aide s'arrête au dernier jour du contrat, règle F12 ; "
    "le reversement est examiné, règle F13). Les échéances suivent (48 heures à partir du "
    "moment où elle est connue), la Cellule contrats aidés est prévenue par courriel. Mêmes "
    "contrôles et mêmes messages que la page. 201 pour une nouvelle rupture, 200 pour une "
    "correction.",
)
def declare_rupture(request, episode_id: int, payload: EpisodeRuptureIn):
    episode = _episode(request, episode_id)
    existing = episode.current_rupture()
    form = RuptureForm(form_data(payload), instance=existing, episode=episode)
    declared = save_through_service(
        form,
        lambda: services.declare_rupture(episode, form.save(commit=False), user=request.user),
    )
    return Status(200 if existing is not None else 201, declared.rupture)


@support_router.post(
    "/episodes/{episode_id}/suspensions",
    response={201: SuspensionOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Déclarer une suspension du contrat (C9, F12)",
    description="Enregistrée une fois, sur la convention que suit l'accompagnement : sans "
    "rémunération, ses jours ne donnent pas d'aide (F12). Refusée (422) pour un "
    "accompagnement sans convention enregistrée dans Tremplin.",
)
def declare_suspension(request, episode_id: int, payload: SuspensionIn):
    episode = _episode(request, episode_id)
    form = SuspensionForm(form_data(payload), convention=episode.convention)
    suspension = save_through_service(
        form,
        lambda: services.record_suspension(episode, form.save(commit=False), user=request.user),
    )
    return Status(201, suspension)
