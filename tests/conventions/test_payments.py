"""Payment list of a month (per employer and funder) and the 24-month forecast."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conventions.factories import ConventionFactory, RuptureFactory
from tremplin.conventions import payments
from tremplin.conventions.models import Convention

pytestmark = pytest.mark.django_db


def test_payment_lines_of_a_month(territory, my_signed_convention):
    ConventionFactory(territory=territory)  # a draft pays nothing
    lines = payments.payment_lines(Convention.objects.all(), "2025-04")
    assert [(line.funder, line.amount) for line in lines] == [("etat", Decimal("629.09"))]


def test_departement_above_the_prefect_splits_between_funders(territory, my_beneficiary):
    # Rule F6: the State funds the prefect's 33 %, the département the rest of its 47 %.
    ConventionFactory(
        territory=territory,
        beneficiary=my_beneficiary,
        signed=True,
        prefect_rate_percent=Decimal("33"),
        departement_rate_percent=Decimal("47"),
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


def test_forecast_covers_24_months(my_signed_convention):
    rows = payments.forecast(Convention.objects.all(), "2025-03")
    assert len(rows) == 24
    assert rows[0].total == Decimal("344.98")
    assert sum(row.total for row in rows) == Decimal("3784.00")
    assert rows[-1].total == 0


def test_forecast_page_has_the_chart(referent_client, my_signed_convention):
    page = referent_client.get(reverse("conventions:forecast"), {"mois": "2025-03"}).content
    assert b"<svg" in page and "3\u202f784,00".encode() in page
