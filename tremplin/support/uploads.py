"""The type of an uploaded file, read from its first bytes (never from its name).

Pure Python. The livret accepts PDF, images (PNG, JPEG) and office documents (OOXML and
OpenDocument, both ZIP containers; the legacy OLE format of .doc/.xls); anything else is
refused with a French sentence, whatever its extension says.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileKind:
    content_type: str
    label: str  # French
    extension: str


PDF = FileKind("application/pdf", "PDF", "pdf")
PNG = FileKind("image/png", "image PNG", "png")
JPEG = FileKind("image/jpeg", "image JPEG", "jpg")
OOXML_WORD = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", "docx"
)
OOXML_SHEET = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", "xlsx"
)
ODT = FileKind("application/vnd.oasis.opendocument.text", "OpenDocument texte", "odt")
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument tableur", "ods")
OLE = FileKind("application/msword", "Word ou Excel (ancien format)", "doc")

ACCEPTED_LABELS = "PDF, image PNG ou JPEG, document Word, Excel ou OpenDocument"


class UploadError(ValueError):
    pass


def _zip_kind(head_and_rest: bytes) -> FileKind | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(head_and_rest))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "mimetype" in names:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        return {ODT.content_type: ODT, ODS.content_type: ODS}.get(mimetype)
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return OOXML_WORD
        if any(name.startswith("xl/") for name in names):
            return OOXML_SHEET
    return None


def detect(content: bytes) -> FileKind | None:
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(OLE_SIGNATURE):
        return OLE
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return None


def check_upload(name: str, content: bytes, max_bytes: int) -> FileKind:
    """The file's kind, or a French UploadError (type or size)."""
    if len(content) > max_bytes:
        size = f"{len(content) / 1_000_000:.1f}".replace(".", ",")
        raise UploadError(
            f"Le fichier « {name} » pèse {size} Mo : la limite est de "
            f"{max_bytes / 1_000_000:.0f} Mo. Réduisez-le (PDF compressé, image plus petite)."
        )
    if not content:
        raise UploadError(f"Le fichier « {name} » est vide.")
    kind = detect(content)
    if kind is None:
        raise UploadError(
            f"Le contenu du fichier « {name} » n'est pas d'un type accepté ({ACCEPTED_LABELS}), "
            "quelle que soit son extension : enregistrez-le en PDF puis déposez-le à nouveau."
        )
    return kind
