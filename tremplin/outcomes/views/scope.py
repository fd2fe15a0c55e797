"""Who may read the indicators (coordinators, the département's agents, administrators) and
the filters every indicator page shares: territory, operator, referent, programme, period."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Organisation
from tremplin.registry.models import Beneficiary
from tremplin.support.models import SupportEpisode

from ..forms import IndicatorFilterForm
from ..indicators import Period
from ..models import SupportExit


class IndicatorAccessMixin(LoginRequiredMixin):
    """Indicators are for coordinators and the département (DESIGN.md, who uses it)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_see_indicators():
            raise PermissionDenied(
                "Les indicateurs sont réservés aux coordinateur·rices des structures et aux "
                "agents du département."
            )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def scope(self):
        return scope_of(self.request.user)

    def may_see_indicators(self) -> bool:
        scope = self.scope
        return scope.is_admin or bool(scope.coordinated_operator_ids or scope.agent_territory_ids)

    @cached_property
    def operators(self):
        operators = Organisation.objects.filter(kind=Organisation.Kind.OPERATOR).order_by("name")
        if self.scope.is_admin:
            return operators
        return operators.filter(
            Q(pk__in=self.scope.coordinated_operator_ids)
            | Q(territory_id__in=self.scope.agent_territory_ids)
        )

    @cached_property
    def filter_form(self) -> IndicatorFilterForm:
        return IndicatorFilterForm(
            self.request.GET, operators=self.operators, today=timezone.localdate()
        )

    @cached_property
    def period(self) -> Period:
        data = self.filter_form.cleaned_data
        return Period(data["du"], data["au"])

    @cached_property
    def operator(self):
        return self.filter_form.cleaned_data["structure"]

    @cached_property
    def referent(self):
        return self.filter_form.cleaned_data["referent"]

    def people(self):
        """The operator's people the user may see (visible_to, then the filters)."""
        people = Beneficiary.objects.visible_to(self.request.user)
        if self.operator is not None:
            people = people.filter(operator=self.operator)
        else:
            people = people.filter(operator__in=self.scoped_operators)
        if self.referent is not None:
            people = people.filter(referent=self.referent)
        return people

    @cached_property
    def territory(self):
        return self.filter_form.cleaned_data.get("territoire")

    @cached_property
    def scoped_operators(self):
        """The operators of the scope, within the chosen territory if any."""
        if self.territory is None:
            return self.operators
        return self.operators.filter(territory=self.territory)

    @cached_property
    def programme(self) -> str:
        return self.filter_form.cleaned_data.get("programme") or ""

    def episodes(self):
        """The supports the user may see, with the filters (operator, referent, programme)."""
        episodes = SupportEpisode.objects.visible_to(self.request.user)
        operators = [self.operator] if self.operator is not None else self.scoped_operators
        episodes = episodes.filter(
            Q(operator__in=operators)
            | Q(operator__isnull=True, beneficiary__operator__in=operators)
        )
        if self.referent is not None:
            episodes = episodes.filter(referent=self.referent)
        if self.programme:
            episodes = episodes.filter(programme=self.programme)
        return episodes

    def exits(self):
        return SupportExit.objects.filter(episode__in=self.episodes().values("pk"))

    def filter_query(self, **extra) -> str:
        params = {
            "territoire": self.territory.pk if self.territory else "",
            "structure": self.operator.pk if self.operator else "",
            "referent": self.referent.pk if self.referent else "",
            "programme": self.programme,
            "du": self.period.first_day.isoformat(),
            "au": self.period.last_day.isoformat(),
            **extra,
        }
        return urlencode({name: value for name, value in params.items() if value != ""})
