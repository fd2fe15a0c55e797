"""PDFs rendered from templates, one way: a Django template and its context become PDF
bytes through WeasyPrint (DESIGN.md: real PDFs, the same layout on screen and on paper).

- The document reads resources only from the uploads (``MEDIA_ROOT``, the base for relative
  references) and ``data:`` URIs: no network, no other file of the server, whatever a
  template ends up containing.
- One font configuration per document, shared by its stylesheets; the templates name
  "DejaVu Sans" (shipped with WeasyPrint's Debian dependencies) before ``sans-serif``.
- WeasyPrint is imported on the first PDF: it loads Pango, slow to start, which pages
  without a PDF do not need.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

PDF_TYPE = "application/pdf"
ALLOWED_SCHEMES = ("file", "data")


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def _url_fetcher():
    from weasyprint.urls import URLFetcher

    class UploadsOnlyFetcher(URLFetcher):
        """``data:`` URIs and files under ``MEDIA_ROOT``; anything else is not fetched (the
        document shows it missing, WeasyPrint logs why)."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not path.is_relative_to(_media_root()):
                    raise ValueError(f"Only uploaded files are read into a PDF, not {url}")
            return super().fetch(url, headers)

    return UploadsOnlyFetcher(allowed_protocols=ALLOWED_SCHEMES)


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    """The PDF of ``template`` rendered with ``context`` (and ``request`` for the context
    processors, when given)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template, context, request=request)
    document = HTML(string=html, base_url=_media_root().as_uri() + "/", url_fetcher=_url_fetcher())
    return document.write_pdf(font_config=FontConfiguration())


def pdf_response(
    content: bytes, filename: str, *, attachment: bool = True, disposition: str | None = None
) -> HttpResponse:
    """The PDF as a download (``attachment``) or shown in the browser (``inline``);
    ``disposition`` is a ready ``Content-Disposition`` value when the caller builds its own
    (e.g. a name typed by a user, made safe by ``support.uploads``)."""
    response = HttpResponse(content, content_type=PDF_TYPE)
    response["Content-Disposition"] = disposition or content_disposition_header(
        attachment, filename.replace(" ", "_")
    )
    return response
