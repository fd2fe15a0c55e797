"""The indicator page (A3, P10 and the agreements' targets), with its charts and its
CSV/XLSX export."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import generic

from tremplin.accounts.models import Organisation
from tremplin.professional.cadence_states import stored_compliance_counts
from tremplin.progress.indicators import skills_progression
from tremplin.rules.programmes import Programme
from tremplin.web import kept
from tremplin.web.exports import FORMATS, ExportSource, export_response

from ..charts import funnel_chart, monthly_rates_chart, monthly_starts_chart
from ..facts import DashboardCounts
from ..forms import ReportNotesForm
from ..indicators import (
    EXIT_COUNTS,
    agreement_indicators,
    count_exits,
    count_started_situations,
    follow_up,
    funnel,
    monthly_exit_rates,
    monthly_starts,
)
from ..models import MonthlyFact, Situation
from .indicator_export import (
    INDICATOR_EXPORT_COLUMNS,
    agreement_rows,
    cadence_row,
    exit_rows,
    follow_up_rows,
    funnel_rows,
    started_rows,
)
from .scope import IndicatorAccessMixin

MONTHLY_CHART_TITLE = "Personnes ayant commencé un emploi ou une activité, par mois"
RATES_CHART_TITLE = "Taux des conventions par mois de fin des accompagnements (%)"
FUNNEL_CHART_TITLE = (
    "Parcours des contrats aidés accompagnés commencés dans la période (accompagnement dans "
    "l'emploi)"
)


class IndicatorPage(IndicatorAccessMixin, generic.TemplateView):
    template_name = "outcomes/indicators.html"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in FORMATS and self.filter_form.is_valid():
            source = ExportSource.of_rows(self.export_rows(), Situation)
            return export_response(
                fmt, "indicateurs", INDICATOR_EXPORT_COLUMNS, source, request=request
            )
        return super().get(request, *args, **kwargs)

    def visible_facts(self):
        """The monthly facts the page may sum (``tremplin.outcomes.facts``), or None when it
        counts the rows: a referent chosen (facts have no referent), or a scope whose
        visibility the facts' keys (operator, the people's territory) do not carry exactly
        (an agent who is also a referent or a coordinator)."""
        if self.referent is not None:
            return None
        scope = self.scope
        facts = MonthlyFact.objects.filter(operator__in=self.operators_in_view())
        if scope.is_admin:
            return facts
        if scope.coordinated_operator_ids and not scope.agent_territory_ids:
            # Every support and person of a coordinated operator is visible to them.
            return facts
        if scope.agent_territory_ids and not scope.coordinated_operator_ids:
            if scope.is_referent:
                return None
            return facts.filter(territory_id__in=scope.agent_territory_ids)
        return None

    @cached_property
    def dashboard_counts(self) -> DashboardCounts | None:
        facts = self.visible_facts()
        if facts is None:
            return None
        return DashboardCounts(facts, self.exits(), self.people(), self.period, self.programme)

    def exit_counts(self) -> dict[str, int]:
        if self.dashboard_counts is None:
            return count_exits(self.exits(), self.period)
        return self.dashboard_counts.exit_counts()

    def computed(self):
        people = self.people()
        started = count_started_situations(people, self.period)
        exit_counts = self.exit_counts()
        agreement = agreement_indicators(
            people,
            self.operators_in_view(),
            self.period,
            self.operator,
            self.referent,
            exit_counts=exit_counts,
            episodes=self.episodes(),
        )
        return started, agreement, exit_counts

    def follow_up(self, today):
        """The deliverables on time (A12) summed from the monthly facts when the page may
        (``dashboard_counts``), the rupture notices (A14) from their rows."""
        deliverables = None
        if self.dashboard_counts is not None:
            deliverables = self.dashboard_counts.deliverables(self.episodes(), today)
        return follow_up(self.episodes(), self.period, today, deliverables)

    def funnel_steps(self):
        return funnel(self.episodes(), self.period, timezone.localdate())

    def professional_episodes_in_period(self):
        return self.episodes().filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=self.period.first_day),
            programme=Programme.PROFESSIONAL.value,
            started_on__lte=self.period.last_day,
        )

    def cadence_summary(self, today) -> dict:
        """Interview cadence (P4) of the professional supports running in the period, as
        the professional programme judges it: two counts read from the supports' kept
        states (``tremplin.professional.cadence_states``), no interview read."""
        counts = stored_compliance_counts(self.professional_episodes_in_period(), today)
        share = None
        if counts.supports:
            share = (Decimal(100) * counts.compliant / counts.supports).quantize(Decimal("0.1"))
        return {"supports": counts.supports, "compliant": counts.compliant, "share": share}

    def skills(self) -> list[dict]:
        """Skills progression per operator and area (P10), the progress app's own numbers."""
        return skills_progression(self.professional_episodes_in_period())

    def operators_in_view(self):
        if self.operator is not None:
            return Organisation.objects.filter(pk=self.operator.pk)
        return self.scoped_operators

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.filter_form
        if not self.filter_form.is_valid():
            return context
        context.update(self.indicator_context())
        context.update(self.drill_down_links(context))
        context.update(
            export_query=self.filter_query(),
            report_form=ReportNotesForm(),
            report_filters=self.filter_form.cleaned_data,
        )
        return context

    def drill_down_links(self, context) -> dict:
        """Each number with the query of the page listing the people behind it."""
        return {
            "started_rows": [
                (row, self.filter_query(indicateur=row.code)) for row in context["started"].rows
            ],
            "agreement_rows": [
                (
                    row,
                    self.filter_query(indicateur=row.numerator_code),
                    self.filter_query(indicateur=row.denominator_code),
                )
                for row in context["agreement"]
            ],
            "exit_rows": [
                (
                    count,
                    context["exit_counts"][count.code],
                    self.filter_query(indicateur=count.code),
                )
                for count in EXIT_COUNTS
            ],
            "follow_up_rows": [
                (row, self.filter_query(indicateur=row.count.code)) for row in context["follow_up"]
            ],
            "funnel_rows": [
                (step, self.filter_query(indicateur=f"entonnoir-{step.code}"))
                for step in context["funnel"]
            ],
        }

    # What ``indicator_context`` computes from the rows; the rest of the page is the filters.
    COMPUTED_KEYS = (
        "follow_up",
        "cadence",
        "skills",
        "exit_counts",
        "month_rates",
        "rates_chart",
        "funnel",
        "funnel_chart",
        "started",
        "agreement",
        "months",
        "chart",
    )

    def figures_cache_key(self) -> str:
        """The same numbers for the same scope, filters and day: two agents of one
        territory share them, a référent filter or another day does not."""
        data = self.filter_form.cleaned_data
        parts = [
            repr(sorted(self.scope.roles)),
            repr(sorted(self.scope.coordinated_operator_ids)),
            repr(sorted(self.scope.agent_territory_ids)),
            repr(sorted(self.scope.territory_ids)),
            repr(self.scope.is_admin),
            repr(self.scope.is_referent),
            *(repr(getattr(data.get(name), "pk", data.get(name))) for name in sorted(data)),
            timezone.localdate().isoformat(),
        ]
        if self.scope.is_referent:
            parts.append(str(self.request.user.pk))  # their own people widen the scope
        digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
        return f"indicateurs:{digest}"

    def cached_figures(self) -> tuple[dict, datetime.datetime]:
        """The page's numbers and when they were computed. A département's year takes a
        second or more to count: they are kept ``TREMPLIN_INDICATORS_CACHE_SECONDS`` (a copy,
        never a fact: « Recalculer » counts again at once)."""
        seconds = settings.TREMPLIN_INDICATORS_CACHE_SECONDS
        key = self.figures_cache_key()

        def compute():
            figures = self.computed_figures()
            return ({name: figures[name] for name in self.COMPUTED_KEYS}, timezone.now())

        if not seconds:
            return compute()
        if self.request.GET.get("recalculer"):
            figures = compute()
            cache.set(key, figures, seconds)
            return figures
        # Computed by one request at a time: the others wait for its copy (web.kept).
        return kept.computed_once(key, compute, seconds)

    def indicator_context(self) -> dict:
        figures, computed_at = self.cached_figures()
        return {
            **figures,
            "computed_at": computed_at,
            "cache_minutes": settings.TREMPLIN_INDICATORS_CACHE_SECONDS // 60,
            "rates_chart_title": RATES_CHART_TITLE,
            "funnel_chart_title": FUNNEL_CHART_TITLE,
            "programme_label": dict(self.filter_form.fields["programme"].choices).get(
                self.programme, ""
            ),
            "period": self.period,
            "operator": self.operator,
            "referent": self.referent,
            "chart_title": MONTHLY_CHART_TITLE,
        }

    def computed_figures(self) -> dict:
        started, agreement, exit_counts = self.computed()
        if self.dashboard_counts is None:
            months = monthly_starts(self.people(), self.period)
            month_rates = monthly_exit_rates(self.exits(), self.period)
        else:
            months = self.dashboard_counts.months()
            month_rates = self.dashboard_counts.month_rates()
        steps = self.funnel_steps()
        today = timezone.localdate()
        return {
            "follow_up": self.follow_up(today),
            "cadence": self.cadence_summary(today),
            "skills": self.skills(),
            "exit_counts": exit_counts,
            "month_rates": month_rates,
            "rates_chart": monthly_rates_chart(month_rates, RATES_CHART_TITLE),
            "funnel": steps,
            "funnel_chart": funnel_chart(steps, FUNNEL_CHART_TITLE),
            "started": started,
            "agreement": agreement,
            "months": months,
            "chart": monthly_starts_chart(months, MONTHLY_CHART_TITLE),
        }

    def export_rows(self) -> list[dict]:
        """Every number of the page, one row each, with the filters it was computed for."""
        started, agreement, exit_counts = self.computed()
        structure = str(self.operator or "Toutes les structures du périmètre")
        if self.referent is not None:
            structure += f", suivi par {self.referent.get_full_name()}"
        common = {
            "structure": structure,
            "first_day": self.period.first_day,
            "last_day": self.period.last_day,
        }
        today = timezone.localdate()
        rows = [
            *agreement_rows(agreement),
            *started_rows(started),
            *exit_rows(exit_counts),
            *follow_up_rows(self.follow_up(today)),
            cadence_row(self.cadence_summary(today)),
            *funnel_rows(self.funnel_steps()),
        ]
        return [{**common, **row} for row in rows]
