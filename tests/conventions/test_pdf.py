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


# --- The cerfa as the official form: full identifiers for who may print them (rule F1) -----


def identifiers_printed(user=None):
    from tremplin.accounts.models import AuditEntry

    return AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, changes__champs=["nir", "rsa_number"]
    )


def cerfa_text(client, user, convention) -> str:
    client.force_login(user)
    response = client.get(reverse("conventions:pdf", args=[convention.pk]))
    assert response.status_code == 200
    return text_of(response.content)


@pytest.mark.parametrize("who", ["referent_user", "coordinator_user", "agent_user", "admin_user"])
def test_the_operators_staff_and_the_department_print_the_full_identifiers(
    request, client, my_signed_convention, who
):
    from tremplin.rules.identifiers import format_nir

    person = my_signed_convention.beneficiary
    text = cerfa_text(client, request.getfixturevalue(who), my_signed_convention)

    assert format_nir(person.nir) in text
    assert person.rsa_number in text
    assert "masqués" not in text
    entry = identifiers_printed().get()
    assert entry.object_id == str(person.pk)
    assert entry.changes["convention"] == my_signed_convention.pk


def test_a_referent_of_another_operator_gets_them_masked_and_nothing_is_logged(
    client, territory, other_operator, my_signed_convention
):
    from tests import factories

    person = my_signed_convention.beneficiary
    # The person is now followed by another operator's referent, who may open the file and
    # its convention, but is not the convention's operator.
    stranger = factories.referent(other_operator)
    person.referent = stranger
    person.save()
    text = cerfa_text(client, stranger, my_signed_convention)

    assert person.nir_masked in text
    assert person.nir[5:13] not in text.replace(" ", "")
    assert person.rsa_number not in text
    assert "NIR et n° allocataire masqués" in text
    assert not identifiers_printed().exists()
