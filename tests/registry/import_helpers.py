"""Lists written for the import's tests."""

import csv
import datetime
import random
from pathlib import Path

from tremplin.registry.synthetic import synthetic_nir

HEADERS = [
    "Nom",
    "Prénom",
    "Date de naissance",
    "Sexe",
    "NIR",
    "Numéro allocataire",
    "Adresse",
    "Code postal",
    "Commune",
    "Téléphone",
    "Courriel",
    "Date d'entrée RSA",
]


def nir_of(sex: str, born: datetime.date, seed: int = 1) -> str:
    return synthetic_nir(random.Random(seed), sex=sex, birth_date=born, birth_department="67")


def person_row(**overrides) -> dict:
    row = {
        "Nom": "Schmitt",
        "Prénom": "Léa",
        "Date de naissance": "17/04/1986",
        "Sexe": "F",
        "NIR": nir_of("femme", datetime.date(1986, 4, 17)),
        "Numéro allocataire": "1234567",
        "Adresse": "4 rue des Orfèvres",
        "Code postal": "67000",
        "Commune": "Strasbourg",
        "Téléphone": "06 12 34 56 78",
        "Courriel": "lea.schmitt@example.org",
        "Date d'entrée RSA": "01/06/2019",
    }
    row.update(overrides)
    return row


def write_list(path: Path, rows: list[dict], *, delimiter=";", bom=True, headers=None) -> Path:
    headers = headers or list(rows[0]) if rows else HEADERS
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as output:
        writer = csv.writer(output, delimiter=delimiter)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
    return path
