"""The people behind a number of the indicator page (the access rules applied): who
started a job, who left a support, whose deliverable is late, who is in the active file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import generic

from tremplin.accounts.models import full_name
from tremplin.registry.models import Beneficiary
from tremplin.web.exports import Column, ExportMixin
from tremplin.web.listing import SearchSortPaginateMixin

from ..indicators import (
    ACTIVE_FILE,
    CV_ONLINE_BY_THE_END,
    EXIT_COUNTS_BY_CODE,
    FOLLOW_UP_COUNTS_BY_CODE,
    JOB_READY,
    STARTED_SITUATION_COUNTS_BY_CODE,
    active_file,
    cv_online_condition,
    exits_in_period,
    funnel_conditions,
    in_employment_cohort,
    job_ready_records,
    late_deadlines,
    people_behind,
)
from .scope import IndicatorAccessMixin


class IndicatorPeople(IndicatorAccessMixin, ExportMixin, SearchSortPaginateMixin, generic.ListView):
    """The people behind a number of the indicator page (access rules applied)."""

    model = Beneficiary
    template_name = "outcomes/indicator_people.html"
    export_basename = "indicateur-personnes"
    export_columns = [
        Column.of_field("Dossier", "pk"),
        Column.of_field("Nom", "last_name"),
        Column.of_field("Prénoms", "first_names"),
        Column("Structure", lambda name: name or "", ("operator__name",)),
        Column("Référent·e", full_name, ("referent__first_name", "referent__last_name")),
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
