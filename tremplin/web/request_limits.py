"""Uploads refused by size before their body is read.

Two guards, both set in ``settings.py``:

- ``UploadSizeLimitMiddleware`` answers 413 with a French page when a multipart request
  announces (``Content-Length``) more than ``TREMPLIN_UPLOAD_MAX_BYTES`` plus the allowance
  of the form's other fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``): nothing of the body is read.
- ``BoundedUploadHandler``, first of ``FILE_UPLOAD_HANDLERS``, covers a request without a
  length (chunked) or just under the allowance: each file's bytes go on to Django's handlers
  up to the limit, the rest is dropped, and the form receives a marker file
  (``too_large``) that ``support.forms.checked_upload`` turns into a French form error.

A view may take larger files than the others: an app above names it in ``LARGER_UPLOADS``
(its ``ready``) with the setting of its limit — the lists of beneficiaries to import
(``TREMPLIN_IMPORT_UPLOAD_MAX_BYTES``: 100,000 people make a CSV of 15 MB). Both guards
read the limit of the view the request goes to.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

# View name ("namespace:name") → the name of the setting of its limit, in bytes.
LARGER_UPLOADS: dict[str, str] = {}


def larger_upload_setting(request) -> str:
    """The setting of the larger limit of the view ``request`` goes to ("" if none)."""
    if request is None or not LARGER_UPLOADS:
        return ""
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return ""
    return LARGER_UPLOADS.get(view_name, "")


def upload_max_bytes(request=None) -> int:
    """The largest file ``request`` may upload: its view's limit, or everyone's."""
    setting = larger_upload_setting(request)
    return getattr(settings, setting) if setting else settings.TREMPLIN_UPLOAD_MAX_BYTES


def megabytes(size: int) -> str:
    """A size in the megabytes of the settings (MiB), in French: « 10 », « 14,9 »."""
    value = size / (1024 * 1024)
    text = f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return text.replace(".", ",")


class OversizedUpload(UploadedFile):
    """What remains of a file cut at the limit: its name and how much was received."""

    too_large = True

    def __init__(self, name, received, content_type):
        super().__init__(io.BytesIO(b""), name, content_type, received)


class BoundedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.cut = False
        self.limit = upload_max_bytes(self.request)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.cut = True
            return None  # the next handlers receive nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.cut:
            return OversizedUpload(self.file_name, self.received, self.content_type)
        return None


class UploadSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = upload_max_bytes(request)
            allowance = limit + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
            if length > allowance:
                return _too_large(request, length, limit)
        return self.get_response(request)


def _too_large(request, length: int, limit: int):
    size_mb, limit_mb = megabytes(length), megabytes(limit)
    a_list = bool(larger_upload_setting(request))
    if request.path_info.startswith("/api/"):
        advice = (
            "découpez la liste en plusieurs fichiers, ou envoyez-la en XLSX (plus compact)."
            if a_list
            else "réduisez le fichier, puis envoyez-le à nouveau."
        )
        what = "une liste à importer" if a_list else "un fichier"
        return JsonResponse(
            {
                "detail": f"L'envoi pèse {size_mb} Mo : {what} ne peut dépasser {limit_mb} Mo. "
                f"Rien n'a été enregistré ; {advice}"
            },
            status=413,
        )
    return render(
        request,
        "web/upload_too_large.html",
        {
            "size_mb": size_mb,
            "limit_mb": limit_mb,
            "a_list": a_list,
            "back": _same_site(request, request.META.get("HTTP_REFERER", "")),
        },
        status=413,
    )


def _same_site(request, url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""
