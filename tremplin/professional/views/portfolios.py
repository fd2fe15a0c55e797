"""The referents' active files against 60 people per full-time referent, and the transfer
of people from one referent to another (P9), for the coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Membership, Organisation, Role
from tremplin.rules.programmes import portfolio_load
from tremplin.support.models import SupportEpisode
from tremplin.web.form_pages import form_error
from tremplin.web.french import of, plural

from .. import services
from ..forms import TransferForm, referents_of
from ..models import professional_episodes


def coordinated_operators(user):
    """The operators ``user`` coordinates (all for an admin); a 404 for anyone else."""
    scope = scope_of(user)
    operators = Organisation.objects.filter(kind=Organisation.Kind.OPERATOR)
    if scope.is_admin:
        return operators
    if not scope.coordinated_operator_ids:
        raise Http404
    return operators.filter(pk__in=scope.coordinated_operator_ids)


def portfolio_rows(user):
    """One row per referent of the coordinated operators: active file against 60 per FTE."""
    operators = coordinated_operators(user)
    memberships = (
        Membership.objects.active()
        .filter(role=Role.REFERENT, organisation__in=operators)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "organisation__name")
    )
    # Rule P9's active file: the people followed in either programme (as the indicator
    # page's ``active_file``), each counted once. Grouped by the supports' referent key, not
    # by every column of the users' table (which made the database sort their rows).
    counts = dict(
        SupportEpisode.objects.filter(
            ended_on__isnull=True, referent_id__in=memberships.values("user_id")
        )
        .order_by()
        .values("referent_id")
        .annotate(active=Count("beneficiary_id", distinct=True))
        .values_list("referent_id", "active")
    )
    today = timezone.localdate()
    rows, seen = [], set()
    for membership in memberships:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        load = portfolio_load(
            counts.get(membership.user_id, 0), membership.full_time_equivalent, on=today
        )
        rows.append({"membership": membership, "user": membership.user, "load": load})
    return rows


@login_required
def portfolio(request):
    rows = portfolio_rows(request.user)
    return render(request, "professional/portfolio.html", {"rows": rows})


@login_required
def transfer(request, referent_pk):
    """Choose the people, then confirm: the transfer is written only on confirmation."""
    referents = referents_of(coordinated_operators(request.user))
    source = get_object_or_404(referents, pk=referent_pk)
    episodes = (
        professional_episodes(request.user)
        .open()
        .filter(referent=source)
        .select_related("beneficiary")
        .order_by("beneficiary__last_name", "beneficiary__first_names", "id")
    )
    form = TransferForm(
        request.POST or None, episodes=episodes, referents=referents.exclude(pk=source.pk)
    )
    context = {"form": form, "source": source, "episodes": episodes}
    if request.method == "POST":
        if form.is_valid():
            chosen = list(form.cleaned_data["episodes"])
            target = form.cleaned_data["target"]
            if request.POST.get("confirm") != "1":
                context.update(confirming=True, chosen=chosen, target=target)
                return render(request, "professional/transfer.html", context)
            moved = services.transfer(chosen, source, target)
            messages.success(
                request,
                plural(moved, "%(count)s personne transférée", "%(count)s personnes transférées")
                + f" {of(source.get_full_name())} à {target.get_full_name()} ; chaque transfert "
                "est inscrit au journal.",
            )
            return redirect("professional:portfolio")
        form_error(request)
    return render(request, "professional/transfer.html", context)
