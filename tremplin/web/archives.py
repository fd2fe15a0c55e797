"""ZIP containers read without trusting what they claim (issue 12): Word, Excel and
OpenDocument files are ZIP archives, and a small archive can announce a member that
expands to gigabytes (a "zip bomb").

Pure Python, shared by the livret's type check (``support.uploads``) and the import of a
list of people (``registry.imports.reading``):

- ``zip_entry_count`` reads the number of entries from the end-of-central-directory
  record, before the directory itself is parsed (an archive of millions of empty entries is
  refused without building millions of objects);
- ``read_small_member`` reads one short member with a bounded ``read()``;
- ``expansion_problem`` checks the sizes every member declares (each member, the total, and
  the ratio of a large member to its compressed size) from the central directory alone:
  nothing is decompressed. Python's ``zipfile`` (which openpyxl reads through) never gives
  more bytes of a member than its declared size, so a member lying about its size cannot
  expand past what was checked.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

# A Word, Excel or OpenDocument file holds tens to a few hundred members, never thousands.
ZIP_MAX_ENTRIES = 5_000
_EOCD_SIGNATURE = b"PK\x05\x06"
_EOCD_SIZE = 22
_EOCD_SEARCH = _EOCD_SIZE + 65_535  # the record, then a comment of at most 65,535 bytes


def zip_entry_count(content: bytes) -> int | None:
    """Entries announced by the end-of-central-directory record (None: not found).

    ``content`` is the archive, or at least its last ``_EOCD_SEARCH`` bytes."""
    start = content.rfind(_EOCD_SIGNATURE, max(0, len(content) - _EOCD_SEARCH))
    if start < 0 or start + _EOCD_SIZE > len(content):
        return None
    return struct.unpack("<H", content[start + 10 : start + 12])[0]


def read_small_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """The member's bytes if it is at most ``limit`` bytes, declared and actual; else None.

    Never decompresses more than ``limit + 1`` bytes, whatever the member claims."""
    info = archive.getinfo(name)
    if info.file_size > limit or info.compress_size > limit + 64:
        return None
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit or len(data) != info.file_size:
        return None
    return data


@dataclass(frozen=True)
class ExpansionLimits:
    total_bytes: int  # all members together, once decompressed
    member_bytes: int  # any one member
    ratio: int  # decompressed / compressed, for a member over ``ratio_from_bytes``
    ratio_from_bytes: int = 1_000_000  # small members (styles, themes) compress far better
    entries: int = ZIP_MAX_ENTRIES
    # Stricter limits for named members (an XLSX's shared strings are held whole in memory).
    members: tuple[tuple[str, int], ...] = ()


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.0f}".replace(",", "\u202f") + " Mo"


def expansion_problem(stream: BinaryIO, limits: ExpansionLimits) -> str | None:
    """What is wrong with the archive's announced sizes (a French clause, to be completed
    with what to do), or None when it may be read. Reads the end of the file and the central
    directory only; the stream is left at its start."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - _EOCD_SEARCH))
    entries = zip_entry_count(stream.read())
    stream.seek(0)
    if entries is None:
        return "son sommaire d'archive est introuvable"
    if entries > limits.entries:
        return f"il annonce {entries} éléments internes (au plus {limits.entries})"
    try:
        infos = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError, OSError):
        return "son sommaire d'archive est illisible"
    finally:
        stream.seek(0)
    if len(infos) > limits.entries:
        return f"il contient {len(infos)} éléments internes (au plus {limits.entries})"
    strict = dict(limits.members)
    total = 0
    for info in infos:
        allowed = min(limits.member_bytes, strict.get(info.filename, limits.member_bytes))
        if info.file_size > allowed:
            return (
                f"son élément interne « {info.filename[:80]} » ferait "
                f"{_megabytes(info.file_size)} une fois décompressé (au plus {_megabytes(allowed)})"
            )
        if info.file_size > limits.ratio_from_bytes and info.file_size > limits.ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            return (
                f"son élément interne « {info.filename[:80]} » serait {ratio} fois plus gros "
                f"une fois décompressé (au plus {limits.ratio} fois)"
            )
        total += info.file_size
        if total > limits.total_bytes:
            return (
                f"son contenu ferait plus de {_megabytes(limits.total_bytes)} une fois décompressé"
            )
    return None
