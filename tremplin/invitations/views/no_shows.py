"""The no-shows (F8) per referent and per operator, and what was done after each: a new
invitation, a letter, a referral to the équipe pluridisciplinaire — each a dated record.

An absence is either an interview's (a ``support.Meeting`` whose status is "no-show") or a
collective action's (an invitation of a held action not marked present,
``professional.Invitation.absent``): each read from its one recorded fact, never copied.
The list is one query over both (a UNION of their sort keys), filtered by référent and by
operator, paginated like the other lists (``web.listing``); only the page's absences are
then read whole.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import CharField, Exists, F, OuterRef, Value
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Organisation
from tremplin.professional.models import Invitation as Participation
from tremplin.support.models import Meeting
from tremplin.web.dates import french_date
from tremplin.web.exports import Column, ExportSource, export_response
from tremplin.web.form_pages import NOT_SAVED, form_error, save_in_savepoint
from tremplin.web.listing import ListFilter

from .. import services
from ..absences import action_absences_of, no_shows_of
from ..forms import FollowUpForm
from ..models import NoShowFollowUp

DEFAULT_DAYS = 92
WITHOUT_REFERENT = "aucun"
MEETING, ACTION = "rencontre", "action"
EXPORT_CHUNK = 2000


@dataclass
class Absence:
    """One line of the list, whichever its source."""

    source: str
    record: Meeting | Participation

    @property
    def is_action(self) -> bool:
        return self.source == ACTION

    @property
    def beneficiary(self):
        return self.record.beneficiary if self.is_action else self.record.episode.beneficiary

    @property
    def starts_at(self) -> dt.datetime:
        return self.record.action.starts_at if self.is_action else self.record.starts_at

    @property
    def has_time(self) -> bool:
        return not self.is_action or self.record.action.start_time is not None

    @property
    def what(self) -> str:
        if self.is_action:
            action = self.record.action
            return f"{action.get_kind_display()} « {action.theme} »"
        return self.record.get_kind_display()

    @property
    def operator(self):
        return self.record.action.operator if self.is_action else self.record.episode.operator

    @property
    def referent(self):
        return self.record.beneficiary.referent if self.is_action else self.record.episode.referent

    @property
    def follow_ups(self) -> list[NoShowFollowUp]:
        return list(self.record.no_show_follow_ups.all())

    @property
    def follow_up_url(self) -> str:
        if self.is_action:
            return reverse("invitations:action_follow_up", args=[self.record.pk])
        return reverse("invitations:follow_up", args=[self.record.pk])


# --- filters: a référent, an operator, among those of the absences the user may see --------


def _ids_among_absences(request, meeting_field: str, action_field: str) -> set:
    """The values of a field over the absences the user may see, interviews and actions."""
    return set(
        no_shows_of(request.user).order_by().values_list(meeting_field, flat=True).distinct()
    ) | set(
        action_absences_of(request.user).order_by().values_list(action_field, flat=True).distinct()
    )


def _referent_choices(request) -> list[tuple[str, str]]:
    ids = _ids_among_absences(request, "episode__referent_id", "beneficiary__referent_id")
    referents = get_user_model().objects.filter(pk__in=ids - {None})
    choices = [
        (str(user.pk), user.get_full_name() or user.email)
        for user in referents.order_by("last_name", "first_name", "pk")
    ]
    return choices + ([(WITHOUT_REFERENT, "Sans référent·e")] if None in ids else [])


def _by_referent(meetings, actions, value):
    if value == WITHOUT_REFERENT:
        return (
            meetings.filter(episode__referent__isnull=True),
            actions.filter(beneficiary__referent__isnull=True),
        )
    return (
        meetings.filter(episode__referent_id=int(value)),
        actions.filter(beneficiary__referent_id=int(value)),
    )


def _operator_choices(request) -> list[tuple[str, str]]:
    ids = _ids_among_absences(request, "episode__operator_id", "action__operator_id")
    operators = Organisation.objects.filter(pk__in=ids - {None}).order_by("name", "pk")
    return [(str(operator.pk), operator.name) for operator in operators]


def _by_operator(meetings, actions, value):
    return (
        meetings.filter(episode__operator_id=int(value)),
        actions.filter(action__operator_id=int(value)),
    )


# Each filter's ``apply`` takes and gives the pair (interviews' no-shows, actions' absences).
FILTERS = (
    ListFilter("referent", "Référent·e", _referent_choices, _by_referent, order=10),
    ListFilter("structure", "Structure", _operator_choices, _by_operator, order=20),
)


def _filter_state(request) -> list[dict]:
    """As ``SearchSortPaginateMixin.filter_state``: a value not offered is ignored."""
    state = []
    for list_filter in FILTERS:
        choices = list_filter.choices(request)
        value = request.GET.get(list_filter.key, "")
        if value not in {choice for choice, _ in choices}:
            value = ""
        state.append(
            {
                "key": list_filter.key,
                "label": list_filter.label,
                "choices": choices,
                "value": value,
                "apply": list_filter.apply,
            }
        )
    return state


# --- the list ------------------------------------------------------------------------------


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        since = dt.date.fromisoformat(request.GET.get("du", ""))
    except ValueError:
        since = today - dt.timedelta(days=DEFAULT_DAYS)
    try:
        until = dt.date.fromisoformat(request.GET.get("au", ""))
    except ValueError:
        until = today
    return since, until


KEYS = ("k_operator", "k_last", "k_first", "k_referent", "k_day", "k_source", "k_pk")


def _keys(meetings, actions):
    """One query over both kinds of absence: the sort keys of each, in the list's order
    (operator, référent, the most recent first)."""
    meeting_keys = meetings.order_by().annotate(
        k_operator=F("episode__operator__name"),
        k_last=F("episode__referent__last_name"),
        k_first=F("episode__referent__first_name"),
        k_referent=F("episode__referent_id"),
        k_day=TruncDate("starts_at"),
        k_source=Value(MEETING, output_field=CharField()),
        k_pk=F("pk"),
    )
    action_keys = actions.order_by().annotate(
        k_operator=F("action__operator__name"),
        k_last=F("beneficiary__referent__last_name"),
        k_first=F("beneficiary__referent__first_name"),
        k_referent=F("beneficiary__referent_id"),
        k_day=F("action__on"),
        k_source=Value(ACTION, output_field=CharField()),
        k_pk=F("pk"),
    )
    return (
        meeting_keys.values_list(*KEYS)
        .union(action_keys.values_list(*KEYS), all=True)
        .order_by("k_operator", "k_last", "k_first", "k_referent", "-k_day", "k_source", "k_pk")
    )


def _absences(keys, meetings, actions) -> list[Absence]:
    """The absences of ``keys`` (a page), read whole, in the keys' order."""
    wanted = {MEETING: [], ACTION: []}
    for key in keys:
        wanted[key[5]].append(key[6])
    records = {
        MEETING: meetings.in_bulk(wanted[MEETING]) if wanted[MEETING] else {},
        ACTION: actions.in_bulk(wanted[ACTION]) if wanted[ACTION] else {},
    }
    return [Absence(key[5], records[key[5]][key[6]]) for key in keys]


def _referent_name(absence: Absence) -> str:
    return absence.referent.get_full_name() if absence.referent else ""


EXPORT_COLUMNS = [
    Column("Date", lambda a: french_date(a.starts_at)),
    Column("Rendez-vous", lambda a: a.what),
    Column("Personne", lambda a: str(a.beneficiary)),
    Column("Référent·e", _referent_name),
    Column("Structure", lambda a: str(a.operator or "")),
    Column(
        "Suites données",
        lambda a: " ; ".join(
            f"{f.get_kind_display()} le {french_date(f.on)}" for f in a.follow_ups
        ),
    ),
]


def _all_absences(keys, meetings, actions):
    """Every absence of ``keys``, read by chunks (an export)."""
    total = keys.count()
    for start in range(0, total, EXPORT_CHUNK):
        yield from _absences(list(keys[start : start + EXPORT_CHUNK]), meetings, actions)


@login_required
def no_show_list(request):
    """Per referent (a referent sees their own), grouped by operator then referent for a
    coordinator or the département; ``?referent=`` and ``?structure=`` keep one of them,
    ``?sans-suite=1`` those without follow-up; ``?page=`` pages through."""
    since, until = _period(request)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    meetings = no_shows_of(request.user).filter(starts_at__gte=start, starts_at__lt=end)
    actions = action_absences_of(request.user).filter(action__on__gte=since, action__on__lte=until)
    without = request.GET.get("sans-suite") == "1"
    if without:
        meetings = meetings.filter(~Exists(NoShowFollowUp.objects.filter(meeting=OuterRef("pk"))))
        actions = actions.filter(
            ~Exists(NoShowFollowUp.objects.filter(participation=OuterRef("pk")))
        )
    state = _filter_state(request)
    for item in state:
        if item["value"]:
            meetings, actions = item["apply"](meetings, actions, item["value"])
    keys = _keys(meetings, actions)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        source = ExportSource(
            _all_absences(keys, meetings, actions), "support.meeting", keys.count()
        )
        return export_response(export, "absences", EXPORT_COLUMNS, source, request=request)
    page = Paginator(keys, settings.TREMPLIN_PAGE_SIZE).get_page(request.GET.get("page"))
    groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for absence in _absences(list(page.object_list), meetings, actions):
        operator = str(absence.operator or "Sans structure")
        referent = _referent_name(absence) or "Sans référent"
        groups[operator][referent].append(absence)
    scope = scope_of(request.user)
    return render(
        request,
        "invitations/no_shows.html",
        {
            "groups": {operator: dict(referents) for operator, referents in groups.items()},
            "count": page.paginator.count,
            "page_obj": page,
            "since": since,
            "until": until,
            "without": without,
            "list_filters": [{k: v for k, v in item.items() if k != "apply"} for item in state],
            "filtered": any(item["value"] for item in state),
            "several": bool(
                scope.is_admin or scope.coordinated_operator_ids or scope.agent_territory_ids
            ),
        },
    )


# --- a follow-up ---------------------------------------------------------------------------


def _follow_up_page(request, absence: Absence):
    form = FollowUpForm(request.POST or None, beneficiary=absence.beneficiary)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if data["kind"] == NoShowFollowUp.Kind.NEW_INVITATION:
                run = lambda: services.reinvite_after_no_show(  # noqa: E731
                    absence.record,
                    starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"],
                    place=data["place"],
                    channels=data["channels"],
                    note=data.get("note", ""),
                    user=request.user,
                )
            else:
                run = lambda: services.record_follow_up(  # noqa: E731
                    absence.record,
                    data["kind"],
                    data["on"],
                    data.get("note", ""),
                    user=request.user,
                )
            saved = save_in_savepoint(form, run)
            if saved is not NOT_SAVED:
                messages.success(
                    request, f"Suite enregistrée : {saved.get_kind_display().lower()}."
                )
                return redirect("invitations:no_shows")
        form_error(request)
    return render(request, "invitations/follow_up.html", {"form": form, "absence": absence})


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, meeting_pk):
    meeting = get_object_or_404(no_shows_of(request.user), pk=meeting_pk)
    return _follow_up_page(request, Absence(MEETING, meeting))


@login_required
@require_http_methods(["GET", "POST"])
def action_follow_up(request, participation_pk):
    participation = get_object_or_404(action_absences_of(request.user), pk=participation_pk)
    return _follow_up_page(request, Absence(ACTION, participation))
