"""Benchmarks of the outcomes: the département's dashboard over every operator,
and the XLSX export of the people of a list.

The generator (``tremplin generate-data``) makes people, not supports: this module adds,
once per database, one ended support for one person in five (20,000 for 100,000 people),
three in five in-employment (tests/support/factories.py's CUI in CDD of 6 months, started
in 2025) and two in five professional, with a situation after each (a CDD, a CDI, a
training, a job search) and the support's classified exit, written by the rules
(``tremplin.outcomes.exits.exit_values``), exactly as the pages store it. Rows go in with
``bulk_create``; the plan's two deadlines the funnel reads come from the rules' plan.

Each professional support also gets, once, 0 to 3 individual interviews per calendar month
it covers (``ensure_interviews``), so that the dashboard's interview cadence (P4) has
compliant supports and others below cadence, as in real files.

The dashboard's monthly facts (``tremplin.outcomes.facts``) and the supports' kept cadence
states (``tremplin.professional.cadence_states``) are rebuilt from those rows before the
measures (``fill_monthly_facts``), as ``tremplin rebuild-facts --apply`` would.

Measured: the dashboard page for the département's agent and for a coordinator, a year
wide (page time next to the replayed SQL of the page), the cadence figure of the agent's
dashboard alone (``IndicatorPage.cadence_summary``), and the XLSX export of the
administrator's whole list (100,000 rows): rows per second and peak Python memory
(tracemalloc) while the workbook is written.
"""

import datetime
import random
import time
import tracemalloc
from decimal import Decimal
from urllib.parse import urlencode

from bench.core import (
    BenchContext,
    Measurement,
    benchmark,
    captured_sql,
    fresh_statistics,
    median_ms,
    time_page,
    time_sql,
)

SUPPORTS_PER_PEOPLE = 5  # one ended support for five people
BENCH_NOTE = "Banc d'essai des sorties (bench/outcomes.py)"  # marks the rows added here
YEAR = {"du": "2025-01-01", "au": "2025-12-31"}
BATCH = 2_000


def _day(start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=days)


def ensure_supports(context: BenchContext) -> int:
    """Add the ended supports, their situations and exits once; returns how many exist."""
    from django.db import transaction

    from tremplin.outcomes.exits import exit_values
    from tremplin.outcomes.models import Situation, SupportExit
    from tremplin.registry.models import Beneficiary
    from tremplin.rules.outcomes import add_months
    from tremplin.support.models import Deadline, SupportEpisode

    wanted = context.beneficiaries // SUPPORTS_PER_PEOPLE
    if Situation.objects.filter(notes=BENCH_NOTE).exists():
        return wanted
    started = time.perf_counter()
    randomness = random.Random(2026)
    today = datetime.date.today()
    people = list(
        Beneficiary.objects.order_by("pk").values_list("pk", "operator_id", "referent_id")[:wanted]
    )
    for first in range(0, len(people), BATCH):
        batch = people[first : first + BATCH]
        episodes, situations_of = [], []
        for index, (pk, operator_id, referent_id) in enumerate(batch, start=first):
            start = _day(datetime.date(2025, 1, 6), randomness.randrange(0, 180))
            if index % 5 < 3:
                end = add_months(start, 6) - datetime.timedelta(days=1)
                episode = SupportEpisode(
                    beneficiary_id=pk,
                    programme="in_employment",
                    operator_id=operator_id,
                    referent_id=referent_id,
                    rsa_adviser_name="Conseiller RSA",
                    contract_type="CDD",
                    contract_start=start,
                    contract_end=end,
                    trial_end=_day(start, 29),
                    started_on=start,
                    ended_on=end,
                )
                situations = [
                    Situation(
                        beneficiary_id=pk,
                        kind="subsidised_contract",
                        start=start,
                        end=end,
                        weekly_hours=Decimal(26),
                        supported_contract=True,
                    )
                ]
            else:
                end = add_months(start, 6) - datetime.timedelta(days=1)
                episode = SupportEpisode(
                    beneficiary_id=pk,
                    programme="professional",
                    operator_id=operator_id,
                    referent_id=referent_id,
                    started_on=start,
                    ended_on=end,
                )
                situations = []
            after = _day(end, randomness.randrange(-60, 45))
            roll = randomness.random()
            if roll < 0.3:
                situations.append(
                    Situation(
                        beneficiary_id=pk,
                        kind="cdd",
                        start=after,
                        end=add_months(after, randomness.choice((3, 6, 9))),
                        weekly_hours=Decimal(24),
                    )
                )
            elif roll < 0.45:
                situations.append(
                    Situation(beneficiary_id=pk, kind="cdi", start=after, weekly_hours=Decimal(35))
                )
            elif roll < 0.6:
                situations.append(
                    Situation(
                        beneficiary_id=pk,
                        kind="training",
                        start=after,
                        qualifying=True,
                        rncp_listed=True,
                    )
                )
            else:
                situations.append(Situation(beneficiary_id=pk, kind="job_search", start=after))
            if episode.programme == "in_employment" and situations[-1].start <= end:
                situations[-1].start = _day(end, 1)  # not while under the CUI itself
            for situation in situations:
                situation.notes = BENCH_NOTE
            episodes.append(episode)
            situations_of.append(situations)
        with transaction.atomic():
            SupportEpisode.objects.bulk_create(episodes, batch_size=BATCH)
            Situation.objects.bulk_create(
                [s for situations in situations_of for s in situations], batch_size=BATCH
            )
            exits, deadlines = [], []
            for episode, situations in zip(episodes, situations_of, strict=True):
                values = exit_values(episode, situations, today)
                exits.append(SupportExit(episode=episode, **values))
                plan = episode.plan()
                for item in plan.deliverables if plan else ():
                    if item.code in ("trial_review", "pathway_review_m5"):
                        deadline = Deadline(episode=episode, code=item.code)
                        deadline.fill_from_rule(item)
                        deadlines.append(deadline)
            SupportExit.objects.bulk_create(exits, batch_size=BATCH)
            Deadline.objects.bulk_create(deadlines, batch_size=BATCH)
    fresh_statistics()
    context.facts["outcomes_generation"] = {
        "supports": len(people),
        "seconds": round(time.perf_counter() - started, 2),
    }
    return len(people)


def ensure_interviews() -> int:
    """Add, once, 0 to 3 interviews per calendar month to each professional support of
    ``ensure_supports`` (a Paris weekday at 10:00 inside the month's days of the support);
    returns how many interviews they have."""
    from django.db import transaction

    from tremplin.rules.calendar import PARIS, calendar_months_overlapping
    from tremplin.support.models import Meeting, SupportEpisode

    added = Meeting.objects.filter(report=BENCH_NOTE)
    if added.exists():
        return added.count()
    randomness = random.Random(2027)
    episodes = SupportEpisode.objects.filter(
        programme="professional", ended_on__isnull=False, exit__isnull=False
    ).values_list("pk", "started_on", "ended_on")
    meetings = []
    for pk, started_on, ended_on in episodes.order_by("pk"):
        for month in calendar_months_overlapping(started_on, ended_on):
            for _ in range(randomness.choice((0, 1, 2, 2, 2, 3))):
                day = _day(
                    month.first, randomness.randrange(0, month.last.day - month.first.day + 1)
                )
                meetings.append(
                    Meeting(
                        episode_id=pk,
                        starts_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=PARIS),
                        duration_minutes=45,
                        place=Meeting.Place.OPERATOR,
                        kind=Meeting.Kind.INDIVIDUAL,
                        status=Meeting.Status.HELD,
                        report=BENCH_NOTE,
                    )
                )
    with transaction.atomic():
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    fresh_statistics()
    return len(meetings)


def fill_monthly_facts(context: BenchContext) -> None:
    """The dashboard's monthly facts, rebuilt from the rows: the rows above went in with
    ``bulk_create``, which no service sees (``tremplin rebuild-facts --apply`` does the same)."""
    from tremplin.outcomes.facts import rebuild_facts

    started = time.perf_counter()
    result = rebuild_facts()
    context.facts["outcomes_monthly_facts"] = {
        "facts": result.after,
        "changed": result.changed,
        "cadence_states": result.cadence.after,
        "cadence_states_changed": result.cadence.changed,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _replayed_sql_ms(statements, runs: int) -> float:
    """The page's reads replayed (its SAVEPOINTs and session writes are not the indicators')."""
    return sum(
        time_sql(sql, params, runs)
        for sql, params in statements
        if sql.lstrip().upper().startswith(("SELECT", "WITH"))
    )


def _cadence_figure(user, interviews: int, runs: int) -> Measurement:
    """The dashboard's interview cadence (P4) alone, as the agent's page computes it."""
    from django.test import RequestFactory
    from django.utils import timezone

    from tremplin.outcomes.views.indicators import IndicatorPage

    request = RequestFactory().get("/", YEAR)
    request.user = user
    view = IndicatorPage()
    view.setup(request)
    if not view.filter_form.is_valid():
        raise RuntimeError(f"Filtres refusés : {view.filter_form.errors}")
    today = timezone.localdate()
    summary = {}
    statements = captured_sql(lambda: summary.update(view.cadence_summary(today)))
    return Measurement(
        name=f"Cadence des entretiens du tableau de bord ({summary['supports']} "
        f"accompagnements professionnels, {interviews} entretiens)",
        role="agent du département",
        page_ms=median_ms(lambda: view.cadence_summary(today), runs),
        sql_rows_ms=_replayed_sql_ms(statements, runs),
        queries=len(statements),
        rows=summary["supports"],
        details={**summary, "share": str(summary["share"])},
    )


@benchmark
def outcomes_dashboard_and_export(context: BenchContext) -> list[Measurement]:
    from django.test import Client
    from django.urls import reverse

    from bench.registry import bench_users
    from tremplin.accounts.models import Membership, Role
    from tremplin.outcomes.models import SupportExit
    from tremplin.outcomes.views.people import IndicatorPeople
    from tremplin.registry.models import Beneficiary
    from tremplin.web.exports import export_response

    supports = ensure_supports(context)
    interviews = ensure_interviews()
    fill_monthly_facts(context)
    users = bench_users()
    coordinator_membership = (
        Membership.objects.filter(role=Role.COORDINATOR).select_related("user").first()
    )
    dashboards = {"agent du département": users["agent du département"]}
    if coordinator_membership is not None:
        dashboards["coordinateur·rice"] = coordinator_membership.user
    url = f"{reverse('outcomes:indicators')}?{urlencode(YEAR)}"
    measurements = []
    for role, user in dashboards.items():
        client = Client()
        client.force_login(user)
        page_ms = time_page(client, url, context.runs)
        statements = captured_sql(lambda: client.get(url))  # noqa: B023
        measurements.append(
            Measurement(
                name=f"Tableau de bord des indicateurs, année 2025 ({supports} accompagnements)",
                role=role,
                page_ms=page_ms,
                sql_rows_ms=_replayed_sql_ms(statements, context.runs),
                queries=len(statements),
                details={
                    "exits": SupportExit.objects.count(),
                    "sql": [sql for sql, _ in statements],
                },
            )
        )
    # The same page counted afresh (« Recalculer maintenant »): what the first load of the
    # day costs, before its numbers are kept.
    client = Client()
    client.force_login(users["agent du département"])
    fresh_url = f"{url}&recalculer=1"
    measurements.append(
        Measurement(
            name=f"Tableau de bord des indicateurs, année 2025, recalculé ({supports} "
            "accompagnements)",
            role="agent du département",
            page_ms=time_page(client, fresh_url, context.runs),
            queries=len(captured_sql(lambda: client.get(fresh_url))),
        )
    )
    measurements.append(_cadence_figure(users["agent du département"], interviews, context.runs))

    # The XLSX export of a list of people: the administrator's whole list, with the columns
    # of the people behind an indicator.
    people = Beneficiary.objects.visible_to(users["administrateur"]).select_related(
        "referent", "operator"
    )
    rows = people.count()

    def export() -> int:
        response = export_response("xlsx", "personnes", IndicatorPeople.export_columns, people)
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return size

    # Timed without tracemalloc (it slows Python down several times), then measured with it.
    started = time.perf_counter()
    size = export()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    export()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    measurements.append(
        Measurement(
            name=f"Export XLSX de {rows} personnes",
            role="administrateur",
            page_ms=seconds * 1000,
            rows=rows,
            details={
                "rows_per_second": round(rows / seconds) if seconds else None,
                "peak_memory_mib": round(peak / 2**20, 1),
                "file_mib": round(size / 2**20, 1),
            },
        )
    )
    context.facts["outcomes_xlsx_export"] = measurements[-1].details
    return measurements
