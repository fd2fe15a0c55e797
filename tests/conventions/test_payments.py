"""Payment list of a month (per employer and funder) and the 24-month forecast."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conventions.factories import ConventionFactory, RuptureFactory
from tests.web.job_helpers import job_file
from tremplin.conventions import payments
from tremplin.conventions.models import Convention
from tremplin.web.models import Job

pytestmark = pytest.mark.django_db


def test_payment_lines_of_a_month(territory, my_signed_convention):
    ConventionFactory(territory=territory)  # a draft pays nothing
    lines = payments.payment_lines(Convention.objects.all(), "2025-04")
    assert [(line.funder, line.amount) for line in lines] == [("etat", Decimal("629.09"))]


def test_department_above_the_prefect_splits_between_funders(territory, my_beneficiary):
    # Rule F6: the State funds the prefect's 33 %, the département the rest of its 47 %.
    ConventionFactory(
        territory=territory,
        beneficiary=my_beneficiary,
        signed=True,
        prefect_rate_percent=Decimal("33"),
        department_rate_percent=Decimal("47"),
    )
    lines = payments.payment_lines(Convention.objects.all(), "2025-04")
    assert {line.funder for line in lines} == {"etat", "departement"}
    assert sum(line.amount for line in lines) == Decimal("629.09")
    totals = payments.totals_per_employer(lines)
    assert len(totals) == 2


def test_no_payment_after_a_rupture(my_signed_convention):
    RuptureFactory(convention=my_signed_convention, last_day=datetime.date(2025, 4, 30))
    assert payments.payment_lines(Convention.objects.all(), "2025-05") == []


def test_payment_page_and_exports(referent_client, my_signed_convention):
    url = reverse("conventions:payments")
    page = referent_client.get(url, {"mois": "2025-04"}).content.decode()
    assert my_signed_convention.employer.name in page and "629,09" in page
    csv = b"".join(referent_client.get(url, {"mois": "2025-04", "format": "csv"}).streaming_content)
    assert b"629.09" in csv and my_signed_convention.number.encode() in csv
    xlsx = referent_client.get(url, {"mois": "2025-04", "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_payment_list_of_a_large_department_is_a_job(
    referent_client, my_signed_convention, settings
):
    settings.TREMPLIN_JOB_ROWS = 0  # more conventions than this: the lines are a job's work
    url = reverse("conventions:payments")
    response = referent_client.get(url, {"mois": "2025-04", "format": "csv"})
    job = Job.objects.get()
    assert job.title == "Liste des paiements 2025-04 (CSV)"
    csv = job_file(referent_client, response).content
    assert b"629.09" in csv and my_signed_convention.number.encode() in csv


def test_forecast_covers_24_months(my_signed_convention):
    rows = payments.forecast(Convention.objects.all(), "2025-03")
    assert len(rows) == 24
    assert rows[0].total == Decimal("344.98")
    assert sum(row.total for row in rows) == Decimal("3784.00")
    assert rows[-1].total == 0


def test_forecast_page_has_the_chart(referent_client, my_signed_convention):
    page = referent_client.get(reverse("conventions:forecast"), {"mois": "2025-03"}).content
    assert b"<svg" in page and "3\u202f784,00".encode() in page


def test_each_month_of_the_payment_list_is_the_month_of_the_whole_schedule(my_signed_convention):
    from tests.conventions.factories import AmendmentFactory, SuspensionFactory
    from tremplin.conventions import services

    # 26 h from 15/03/2025, an unpaid suspension 01–10/05, 20 h from 15/06 (modification).
    SuspensionFactory(convention=my_signed_convention)
    AmendmentFactory(convention=my_signed_convention, effective_from=datetime.date(2025, 6, 15))
    whole = services.schedule_of(my_signed_convention)
    assert len(whole.months) == 7
    for month in whole.months:
        lines = payments.payment_lines(Convention.objects.all(), month.month)
        assert sum(line.amount for line in lines) == month.amount, month.month
        assert {line.days_covered for line in lines} == {month.days_covered}
    # June is split at the amendment: 14 days at 26 h, 16 days at 20 h, SMIC 11.88:
    # 0.47 × 11.88 × (26 × 14/30 + 20 × 16/30) × 52/12 = 5.5836 × 22.8 × 52/12
    # = 127.30608 × 52/12 = 551.6597… → 551.66 €.
    assert payments.payment_lines(Convention.objects.all(), "2025-06")[0].amount == Decimal(
        "551.66"
    )


def test_forecast_exports(referent_client, my_signed_convention):
    url = reverse("conventions:forecast")
    csv = b"".join(
        referent_client.get(url, {"mois": "2025-03", "format": "csv"}).streaming_content
    ).decode()
    # March 2025: 17/31 days of 629.0856 € = 344.98 € (docs/rules-aid.md), all paid by the
    # State (the département's rate is not higher, rule F6).
    assert "2025-03" in csv and "344.98" in csv
    assert csv.count("\n") == 25  # header + 24 months
    xlsx = referent_client.get(url, {"mois": "2025-03", "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def _signed_conventions(territory, beneficiary, count):
    from tests.conventions.factories import SuspensionFactory

    for index in range(count):
        convention = ConventionFactory(territory=territory, beneficiary=beneficiary, signed=True)
        if index % 2:
            SuspensionFactory(convention=convention)


def test_payment_lines_query_count_does_not_grow_with_conventions(
    territory, my_beneficiary, django_assert_num_queries
):
    # The SMIC entered by the département, conventions, suspensions, amendments, proofs: five
    # queries for 3 or for 8 conventions.
    _signed_conventions(territory, my_beneficiary, 3)
    with django_assert_num_queries(5):
        assert len(payments.payment_lines(Convention.objects.all(), "2025-04")) == 3
    _signed_conventions(territory, my_beneficiary, 5)
    with django_assert_num_queries(5):
        assert len(payments.payment_lines(Convention.objects.all(), "2025-04")) == 8


def test_payment_page_query_count_does_not_grow_with_conventions(
    referent_client, territory, my_beneficiary
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("conventions:payments")
    _signed_conventions(territory, my_beneficiary, 3)
    with CaptureQueriesContext(connection) as few:
        referent_client.get(url, {"mois": "2025-04"})
    _signed_conventions(territory, my_beneficiary, 5)
    with CaptureQueriesContext(connection) as more:
        referent_client.get(url, {"mois": "2025-04"})
    assert len(more.captured_queries) == len(few.captured_queries)


def test_payment_page_shows_a_page_of_lines_and_the_totals_of_all(
    referent_client, territory, my_beneficiary, settings
):
    settings.TREMPLIN_PAGE_SIZE = 3
    _signed_conventions(territory, my_beneficiary, 5)
    lines = payments.payment_lines(Convention.objects.all(), "2025-04")
    grand_total = sum(line.amount for line in lines)
    url = reverse("conventions:payments")
    first = referent_client.get(url, {"mois": "2025-04"})
    second = referent_client.get(url, {"mois": "2025-04", "page": 2})
    assert len(first.context["lines"]) == 3 and len(second.context["lines"]) == 2
    assert first.context["grand_total"] == second.context["grand_total"] == grand_total
    assert sum(total.conventions for total in first.context["totals"]) == 5
    page = first.content.decode()
    assert "Page 1 sur 2" in page and "page=2" in page
    # The export holds every line, whatever the page.
    csv = b"".join(referent_client.get(url, {"mois": "2025-04", "format": "csv"}).streaming_content)
    assert csv.decode().count("\n") == 1 + 5


def test_payment_lines_match_each_conventions_own_schedule_and_proofs(territory, my_beneficiary):
    """The list's rows and memos give what the convention's page gives (schedule_of and
    missing_proofs on the model), whatever mix of rates, hours, suspensions, amendments,
    rupture and proofs received."""
    from django.utils import timezone

    from tests.conventions.factories import AmendmentFactory, SuspensionFactory
    from tremplin.conventions import services
    from tremplin.conventions.models import ActivityProof
    from tremplin.rules import aid

    def convention(**fields):
        return ConventionFactory(territory=territory, beneficiary=my_beneficiary, **fields)

    convention(signed=True)
    convention(signed=True)  # the same case as the first: computed once, the same lines
    shared = convention(
        signed=True, prefect_rate_percent=Decimal("33"), department_rate_percent=Decimal("47")
    )
    suspended = convention(signed=True, subsidised_weekly_hours=20)
    SuspensionFactory(convention=suspended, end=datetime.date(2025, 5, 12), paid=False)
    amended = convention(signed=True)
    AmendmentFactory(convention=amended, effective_from=datetime.date(2025, 5, 12))
    ruptured = convention(signed=True)
    RuptureFactory(convention=ruptured, last_day=datetime.date(2025, 5, 20))
    ActivityProof.objects.create(
        convention=shared, quarter=1, received_on=datetime.date(2025, 6, 20)
    )
    conventions = Convention.objects.all()
    today = timezone.localdate()
    for key in ("2025-04", "2025-05", "2025-06"):
        first, last = payments.month_bounds(key)
        expected = []
        for item in payments.signed_conventions_overlapping(conventions, first, last):
            month = services.schedule_of(item, since=first, until=last).months[0]
            missing = ", ".join(f"T{p.quarter}" for p in services.missing_proofs(item, today))
            for part in month.funder_amounts or (aid.FunderAmount("etat", month.amount),):
                expected.append(
                    (item.pk, item.number, part.funder, part.amount, month.days_covered, missing)
                )
        lines = payments.payment_lines(conventions, key)
        got = [
            (
                line.convention.pk,
                line.convention.number,
                line.funder,
                line.amount,
                line.days_covered,
                line.missing_proofs,
            )
            for line in lines
        ]
        assert got == expected, key
        assert len({line.convention.pk for line in lines}) == len(expected) - 1  # F6: 2 funders


def _forecast_fixture(territory, beneficiary):
    """Signed conventions mixing what a forecast month depends on: two funders (rule F6), an
    unpaid suspension, a modification of the hours (rule F12), a rupture, an aid starting in
    the middle of a month, one ending inside the window, and a draft (nothing committed)."""
    from tests.conventions.factories import AmendmentFactory, SuspensionFactory

    def convention(**fields):
        return ConventionFactory(territory=territory, beneficiary=beneficiary, **fields)

    convention(signed=True)  # 15/03/2025 to 14/09/2025: starts mid-month, ends in the window
    convention(signed=True)  # the same case: one schedule, counted twice
    convention(
        signed=True, prefect_rate_percent=Decimal("33"), department_rate_percent=Decimal("47")
    )
    convention(
        signed=True,
        prescribed_for_department=True,
        department_rate_percent=Decimal("60"),
        department_funds_alone=True,
        aid_start=datetime.date(2025, 5, 10),
        aid_end=datetime.date(2026, 5, 9),
    )
    suspended = convention(signed=True, subsidised_weekly_hours=20)
    SuspensionFactory(convention=suspended, end=datetime.date(2025, 5, 12), paid=False)
    amended = convention(signed=True, aid_end=datetime.date(2026, 3, 14))
    AmendmentFactory(convention=amended, effective_from=datetime.date(2025, 5, 12))
    AmendmentFactory(
        convention=amended,
        effective_from=datetime.date(2025, 8, 1),
        new_subsidised_weekly_hours=30,
        modification_number=2,
    )
    ruptured = convention(signed=True)
    RuptureFactory(convention=ruptured, last_day=datetime.date(2025, 5, 20))
    convention()


def _forecast_from_each_schedule(start_key, months):
    """The forecast as the sum of each convention's whole schedule (its page's amounts)."""
    from tremplin.conventions import services
    from tremplin.rules import aid

    keys = [payments.add_months(start_key, offset) for offset in range(months)]
    first, _ = payments.month_bounds(keys[0])
    _, last = payments.month_bounds(keys[-1])
    expected = {key: {} for key in keys}
    signed = payments.signed_conventions_overlapping(Convention.objects.all(), first, last)
    for item in signed:
        for month in services.schedule_of(item).months:
            if month.month not in expected:
                continue
            for part in month.funder_amounts or (aid.FunderAmount("etat", month.amount),):
                funders = expected[month.month]
                funders[part.funder] = funders.get(part.funder, payments.ZERO) + part.amount
    return [(key, expected[key]) for key in keys]


@pytest.mark.parametrize(
    ("start_key", "months"),
    [("2025-03", 24), ("2025-05", 24), ("2025-04", 3), ("2024-12", 6)],
)
def test_forecast_is_each_conventions_whole_schedule_summed(
    territory, my_beneficiary, start_key, months
):
    # Windows opening before, at and after the aids' start, and closing inside them.
    _forecast_fixture(territory, my_beneficiary)
    rows = payments.forecast(Convention.objects.all(), start_key, months)
    expected = _forecast_from_each_schedule(start_key, months)
    assert [(row.month, row.by_funder) for row in rows] == expected
    # The same Decimals to the cent as printed (exports), not only equal values.
    assert [(row.month, {f: str(a) for f, a in row.by_funder.items()}) for row in rows] == [
        (key, {f: str(a) for f, a in funders.items()}) for key, funders in expected
    ]
    if start_key == "2025-03":
        assert {"etat", "departement"} <= set().union(*(row.by_funder for row in rows))
        assert rows[0].total > 0 and rows[-1].total == 0


def test_forecast_query_count_does_not_grow_with_conventions(
    territory, my_beneficiary, django_assert_num_queries
):
    # The SMIC entered by the département, conventions, suspensions, amendments: four queries
    # for 3 or for 8 conventions.
    _signed_conventions(territory, my_beneficiary, 3)
    with django_assert_num_queries(4):
        three = payments.forecast(Convention.objects.all(), "2025-03")
    _signed_conventions(territory, my_beneficiary, 5)
    with django_assert_num_queries(4):
        eight = payments.forecast(Convention.objects.all(), "2025-03")
    assert eight[1].total > three[1].total > 0
