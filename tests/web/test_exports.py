import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests import factories
from tremplin.accounts.models import AuditEntry
from tremplin.conventions.models import Convention
from tremplin.registry.models import Beneficiary
from tremplin.web.exports import Column, ExportSource, export_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(territory, operator, referent_user):
    # First names fixed: a generated "Martine" would match the search for "martin".
    return [
        factories.BeneficiaryFactory(
            territory=territory,
            operator=operator,
            referent=referent_user,
            last_name=name,
            first_names="Claude",
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


# --- The export source protocol (``ExportSource``) -------------------------------------------


@dataclass(frozen=True)
class Line:
    """A row computed outside the database, as the payment list's."""

    number: str
    day: datetime.date
    amount: Decimal
    late: bool


COLUMNS = [
    Column("N°", lambda line: line.number),
    Column("Date", lambda line: line.day),
    Column("Montant (€)", lambda line: line.amount),
    Column("En retard", lambda line: line.late),
]

LINES = [
    Line("067-25-00001-00-0", datetime.date(2025, 3, 31), Decimal("812.40"), False),
    Line("067-25-00002-00-0", datetime.date(2025, 4, 1), Decimal("0.00"), True),
]


def test_computed_rows_export_as_csv_with_french_dates_and_an_audited_count():
    response = export_response(
        "csv", "paiements-2025-03", COLUMNS, ExportSource.of_rows(LINES, Convention)
    )
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(body), delimiter=";")) == [
        ["N°", "Date", "Montant (€)", "En retard"],
        ["067-25-00001-00-0", "31/03/2025", "812.40", "non"],
        ["067-25-00002-00-0", "01/04/2025", "0.00", "oui"],
    ]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.object_type == "conventions.convention"
    assert entry.object_repr == "Export CSV : paiements-2025-03 (2 lignes)"


def test_computed_rows_export_as_xlsx_with_typed_cells():
    response = export_response(
        "xlsx", "paiements", COLUMNS, ExportSource.of_rows(LINES, Convention)
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("N°", "Date", "Montant (€)", "En retard")
    assert rows[1] == ("067-25-00001-00-0", datetime.datetime(2025, 3, 31), 812.4, "non")
    assert len(rows) == 3
    assert sheet.title == "paiements"


def test_a_csv_export_streams_its_rows_as_they_are_read():
    read = []

    def rows():
        for line in LINES:
            read.append(line.number)
            yield line

    response = export_response(
        "csv", "paiements", COLUMNS, ExportSource(rows(), "conventions.convention")
    )
    assert read == []  # nothing read before the response is sent
    chunks = iter(response.streaming_content)
    next(chunks)  # the header
    next(chunks)
    assert read == ["067-25-00001-00-0"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.object_repr == "Export CSV : paiements"  # the count is not known


def test_a_queryset_is_read_in_chunks_and_never_counted(
    territory, operator, referent_user, people, django_assert_num_queries
):
    source = ExportSource.of_queryset(Beneficiary.objects.order_by("last_name"), chunk_size=2)
    assert source.model_label == "registry.beneficiary" and source.count is None
    columns = [Column("Nom", lambda b: b.last_name)]
    response = export_response("csv", "beneficiaires", columns, source)
    with django_assert_num_queries(1):  # one SELECT, streamed; no COUNT
        body = b"".join(response.streaming_content).decode("utf-8")
    assert body.split("\r\n")[1:4] == ["Hérault", "Martin", "Petit"]


# --- Columns that name their fields: the rows read as plain values ---------------------------


def test_columns_naming_their_fields_read_plain_values_and_build_no_instance(
    territory, operator, referent_user, people, django_assert_num_queries
):
    from django.db.models.signals import post_init

    from tremplin.accounts.models import full_name
    from tremplin.web.exports import choice_label

    alone = factories.BeneficiaryFactory(
        territory=territory, operator=None, referent=None, last_name="Seul", first_names="Ali"
    )
    columns = [
        Column.of_field("Nom", "last_name"),
        Column("Civilité", choice_label(Beneficiary._meta.get_field("civility")), ("civility",)),
        Column("Structure", lambda name: name or "", ("operator__name",)),
        Column("Référent·e", full_name, ("referent__first_name", "referent__last_name")),
    ]
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    post_init.connect(count)
    try:
        queryset = Beneficiary.objects.select_related("referent").order_by("last_name")
        response = export_response("csv", "beneficiaires", columns, queryset)
        with django_assert_num_queries(1):  # one SELECT of the values, streamed
            body = b"".join(response.streaming_content).decode("utf-8")
    finally:
        post_init.disconnect(count)
    assert [model for model in built if model is not AuditEntry] == []  # the export's entry
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    first = people[0]
    assert rows[1] == [
        "Hérault",
        first.get_civility_display(),
        str(first.operator),
        first.referent.get_full_name(),
    ]
    assert rows[4] == ["Seul", alone.get_civility_display(), "", ""]


def test_a_column_naming_its_fields_reads_them_from_computed_rows_too():
    @dataclass(frozen=True)
    class Referent:
        first_name: str
        last_name: str

    @dataclass(frozen=True)
    class Row:
        name: str
        referent: Referent | None

    from tremplin.accounts.models import full_name

    columns = [
        Column.of_field("Nom", "name"),
        Column("Référent·e", full_name, ("referent__first_name", "referent__last_name")),
    ]
    rows = [Row("Martin", Referent("Claude", "Petit")), Row("Seul", None)]
    response = export_response("csv", "lignes", columns, ExportSource.of_rows(rows, Convention))
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(body), delimiter=";"))[1:] == [
        ["Martin", "Claude Petit"],
        ["Seul", ""],
    ]
