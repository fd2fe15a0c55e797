"""Company events (P7): job datings, fairs, company visits, the employers and the people
who came."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.views import generic

from tremplin.registry.models import Employer
from tremplin.web.exports import Column, ExportMixin
from tremplin.web.listing import SearchSortPaginateMixin
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import CompanyEventForm
from ..models import CompanyEvent
from .base import record_form_page


class EventList(LoginRequiredMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView):
    template_name = "companies/event_list.html"
    export_basename = "evenements-entreprises"
    export_columns = [
        Column("Date", lambda e: e.date),
        Column("Type", lambda e: e.get_kind_display()),
        Column("Intitulé", lambda e: e.title),
        Column("Lieu", lambda e: e.place),
        Column("Employeurs", lambda e: ", ".join(x.name for x in e.employers.all())),
        Column("Personnes venues", lambda e: e.attendee_count),
        Column("Structure", lambda e: e.operator.name),
    ]
    sort_options = {
        "date": ("Date", ("-date",)),
        "intitule": ("Intitulé", ("title",)),
        "type": ("Type", ("kind", "-date")),
    }
    default_sort = "date"

    def get_queryset(self):
        queryset = (
            CompanyEvent.objects.visible_to(self.request.user)
            .select_related("operator")
            .prefetch_related(Prefetch("employers", queryset=Employer.objects.only("id", "name")))
            .annotate(attendee_count=Count("attendees", distinct=True))
        )
        text = self.search_text()
        if text:
            queryset = queryset.filter(title__icontains=text)
        return self.apply_sort(queryset)


@login_required
def event_edit(request, pk=None):
    event = visible_object_or_404(CompanyEvent, request, pk) if pk is not None else None
    form = CompanyEventForm(request.POST or None, instance=event, user=request.user)
    if event is None:
        form.instance.created_by = request.user
    return record_form_page(
        request,
        form,
        title=f"{event}" if event else "Nouvel événement (job dating, salon, visite)",
        cancel_url=reverse("companies:event_list"),
        success="L'événement « {object} » est enregistré.",
        breadcrumb=[(reverse("companies:event_list"), "Événements")],
        save=lambda: services.save_event(form),
    )
