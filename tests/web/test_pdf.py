"""The PDF renderer (``tremplin.web.pdf``): a template and its context become a real PDF
through WeasyPrint; the document reads the uploads (``MEDIA_ROOT``) and nothing else."""

import io

import pytest
from pypdf import PdfReader

from tremplin.web.pdf import pdf_response, render_pdf

# A 1-pixel PNG.
PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)

REPORT = """<html><head><style>
  @page { size: A4; margin: 2cm; }
  body { font-family: "DejaVu Sans", sans-serif; }
  .page { page-break-after: always; }
</style></head><body>
  {% for part in parts %}<p class="page">{{ part }}</p>{% endfor %}
  {% if image %}<img src="{{ image }}" alt="pièce jointe">{% endif %}
</body></html>"""


@pytest.fixture
def templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", {"test/report.html": REPORT})]
            },
        }
    ]


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def test_a_template_becomes_a_real_pdf_with_its_pages_and_text(templates):
    pdf = render_pdf("test/report.html", {"parts": ["Synthèse du 4e mois", "Bilan <final>"]})
    assert pdf.startswith(b"%PDF")
    pages = read(pdf).pages
    assert len(pages) == 2
    assert "Synthèse du 4e mois" in pages[0].extract_text()
    assert "Bilan <final>" in pages[1].extract_text()  # escaped by the template, printed


def test_an_uploaded_image_is_embedded(templates, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = tmp_path / "documents" / "photo.png"
    image.parent.mkdir()
    image.write_bytes(PNG_1PX)
    pdf = render_pdf("test/report.html", {"parts": ["Livret"], "image": image.as_uri()})
    assert any(page.images for page in read(pdf).pages)


def test_a_file_outside_the_uploads_is_not_read(templates, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG_1PX)
    pdf = render_pdf("test/report.html", {"parts": ["Livret"], "image": outside.as_uri()})
    assert not any(page.images for page in read(pdf).pages)


def test_the_response_is_a_pdf_download_or_inline():
    download = pdf_response(b"%PDF-1.7", "livret-Le Gall.pdf")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="livret-Le_Gall.pdf"'
    shown = pdf_response(b"%PDF-1.7", "convention-067-25-00042-00-0.pdf", attachment=False)
    assert shown["Content-Disposition"] == 'inline; filename="convention-067-25-00042-00-0.pdf"'
