"""The invitations' API (django-ninja), mounted under /api/v1/ by ``tremplin.api``.

``POST /invitations`` invites through the same services as the pages: to a planned meeting
(``meeting``), to a new individual interview (``episode``, ``starts_at``...), or several
people to a collective action (``action``, ``beneficiaries``). Everything reads through
``visible_to``: what is outside the caller's scope is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from ninja import Field, Query, Router, Schema, Status

from tremplin.accounts import audit
from tremplin.professional.models import CollectiveAction
from tremplin.registry.models import Beneficiary
from tremplin.support.models import Meeting, SupportEpisode
from tremplin.web.api.errors import NON_FIELD_KEY, NOTHING_SAVED, ErrorOut, ValidationErrorOut
from tremplin.web.api.pagination import paginate
from tremplin.web.api.payloads import StrictInput
from tremplin.web.shortcuts import visible_object_or_404

from . import services
from .models import Invitation

invitations_router = Router(tags=["Invitations"])

ChannelCode = Literal["email", "sms", "letter"]
PlaceCode = Literal["company", "operator", "phone", "video"]


class InvitationIn(StrictInput):
    meeting: int | None = Field(None, description="une rencontre prévue et à venir")
    episode: int | None = Field(None, description="un accompagnement : un nouvel entretien")
    starts_at: dt.datetime | None = Field(None, description="le nouvel entretien : date, heure")
    duration_minutes: int = Field(45, ge=1, le=24 * 60)
    place: PlaceCode = "operator"
    action: int | None = Field(None, description="une action collective à venir (P2)")
    beneficiaries: list[int] = Field(default_factory=list, description="pour une action")
    channels: list[ChannelCode] | None = Field(
        None,
        description="email, sms, letter ; absent : le moyen préféré de chaque personne. Aucun "
        "SMS sans le consentement de la personne.",
    )


class MessageOut(Schema):
    channel: str
    kind: str
    number: int
    recipient: str
    status: str
    error: str
    provider_id: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    status_at: dt.datetime | None


class InvitationOut(Schema):
    id: int
    beneficiary: int = Field(validation_alias="beneficiary_id")
    meeting: int | None = Field(None, validation_alias="meeting_id")
    action: int | None = Field(None, validation_alias="action_id")
    starts_at: dt.datetime
    channels: list[str]
    sent_at: dt.datetime
    answer: str = Field(description="'' sans réponse, confirmed, other_slot")
    answered_at: dt.datetime | None
    answered_for: dt.datetime | None = Field(
        description="la date du rendez-vous à laquelle la réponse se rapporte (un entretien "
        "déplacé depuis attend une nouvelle réponse)"
    )
    answer_note: str
    appointment_status: str = Field(description="le statut de la rencontre (F8)")
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(invitation):
        return list(invitation.messages.all())


class InvitationsCreated(Schema):
    invitations: list[InvitationOut]
    skipped: dict[int, str] = Field(description="personne -> pourquoi aucun moyen ne la joint")


class InvitationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[InvitationOut]


def _refused(errors: dict[str, list[str]]):
    return Status(422, {"detail": NOTHING_SAVED, "errors": errors})


def _messages_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            name: [str(message) for message in ValidationError(messages)]
            for name, messages in error.error_dict.items()
        }
    return {NON_FIELD_KEY: [str(message) for message in error.messages]}


@invitations_router.post(
    "/invitations",
    response={201: InvitationsCreated, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Inviter : à une rencontre prévue, à un nouvel entretien, ou à une action collective",
)
def create_invitations(request, payload: InvitationIn):
    targets = [payload.meeting is not None, payload.episode is not None, payload.action is not None]
    if sum(targets) != 1:
        return _refused({NON_FIELD_KEY: ["Indiquez une seule cible : meeting, episode ou action."]})
    user = request.user
    try:
        with transaction.atomic():
            if payload.action is not None:
                action = visible_object_or_404(CollectiveAction, request, payload.action)
                people = list(
                    Beneficiary.objects.visible_to(user).filter(pk__in=payload.beneficiaries)
                )
                if not payload.beneficiaries or len(people) != len(set(payload.beneficiaries)):
                    return _refused(
                        {"beneficiaries": ["Indiquez des personnes de votre périmètre."]}
                    )
                result = services.invite_to_action(
                    action, people, channels=payload.channels, user=user
                )
                return Status(201, {"invitations": result.invitations, "skipped": result.skipped})
            if payload.meeting is not None:
                meeting = visible_object_or_404(
                    Meeting.objects.select_related("episode__beneficiary"), request, payload.meeting
                )
                channels = payload.channels or services.default_channels(
                    meeting.episode.beneficiary
                )
                invitation = services.invite_to_meeting(meeting, channels, user=user)
            else:
                episode = visible_object_or_404(SupportEpisode, request, payload.episode)
                if payload.starts_at is None:
                    return _refused({"starts_at": ["Indiquez la date et l'heure de l'entretien."]})
                channels = payload.channels or services.default_channels(episode.beneficiary)
                invitation = services.invite_to_interview(
                    episode,
                    starts_at=payload.starts_at,
                    duration_minutes=payload.duration_minutes,
                    place=payload.place,
                    channels=channels,
                    user=user,
                )
    except ValidationError as error:
        return _refused(_messages_of(error))
    return Status(201, {"invitations": [invitation], "skipped": {}})


@invitations_router.get(
    "/invitations",
    response=InvitationPage,
    summary="Lister les invitations",
    description="Chaque invitation renvoyée (ses messages nomment leur destinataire) est "
    "inscrite au journal d'audit comme consultée.",
)
def list_invitations(
    request,
    beneficiary: int | None = None,
    answer: Literal["none", "confirmed", "other_slot"] | None = None,
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=100),
):
    queryset = (
        Invitation.objects.visible_to(request.user)
        .select_related("beneficiary", "meeting__replaced_by", "action")
        .prefetch_related("messages")
        .order_by("-sent_at", "-id")
    )
    if beneficiary is not None:
        queryset = queryset.filter(beneficiary_id=beneficiary)
    if answer is not None:
        queryset = queryset.filter(answer="" if answer == "none" else answer)
    listed = paginate(queryset, page, page_size)
    audit.record_views(listed["results"])
    return listed


@invitations_router.get(
    "/invitations/{invitation_id}",
    response={200: InvitationOut, 404: ErrorOut},
    summary="Lire une invitation et ses messages",
    description="Chaque lecture est inscrite au journal d'audit.",
)
def read_invitation(request, invitation_id: int):
    invitation = visible_object_or_404(
        Invitation.objects.select_related("beneficiary", "meeting__replaced_by", "action"),
        request,
        invitation_id,
    )
    audit.record_view(invitation)
    return invitation
