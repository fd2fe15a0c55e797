"""Uploads: a zip bomb is refused reading a few kilobytes of it, a file over the
limit is refused before its body is read, stored and download names are safe."""

import io
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.support.factories import episode_for
from tests.web.job_helpers import job_file
from tremplin.support import uploads
from tremplin.support.models import Document

pytestmark = pytest.mark.django_db

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def odt_bytes(mimetype: bytes = ODT_MIMETYPE) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def zip_bomb(expanded_mb: int = 500) -> bytes:
    """An .odt whose ``mimetype`` member expands to ``expanded_mb`` MB of zeros (deflated to
    about 1/1000th: ~500 KB), written a megabyte at a time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as member:
            chunk = b"\0" * 1_000_000
            for _ in range(expanded_mb):
                member.write(chunk)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb()


def test_a_real_odt_is_still_recognised():
    assert uploads.detect(odt_bytes()) == uploads.ODT


def test_a_zip_bomb_is_refused_under_bounded_memory(bomb):
    info = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("mimetype")
    assert info.file_size == 500_000_000 and len(bomb) < 1_000_000  # a real bomb
    tracemalloc.start()
    try:
        kind = uploads.detect(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kind is None
    assert peak < 5 * 1024 * 1024, f"the type check allocated {peak / 1e6:.1f} MB"
    with pytest.raises(uploads.UploadError, match="n'est pas d'un type accepté"):
        uploads.check_upload("rapport.odt", bomb, 10 * 1024 * 1024)


def _declare_size(content: bytes, name: bytes, size: int) -> bytes:
    """The archive with ``name``'s uncompressed size rewritten (local and central headers)
    to ``size``: a member that lies about what it expands to."""
    data = bytearray(content)
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, size)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, size)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_a_member_lying_about_its_size_is_refused_without_expanding_it():
    lying = _declare_size(zip_bomb(expanded_mb=20), b"mimetype", len(ODT_MIMETYPE))
    tracemalloc.start()
    try:
        kind = uploads.detect(lying)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kind is None and peak < 5 * 1024 * 1024


def test_a_member_whose_bytes_differ_from_its_declared_size_is_refused():
    # Declared 100 bytes, 39 actual: not an OpenDocument that a word processor wrote.
    assert uploads.detect(_declare_size(odt_bytes(), b"mimetype", 100)) is None


def test_an_archive_announcing_too_many_entries_is_refused_before_reading_its_directory():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(uploads.ZIP_MAX_ENTRIES + 1):
            archive.writestr(f"word/{number}", "")
    assert uploads.detect(buffer.getvalue()) is None


@pytest.fixture
def referent_client(client, referent_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(referent_user)
    return client


def upload_url(episode):
    return reverse("support:document_upload", args=[episode.pk])


def test_the_zip_bomb_is_refused_by_the_page_in_french(referent_client, referent_user, bomb):
    episode = episode_for(referent_user)
    response = referent_client.post(
        upload_url(episode),
        {"category": "cv", "title": "CV", "file": SimpleUploadedFile("cv.odt", bomb)},
    )
    assert response.status_code == 200
    assert "type accepté" in response.content.decode()
    assert not Document.objects.exists()


class _UnreadBody(io.RawIOBase):
    """A request body that records whether anything read it."""

    def __init__(self):
        self.bytes_read = 0

    def read(self, size=-1):
        self.bytes_read += max(size, 0)
        return b"\0" * max(size, 0)


def test_an_announced_60_mb_upload_is_refused_before_its_body_is_read(
    referent_client, referent_user
):
    episode = episode_for(referent_user)
    body = _UnreadBody()
    response = referent_client.generic(
        "POST",
        upload_url(episode),
        CONTENT_TYPE="multipart/form-data; boundary=limite",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Fichier trop lourd" in page and "ne peut dépasser 10 Mo" in page
    assert body.bytes_read == 0
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_cut_by_the_upload_handler_and_refused_in_french(
    referent_client, referent_user, settings
):
    # Under the request allowance (limit + the other fields' 2.5 MB) but over the file limit:
    # the handler keeps no more than the limit and the form says why.
    settings.TREMPLIN_UPLOAD_MAX_BYTES = 200_000
    episode = episode_for(referent_user)
    content = b"%PDF-1.4\n" + b"0" * 1_000_000
    response = referent_client.post(
        upload_url(episode),
        {"category": "cv", "title": "Scan", "file": SimpleUploadedFile("scan.pdf", content)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "pèse plus de" in page and "la limite est de" in page
    assert 'value="Scan"' in page  # nothing typed is lost
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "typed, extension, stored",
    [
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("C:\\Users\\agent\\Contrat signé.PDF", "pdf", "Contrat signé.pdf"),
        ('CV "final"\r\nContent-Type: text-html.pdf', "pdf", "CV final Content-Type text-html.pdf"),
        ("photo.jpeg", "jpg", "photo.jpg"),
        ("sans-extension", "pdf", "sans-extension.pdf"),
        ("\x00\x1f.pdf", "pdf", "document.pdf"),
        ("rapport.exe", "pdf", "rapport.exe.pdf"),
    ],
)
def test_safe_filename(typed, extension, stored):
    assert uploads.safe_filename(typed, extension) == stored


def test_content_disposition_has_an_ascii_name_and_the_exact_name_for_accents():
    header = uploads.content_disposition('livret-Hérault "Zoé"\n.pdf')
    assert "\n" not in header and "\r" not in header
    assert header == (
        'attachment; filename="livret-Herault Zoe.pdf"; '
        "filename*=UTF-8''livret-H%C3%A9rault%20Zo%C3%A9.pdf"
    )
    assert uploads.content_disposition("cv.pdf", attachment=False) == 'inline; filename="cv.pdf"'


def test_the_stored_name_is_safe_and_the_download_header_well_formed(
    referent_client, referent_user
):
    episode = episode_for(referent_user)
    referent_client.post(
        upload_url(episode),
        {
            "category": "cv",
            "title": "CV",
            "file": SimpleUploadedFile('../CV "Zoé"\n.pdf', b"%PDF-1.4\n%%EOF"),
        },
    )
    document = Document.objects.get()
    assert document.original_name == "CV Zoé.pdf"
    download = referent_client.get(
        reverse("support:document_download", args=[episode.pk, document.pk])
    )
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''cv%20zo%c3%a9.pdf" in download["Content-Disposition"].lower()


def test_a_last_name_with_quotes_and_a_newline_gives_a_valid_livret_header(
    referent_client, referent_user
):
    episode = episode_for(referent_user)
    person = episode.beneficiary
    type(person).objects.filter(pk=person.pk).update(last_name='Dupont "dit"\nMartin')
    response = job_file(
        referent_client, referent_client.get(reverse("support:livret_pdf", args=[episode.pk]))
    )
    assert response.status_code == 200
    # Before: a 500 (a newline in a header) or a header cut at the quote.
    assert response["Content-Disposition"] == 'attachment; filename="livret-Dupont_ dit Martin.pdf"'
