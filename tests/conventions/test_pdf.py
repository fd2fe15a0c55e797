"""PDFs: the convention laid out like the cerfa, and the repayment notice (rules F1, F13)."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.conventions.factories import RuptureFactory
from tremplin.conventions import pdf, services

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_convention_pdf(my_signed_convention):
    content = pdf.convention_pdf(my_signed_convention)
    assert content.startswith(b"%PDF")
    text = text_of(content)
    assert my_signed_convention.number in text
    assert "TABLEAU 1" in text and "LA PRISE EN CHARGE" in text


def test_repayment_notice_pdf(my_signed_convention):
    rupture = RuptureFactory(
        convention=my_signed_convention,
        initiative="employer",
        lawful_case=False,
        last_day=datetime.date(2025, 5, 31),
    )
    repayment = services.repayment_of(my_signed_convention, rupture)
    content = pdf.repayment_notice_pdf(my_signed_convention, rupture, repayment)
    assert content.startswith(b"%PDF")
    text = text_of(content)
    assert "ORDRE DE REVERSEMENT" in text


def test_pdf_pages_follow_visibility(referent_client, my_convention, territory):
    from tests.conventions.factories import ConventionFactory

    response = referent_client.get(reverse("conventions:pdf", args=[my_convention.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    other = ConventionFactory(territory=territory)
    assert referent_client.get(reverse("conventions:pdf", args=[other.pk])).status_code == 404
