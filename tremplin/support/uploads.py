"""The type of an uploaded file, read from its first bytes (never from its name).

Pure Python. The livret accepts PDF, images (PNG, JPEG) and office documents (OOXML and
OpenDocument, both ZIP containers; the legacy OLE format of .doc/.xls); anything else is
refused with a French sentence, whatever its extension says.

Reading a ZIP container never decompresses more than a few kilobytes, whatever it claims
(a "zip bomb" of 500 KB whose ``mimetype`` member expands to 500 MB is refused after reading
at most ``MIMETYPE_MAX_BYTES`` + 1 bytes of it): the number of entries is read from the
end-of-central-directory record before the directory itself, and the one member read is
read with a bounded ``read()`` after its declared sizes are checked (``tremplin.web.archives``,
shared with the import of a list of people).

Names: ``safe_filename`` keeps what a person recognises of the name they uploaded without
path separators, control characters, quotes or newlines; ``content_disposition`` writes the
download header with an ASCII fallback and the RFC 5987 ``filename*`` for accents.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from tremplin.web.archives import ZIP_MAX_ENTRIES, read_small_member, zip_entry_count

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


# An OpenDocument's ``mimetype`` member is one short line ("application/vnd.oasis…text").
MIMETYPE_MAX_BYTES = 100


def _zip_kind(head_and_rest: bytes) -> FileKind | None:
    entries = zip_entry_count(head_and_rest)
    if entries is None or entries > ZIP_MAX_ENTRIES:
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(head_and_rest))
        names = set(archive.namelist())
        if "mimetype" in names:
            data = read_small_member(archive, "mimetype", MIMETYPE_MAX_BYTES)
            if data is None:
                return None
            mimetype = data.decode("ascii", "replace").strip()
            return {ODT.content_type: ODT, ODS.content_type: ODS}.get(mimetype)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError, OSError):
        return None
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


def size_error(name: str, size: int, max_bytes: int, cut: bool = False) -> str:
    """The French refusal of a file over the limit (``cut``: only ``size`` bytes were read)."""
    shown = f"{size / 1_000_000:.1f}".replace(".", ",")
    weighs = "pèse plus de" if cut else "pèse"
    return (
        f"Le fichier « {safe_filename(name)} » {weighs} {shown} Mo : la limite est de "
        f"{max_bytes / 1_000_000:.0f} Mo. Réduisez-le (PDF compressé, image plus petite)."
    )


def check_upload(name: str, content: bytes, max_bytes: int) -> FileKind:
    """The file's kind, or a French UploadError (type or size)."""
    if len(content) > max_bytes:
        raise UploadError(size_error(name, len(content), max_bytes))
    if not content:
        raise UploadError(f"Le fichier « {name} » est vide.")
    kind = detect(content)
    if kind is None:
        raise UploadError(
            f"Le contenu du fichier « {name} » n'est pas d'un type accepté ({ACCEPTED_LABELS}), "
            "quelle que soit son extension : enregistrez-le en PDF puis déposez-le à nouveau."
        )
    return kind


# --- names -------------------------------------------------------------------------------

_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f/\\"\'`<>|:*?;]+')
NAME_MAX_LENGTH = 120


def safe_filename(name: str, extension: str = "") -> str:
    """A file name safe to store, show and send back: the uploaded name without directories,
    control characters (newlines included), quotes or characters that Windows refuses,
    spaces collapsed, at most ``NAME_MAX_LENGTH`` characters, ending with ``.extension``
    (the type read in the content) when given."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_IN_NAME.sub(" ", name)
    name = " ".join(name.split())
    name = re.sub(r" +(?=\.[^.]*$)", "", name)
    stem, dot, ext = name.rpartition(".")
    if extension:
        if dot and ext.lower() in {extension, "jpeg" if extension == "jpg" else extension}:
            name = stem
        name = (name.strip(" .") or "document")[: NAME_MAX_LENGTH - len(extension) - 1]
        return f"{name}.{extension}"
    return name.strip(" .")[:NAME_MAX_LENGTH] or "document"


def content_disposition(filename: str, attachment: bool = True) -> str:
    """A ``Content-Disposition`` header value: a plain ASCII ``filename`` (accents dropped,
    for old clients) and the exact name as RFC 5987 ``filename*`` in UTF-8."""
    safe = safe_filename(filename)
    ascii_name = (
        unicodedata.normalize("NFKD", safe).encode("ascii", "ignore").decode("ascii") or "document"
    )
    disposition = "attachment" if attachment else "inline"
    value = f'{disposition}; filename="{ascii_name}"'
    if ascii_name != safe:
        value += f"; filename*=UTF-8''{quote(safe, safe='')}"
    return value
