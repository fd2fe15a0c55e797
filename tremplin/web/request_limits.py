"""Uploads refused by size before their body is read.

Two guards, both set in ``settings.py``:

- ``UploadSizeLimitMiddleware`` answers 413 with a French page when a multipart request
  announces (``Content-Length``) more than ``TREMPLIN_UPLOAD_MAX_BYTES`` plus the allowance
  of the form's other fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``): nothing of the body is read.
- ``BoundedUploadHandler``, first of ``FILE_UPLOAD_HANDLERS``, covers a request without a
  length (chunked) or just under the allowance: each file's bytes go on to Django's handlers
  up to the limit, the rest is dropped, and the form receives a marker file
  (``too_large``) that ``support.forms.checked_upload`` turns into a French form error.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def upload_max_bytes() -> int:
    return settings.TREMPLIN_UPLOAD_MAX_BYTES


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

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > upload_max_bytes():
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
            allowance = upload_max_bytes() + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
            if length > allowance:
                return render(
                    request,
                    "web/upload_too_large.html",
                    {
                        "size_mb": f"{length / 1_000_000:.1f}".replace(".", ","),
                        "limit_mb": f"{upload_max_bytes() / 1_000_000:.0f}",
                        "back": _same_site(request, request.META.get("HTTP_REFERER", "")),
                    },
                    status=413,
                )
        return self.get_response(request)


def _same_site(request, url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""
