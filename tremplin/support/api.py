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
from django.db import transaction
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from tremplin.accounts import audit
from tremplin.conventions.api import RuptureOut, SuspensionIn, SuspensionOut, form_data
from tremplin.conventions.forms import SuspensionForm
from tremplin.rules import aims
from tremplin.rules.calendar import to_paris
from tremplin.rules.programmes import RuleError
from tremplin.support.management.commands.support_plan import plan_as_json
from tremplin.web.api.errors import (
    NON_FIELD_KEY,
    NOTHING_SAVED,
    ErrorOut,
    FormInvalid,
    ValidationErrorOut,
    form_errors,
)
from tremplin.web.api.pagination import paginate
from tremplin.web.api.payloads import StrictInput, save_through_service
from tremplin.web.form_pages import NOT_SAVED, save_in_savepoint
from tremplin.web.shortcuts import visible_object_or_404

from . import services
from .forms import AimsForm, MeetingForm, RuptureForm
from .models import Meeting, QualitativeAim, SupportEpisode

support_router = Router(tags=["Accompagnements"])

MAX_PAGE_SIZE = 100


class AimOut(Schema):
    code: str
    label: str
    rule: str
    status: str | None = Field(
        description="to_work (à travailler), in_progress (en cours), achieved (atteint), "
        "not_applicable (sans objet) ; null : non renseigné."
    )
    status_label: str
    assessed_on: dt.date | None = Field(description="le jour du point sur cet objectif")
    note: str
    updated_at: dt.datetime | None


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
    aims: list[AimOut] = Field(
        default_factory=list,
        description="Les objectifs qualitatifs de l'accompagnement dans l'emploi (A2), chacun "
        "avec où en est la personne ; vide pour l'accompagnement professionnel.",
    )
    # The contract's suspensions (C9, F12): recorded once, on the convention, read from it;
    # empty without a convention in Tremplin.
    suspensions: list[SuspensionOut] = []


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


MeetingStatusCode = Literal["planned", "held", "excused", "no_show", "cancelled", "rescheduled"]


class MeetingOut(Schema):
    id: int
    episode: int = Field(validation_alias="episode_id")
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    kind: str
    status: str = Field(
        description="planned (prévue), held (tenue), excused (absence excusée), no_show "
        "(absence non excusée), cancelled (annulée), rescheduled (reportée). Seule une "
        "rencontre tenue compte dans la cadence (P4) et le budget d'heures (A5)."
    )
    status_reason: str
    replaced_by: int | None = Field(
        None, validation_alias="replaced_by_id", description="la rencontre qui la remplace"
    )
    sequence: int = Field(description="révision, relevée à chaque changement d'heure ou de statut")
    participants: str
    report: str
    over_budget_reason: str


class MeetingIn(Schema):
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    kind: str
    status: Literal["", "planned", "held", "excused", "no_show"] = Field(
        "",
        description="vide : selon la date (tenue si elle a commencé, prévue sinon) ; "
        "l'annulation et le report passent par PATCH /meetings/{id}",
    )
    status_reason: str = ""
    participants: str = ""
    report: str = ""
    over_budget_reason: str = ""


class MeetingPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MeetingOut]


class MeetingChange(StrictInput):
    status: MeetingStatusCode = Field(
        description="held, excused, no_show, planned ; cancelled avec « reason » ; "
        "rescheduled avec « new_starts_at » (une nouvelle rencontre la remplace)"
    )
    reason: str = ""
    over_budget_reason: str | None = None
    new_starts_at: dt.datetime | None = None


def _aim_out(item, point: QualitativeAim | None) -> dict:
    return {
        "code": item.code,
        "label": item.label,
        "rule": item.rule,
        "status": point.status if point else None,
        "status_label": point.get_status_display() if point else "Non renseigné",
        "assessed_on": point.assessed_on if point else None,
        "note": point.note if point else "",
        "updated_at": point.updated_at if point else None,
    }


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
        "aims": [_aim_out(item, point) for item, point in episode.aim_points()],
        "suspensions": _suspensions_of(episode),
    }


def _suspensions_of(episode: SupportEpisode) -> list:
    """The suspensions of the convention the support follows (one row each, C9): read from
    the convention, never copied onto the support (prefetched by ``_visible``)."""
    return list(episode.convention.suspensions.all()) if episode.convention_id else []


RELATED = ("convention__rupture", "contract_rupture", "rsa_adviser")


def _visible(request):
    return (
        SupportEpisode.objects.visible_to(request.user)
        .select_related(*RELATED, "beneficiary")
        .prefetch_related("qualitative_aims", "convention__suspensions")
    )


def _episode(request, episode_id: int) -> SupportEpisode:
    return visible_object_or_404(
        SupportEpisode.objects.select_related(*RELATED, "beneficiary").prefetch_related(
            "qualitative_aims", "convention__suspensions"
        ),
        request,
        episode_id,
    )


# A list under an episode: the episode and each record given are views, written in one
# statement (the episode's row names the person, even when the list is empty).
READ_OF_EPISODE = (
    "L'accompagnement et chaque enregistrement renvoyé sont inscrits au journal d'audit comme "
    "consultés."
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
    shown = list(queryset[start : start + page_size])
    audit.record_views(shown)
    return {"count": queryset.count(), "items": [_episode_out(e) for e in shown]}


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
    description="Chaque lecture est inscrite au journal d'audit comme une consultation de "
    "l'accompagnement.",
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
    audit.record_view(episode)
    return plan_as_json(plan, episode.contract_start)


@support_router.get(
    "/episodes/{episode_id}/deadlines",
    response={200: list[DeadlineOut], 404: ErrorOut},
    summary="Les échéances enregistrées et leur état",
    description=READ_OF_EPISODE,
)
def list_deadlines(request, episode_id: int):
    episode = _episode(request, episode_id)
    deadlines = list(episode.deadlines.all())
    audit.record_views([episode, *deadlines])
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
        for d in deadlines
    ]


@support_router.get(
    "/episodes/{episode_id}/suspensions",
    response={200: list[SuspensionOut], 404: ErrorOut},
    summary="Les suspensions du contrat (C9, F12)",
    description="Celles de la convention que suit l'accompagnement : enregistrées une fois, "
    "sur la convention (les mêmes que `GET /conventions/{id}/suspensions`), quelle que soit la "
    "page ou l'API qui les a déclarées. Liste vide pour un accompagnement sans convention "
    "enregistrée dans Tremplin. " + READ_OF_EPISODE,
)
def list_suspensions(request, episode_id: int):
    episode = _episode(request, episode_id)
    suspensions = _suspensions_of(episode)
    audit.record_views([episode, *suspensions])
    return suspensions


@support_router.get(
    "/episodes/{episode_id}/meetings",
    response={200: list[MeetingOut], 404: ErrorOut},
    summary="Les rencontres et leurs comptes-rendus",
    description=READ_OF_EPISODE,
)
def list_meetings(request, episode_id: int):
    episode = _episode(request, episode_id)
    meetings = list(episode.meetings.all())
    audit.record_views([episode, *meetings])
    return meetings


def _form_moment(moment: dt.datetime) -> str:
    # The form reads Paris wall-clock time; an aware moment is converted to it first.
    if moment.tzinfo is not None:
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%dT%H:%M")


@support_router.post(
    "/episodes/{episode_id}/meetings",
    response={201: MeetingOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Enregistrer une rencontre (mêmes contrôles que la page : A5, F8)",
)
def create_meeting(request, episode_id: int, payload: MeetingIn):
    episode = _episode(request, episode_id)
    data = payload.dict()
    data["starts_at"] = _form_moment(payload.starts_at)
    form = MeetingForm(data, episode=episode)
    if form.is_valid():
        saved = save_in_savepoint(form, lambda: services.save_meeting(form, user=request.user))
        if saved is not NOT_SAVED:
            return Status(201, saved)
    raise FormInvalid(form)


def _visible_meetings(request):
    return Meeting.objects.visible_to(request.user)


@support_router.get(
    "/meetings",
    response=MeetingPage,
    summary="Lister les rencontres (par statut : ?status=no_show pour les absences)",
)
def list_all_meetings(
    request,
    status: MeetingStatusCode | None = None,
    episode: int | None = None,
    beneficiary: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
):
    queryset = _visible_meetings(request).order_by("-starts_at", "-id")
    if status is not None:
        queryset = queryset.filter(status=status)
    if episode is not None:
        queryset = queryset.filter(episode_id=episode)
    if beneficiary is not None:
        queryset = queryset.filter(episode__beneficiary_id=beneficiary)
    if since is not None:
        queryset = queryset.filter(starts_at__gte=_day_start(since))
    if until is not None:
        queryset = queryset.filter(starts_at__lt=_day_start(until + dt.timedelta(days=1)))
    listed = paginate(queryset, page, page_size)
    audit.record_views(listed["results"])
    return listed


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@support_router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, 404: ErrorOut},
    summary="Lire une rencontre et son statut",
)
def read_meeting(request, meeting_id: int):
    meeting = visible_object_or_404(Meeting, request, meeting_id)
    audit.record_view(meeting)
    return meeting


@support_router.patch(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Changer le statut d'une rencontre : tenue, absence, annulation, report (F8)",
    description="Un report (rescheduled) crée la rencontre de remplacement à new_starts_at et "
    "renvoie celle-ci ; l'ancienne reste au dossier, reportée, liée à elle.",
)
def change_meeting(request, meeting_id: int, payload: MeetingChange):
    meeting = visible_object_or_404(Meeting.objects.select_related("episode"), request, meeting_id)
    try:
        with transaction.atomic():
            if payload.status == Meeting.Status.RESCHEDULED:
                if payload.new_starts_at is None:
                    raise ValidationError(
                        {"new_starts_at": "Indiquez la nouvelle date et l'heure du rendez-vous."}
                    )
                return services.reschedule_meeting(
                    meeting, payload.new_starts_at, reason=payload.reason, user=request.user
                )
            return services.change_status(
                meeting,
                payload.status,
                reason=payload.reason,
                over_budget_reason=payload.over_budget_reason,
                user=request.user,
            )
    except ValidationError as error:
        return Status(422, {"detail": NOTHING_SAVED, "errors": _errors(error)})


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        names = {"starts_at": "new_starts_at", "status_reason": "reason"}
        return {
            names.get(name, name): [str(message) for message in ValidationError(messages)]
            for name, messages in error.error_dict.items()
        }
    return {NON_FIELD_KEY: [str(message) for message in error.messages]}


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


# --- The qualitative aims (A2) ----------------------------------------------------------------


class AimIn(StrictInput):
    status: Literal["to_work", "in_progress", "achieved", "not_applicable"] = Field(
        description="to_work (à travailler), in_progress (en cours), achieved (atteint), "
        "not_applicable (sans objet, avec la raison dans « note »)."
    )
    assessed_on: dt.date | None = Field(
        None,
        description="Le jour du point ; absent : aujourd'hui. Ni dans le futur, ni avant "
        "le début de l'accompagnement.",
    )
    note: str = Field("", max_length=4000, description="Ce qui a été observé.")


@support_router.put(
    "/episodes/{episode_id}/aims/{code}",
    response={200: AimOut, 201: AimOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Faire le point sur un objectif qualitatif (A2)",
    description="Où en est la personne pour l'un des objectifs qualitatifs de "
    "l'accompagnement dans l'emploi (codes : voir « aims » de l'accompagnement). Mêmes "
    "contrôles et mêmes messages que la page. 201 au premier point sur l'objectif, 200 pour "
    "une mise à jour.",
)
def record_aim(request, episode_id: int, code: str, payload: AimIn):
    episode = _episode(request, episode_id)
    if not episode.is_in_employment:
        return Status(
            422,
            {"detail": NOTHING_SAVED, "errors": {NON_FIELD_KEY: [services.NOT_IN_EMPLOYMENT]}},
        )
    in_force = {item.code: item for item in episode.aims_in_force()}
    if code not in in_force:
        try:
            refusal = aims.unknown_aims([code], episode.support_start)
        except aims.AimError as error:
            refusal = [str(error)]
        return Status(422, {"detail": NOTHING_SAVED, "errors": {"code": refusal}})
    data = {f"{code}-status": payload.status, f"{code}-note": payload.note}
    if payload.assessed_on is not None:
        data[f"{code}-assessed_on"] = payload.assessed_on.isoformat()
    form = AimsForm(data, episode=episode, codes=[code])
    try:
        recorded = save_through_service(
            form, lambda: services.record_aims(episode, form.points(), user=request.user)
        )
    except FormInvalid:
        # The page's messages, under the payload's keys (« status », not « <code>-status »).
        errors = {
            name.removeprefix(f"{code}-"): messages for name, messages in form_errors(form).items()
        }
        return Status(422, {"detail": NOTHING_SAVED, "errors": errors})
    (row,) = recorded.rows
    return Status(201 if recorded.created else 200, _aim_out(in_force[code], row))
