"""Benchmarks of the CUI conventions: the aid month by month at département scale.

* The rules alone: 20,000 aid schedules of 24 months (``tremplin.rules.aid``), no database.
* From the database: the 24-month forecast of 20,000 signed conventions (each one's schedule
  with its suspensions and amendments, ``payments.forecast``).
* The payment list of a month for 20,000 active conventions: the function, the page (totals
  of every line, one page of lines) and the CSV export of every line, next to the raw SQL
  that fetches the conventions' rows.

Each line reports rows per second in its name (a row is a month of a schedule, or a line of
the payment list). The 20,000 conventions are created once in the bench database (prescriber
code ``BENCH``) and kept for the next run, like the generator's data.
"""

import datetime
import random
from decimal import Decimal

from bench.core import (
    BenchContext,
    Measurement,
    benchmark,
    captured_sql,
    fresh_statistics,
    median_ms,
    time_sql,
)

CONVENTIONS = 20_000
SCHEDULE_MONTHS = 24
BENCH_PRESCRIBER = "BENCH"
# Every bench convention's aid runs 12 months from a start between these days: all of them
# pay aid in PAYMENT_MONTH.
FIRST_START = datetime.date(2025, 4, 2)
LAST_START = datetime.date(2026, 3, 1)
PAYMENT_MONTH = "2026-03"
FORECAST_START = "2025-04"
HEAVY_RUNS = 3  # the whole-département computations take seconds: fewer runs


def french_rate(rows: int, ms: float) -> str:
    per_second = rows / (ms / 1000) if ms else 0
    return f"{per_second:,.0f}".replace(",", "\u202f")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    from tremplin.rules.eligibility import add_months

    return add_months(day, months)


def ensure_conventions(count: int = CONVENTIONS) -> int:
    """Create the bench conventions if they are not there yet; return how many exist."""
    from django.db import transaction

    from tremplin.accounts.models import User
    from tremplin.conventions.models import Convention, ConventionNumberSequence, Suspension
    from tremplin.registry.models import Beneficiary, Employer

    existing = Convention.objects.filter(prescriber_code=BENCH_PRESCRIBER).count()
    if existing >= count:
        acknowledge_past_suspensions()
        return existing
    rng = random.Random(2026)
    people = list(Beneficiary.objects.values_list("pk", "territory_id", "territory__code"))
    employers = list(Employer.objects.values_list("pk", flat=True))
    agent = User.objects.order_by("pk").first()
    span = (LAST_START - FIRST_START).days
    missing = count - existing
    print(f"Création de {missing} conventions signées pour les mesures…", flush=True)
    with transaction.atomic():
        department = people[0][2]
        sequence, _ = ConventionNumberSequence.objects.select_for_update().get_or_create(
            department=department, year=2025
        )
        first_order = sequence.last_order + 1
        sequence.last_order += missing
        sequence.save(update_fields=["last_order"])
        conventions = []
        for index in range(missing):
            person_pk, territory_pk, _code = people[(existing + index) % len(people)]
            start = FIRST_START + datetime.timedelta(days=rng.randrange(span + 1))
            hours = rng.choice([20, 24, 26, 30, 35])
            conventions.append(
                Convention(
                    sector=Convention.Sector.CIE,
                    territory_id=territory_pk,
                    beneficiary_id=person_pk,
                    employer_id=rng.choice(employers),
                    prescriber_code=BENCH_PRESCRIBER,
                    receives_rsa=True,
                    contract_type=Convention.ContractType.CDI,
                    hire_date=start,
                    weekly_hours=hours,
                    gross_monthly_pay=Decimal("1800.00"),
                    aid_start=start,
                    aid_end=_add_months(start, 12) - datetime.timedelta(days=1),
                    subsidised_weekly_hours=hours,
                    prefect_rate_percent=rng.choice([Decimal("25"), Decimal("33"), Decimal("47")]),
                    department_rate_percent=rng.choice([None, Decimal("60")]),
                    payer=Convention.Payer.DEPARTMENT,
                    signed_on=start - datetime.timedelta(days=7),
                    signed_by=agent,
                    number_department=department,
                    number_year=2025,
                    number_order=first_order + index,
                    employee_present=True,
                    employer_present=True,
                    operator_present=True,
                    rsa_adviser_present=True,
                    search_text="bench",
                )
            )
        created = Convention.objects.bulk_create(conventions, batch_size=1000)
        # One convention in ten has an unpaid suspension of 10 days in its third month.
        Suspension.objects.bulk_create(
            [
                Suspension(
                    convention=convention,
                    start=_add_months(convention.aid_start, 2),
                    end=_add_months(convention.aid_start, 2) + datetime.timedelta(days=9),
                    paid=False,
                    reason=Suspension.Reason.WORK_EVALUATION,
                    employer_report_date=_add_months(convention.aid_start, 2),
                )
                for convention in created[::10]
            ],
            batch_size=1000,
        )
        acknowledge_past_suspensions()
    fresh_statistics()
    return Convention.objects.filter(prescriber_code=BENCH_PRESCRIBER).count()


# One suspension in this many is still to process in the agent's queue; the others were taken
# into account ACKNOWLEDGED_AFTER their report, as a département at work does (F12). Until
# 2026-12-04 the bench left all 2,000 to process, which no agent's queue holds in practice
# (the bench's ruptures were all taken into account).
STILL_TO_PROCESS_ONE_IN = 50
ACKNOWLEDGED_AFTER = datetime.timedelta(days=7)


def acknowledge_past_suspensions() -> int:
    """Take the bench's suspensions into account, but one in ``STILL_TO_PROCESS_ONE_IN``
    (by key): each the agent's 7 days after the employer reported it. Idempotent: a database
    of an earlier bench is brought to the same state. Returns how many were written."""
    from zoneinfo import ZoneInfo

    from tremplin.accounts.models import User
    from tremplin.conventions.models import Suspension

    waiting = list(
        Suspension.objects.filter(
            convention__prescriber_code=BENCH_PRESCRIBER, acknowledged_at__isnull=True
        ).order_by("pk")
    )
    agent = User.objects.order_by("pk").first()
    paris = ZoneInfo("Europe/Paris")
    done = []
    for suspension in waiting:
        if suspension.pk % STILL_TO_PROCESS_ONE_IN == 0:
            continue
        day = suspension.employer_report_date + ACKNOWLEDGED_AFTER
        suspension.acknowledged_at = datetime.datetime.combine(day, datetime.time(10), paris)
        suspension.acknowledged_by = agent
        done.append(suspension)
    Suspension.objects.bulk_update(done, ["acknowledged_at", "acknowledged_by"], batch_size=1000)
    return len(done)


@benchmark
def aid_schedules_from_the_rules(context: BenchContext) -> list[Measurement]:
    """20,000 schedules of 24 months, the rules alone (no database)."""
    from tremplin.rules import aid

    rng = random.Random(2026)
    cases = []
    for index in range(CONVENTIONS):
        start = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(700))
        end = _add_months(start, SCHEDULE_MONTHS) - datetime.timedelta(days=1)
        suspensions = []
        if index % 10 == 0:
            first = start + datetime.timedelta(days=40)
            suspensions.append(aid.Suspension(first, first + datetime.timedelta(days=9)))
        cases.append(
            (
                start,
                end,
                rng.choice([Decimal("25"), Decimal("33"), Decimal("47")]),
                Decimal(rng.choice([20, 24, 26, 30, 35])),
                suspensions,
            )
        )
    rows = []

    def compute():
        rows.clear()
        for start, end, rate, hours, suspensions in cases:
            rows.append(
                len(aid.aid_schedule(start, end, rate, hours, suspensions=suspensions).months)
            )

    ms = median_ms(compute, min(context.runs, HEAVY_RUNS))
    months = sum(rows)
    context.facts["aid_schedule_months_per_second"] = round(months / (ms / 1000))
    return [
        Measurement(
            name=f"Calendriers d'aide, règles seules : {CONVENTIONS} × {SCHEDULE_MONTHS} mois "
            f"({french_rate(months, ms)} mois/s)",
            role="—",
            page_ms=ms,
            rows=months,
        )
    ]


@benchmark
def forecast_and_payment_list(context: BenchContext) -> list[Measurement]:
    from django.test import Client
    from django.urls import reverse

    from tremplin.accounts.models import User
    from tremplin.conventions import payments
    from tremplin.conventions.models import Convention
    from tremplin.demo.management.commands.generate_data import BENCH_MAIL_DOMAIN

    ensure_conventions()
    admin = User.objects.get(email=f"admin@{BENCH_MAIL_DOMAIN}")
    runs = min(context.runs, HEAVY_RUNS)
    visible = Convention.objects.visible_to(admin)
    measurements = []

    # The 24-month forecast: every convention's schedule, from the database.
    forecast_rows = []

    def forecast():
        forecast_rows[:] = payments.forecast(visible, FORECAST_START)

    forecast_ms = median_ms(forecast, runs)
    first, last = payments.month_bounds(FORECAST_START)
    _, last = payments.month_bounds(payments.add_months(FORECAST_START, SCHEDULE_MONTHS - 1))
    # The months of aid the forecast adds up: each convention's months inside the window.
    conventions = payments._overlapping(visible, first, last)
    rows = conventions.values(*payments.SCHEDULE_ROW_FIELDS)
    memo: dict = {}
    months = sum(
        len(schedule.months)
        for _row, facts in payments.row_facts(rows, conventions)
        for schedule in payments.schedules_over(
            facts, payments._months_of(facts, first, last), memo
        )
        or ()
    )
    measurements.append(
        Measurement(
            name=f"Prévision {SCHEDULE_MONTHS} mois de {conventions.count()} conventions "
            f"({french_rate(months, forecast_ms)} mois/s)",
            role="administrateur",
            page_ms=forecast_ms,
            rows=months,
            queries=len(captured_sql(forecast)),
        )
    )

    # The payment list of a month: function, page, CSV; the SQL of the conventions.
    lines = []

    def payment_lines():
        lines[:] = payments.payment_lines(visible, PAYMENT_MONTH)

    function_ms = median_ms(payment_lines, runs)
    first, last = payments.month_bounds(PAYMENT_MONTH)
    # The conventions' rows as payment_lines reads them (the largest of its four queries).
    rows_sql = captured_sql(lambda: list(payments.payment_rows(visible, first, last)))[0]
    sql_ms = time_sql(*rows_sql, runs)
    active = payments.payment_rows(visible, first, last).count()
    measurements.append(
        Measurement(
            name=f"Paiements de {PAYMENT_MONTH}, {active} conventions actives "
            f"({french_rate(len(lines), function_ms)} lignes/s)",
            role="administrateur",
            page_ms=function_ms,
            sql_rows_ms=sql_ms,
            rows=len(lines),
            queries=len(captured_sql(payment_lines)),
        )
    )
    client = Client()
    client.force_login(admin)
    url = reverse("conventions:payments")
    for label, query in (
        ("page", f"?mois={PAYMENT_MONTH}"),
        ("CSV", f"?mois={PAYMENT_MONTH}&format=csv"),
    ):

        def get(query=query):
            response = client.get(url + query)
            if response.status_code == 302 and response["Location"].startswith("/taches/"):
                # A job (web/jobs.py), done at once here (TREMPLIN_HUEY_IMMEDIATE, bench.run):
                # the time is the page's, the job's and the download's.
                job = int(response["Location"].strip("/").split("/")[-1])
                response = client.get(reverse("web:job_download", args=[job]))
            if response.status_code != 200:
                raise RuntimeError(f"{url}{query} a répondu {response.status_code}.")
            if response.streaming:
                b"".join(response.streaming_content)
            return response

        ms = median_ms(get, runs)
        measurements.append(
            Measurement(
                name=f"Paiements de {PAYMENT_MONTH}, {label} "
                f"({french_rate(len(lines), ms)} lignes/s)",
                role="administrateur",
                page_ms=ms,
                sql_rows_ms=sql_ms,
                rows=len(lines),
            )
        )
    context.facts["payment_list_lines"] = len(lines)
    context.facts["payment_list_lines_per_second"] = round(len(lines) / (function_ms / 1000))
    measurements.append(agent_work_queue(runs))
    return measurements


def agent_work_queue(runs: int) -> Measurement:
    """The département agent's home: its work queue counts the conventions paid this month and
    those without their quarterly proofs by plain queries, in a fixed number of them and
    without any aid schedule (the amounts are on the payment list); measured on a day of
    PAYMENT_MONTH, when every bench convention pays."""
    from tremplin.accounts.models import User
    from tremplin.conventions import queue
    from tremplin.demo.management.commands.generate_data import BENCH_MAIL_DOMAIN

    agent = User.objects.get(email=f"agent@{BENCH_MAIL_DOMAIN}")
    day = datetime.date.fromisoformat(PAYMENT_MONTH + "-15")
    result = []

    def compute():
        result[:] = [queue.work_queue(agent, today=day)]

    ms = median_ms(compute, runs)
    paid = next(s for s in result[0].sections if s.key == "payments").count
    return Measurement(
        name=f"File de travail de l'agent (accueil), {paid} conventions payées ce mois",
        role="agent du département",
        page_ms=ms,
        rows=paid,
        queries=len(captured_sql(compute)),
    )
