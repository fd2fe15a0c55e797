"""Inviting a person to an individual interview or a collective action (F8, P2, P4): from
the person's file, from a planned meeting's row (the support's meetings, the professional
support's interviews), or in bulk from a list (a selection, shown again for confirmation)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from tremplin.registry.models import Beneficiary, ContactChannel
from tremplin.rules.identifiers import ascii_digits
from tremplin.support.models import Meeting, SupportEpisode
from tremplin.web.dates import french_datetime
from tremplin.web.form_pages import NOT_SAVED, form_error, save_in_savepoint
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import BulkSelectForm, InviteForm, MeetingInviteForm
from ..texts import plural


@login_required
def invite(request, beneficiary_pk):
    beneficiary = visible_object_or_404(Beneficiary, request, beneficiary_pk)
    form = InviteForm(request.POST or None, beneficiary=beneficiary, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            saved = save_in_savepoint(form, lambda: _invite(request, form, beneficiary))
            if saved is not NOT_SAVED:
                messages.success(
                    request,
                    f"Invitation envoyée ({saved.channels_display()}) pour le "
                    f"{saved.starts_at:%d/%m/%Y}.",
                )
                return redirect(saved)
        form_error(request)
    return render(request, "invitations/invite.html", {"form": form, "beneficiary": beneficiary})


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def invite_to_meeting(request, meeting_pk):
    """Invite the person to a meeting already planned (F8): the same service and channel
    rules as from the file; only a planned meeting still to come (else a French message)."""
    meeting = visible_object_or_404(
        Meeting.objects.select_related("episode__beneficiary", "episode__operator"),
        request,
        meeting_pk,
    )
    beneficiary = meeting.episode.beneficiary
    back = _safe_next(request) or meeting.episode.get_absolute_url()
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= timezone.now():
        messages.error(
            request,
            f"On n'invite qu'à une rencontre prévue et à venir : celle du "
            f"{french_datetime(meeting.starts_at)} est "
            f"« {meeting.get_status_display().lower()} »"
            + (" et passée." if meeting.starts_at <= timezone.now() else "."),
        )
        return redirect(back)
    data = request.POST if request.method == "POST" else None  # nothing checked: refused
    form = MeetingInviteForm(data, meeting=meeting)
    if request.method == "POST":
        if form.is_valid():
            saved = save_in_savepoint(
                form,
                lambda: services.invite_to_meeting(
                    meeting, form.cleaned_data["channels"], user=request.user
                ),
            )
            if saved is not NOT_SAVED:
                messages.success(
                    request,
                    f"Invitation envoyée ({saved.channels_display()}) pour le "
                    f"{french_datetime(meeting.starts_at)}.",
                )
                return redirect(_safe_next(request) or saved.get_absolute_url())
        form_error(request)
    return render(
        request,
        "invitations/invite_meeting.html",
        {
            "form": form,
            "meeting": meeting,
            "beneficiary": beneficiary,
            "when": french_datetime(meeting.starts_at, " "),
            "next": _safe_next(request),
            "cancel_url": back,
        },
    )


def _invite(request, form, beneficiary):
    data = form.cleaned_data
    if data["target"] == InviteForm.ACTION:
        result = services.invite_to_action(
            data["action"], [beneficiary], channels=data["channels"], user=request.user
        )
        return result.invitations[0]
    return services.invite_to_interview(
        data["episode"],
        starts_at=data["starts_at"],
        duration_minutes=data["duration_minutes"],
        place=data["place"],
        channels=data["channels"],
        user=request.user,
    )


def selectable_people(request):
    """The people with an open support the user may see, searched by ``?q=``."""
    open_supports = SupportEpisode.objects.visible_to(request.user).filter(ended_on__isnull=True)
    people = Beneficiary.objects.visible_to(request.user).filter(
        pk__in=open_supports.values("beneficiary_id")
    )
    return (
        people.search(request.GET.get("q", ""))
        .select_related("referent")
        .order_by("last_name", "first_names", "pk")
    )


@login_required
def bulk(request):
    """Step 1 (GET, or POST without ``confirmer``): choose the action, the channels and the
    people; step 2 (POST ``etape=confirmer``): the list shown again, each person with the
    channels that reach them; step 3 (POST ``etape=envoyer``): the invitations go."""
    people = selectable_people(request)
    form = BulkSelectForm(request.POST or None, user=request.user, people=people)
    if ascii_digits(request.GET.get("action", "")):  # from the collective action's page
        form.initial.setdefault("action", int(request.GET["action"]))
    step = request.POST.get("etape", "")
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        chosen = list(form.cleaned_data["people"])
        wanted = form.wanted_channels()
        if step == "envoyer":
            saved = save_in_savepoint(
                form,
                lambda: services.invite_to_action(
                    action, chosen, channels=wanted, user=request.user
                ),
            )
            if saved is not NOT_SAVED:
                sent = len(saved.invitations)
                text = (
                    plural(
                        "%(count)d invitation envoyée",
                        "%(count)d invitations envoyées",
                        sent,
                    )
                    + f" à « {action.theme} »."
                )
                if saved.skipped:
                    text += " " + plural(
                        "%(count)d personne n'a pu être jointe (aucun moyen possible).",
                        "%(count)d personnes n'ont pu être jointes (aucun moyen possible).",
                        len(saved.skipped),
                    )
                messages.success(request, text)
                return redirect(action)
        else:
            labels = dict(ContactChannel.choices)
            rows = []
            for person in chosen:
                if wanted is None:
                    check = services.ChannelCheck(usable=services.default_channels(person))
                    if not check.usable:
                        everything = [
                            ContactChannel.EMAIL,
                            ContactChannel.SMS,
                            ContactChannel.LETTER,
                        ]
                        check.refused = services.check_channels(person, everything).refused
                else:
                    check = services.check_channels(person, wanted)
                rows.append(
                    {
                        "person": person,
                        "usable": [str(labels[channel]).lower() for channel in check.usable],
                        "refused": list(check.refused.values()),
                    }
                )
            return render(
                request,
                "invitations/bulk_confirm.html",
                {"form": form, "action": action, "rows": rows, "wanted": wanted},
            )
    elif request.method == "POST":
        form_error(request)
    return render(
        request,
        "invitations/bulk.html",
        {
            "form": form,
            "people": people[:200],
            "search_text": request.GET.get("q", ""),
            "count": people.count(),
            "cancel_url": reverse("invitations:list"),
        },
    )
