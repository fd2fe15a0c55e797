"""French identifiers of the convention form (F1): NIR, SIRET/SIREN, postal codes, NAF, IDCC.

Check digits come from python-stdnum; on top of it each function says in French *which
part* of the number is wrong and how to fix it, because "numéro invalide" helps nobody at a
counter. Every function takes what was typed and returns the normalised value, or raises
``IdentifierError`` with the message to show.
"""

import csv
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from stdnum.fr import nir as stdnum_nir
from stdnum.fr import siren as stdnum_siren
from stdnum.luhn import is_valid as luhn_is_valid

from tremplin.rules import referentials

DATA_DIR = Path(__file__).parent / "data"


class IdentifierError(ValueError):
    """A typed identifier is wrong; ``str(error)`` is the French message for the user."""


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    region_code: str
    region_name: str


def ascii_digits(text: str) -> bool:
    """True for a non-empty text of ASCII digits only. ``str.isdigit`` also accepts « ² »
    or « ٣ », which ``int()`` then refuses or reads: an identifier or an id is 0-9 only.
    Not cached: the texts are the identifiers themselves (every NIR's tail, every phone
    number of an import): a cache would keep them all, for a lookup that costs as much."""
    return text.isascii() and text.isdigit()


def departments() -> dict[str, Department]:
    """The départements (INSEE COG), keyed by code."""
    with (DATA_DIR / "departments.csv").open(encoding="utf-8") as file:
        return {row["code"]: Department(**row) for row in csv.DictReader(file)}


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


# --- NIR -----------------------------------------------------------------------------------

NIR_SEX_DIGITS = {
    "1": "homme",
    "2": "femme",
    "3": "homme",
    "4": "femme",
    "7": "homme",
    "8": "femme",
}


def _valid_nir_month(month: str) -> bool:
    # 01-12, or the fictitious months of people whose birth month is unknown (20, 30-42, 50-99).
    value = int(month)
    return 1 <= value <= 12 or value == 20 or 30 <= value <= 42 or 50 <= value <= 99


def _valid_nir_place(number: str) -> bool:
    department = number[5:7]
    if department in {"2A", "2B"}:
        return True
    if not ascii_digits(department):
        return False
    return department != "00"


def normalize_nir(value: str) -> str:
    """The 15 characters of a NIR (13 + key), or IdentifierError naming the wrong part."""
    number = _compact(value)
    if len(number) != 15:
        raise IdentifierError(
            f"Le NIR doit compter 15 caractères (13 chiffres puis la clé de 2 chiffres) ; "
            f"{len(number)} ont été saisis. Recopiez-le depuis la carte Vitale ou l'attestation "
            "de droits."
        )
    if number[0] not in NIR_SEX_DIGITS:
        raise IdentifierError(
            f"Le 1er chiffre du NIR (sexe) vaut « {number[0]} » : il doit valoir 1 (homme) ou "
            "2 (femme) (3, 4, 7 ou 8 pour un numéro provisoire)."
        )
    if not ascii_digits(number[1:5]):
        raise IdentifierError(
            "Les chiffres 2 à 5 du NIR (année et mois de naissance) doivent être des chiffres."
        )
    if not _valid_nir_month(number[3:5]):
        raise IdentifierError(
            f"Les chiffres 4 et 5 du NIR (mois de naissance) valent « {number[3:5]} » : "
            "ils doivent être compris entre 01 et 12."
        )
    if not _valid_nir_place(number):
        raise IdentifierError(
            f"Les caractères 6 et 7 du NIR (département de naissance) valent « {number[5:7]} » : "
            "il faut deux chiffres, ou 2A / 2B pour la Corse."
        )
    if not ascii_digits(number[7:]):
        raise IdentifierError(
            "Les caractères 8 à 15 du NIR (commune, numéro d'ordre et clé) doivent être des "
            "chiffres."
        )
    expected_key = stdnum_nir.calc_check_digits(number)
    if number[13:] != expected_key:
        raise IdentifierError(
            f"La clé du NIR (2 derniers chiffres) vaut {number[13:]} alors que les 13 premiers "
            f"chiffres donnent la clé {expected_key} : l'un des chiffres ou la clé a été mal "
            "recopié. Vérifiez le numéro complet."
        )
    return number


def format_nir(number: str) -> str:
    return stdnum_nir.format(number) if number else ""


# The NIR's groups as it is written: sex, year, month, département, commune, order, key.
NIR_GROUPS = (1, 2, 2, 2, 3, 3, 2)
NIR_VISIBLE = 5  # sex, year and month of birth stay readable


def mask_nir(number: str) -> str:
    """« 1 86 07 •• ••• ••• •• »: the NIR's groups kept, everything after the month of birth
    masked (formatting a masked NIR with the digits-only formatter dropped the bullets)."""
    if not number:
        return ""
    masked = number[:NIR_VISIBLE] + "•" * (len(number) - NIR_VISIBLE)
    groups, start = [], 0
    for size in NIR_GROUPS:
        if start >= len(masked):
            break
        groups.append(masked[start : start + size])
        start += size
    return " ".join(groups)


def nir_inconsistencies(
    number: str,
    *,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    birth_department: str | None = None,
) -> list[tuple[str, str]]:
    """(field, French message) for every contradiction between a valid NIR and the file."""
    problems = []
    if sex and NIR_SEX_DIGITS[number[0]] != sex:
        problems.append(
            (
                "civility",
                f"Le 1er chiffre du NIR ({number[0]}) désigne un·e {NIR_SEX_DIGITS[number[0]]} "
                "alors que la civilité choisie dit le contraire : corrigez l'un ou l'autre.",
            )
        )
    if birth_date:
        if number[1:3] != f"{birth_date.year % 100:02d}":
            problems.append(
                (
                    "birth_date",
                    f"Le NIR indique une naissance en {number[1:3]} (chiffres 2 et 3) mais la "
                    f"date de naissance est en {birth_date.year} : corrigez l'un ou l'autre.",
                )
            )
        month = int(number[3:5])
        if 1 <= month <= 12 and month != birth_date.month:
            problems.append(
                (
                    "birth_date",
                    f"Le NIR indique le mois de naissance {number[3:5]} (chiffres 4 et 5) mais la "
                    f"date de naissance est au mois {birth_date.month:02d} : corrigez l'un ou "
                    "l'autre.",
                )
            )
    if birth_department:
        nir_department = number[5:7]
        if nir_department in {"97", "98"}:
            nir_department = number[5:8]
        born_abroad = nir_department == "99"
        if born_abroad != (birth_department == "99") or (
            not born_abroad and nir_department != birth_department
        ):
            problems.append(
                (
                    "birth_department",
                    f"Le NIR indique le département de naissance {nir_department} mais le "
                    f"département de naissance saisi est {birth_department} : corrigez l'un ou "
                    "l'autre (99 pour une naissance à l'étranger).",
                )
            )
    return problems


# --- SIRET / SIREN -------------------------------------------------------------------------

LA_POSTE_SIREN = "356000000"


def normalize_siret(value: str) -> str:
    """The 14 digits of a SIRET (SIREN 9 + NIC 5), or IdentifierError naming the wrong part."""
    number = _compact(value)
    if not ascii_digits(number):
        raise IdentifierError("Le SIRET ne doit contenir que des chiffres (14 chiffres).")
    if len(number) != 14:
        raise IdentifierError(
            f"Le SIRET doit compter 14 chiffres (SIREN de 9 chiffres + NIC de 5 chiffres) ; "
            f"{len(number)} ont été saisis."
        )
    siren = number[:9]
    if not stdnum_siren.is_valid(siren):
        raise IdentifierError(
            f"Le SIREN (9 premiers chiffres du SIRET : {siren}) n'est pas valide : sa clé de "
            "contrôle (algorithme de Luhn) est fausse. Recopiez-le depuis un extrait Kbis ou "
            "l'avis de situation INSEE."
        )
    # La Poste's establishments follow another rule: the digits add up to a multiple of 5.
    valid = (
        sum(int(digit) for digit in number) % 5 == 0
        if siren == LA_POSTE_SIREN
        else luhn_is_valid(number)
    )
    if not valid:
        raise IdentifierError(
            f"Le NIC (5 derniers chiffres du SIRET : {number[9:]}) ne correspond pas au SIREN "
            f"{siren} : la clé de contrôle du SIRET est fausse. Vérifiez les 5 derniers chiffres."
        )
    return number


def siren_of(siret: str) -> str:
    return siret[:9] if siret else ""


# --- Postal codes and départements --------------------------------------------------------


def normalize_postal_code(value: str) -> str:
    code = _compact(value)
    if not re.fullmatch(r"\d{5}", code):
        raise IdentifierError(
            f"Le code postal « {value} » doit compter exactement 5 chiffres (par exemple 67000)."
        )
    if department_codes_of_postal_code(code) == set():
        raise IdentifierError(
            f"Le code postal {code} ne correspond à aucun département français : vérifiez les "
            "deux premiers chiffres."
        )
    return code


def department_codes_of_postal_code(code: str) -> set[str]:
    """The départements a postal code may belong to (La Poste's first digits)."""
    prefix = code[:2]
    if prefix == "20":
        # Corsica: 200xx and 201xx are Corse-du-Sud, 202xx and 206xx Haute-Corse.
        return {"2A"} if code[2] in "01" else {"2B"}
    if prefix == "97":
        return {code[:3]} if code[:3] in departments() else set()
    if prefix in {"00", "96", "98", "99"}:
        return set()
    return {prefix}


def postal_code_outside(code: str, department_code: str) -> str | None:
    """A French message when the postal code is not in the département, else None."""
    codes = department_codes_of_postal_code(code)
    if department_code in codes:
        return None
    found = ", ".join(sorted(codes))
    name = departments().get(department_code)
    label = f"{name.name} ({department_code})" if name else department_code
    return (
        f"Le code postal {code} appartient au département {found}, pas au département suivi "
        f"{label} : vérifiez l'adresse, ou confiez la personne au département de sa résidence."
    )


def normalize_department(value: str) -> str:
    code = _compact(value)
    if len(code) == 1 and ascii_digits(code):
        code = "0" + code
    if code != "99" and code not in departments():
        raise IdentifierError(
            f"« {value} » n'est pas un code de département : saisissez 2 chiffres (ex. 67), 2A "
            "ou 2B pour la Corse, 3 chiffres pour l'outre-mer (ex. 974), ou 99 pour l'étranger."
        )
    return code


# --- NAF, IDCC, RSA allocation number ---------------------------------------------------


def normalize_naf(value: str) -> str:
    code = _compact(value)
    if re.fullmatch(r"\d{4}[A-Z]", code):
        code = f"{code[:2]}.{code[2:]}"
    if not re.fullmatch(r"\d{2}\.\d{2}[A-Z]", code):
        raise IdentifierError(
            f"Le code NAF « {value} » doit s'écrire 2 chiffres, un point, 2 chiffres et une "
            "lettre (par exemple 88.99B pour l'action sociale sans hébergement)."
        )
    if message := referentials.naf().unknown_code_message(value, code, "F1"):
        raise IdentifierError(message)
    return code


def normalize_idcc(value: str) -> str:
    code = _compact(value)
    if not re.fullmatch(r"\d{1,4}", code):
        raise IdentifierError(
            f"L'identifiant de convention collective (IDCC) « {value} » doit compter 4 chiffres "
            "au plus (par exemple 1518)."
        )
    return code.zfill(4)


def normalize_rsa_number(value: str) -> str:
    number = _compact(value)
    if not re.fullmatch(r"\d{5,13}", number):
        raise IdentifierError(
            f"Le numéro d'allocataire « {value} » doit compter de 5 à 13 chiffres, sans lettre "
            "(il figure sur les courriers de la CAF ou de la MSA)."
        )
    return number
