"""Collective actions (P2): workshops and information sessions, who is invited, who came
(attendance counts as a contact, P4)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import generic

from tremplin.registry.models import Beneficiary
from tremplin.web.exports import Column, ExportMixin
from tremplin.web.form_pages import form_page
from tremplin.web.listing import SearchSortPaginateMixin
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import CollectiveActionForm
from ..models import CollectiveAction


class CollectiveActionList(
    LoginRequiredMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView
):
    model = CollectiveAction
    template_name = "professional/action_list.html"
    export_basename = "actions-collectives"
    export_columns = [
        Column("Date", lambda a: a.on),
        Column("Type", lambda a: a.get_kind_display()),
        Column("Thème", lambda a: a.theme),
        Column("Lieu", lambda a: a.place),
        Column("Structure", lambda a: str(a.operator)),
        Column("Invités", lambda a: a.invited_count),
        Column("Présents", lambda a: a.present_count),
    ]
    sort_options = {
        "date": ("Date", ("on",)),
        "theme": ("Thème", ("theme", "on")),
        "lieu": ("Lieu", ("place", "on")),
    }
    default_sort = "-date"

    def get_queryset(self):
        queryset = (
            CollectiveAction.objects.visible_to(self.request.user)
            .select_related("operator")
            .annotate(
                invited_count=Count("invitations"),
                present_count=Count("invitations", filter=Q(invitations__present=True)),
            )
        )
        return self.apply_search_and_sort(queryset)


@login_required
def action_edit(request, pk=None):
    action = visible_object_or_404(CollectiveAction, request, pk) if pk else None
    form = CollectiveActionForm(request.POST or None, instance=action, user=request.user)
    if action is None:
        form.instance.created_by = request.user

    def save():
        return services.save_collective_action(form)

    return form_page(
        request,
        form,
        "professional/action_form.html",
        {
            "action": action,
            "cancel_url": action.get_absolute_url()
            if action
            else reverse("professional:action_list"),
        },
        save=save,
        success="{object} est enregistré.",
    )


@login_required
def action_detail(request, pk):
    action = visible_object_or_404(CollectiveAction.objects.select_related("operator"), request, pk)
    visible = set(Beneficiary.objects.visible_to(request.user).values_list("pk", flat=True))
    invitations = [
        invitation
        for invitation in action.invitations.select_related("beneficiary")
        if invitation.beneficiary_id in visible
    ]
    if request.method == "POST":
        services.record_attendance(action, invitations, set(request.POST.getlist("present")))
        messages.success(request, "Les présences sont enregistrées ; elles comptent comme contact.")
        return redirect(action)
    return render(
        request,
        "professional/action_detail.html",
        {
            "action": action,
            "invitations": invitations,
            "hidden": action.invitations.count() - len(invitations),
        },
    )
