"""A person's situations after a support (jobs, training, activity), and the exit of a
support classified from them (A3, A4, P1, P10)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property
from django.views import generic

from tremplin.accounts import audit
from tremplin.registry.models import Beneficiary
from tremplin.rules import outcomes as rules
from tremplin.support.models import SupportEpisode
from tremplin.web.form_pages import FormPageMixin
from tremplin.web.shortcuts import visible_object_or_404

from .. import services
from ..forms import ExitFrameForm, SituationForm
from ..models import Situation, SupportExit


class BeneficiaryFromUrlMixin(LoginRequiredMixin):
    """The person of the URL, read through ``visible_to``: out of scope is a 404."""

    @cached_property
    def beneficiary(self) -> Beneficiary:
        return visible_object_or_404(
            Beneficiary.objects.select_related("referent", "operator"),
            self.request,
            self.kwargs["beneficiary_pk"],
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "beneficiary": self.beneficiary}


def numbered(situations) -> list[tuple[int, Situation]]:
    """Situations numbered from 1 as the rules' sentences number them (n°1, n°2...)."""
    return list(enumerate(situations, start=1))


class SituationList(BeneficiaryFromUrlMixin, generic.TemplateView):
    template_name = "outcomes/situation_list.html"

    def get_context_data(self, **kwargs):
        audit.record_view(self.beneficiary)
        situations = self.beneficiary.situations.chronological().select_related("employer")
        exits = (
            SupportExit.objects.filter(
                episode__in=SupportEpisode.objects.visible_to(self.request.user).filter(
                    beneficiary=self.beneficiary
                )
            )
            .select_related("episode")
            .order_by("-support_end")
        )
        return {
            **super().get_context_data(**kwargs),
            "situations": numbered(situations),
            "exits": exits,
        }


class SituationFormMixin(FormPageMixin):
    model = Situation
    form_class = SituationForm
    template_name = "outcomes/situation_form.html"
    success_message = "La situation « {object} » est enregistrée."

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "beneficiary": self.beneficiary,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The other situations, numbered as the form's messages number them.
        context["recorded_situations"] = numbered(context["form"].recorded_situations())
        return context

    def get_success_url(self):
        return self.object.get_absolute_url()

    def save_form(self, form):
        return services.save_situation(form.save(commit=False))


class SituationCreate(BeneficiaryFromUrlMixin, SituationFormMixin, generic.CreateView):
    pass


class VisibleSituationMixin(LoginRequiredMixin):
    def get_queryset(self):
        return Situation.objects.visible_to(self.request.user).select_related("beneficiary")

    @cached_property
    def beneficiary(self) -> Beneficiary:
        return self.get_object().beneficiary

    def get_object(self, queryset=None):
        if not hasattr(self, "_situation"):
            self._situation = super().get_object(queryset)
        return self._situation

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "beneficiary": self.beneficiary}


class SituationUpdate(VisibleSituationMixin, SituationFormMixin, generic.UpdateView):
    pass


class SituationDelete(VisibleSituationMixin, generic.DeleteView):
    model = Situation
    template_name = "outcomes/situation_confirm_delete.html"

    def get_success_url(self):
        return self.beneficiary_url

    def form_valid(self, form):
        self.beneficiary_url = self.object.get_absolute_url()
        description = str(self.object)
        services.delete_situation(self.object)
        messages.success(self.request, f"La situation « {description} » a été supprimée.")
        return HttpResponseRedirect(self.get_success_url())


class ClassifyExit(BeneficiaryFromUrlMixin, generic.TemplateView):
    """The exit of a support classified from the person's recorded situations (A3, A4,
    P1, P10). Read-only: the frame comes in the query string, nothing is saved."""

    template_name = "outcomes/classify_exit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        situations = list(self.beneficiary.situations.chronological().select_related("employer"))
        form = ExitFrameForm(self.request.GET or None)
        context.update(form=form, situations=numbered(situations))
        if form.is_bound and form.is_valid():
            audit.record_view(self.beneficiary)
            try:
                result = rules.classify_exit(form.exit_case(situations))
            except rules.ExitInputError as error:
                context["classification_errors"] = error.messages
            else:
                context["result"] = result
                context["deciding_numbers"] = {index + 1 for index in result.deciding_situations}
        return context
