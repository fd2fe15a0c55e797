"""Valid but fictitious identifiers, for demo data, the benchmark generator and the tests.

Each number carries correct check digits (python-stdnum computes them), so it passes every
check of the registry, yet none belongs to anyone: NIR serial numbers are drawn in 900–999
and SIRENs from a random generator.
"""

import datetime
import random

from stdnum.fr import nir as stdnum_nir
from stdnum.luhn import calc_check_digit


def synthetic_nir(
    rng: random.Random, *, sex: str, birth_date: datetime.date, birth_department: str
) -> str:
    sex_digit = "1" if sex == "homme" else "2"
    department = birth_department if len(birth_department) == 2 else birth_department[:2]
    commune_digits = 2 if len(birth_department) == 3 else 3
    commune = (birth_department[2:] if len(birth_department) == 3 else "") + str(
        rng.randint(1, 10**commune_digits - 1)
    ).zfill(commune_digits)
    serial = str(rng.randint(900, 999))
    body = (
        f"{sex_digit}{birth_date.year % 100:02d}{birth_date.month:02d}{department}{commune}{serial}"
    )
    return body + stdnum_nir.calc_check_digits(body)


def synthetic_siret(rng: random.Random) -> str:
    siren_body = str(rng.randint(10_000_000, 99_999_999))
    siren = siren_body + calc_check_digit(siren_body)
    nic_body = str(rng.randint(1, 9999)).zfill(4)
    siret_body = siren + nic_body
    return siret_body + calc_check_digit(siret_body)


def synthetic_rsa_number(rng: random.Random) -> str:
    return str(rng.randint(1_000_000, 9_999_999))


# --- Places and contacts of a believable Bas-Rhin (demo data and benchmark generator) -------

# (postal code, commune, weight): real communes of the Bas-Rhin (67); the weights give
# Strasbourg and its suburbs the share of the population they have.
BAS_RHIN_COMMUNES: tuple[tuple[str, str, int], ...] = (
    ("67000", "Strasbourg", 14),
    ("67100", "Strasbourg", 14),
    ("67200", "Strasbourg", 14),
    ("67300", "Schiltigheim", 6),
    ("67800", "Bischheim", 4),
    ("67800", "Hœnheim", 2),
    ("67380", "Lingolsheim", 3),
    ("67400", "Illkirch-Graffenstaden", 4),
    ("67540", "Ostwald", 2),
    ("67500", "Haguenau", 6),
    ("67240", "Bischwiller", 3),
    ("67590", "Schweighouse-sur-Moder", 1),
    ("67600", "Sélestat", 4),
    ("67700", "Saverne", 3),
    ("67120", "Molsheim", 2),
    ("67190", "Mutzig", 1),
    ("67150", "Erstein", 2),
    ("67160", "Wissembourg", 1),
    ("67210", "Obernai", 2),
    ("67230", "Benfeld", 1),
    ("67170", "Brumath", 2),
    ("67110", "Niederbronn-les-Bains", 1),
    ("67130", "Schirmeck", 1),
    ("67260", "Sarre-Union", 1),
    ("67330", "Bouxwiller", 1),
    ("67410", "Drusenheim", 1),
)

# (département code, commune, weight) of birth places in France: most people of the
# Bas-Rhin were born there, the others mostly in the Grand Est or a large city.
FRENCH_BIRTH_PLACES: tuple[tuple[str, str, int], ...] = (
    ("67", "Strasbourg", 40),
    ("67", "Haguenau", 6),
    ("67", "Sélestat", 4),
    ("67", "Saverne", 3),
    ("67", "Schiltigheim", 3),
    ("68", "Mulhouse", 6),
    ("68", "Colmar", 4),
    ("57", "Metz", 3),
    ("57", "Sarreguemines", 2),
    ("54", "Nancy", 2),
    ("88", "Épinal", 1),
    ("75", "Paris", 4),
    ("69", "Lyon", 2),
    ("13", "Marseille", 2),
    ("59", "Lille", 1),
    ("974", "Saint-Denis", 1),
    ("971", "Pointe-à-Pitre", 1),
)

# (birth place as written on a French civil-status record, nationality code, weight).
FOREIGN_BIRTH_PLACES: tuple[tuple[str, str, int], ...] = (
    ("Casablanca (Maroc)", "NON_EU", 4),
    ("Alger (Algérie)", "NON_EU", 4),
    ("Tunis (Tunisie)", "NON_EU", 2),
    ("Istanbul (Turquie)", "NON_EU", 3),
    ("Konya (Turquie)", "NON_EU", 2),
    ("Kaboul (Afghanistan)", "NON_EU", 1),
    ("Alep (Syrie)", "NON_EU", 1),
    ("Kinshasa (République démocratique du Congo)", "NON_EU", 2),
    ("Tbilissi (Géorgie)", "NON_EU", 1),
    ("Bucarest (Roumanie)", "EU", 2),
    ("Porto (Portugal)", "EU", 2),
    ("Katowice (Pologne)", "EU", 1),
    ("Kehl (Allemagne)", "EU", 1),
)

# Surnames common in Alsace, mixed with Faker's French ones for a believable Bas-Rhin.
ALSATIAN_SURNAMES: tuple[str, ...] = (
    "Muller", "Schmitt", "Meyer", "Weber", "Klein", "Wagner", "Schneider", "Fischer",
    "Koenig", "Hoffmann", "Roth", "Kieffer", "Wolff", "Schaeffer", "Zimmermann", "Walter",
    "Heitz", "Ritter", "Bauer", "Kern", "Jung", "Lang", "Ott", "Haas", "Kuhn", "Stoll",
    "Burger", "Gross", "Frey", "Schwartz",
)  # fmt: skip


def weighted_choice(rng: random.Random, options: tuple[tuple, ...]) -> tuple:
    """One option of a tuple of tuples whose last item is the weight."""
    return rng.choices(options, weights=[option[-1] for option in options])[0]


def fictitious_phone(rng: random.Random) -> str:
    """A number of the range 03 53 01 xx xx, reserved by the ARCEP for fiction."""
    return f"03 53 01 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def synthetic_france_travail_id(rng: random.Random) -> str:
    """Seven digits and a letter, the shape of a France Travail identifier (IDE)."""
    return f"{rng.randint(0, 9_999_999):07d}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"


def synthetic_aci_annex_number(rng: random.Random, *, department: str, year: int) -> str:
    """An ACI financial annex number: département, year and order number (067-25-00012)."""
    return f"{department.zfill(3)}-{year % 100:02d}-{rng.randint(1, 99_999):05d}"


def with_a_unique_value(draw, *, taken: set, key, attempts: int = 1000):
    """Draw until ``key(value)`` is not in ``taken``; remember it there and return the value.

    Random identifiers collide at département scale (two people drawn with the same NIR):
    the registry refuses duplicates, so generators draw again.
    """
    for _attempt in range(attempts):
        value = draw()
        marker = key(value)
        if marker not in taken:
            taken.add(marker)
            return value
    raise RuntimeError(f"Aucune valeur libre après {attempts} tirages : l'espace est saturé.")
