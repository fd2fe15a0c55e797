"""The fields a list of people may carry, and how its headers are recognised.

A header is compared without case, accents or punctuation: « Date d'entrée RSA »,
« DATE ENTREE RSA » and « date_d_entree_rsa » are the same. A mapping says which field each
column of the file fills (``None``: the column is ignored).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    key: str  # the person's field (or ``referent``: a referent's e-mail)
    label: str  # French, as the mapping page and the report name it
    headers: tuple[str, ...]  # recognised headers, normalised by ``normalise_header``


def normalise_header(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def _target(key: str, label: str, *headers: str) -> Target:
    return Target(key, label, tuple(normalise_header(h) for h in (label, *headers)))


TARGETS: tuple[Target, ...] = (
    _target("last_name", "nom", "nom d'usage", "nom de famille", "nom usuel"),
    _target("first_names", "prénom", "prénoms", "prenom usuel"),
    _target("birth_date", "date de naissance", "né le", "née le", "naissance", "date naissance"),
    _target("civility", "sexe", "civilité", "genre"),
    _target(
        "nir",
        "NIR",
        "numéro de sécurité sociale",
        "n° de sécurité sociale",
        "n° sécurité sociale",
        "numéro ss",
        "n° ss",
        "nir cle",
    ),
    _target(
        "rsa_number",
        "numéro allocataire",
        "numéro d'allocataire",
        "n° allocataire",
        "n° d'allocataire",
        "num allocataire",
        "matricule",
        "matricule caf",
    ),
    _target("rsa_payer", "organisme payeur", "payeur", "organisme"),
    _target("birth_name", "nom de naissance", "nom de jeune fille"),
    _target("street", "adresse", "rue", "voie", "adresse postale"),
    _target("address_complement", "complément d'adresse", "complement adresse"),
    _target("postal_code", "code postal", "cp"),
    _target("city", "commune", "ville", "localité"),
    _target("phone", "téléphone", "tel", "tél", "portable", "téléphone portable"),
    _target("email", "courriel", "email", "e-mail", "mail", "adresse électronique"),
    _target(
        "rsa_start_date",
        "date d'entrée RSA",
        "date d'entrée au RSA",
        "entrée RSA",
        "date ouverture droit RSA",
        "date d'ouverture du droit",
    ),
    _target("referent", "référent", "référent e-mail", "courriel du référent", "référente"),
)
TARGETS_BY_KEY = {target.key: target for target in TARGETS}
# Without these, a row can neither be matched nor create a file.
REQUIRED_TARGETS = ("last_name", "first_names", "birth_date")


def target_for(text: str) -> Target | None:
    """The field a header or a target's name designates (« prénom », « first_names »)."""
    if text in TARGETS_BY_KEY:
        return TARGETS_BY_KEY[text]
    normalised = normalise_header(text)
    for target in TARGETS:
        if normalised in target.headers:
            return target
    return None


class MappingError(ValueError):
    """A mapping that cannot be used; ``messages`` are French sentences."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def guess_mapping(headers: list[str], saved: dict[str, str] | None = None) -> dict[str, str | None]:
    """Each header of the file → the field it fills: the saved mapping first (by the
    normalised header; a column it ignores stays ignored, even with a recognised header),
    then the recognised headers; a field is filled by one column only."""
    saved_by_header = {normalise_header(h): key for h, key in (saved or {}).items()}
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        normalised = normalise_header(header)
        if normalised in saved_by_header:
            key = saved_by_header[normalised]
        else:
            target = target_for(header)
            key = target.key if target else None
        if key in taken:
            key = None
        if key:
            taken.add(key)
        mapping[header] = key
    return mapping


def check_mapping(headers: list[str], mapping: dict[str, str | None]) -> dict[str, str]:
    """The usable mapping (header → field) or MappingError in French."""
    problems = []
    used: dict[str, str] = {}
    for header, key in mapping.items():
        if not key:
            continue
        if header not in headers:
            problems.append(f"La colonne « {header} » n'existe pas dans le fichier.")
            continue
        if key not in TARGETS_BY_KEY:
            problems.append(f"« {key} » n'est pas un champ que l'import sait remplir.")
            continue
        if key in used.values():
            first = next(h for h, k in used.items() if k == key)
            problems.append(
                f"Les colonnes « {first} » et « {header} » remplissent toutes deux « "
                f"{TARGETS_BY_KEY[key].label} » : gardez-en une seule."
            )
            continue
        used[header] = key
    missing = [TARGETS_BY_KEY[k].label for k in REQUIRED_TARGETS if k not in used.values()]
    if missing:
        problems.append(
            "Indiquez la colonne de chacun de ces champs, sans lesquels une ligne ne peut ni "
            "retrouver un dossier ni en créer un : " + ", ".join(f"« {m} »" for m in missing) + "."
        )
    if problems:
        raise MappingError(problems)
    return used


def mapping_from_toml(text: str, headers: list[str]) -> dict[str, str | None]:
    """A mapping file: a ``[colonnes]`` table, each file header = the field it fills (its
    name in French as above, or the field's code; "" to ignore the column). Headers it does
    not name are recognised as without a mapping file.

        [colonnes]
        "Nom" = "nom"
        "Prénom" = "prénom"
        "Date naiss." = "date de naissance"
    """
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(
            [f"Le fichier de correspondance n'est pas du TOML valide : {error}."]
        ) from None
    columns = data.get("colonnes", data.get("columns"))
    if not isinstance(columns, dict):
        raise MappingError(
            [
                "Le fichier de correspondance doit contenir une table [colonnes] : chaque en-tête "
                'du fichier = le champ qu\'il remplit, par exemple "Nom" = "nom".'
            ]
        )
    mapping = guess_mapping(headers)
    by_normalised = {normalise_header(h): h for h in headers}
    problems = []
    for header, name in columns.items():
        actual = header if header in mapping else by_normalised.get(normalise_header(header))
        if actual is None:
            problems.append(f"La colonne « {header} » n'existe pas dans le fichier.")
            continue
        if not name:
            mapping[actual] = None
            continue
        target = target_for(str(name))
        if target is None:
            known = ", ".join(f"« {t.label} »" for t in TARGETS)
            problems.append(f"« {name} » n'est pas un champ connu de l'import ({known}).")
            continue
        for other, key in mapping.items():
            if key == target.key and other != actual:
                mapping[other] = None  # the file's choice wins over the recognised header
        mapping[actual] = target.key
    if problems:
        raise MappingError(problems)
    return mapping
