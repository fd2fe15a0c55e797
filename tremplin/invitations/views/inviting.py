"""Inviting a person to an individual interview or a collective action (F8, P2, P4): from
the person's file, from a planned meeting's row (the support's meetings, the professional
support's interviews), or in bulk from a list (a selection, shown again for confirmation) —
to a collective action, or to individual interviews at successive slots."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from tremplin.professional.views.below_cadence import below_cadence_rows
from tremplin.registry.models import Beneficiary, ContactChannel
from tremplin.registry.views.files import BeneficiaryList
from tremplin.rules.identifiers import ascii_digits
from tremplin.support.models import Meeting, SupportEpisode
from tremplin.web.dates import french_datetime
from tremplin.web.form_pages import (
    NOT_SAVED,
    add_validation_error,
    form_error,
    save_in_savepoint,
)
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import BulkInterviewForm, BulkSelectForm, InviteForm, MeetingInviteForm
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


# --- several people to individual interviews (F8, P4) --------------------------------------

SOURCES = {
    "personnes": "la liste des bénéficiaires",
    "sous-la-cadence": "la liste des personnes sous la cadence d'entretiens",
}
SHOWN = 200


def open_support_people(user):
    """Everyone ``user`` may invite to an interview: a person they may see, in an open
    support they may see."""
    open_supports = SupportEpisode.objects.visible_to(user).filter(ended_on__isnull=True)
    return Beneficiary.objects.visible_to(user).filter(
        pk__in=open_supports.values("beneficiary_id")
    )


def listed_people(request):
    """The people the page offers, and whether they come checked: those of the list the
    user comes from (the people's list with its search and filters, or the people below the
    interview cadence, P4), or everyone in an open support, searched by ``?q=``."""
    source = request.GET.get("depuis", "")
    people = open_support_people(request.user)
    if source == "sous-la-cadence":
        rows = below_cadence_rows(request.user, request.GET.get("q", "").strip())
        episodes = SupportEpisode.objects.filter(pk__in=[row.episode_id for row in rows])
        people = people.filter(pk__in=episodes.values("beneficiary_id"))
    elif source == "personnes":
        listing = BeneficiaryList()
        listing.setup(request)  # the people's list as the user filtered it
        people = people.filter(pk__in=listing.get_queryset().order_by().values("pk"))
    else:
        source = ""
        people = people.search(request.GET.get("q", ""))
    people = people.select_related("referent").order_by("last_name", "first_names", "pk")
    return people, source


def _refuse_the_unseen(request) -> None:
    """A person the user may not see, in a forged or outdated form: 404, nothing sent."""
    posted = request.POST.getlist("people")
    if not all(ascii_digits(pk) for pk in posted):
        raise Http404("Personne inconnue.")
    wanted = {int(pk) for pk in posted}
    seen = Beneficiary.objects.visible_to(request.user).filter(pk__in=wanted).count()
    if seen != len(wanted):
        raise Http404("Une des personnes choisies n'est pas dans votre périmètre.")


@login_required
def bulk_interviews(request):
    """Step 1 (GET): the people (checked when they come from a list), the first slot, the
    interval, the duration, the place and the channels; step 2 (POST ``etape=confirmer``):
    each person with their slot and channels; step 3 (POST ``etape=envoyer``): the
    interviews are planned and the invitations go, at once
    (``services.invite_many_to_interviews``). The one-time form token keeps a double click
    from inviting twice."""
    people, source = listed_people(request)
    if request.method == "POST":
        _refuse_the_unseen(request)
    form = BulkInterviewForm(request.POST or None, people=open_support_people(request.user))
    step = request.POST.get("etape", "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["people"])
        order = {pk: index for index, pk in enumerate(request.POST.getlist("people"))}
        chosen.sort(key=lambda person: order.get(str(person.pk), len(order)))
        arguments = {
            "first_slot": data["starts_at"],
            "interval_minutes": data["interval_minutes"],
            "duration_minutes": data["duration_minutes"],
            "channels": form.wanted_channels(),
            "user": request.user,
        }
        if step == "envoyer":
            saved = save_in_savepoint(
                form,
                lambda: services.invite_many_to_interviews(
                    chosen, place=data["place"], **arguments
                ),
            )
            if saved is not NOT_SAVED:
                messages.success(request, _sent_text(saved))
                return redirect("invitations:list")
        else:
            try:
                plan = services.plan_interviews(chosen, **arguments)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                return render(
                    request,
                    "invitations/bulk_interviews_confirm.html",
                    {
                        "form": form,
                        "rows": plan,
                        "planned": sum(1 for row in plan if row.starts_at),
                        "place": dict(Meeting.Place.choices)[data["place"]],
                    },
                )
    if request.method == "POST":
        form_error(request)
    shown = list(people[:SHOWN])
    if request.method == "POST":
        checked = set(request.POST.getlist("people"))
    else:
        checked = {str(person.pk) for person in shown} if source else set()
    return render(
        request,
        "invitations/bulk_interviews.html",
        {
            "form": form,
            "people": shown,
            "checked": checked,
            "count": people.count(),
            "source": SOURCES.get(source, ""),
            "search_text": request.GET.get("q", ""),
        },
    )


def _sent_text(result) -> str:
    invitations = result.invitations
    text = plural(
        "%(count)d invitation envoyée à un entretien individuel",
        "%(count)d invitations envoyées à des entretiens individuels",
        len(invitations),
    )
    if invitations:
        first, last = invitations[0].meeting.starts_at, invitations[-1].meeting.starts_at
        first, last = timezone.localtime(first), timezone.localtime(last)
        if len(invitations) == 1:
            text += f", le {first:%d/%m/%Y à %H:%M}"
        else:
            text += f", le {first:%d/%m/%Y} de {first:%H:%M} à {last:%H:%M}"
    text += "."
    if result.skipped:
        text += " " + plural(
            "%(count)d personne n'a pu être invitée (aucun moyen de la joindre ou aucun "
            "accompagnement en cours).",
            "%(count)d personnes n'ont pu être invitées (aucun moyen de les joindre ou aucun "
            "accompagnement en cours).",
            len(result.skipped),
        )
    return text
