"""Pages of the outcomes. Thin: access through ``visible_to``, decisions in rules/."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import generic

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import AuditEntry, Organisation
from tremplin.registry.models import Beneficiary
from tremplin.rules import outcomes as rules
from tremplin.support.models import SupportEpisode
from tremplin.web.exports import FORMATS, Column, ExportMixin, export_response
from tremplin.web.listing import SearchSortPaginateMixin

from .charts import funnel_chart, monthly_rates_chart, monthly_starts_chart
from .forms import (
    AgreementTargetForm,
    ExitFrameForm,
    IndicatorFilterForm,
    ReportNotesForm,
    SituationForm,
)
from .indicators import (
    ACTIVE_FILE,
    CV_ONLINE_BY_THE_END,
    EXIT_COUNTS,
    EXIT_COUNTS_BY_CODE,
    FOLLOW_UP_COUNTS_BY_CODE,
    JOB_READY,
    STARTED_SITUATION_COUNTS_BY_CODE,
    Period,
    active_file,
    agreement_indicators,
    count_exits,
    count_started_situations,
    cv_online_condition,
    exits_in_period,
    follow_up,
    funnel,
    funnel_conditions,
    in_employment_cohort,
    job_ready_records,
    late_deadlines,
    monthly_exit_rates,
    monthly_starts,
    people_behind,
)
from .models import PERCENTAGE_INDICATORS, AgreementTarget, Situation, SupportExit

NOTHING_SAVED = (
    "Le formulaire contient des erreurs, signalées sous chaque champ concerné ou en haut du "
    "formulaire. Rien n'a été enregistré ; ce que vous avez saisi est conservé."
)


class BeneficiaryFromUrlMixin(LoginRequiredMixin):
    """The person of the URL, read through ``visible_to``: out of scope is a 404."""

    @cached_property
    def beneficiary(self) -> Beneficiary:
        return get_object_or_404(
            Beneficiary.objects.visible_to(self.request.user).select_related(
                "referent", "operator"
            ),
            pk=self.kwargs["beneficiary_pk"],
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


class SituationFormMixin:
    model = Situation
    form_class = SituationForm
    template_name = "outcomes/situation_form.html"

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

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"La situation « {self.object} » est enregistrée.")
        return response

    def form_invalid(self, form):
        messages.error(self.request, NOTHING_SAVED)
        return super().form_invalid(form)


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
        response = super().form_valid(form)
        messages.success(self.request, f"La situation « {description} » a été supprimée.")
        return response


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


# --- indicators -----------------------------------------------------------------------------


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


class _RowsForExport:
    """``export_response`` reads ``.model`` (for the audit log) and ``.iterator()``; the
    indicator table is a short list, not a queryset."""

    model = Situation

    def __init__(self, rows):
        self.rows = rows

    def iterator(self, chunk_size=None):
        return iter(self.rows)


def _format_number(value) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}".replace(".", ",") if isinstance(value, Decimal) else str(value)


INDICATOR_EXPORT_COLUMNS = [
    Column("Indicateur", lambda row: row["label"]),
    Column("Règle", lambda row: row["rule"]),
    Column("Structure", lambda row: row["structure"]),
    Column("Du", lambda row: row["first_day"]),
    Column("Au", lambda row: row["last_day"]),
    Column("Valeur", lambda row: row["value"]),
    Column("Unité", lambda row: row["unit"]),
    Column("Personnes", lambda row: row["people"]),
    Column("Population", lambda row: row["population"]),
    Column("Cible", lambda row: row["target"]),
    Column("Source de la cible", lambda row: row["target_source"]),
    Column("Précision", lambda row: row["detail"]),
]


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
            return export_response(
                fmt, "indicateurs", INDICATOR_EXPORT_COLUMNS, _RowsForExport(self.export_rows())
            )
        return super().get(request, *args, **kwargs)

    def computed(self):
        people = self.people()
        started = count_started_situations(people, self.period)
        exit_counts = count_exits(self.exits(), self.period)
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

    def funnel_steps(self):
        return funnel(self.episodes(), self.period, timezone.localdate())

    def professional_episodes_in_period(self):
        return self.episodes().filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=self.period.first_day),
            programme=rules.Programme.PROFESSIONAL.value,
            started_on__lte=self.period.last_day,
        )

    def cadence_summary(self, today) -> dict:
        """Interview cadence (P4) of the professional supports running in the period, as
        the professional programme judges it (``tremplin.professional.cadence``): two
        counts in two queries, no report built per support."""
        from tremplin.professional.cadence import compliance_counts

        counts = compliance_counts(self.professional_episodes_in_period(), today)
        share = None
        if counts.supports:
            share = (Decimal(100) * counts.compliant / counts.supports).quantize(Decimal("0.1"))
        return {"supports": counts.supports, "compliant": counts.compliant, "share": share}

    def skills(self) -> list[dict]:
        """Skills progression per operator and area (P10), the progress app's own numbers."""
        from tremplin.progress.indicators import skills_progression

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
        context.update(
            started_rows=[
                (row, self.filter_query(indicateur=row.code)) for row in context["started"].rows
            ],
            agreement_rows=[
                (
                    row,
                    self.filter_query(indicateur=row.numerator_code),
                    self.filter_query(indicateur=row.denominator_code),
                )
                for row in context["agreement"]
            ],
            exit_rows=[
                (
                    count,
                    context["exit_counts"][count.code],
                    self.filter_query(indicateur=count.code),
                )
                for count in EXIT_COUNTS
            ],
            follow_up_rows=[
                (row, self.filter_query(indicateur=row.count.code)) for row in context["follow_up"]
            ],
            funnel_rows=[
                (step, self.filter_query(indicateur=f"entonnoir-{step.code}"))
                for step in context["funnel"]
            ],
            export_query=self.filter_query(),
            report_form=ReportNotesForm(),
            report_filters=self.filter_form.cleaned_data,
        )
        return context

    def indicator_context(self) -> dict:
        started, agreement, exit_counts = self.computed()
        months = monthly_starts(self.people(), self.period)
        month_rates = monthly_exit_rates(self.exits(), self.period)
        steps = self.funnel_steps()
        today = timezone.localdate()
        return {
            "follow_up": follow_up(self.episodes(), self.period, today),
            "cadence": self.cadence_summary(today),
            "skills": self.skills(),
            "exit_counts": exit_counts,
            "month_rates": month_rates,
            "rates_chart": monthly_rates_chart(month_rates, RATES_CHART_TITLE),
            "rates_chart_title": RATES_CHART_TITLE,
            "funnel": steps,
            "funnel_chart": funnel_chart(steps, FUNNEL_CHART_TITLE),
            "funnel_chart_title": FUNNEL_CHART_TITLE,
            "programme_label": dict(self.filter_form.fields["programme"].choices).get(
                self.programme, ""
            ),
            "period": self.period,
            "operator": self.operator,
            "referent": self.referent,
            "started": started,
            "agreement": agreement,
            "months": months,
            "chart": monthly_starts_chart(months, MONTHLY_CHART_TITLE),
            "chart_title": MONTHLY_CHART_TITLE,
        }

    def export_rows(self) -> list[dict]:
        started, agreement, exit_counts = self.computed()
        structure = str(self.operator or "Toutes les structures du périmètre")
        if self.referent is not None:
            structure += f", suivi par {self.referent.get_full_name()}"
        common = {
            "structure": structure,
            "first_day": self.period.first_day,
            "last_day": self.period.last_day,
        }
        rows = []
        for row in agreement:
            target = row.target
            rows.append(
                {
                    **common,
                    "label": row.indicator.label,
                    "rule": "",
                    "value": _format_number(row.value)
                    if row.available
                    else ("pas de taux" if row.numerator_code else "à venir"),
                    "unit": "%" if row.indicator in PERCENTAGE_INDICATORS else "personnes par ETP",
                    "people": "" if row.numerator is None else row.numerator,
                    "population": "" if row.denominator is None else row.denominator,
                    "target": _format_number(target.value) if target else "",
                    "target_source": target.source if target else "",
                    "detail": row.detail,
                }
            )
        for row in started.rows:
            rows.append(
                {
                    **common,
                    "label": row.label,
                    "rule": row.rule,
                    "value": _format_number(row.share),
                    "unit": "%",
                    "people": row.people,
                    "population": started.population,
                    "target": "",
                    "target_source": "",
                    "detail": "Situations commencées dans la période",
                }
            )
        for count in EXIT_COUNTS:
            rows.append(
                {
                    **common,
                    "label": count.label,
                    "rule": "",
                    "value": exit_counts[count.code],
                    "unit": "accompagnements",
                    "people": "",
                    "population": "",
                    "target": "",
                    "target_source": "",
                    "detail": "Accompagnements terminés dans la période",
                }
            )
        today = timezone.localdate()
        for row in follow_up(self.episodes(), self.period, today):
            rows.append(
                {
                    **common,
                    "label": row.count.label,
                    "rule": row.count.rule,
                    "value": _format_number(row.share),
                    "unit": "%",
                    "people": row.on_time,
                    "population": row.due,
                    "target": "",
                    "target_source": "",
                    "detail": "Échéances de la période déjà passées, hors « sans objet »",
                }
            )
        cadence = self.cadence_summary(today)
        rows.append(
            {
                **common,
                "label": "Cadence des entretiens respectée",
                "rule": "P4",
                "value": _format_number(cadence["share"]),
                "unit": "%",
                "people": cadence["compliant"],
                "population": cadence["supports"],
                "target": "",
                "target_source": "",
                "detail": "Accompagnements professionnels en cours dans la période",
            }
        )
        for step in self.funnel_steps():
            rows.append(
                {
                    **common,
                    "label": f"Parcours : {step.label}",
                    "rule": step.rule,
                    "value": _format_number(step.share),
                    "unit": "%",
                    "people": step.people,
                    "population": "",
                    "target": "",
                    "target_source": "",
                    "detail": "Contrats aidés commencés dans la période",
                }
            )
        return rows


class IndicatorReport(IndicatorPage):
    """The département's periodic report as a PDF: the page's numbers, targets, chart and
    the notes typed under the page, for an operator (or the scope) and a period."""

    def get(self, request, *args, **kwargs):
        notes_form = ReportNotesForm(request.GET)
        if not self.filter_form.is_valid() or not notes_form.is_valid():
            # The page says what is wrong with the filters, in French.
            return redirect(f"{reverse('outcomes:indicators')}?{request.GET.urlencode()}")
        from weasyprint import HTML  # imported here: slow to load, only the PDF needs it

        indicators = self.indicator_context()
        context = {
            **indicators,
            "exit_count_rows": [
                (count, indicators["exit_counts"][count.code]) for count in EXIT_COUNTS
            ],
            "notes": notes_form.cleaned_data["notes"],
            "printed_on": timezone.localdate(),
            "printed_by": request.user,
        }
        html = render_to_string("outcomes/pdf/indicator_report.html", context, request=request)
        audit.record(
            AuditEntry.Action.EXPORT,
            object_type="outcomes.situation",
            object_repr=f"Rapport PDF des indicateurs : {self.operator or 'toutes les structures'}, "
            f"{self.period.first_day:%d/%m/%Y}-{self.period.last_day:%d/%m/%Y}",
        )
        filename = f"rapport-indicateurs-{self.period.first_day:%Y-%m-%d}-{self.period.last_day:%Y-%m-%d}.pdf"
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class IndicatorPeople(IndicatorAccessMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView):
    """The people behind a number of the indicator page (access rules applied)."""

    model = Beneficiary
    template_name = "outcomes/indicator_people.html"
    export_basename = "indicateur-personnes"
    export_columns = [
        Column("Dossier", lambda b: b.pk),
        Column("Nom", lambda b: b.last_name),
        Column("Prénoms", lambda b: b.first_names),
        Column("Structure", lambda b: str(b.operator or "")),
        Column("Référent·e", lambda b: b.referent.get_full_name() if b.referent else ""),
    ]
    sort_options = {
        "nom": ("Nom", ("last_name", "first_names")),
        "referent": ("Référent·e", ("referent__last_name", "last_name")),
    }
    default_sort = "nom"

    @cached_property
    def count_definition(self):
        code = self.request.GET.get("indicateur", "")
        definition = people_definitions(timezone.localdate()).get(code)
        if definition is None:
            raise Http404("Indicateur inconnu.")
        return definition

    def get_queryset(self):
        if not self.filter_form.is_valid():
            raise Http404("Période invalide.")
        people = self.count_definition.people(self)
        return self.apply_search_and_sort(people.select_related("referent", "operator"))

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "count_definition": self.count_definition,
            "period": self.period,
            "operator": self.operator,
            "referent": self.referent,
            "back_query": self.filter_query(),
        }


@dataclass(frozen=True)
class PeopleDefinition:
    """What a number of the indicator page counts, and who the people behind it are."""

    code: str
    label: str
    rule: str
    scope: str  # what the period applies to, for the sentence above the list
    people: Callable  # (view) -> Beneficiary queryset


def _situation_people(code):
    return lambda view: people_behind(view.people(), view.period, code)


def _exit_people(condition):
    def people(view):
        exits = exits_in_period(view.exits(), view.period).filter(condition)
        return Beneficiary.objects.visible_to(view.request.user).filter(
            Exists(exits.filter(episode__beneficiary=OuterRef("pk")))
        )

    return people


def _funnel_people(condition):
    def people(view):
        episodes = in_employment_cohort(view.episodes(), view.period).filter(condition)
        return Beneficiary.objects.visible_to(view.request.user).filter(
            Exists(episodes.filter(beneficiary=OuterRef("pk")))
        )

    return people


def _late_people(code):
    def people(view):
        late = late_deadlines(view.episodes(), view.period, timezone.localdate(), code)
        return Beneficiary.objects.visible_to(view.request.user).filter(
            Exists(late.filter(episode__beneficiary=OuterRef("pk")))
        )

    return people


def _job_ready_people(with_cv_online: bool):
    def people(view):
        records = job_ready_records(view.episodes(), view.period)
        if with_cv_online:
            records = records.filter(cv_online_condition(view.period))
        return Beneficiary.objects.visible_to(view.request.user).filter(
            Exists(records.filter(episode__beneficiary=OuterRef("pk")))
        )

    return people


def _active_file_people(view):
    running = active_file(view.episodes(), view.period)
    return Beneficiary.objects.visible_to(view.request.user).filter(
        Exists(running.filter(beneficiary=OuterRef("pk")))
    )


def people_definitions(today) -> dict[str, PeopleDefinition]:
    definitions = {
        ACTIVE_FILE: PeopleDefinition(
            ACTIVE_FILE,
            "File active : accompagnements professionnels en cours à la fin de la période",
            "P9",
            "file active à la fin de la période,",
            _active_file_people,
        ),
        JOB_READY: PeopleDefinition(
            JOB_READY,
            "Personnes prêtes à l'emploi",
            "P10",
            "accompagnements professionnels en cours",
            _job_ready_people(False),
        ),
        CV_ONLINE_BY_THE_END: PeopleDefinition(
            CV_ONLINE_BY_THE_END,
            "Personnes prêtes à l'emploi dont le CV est sur Job Connexion",
            "P6, P10",
            "accompagnements professionnels en cours",
            _job_ready_people(True),
        ),
    }
    for code, count in FOLLOW_UP_COUNTS_BY_CODE.items():
        definitions[code] = PeopleDefinition(
            code,
            f"{count.label} : en retard ou non remis",
            count.rule,
            "échéances",
            _late_people(code),
        )
    for code, count in STARTED_SITUATION_COUNTS_BY_CODE.items():
        definitions[code] = PeopleDefinition(
            code, count.label, count.rule, "situations commencées", _situation_people(code)
        )
    for code, count in EXIT_COUNTS_BY_CODE.items():
        definitions[code] = PeopleDefinition(
            code, count.label, count.rule, "accompagnements terminés", _exit_people(count.condition)
        )
    for code, (label, rule, condition) in funnel_conditions(today).items():
        definitions[f"entonnoir-{code}"] = PeopleDefinition(
            f"entonnoir-{code}",
            label,
            rule,
            "contrats aidés commencés",
            _funnel_people(condition),
        )
    return definitions


# --- targets of the agreements --------------------------------------------------------------


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
        Column("Valeur", lambda t: _format_number(t.value)),
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


class AgreementTargetCreate(DepartmentOnlyMixin, generic.CreateView):
    model = AgreementTarget
    form_class = AgreementTargetForm
    template_name = "outcomes/target_form.html"
    success_url = reverse_lazy("outcomes:targets")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "operators": self.operators,
            "may_set_defaults": self.scope.is_admin,
        }

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        response = super().form_valid(form)
        messages.success(self.request, f"La cible « {self.object} » est enregistrée.")
        return response

    def form_invalid(self, form):
        messages.error(self.request, NOTHING_SAVED)
        return super().form_invalid(form)
