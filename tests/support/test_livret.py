"""The livret d'accompagnement (A6): uploads checked by content and size, the whole PDF."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from tests.support.factories import MeetingFactory, episode_for
from tests.web.job_helpers import job_file
from tremplin.support import uploads
from tremplin.support.models import Document

pytestmark = pytest.mark.django_db

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, kind",
    [
        (b"%PDF-1.7\n...", uploads.PDF),
        (PNG_1PX, uploads.PNG),
        (b"\xff\xd8\xff\xe0rest", uploads.JPEG),
        (docx_bytes(), uploads.OOXML_WORD),
        (uploads.OLE_SIGNATURE + b"rest", uploads.OLE),
        (b"MZ\x90\x00 an executable", None),
        (b"<html><script>", None),
    ],
)
def test_the_type_is_read_from_the_content(content, kind):
    assert uploads.detect(content) == kind


@pytest.fixture
def referent_client(client, referent_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(referent_user)
    return client


def upload(client, episode, name, content):
    return client.post(
        reverse("support:document_upload", args=[episode.pk]),
        {"category": "cv", "title": "CV 2025", "file": SimpleUploadedFile(name, content)},
    )


def test_a_pdf_is_accepted_and_downloaded(referent_client, referent_user):
    episode = episode_for(referent_user)
    response = upload(referent_client, episode, "cv.pdf", b"%PDF-1.4\n%%EOF")
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.size) == ("application/pdf", 14)
    download = referent_client.get(
        reverse("support:document_download", args=[episode.pk, document.pk])
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_renamed_executable_is_refused_in_french(referent_client, referent_user):
    episode = episode_for(referent_user)
    response = upload(referent_client, episode, "cv.pdf", b"MZ\x90\x00 not a pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert "n&#x27;est pas d&#x27;un type accepté" in page or "type accepté" in page
    assert 'value="CV 2025"' in page  # nothing lost
    assert not Document.objects.exists()


def test_a_file_too_large_is_refused_in_french(referent_client, referent_user, settings):
    settings.TREMPLIN_UPLOAD_MAX_BYTES = 1000
    episode = episode_for(referent_user)
    response = upload(referent_client, episode, "scan.pdf", b"%PDF-" + b"0" * 2000)
    assert "la limite est de" in response.content.decode()
    assert not Document.objects.exists()


def one_page_pdf(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def test_the_whole_livret_as_one_pdf(referent_client, referent_user):
    episode = episode_for(referent_user)
    MeetingFactory(episode=episode, report="Premier point : intégration réussie.")
    upload(referent_client, episode, "photo.png", PNG_1PX)
    before = PdfReader(io.BytesIO(livret(referent_client, episode).content))
    upload(referent_client, episode, "attestation.pdf", one_page_pdf("ATTESTATION SIGNEE"))
    response = livret(referent_client, episode)
    assert response.status_code == 200
    whole = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in whole.pages)
    assert "Premier point : intégration réussie." in text
    assert any(page.images for page in whole.pages)  # the uploaded photo, read from storage
    # the uploaded PDF's single page is appended after the livret's own pages (A6)
    assert "ATTESTATION SIGNEE" in whole.pages[-1].extract_text()
    assert len(whole.pages) == len(before.pages) + 1


def test_an_unreadable_pdf_upload_does_not_break_the_livret(referent_client, referent_user):
    episode = episode_for(referent_user)
    upload(referent_client, episode, "cv.pdf", b"%PDF-1.4\n%%EOF")
    response = livret(referent_client, episode)
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 1


def livret_url(episode):
    return reverse("support:livret_pdf", args=[episode.pk])


def livret(client, episode):
    """The livret, made by a job (web/jobs.py) and downloaded from the job's page."""
    return job_file(client, client.get(livret_url(episode)))
