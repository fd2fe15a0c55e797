"""The targets of the agreements (conventions) with the operators: set by the département,
per operator or by default, dated."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.views import generic

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Organisation
from tremplin.web.exports import Column, ExportMixin
from tremplin.web.form_pages import FormPageMixin

from ..forms import AgreementTargetForm
from ..models import AgreementTarget
from .indicator_export import format_number


class DepartmentOnlyMixin(LoginRequiredMixin):
    """The targets are the département's to set (the agreements are its own)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_set_targets():
            raise PermissionDenied(
                "Les cibles des conventions sont fixées par le département : seuls ses agents "
                "et les administrateurs les saisissent."
            )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def scope(self):
        return scope_of(self.request.user)

    def may_set_targets(self) -> bool:
        return self.scope.is_admin or bool(self.scope.agent_territory_ids)

    @cached_property
    def operators(self):
        operators = Organisation.objects.filter(kind=Organisation.Kind.OPERATOR).order_by("name")
        if self.scope.is_admin:
            return operators
        return operators.filter(territory_id__in=self.scope.agent_territory_ids)


class AgreementTargetList(DepartmentOnlyMixin, ExportMixin, generic.ListView):
    template_name = "outcomes/target_list.html"
    context_object_name = "targets"
    export_basename = "cibles-des-conventions"
    export_columns = [
        Column("Structure", lambda t: str(t.operator or "Toutes les structures (par défaut)")),
        Column("Indicateur", lambda t: t.get_indicator_display()),
        Column("En vigueur à partir du", lambda t: t.valid_from),
        Column("Valeur", lambda t: format_number(t.value)),
        Column("Unité", lambda t: "%" if t.is_percentage else "par ETP"),
        Column("Source", lambda t: t.source),
        Column("Saisie par", lambda t: t.created_by.get_full_name() if t.created_by else ""),
    ]

    def get_queryset(self):
        return (
            AgreementTarget.objects.filter(
                Q(operator__isnull=True) | Q(operator__in=self.operators)
            )
            .select_related("operator", "created_by")
            .order_by(F("operator__name").asc(nulls_first=True), "indicator", "-valid_from")
        )


class AgreementTargetCreate(DepartmentOnlyMixin, FormPageMixin, generic.CreateView):
    model = AgreementTarget
    form_class = AgreementTargetForm
    template_name = "outcomes/target_form.html"
    success_url = reverse_lazy("outcomes:targets")
    success_message = "La cible « {object} » est enregistrée."

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "operators": self.operators,
            "may_set_defaults": self.scope.is_admin,
        }

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        return super().form_valid(form)
