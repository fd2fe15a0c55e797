"""Quarterly proofs of activity (rules E6, F10): expected every 3 months from the hire,
flagged when missing on the convention and on the payment list."""

import datetime

import pytest
from django.urls import reverse

from tests.pages import cites
from tremplin.conventions import payments, services
from tremplin.conventions.models import ActivityProof, Convention

pytestmark = pytest.mark.django_db


def test_proofs_expected_every_three_months(my_signed_convention):
    proofs = services.expected_proofs(my_signed_convention)
    assert [(p.quarter, p.due) for p in proofs] == [
        (1, datetime.date(2025, 6, 15)),
        (2, datetime.date(2025, 9, 15)),
    ]


def test_missing_proof_is_flagged_then_recorded(referent_client, my_signed_convention):
    assert [p.quarter for p in services.missing_proofs(my_signed_convention)] == [1, 2]
    lines = payments.payment_lines(Convention.objects.all(), "2025-04")
    assert lines[0].missing_proofs == "T1, T2"
    response = referent_client.post(
        reverse("conventions:proof_create", args=[my_signed_convention.pk]),
        {"quarter": "1", "received_on": "2025-06-20"},
    )
    assert response.status_code == 302
    assert ActivityProof.objects.get().quarter == 1
    assert [p.quarter for p in services.missing_proofs(my_signed_convention)] == [2]


def test_unexpected_quarter_is_refused_in_french(referent_client, my_signed_convention):
    response = referent_client.post(
        reverse("conventions:proof_create", args=[my_signed_convention.pk]),
        {"quarter": "7", "received_on": "2025-06-20"},
    )
    assert cites(response.content.decode(), "E6")
    assert not ActivityProof.objects.exists()
