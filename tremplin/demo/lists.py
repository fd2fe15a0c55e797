"""Lists of people as a département receives them (the CAF's list of people subject to
« droits et devoirs », an operator's spreadsheet): CSV or XLSX files for the import's tests,
its demonstration and its benchmark.

Every row is valid and fictitious (identifiers from ``registry.synthetic``, phone numbers
in the range reserved for fiction); the same seed gives the same file. Rows are written as
they are drawn: a list of 100,000 people never sits in memory.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterator
from pathlib import Path

from faker import Faker

from tremplin.registry.synthetic import (
    ALSATIAN_SURNAMES,
    BAS_RHIN_COMMUNES,
    fictitious_phone,
    synthetic_nir,
    weighted_choice,
    with_a_unique_value,
)

HEADERS = (
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
)


def people_rows(
    count: int, *, seed: int = 15, today: datetime.date | None = None
) -> Iterator[list]:
    """``count`` rows of ``HEADERS``: dates as JJ/MM/AAAA, as a French spreadsheet writes."""
    today = today or datetime.date(2026, 1, 15)
    rng = random.Random(seed)
    faker = Faker("fr_FR")
    faker.seed_instance(seed)
    nirs: set[str] = set()
    numbers: set[str] = set()
    for index in range(count):
        woman = rng.random() < 0.55
        surname = rng.choice(ALSATIAN_SURNAMES) if rng.random() < 0.3 else faker.last_name()
        first = faker.first_name_female() if woman else faker.first_name_male()
        born = today - datetime.timedelta(days=rng.randint(20 * 365, 62 * 365))
        nir = with_a_unique_value(
            lambda born=born, woman=woman: synthetic_nir(
                rng, sex="femme" if woman else "homme", birth_date=born, birth_department="67"
            ),
            taken=nirs,
            key=lambda value: value,
        )
        # Eight digits: apart from the seven of the demonstration and benchmark data.
        number = with_a_unique_value(
            lambda: str(rng.randint(10_000_000, 99_999_999)), taken=numbers, key=lambda v: v
        )
        postal_code, city, _ = weighted_choice(rng, BAS_RHIN_COMMUNES)
        rsa_start = today - datetime.timedelta(days=rng.randint(60, 10 * 365))
        yield [
            surname,
            first,
            born.strftime("%d/%m/%Y"),
            "F" if woman else "M",
            nir,
            number,
            f"{rng.randint(1, 120)} {faker.street_name()}",
            postal_code,
            city,
            fictitious_phone(rng),
            f"personne{index}.{seed}@example.org",
            rsa_start.strftime("%d/%m/%Y"),
        ]


def write_csv(path: Path, count: int, *, seed: int = 15, delimiter: str = ";") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as output:
        writer = csv.writer(output, delimiter=delimiter)
        writer.writerow(HEADERS)
        writer.writerows(people_rows(count, seed=seed))
    return path


def write_xlsx(path: Path, count: int, *, seed: int = 15) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Liste")
    sheet.append(HEADERS)
    for row in people_rows(count, seed=seed):
        sheet.append(row)
    workbook.save(path)
    return path
