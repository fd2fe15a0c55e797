"""An XLSX whose members would expand far beyond a list of people (a "zip bomb") is refused
from the sizes its archive declares, before openpyxl reads it (issue 12): through the
function, the import page and ``/api/v1/imports/beneficiaries``."""

import io
import random
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from openpyxl import Workbook

from tremplin.registry.imports import reading
from tremplin.registry.models import BeneficiaryImport
from tremplin.web.archives import ExpansionLimits, expansion_problem

pytestmark = pytest.mark.django_db

SHARED_STRING = b"<si><t>Schmitt</t></si>"


def small_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Nom", "Prénom", "Date de naissance"])
    workbook.active.append(["Schmitt", "Léa", "17/04/1986"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_member(name: str, megabytes: int, chunk: bytes = SHARED_STRING) -> bytes:
    """The small workbook with one more member of ``megabytes`` MB of a repeated chunk,
    written in pieces (the test never holds it whole)."""
    source = zipfile.ZipFile(io.BytesIO(small_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info, source.read(info))
        piece = chunk * (1_000_000 // len(chunk))
        with archive.open(name, "w", force_zip64=True) as member:
            member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(megabytes):
                member.write(piece)
            member.write(b"</sst>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    # The audit's file: 251 KB whose shared strings expand to 104 MB (90 s, 640 MB).
    return with_member("xl/sharedStrings.xml", 104)


@pytest.fixture
def openpyxl_forbidden(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl ne doit pas ouvrir une bombe")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_the_bomb_is_small_and_refused_before_openpyxl_in_bounded_memory(bomb, openpyxl_forbidden):
    assert len(bomb) < 1_000_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(reading.FileError) as refused:
            reading.open_table(io.BytesIO(bomb))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < 5 * 1024 * 1024
    message = str(refused.value)
    assert "xl/sharedStrings.xml" in message and "104 Mo" in message and "64 Mo" in message
    assert "enregistrez-la de nouveau" in message


def test_a_member_compressed_beyond_the_ratio_is_refused(openpyxl_forbidden):
    # 20 MB, within every size limit, but compressed some 1,000 times: no sheet of a list.
    file = with_member("xl/worksheets/sheet2.xml", 20, b" " * 100)
    with pytest.raises(reading.FileError) as refused:
        reading.open_table(io.BytesIO(file))
    assert "fois plus gros une fois décompressé (au plus 100 fois)" in str(refused.value)


def test_the_total_is_capped(openpyxl_forbidden, monkeypatch):
    monkeypatch.setattr(
        reading,
        "XLSX_LIMITS",
        ExpansionLimits(total_bytes=3_000_000, member_bytes=2_500_000, ratio=100),
    )
    noise = random.Random(12)
    buffer = io.BytesIO(small_workbook())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for number in (2, 3):  # 2 MB each, incompressible: within the member limit and ratio
            archive.writestr(f"xl/worksheets/sheet{number}.xml", noise.randbytes(2_000_000))
    with pytest.raises(reading.FileError) as refused:
        reading.open_table(io.BytesIO(buffer.getvalue()))
    assert "son contenu ferait plus de 3 Mo une fois décompressé" in str(refused.value)


def test_an_ordinary_workbook_still_reads():
    table = reading.open_table(io.BytesIO(small_workbook()))
    assert table.headers == ["Nom", "Prénom", "Date de naissance"]
    assert [row.cells["Nom"] for row in table] == ["Schmitt"]


def test_the_import_page_refuses_the_bomb_in_french(
    client, coordinator_user, referent_user, operator, bomb, openpyxl_forbidden
):
    client.force_login(coordinator_user)
    response = client.post(
        reverse("registry:import_start"),
        {
            "file": io.BytesIO(bomb),
            "operator": operator.pk,
            "referent": referent_user.pk,
            "rsa_payer": "CAF",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce classeur XLSX est refusé" in page and "xl/sharedStrings.xml" in page
    assert not BeneficiaryImport.objects.exists()


def test_the_api_refuses_the_bomb_in_french(client, coordinator_user, bomb, openpyxl_forbidden):
    from tremplin.accounts.models import ApiToken

    _, key = ApiToken.issue(coordinator_user, "tests")
    upload = io.BytesIO(bomb)
    upload.name = "liste.xlsx"
    response = client.post(
        "/api/v1/imports/beneficiaries", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code in (400, 422), response.content
    assert "Ce classeur XLSX est refusé" in response.content.decode()


def test_a_list_of_100000_people_stays_within_the_limits(tmp_path):
    """The bench's list, written by openpyxl (``demo.lists``), measured on 2,000 rows and
    extrapolated to 100,000 (writing them takes a minute): its one sheet stays far below the
    total and compresses far less than the ratio."""
    from tremplin.demo.lists import write_xlsx

    path = write_xlsx(tmp_path / "liste.xlsx", 2_000)
    with path.open("rb") as stream:
        assert expansion_problem(stream, reading.XLSX_LIMITS) is None
        sheet = zipfile.ZipFile(stream).getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size * 50 < reading.XLSX_LIMITS.total_bytes / 2
    assert sheet.file_size / sheet.compress_size < reading.XLSX_LIMITS.ratio / 5
