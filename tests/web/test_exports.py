import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests import factories
from tremplin.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(territory, operator, referent_user):
    return [
        factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=referent_user, last_name=name
        )
        for name in ("Hérault", "Martin", "Petit")
    ]


def test_csv_export_applies_the_search_and_hides_identifiers(client, referent_user, people):
    client.force_login(referent_user)
    response = client.get(reverse("registry:beneficiary_list"), {"q": "martin", "format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Dossier", "Civilité", "Nom"]
    assert [row[2] for row in rows[1:]] == ["Martin"]
    assert people[1].nir not in body
    assert AuditEntry.objects.filter(action="export", actor=referent_user).exists()


def test_xlsx_export_opens_with_every_visible_row(client, referent_user, people):
    factories.BeneficiaryFactory()  # someone else's: not exported
    client.force_login(referent_user)
    response = client.get(reverse("registry:beneficiary_list"), {"format": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Hérault", "Martin", "Petit"]
    assert response["Content-Disposition"].startswith('attachment; filename="beneficiaires-')


def test_employer_export(client, referent_user, territory):
    factories.EmployerFactory(territory=territory, name="Atelier Vélo")
    client.force_login(referent_user)
    response = client.get(reverse("registry:employer_list"), {"format": "csv"})
    assert "Atelier Vélo" in b"".join(response.streaming_content).decode()
