"""Believable people and employers of the Bas-Rhin, for ``seed-demo`` and ``generate-data``.

Everything is drawn from one ``random.Random`` and one Faker (fr_FR) seeded with the same
number, in a fixed order: the same seed and the same reference date give the same people.
Objects are returned unsaved, with what ``save()`` would have computed (search text,
encrypted identifiers and their digests) already set, so that callers can ``bulk_create``.
"""

import calendar
import datetime
import random
import re
from dataclasses import dataclass

from django.utils.text import slugify
from faker import Faker

from tremplin.accounts import personal_data
from tremplin.registry.models import Beneficiary, Employer, Tutor, name_key, search_key
from tremplin.registry.synthetic import (
    ALSATIAN_SURNAMES,
    BAS_RHIN_COMMUNES,
    FOREIGN_BIRTH_PLACES,
    FRENCH_BIRTH_PLACES,
    fictitious_phone,
    synthetic_aci_annex_number,
    synthetic_france_travail_id,
    synthetic_nir,
    synthetic_rsa_number,
    synthetic_siret,
    weighted_choice,
    with_a_unique_value,
)
from tremplin.rules.situation import duration_band, rsa_seniority_months

# The RSA replaced the RMI and the API on 1 June 2009: people on RMI then were moved to the
# RSA on that day, and their RMI months count in their seniority (rule F3).
RSA_CREATION_DATE = datetime.date(2009, 6, 1)
FICTITIOUS_MAIL_DOMAIN = "example.org"

EDUCATION_LEVEL_WEIGHTS = (
    (Beneficiary.EducationLevel.LEVEL_70, 12),
    (Beneficiary.EducationLevel.LEVEL_60, 6),
    (Beneficiary.EducationLevel.LEVEL_50, 20),
    (Beneficiary.EducationLevel.LEVEL_51, 24),
    (Beneficiary.EducationLevel.LEVEL_40, 10),
    (Beneficiary.EducationLevel.LEVEL_41, 12),
    (Beneficiary.EducationLevel.LEVEL_30, 8),
    (Beneficiary.EducationLevel.LEVEL_20, 5),
    (Beneficiary.EducationLevel.LEVEL_10, 1),
    (Beneficiary.EducationLevel.LEVEL_00, 2),
)
ADDRESS_COMPLEMENTS = ("Bâtiment A", "Bâtiment B", "Escalier 2", "Résidence Les Tilleuls")


@dataclass(frozen=True)
class EmployerKind:
    """A kind of employer of the Bas-Rhin, with its real NAF code, IDCC and form codes."""

    name_pattern: str  # {surname} and {of_city} ("de Saverne", "d'Obernai") are filled in
    naf_code: str
    idcc: str
    status: str
    sector: str
    headcount: tuple[int, int]
    tutor_functions: tuple[str, ...]  # "masculine|feminine" when the two differ
    collector: str = Employer.Collector.URSSAF
    unemployment_insurance: str = Employer.UnemploymentInsurance.UNEDIC
    is_aci: bool = False


_COMPANY = Employer.Status.OTHER_COMPANY
_ASSOCIATION = Employer.Status.ASSOCIATION
_MARKET = Employer.Sector.MARKET
_NON_MARKET = Employer.Sector.NON_MARKET
_MSA = Employer.Collector.MSA
_SELF_INSURED = Employer.UnemploymentInsurance.SELF_INSURED

COMPANY_KINDS = (
    EmployerKind("Boulangerie {surname}", "10.71C", "0843", _COMPANY, _MARKET, (3, 15),
                 ("Artisan boulanger|Artisane boulangère", "Responsable de la boutique")),
    EmployerKind("Winstub {surname}", "56.10A", "1979", _COMPANY, _MARKET, (5, 25),
                 ("Chef de cuisine|Cheffe de cuisine", "Responsable de salle")),
    EmployerKind("Hôtel {surname}", "55.10Z", "1979", _COMPANY, _MARKET, (8, 40),
                 ("Gouvernant|Gouvernante", "Responsable de l'hébergement")),
    EmployerKind("Garage {surname} et Fils", "45.20A", "1090", _COMPANY, _MARKET, (4, 20),
                 ("Chef d'atelier|Cheffe d'atelier", "Mécanicien qualifié|Mécanicienne qualifiée")),
    EmployerKind("Peinture {surname}", "43.34Z", "1597", _COMPANY, _MARKET, (10, 45),
                 ("Chef de chantier|Cheffe de chantier", "Compagnon peintre|Compagne peintre")),
    EmployerKind("Électricité {surname}", "43.21A", "1597", _COMPANY, _MARKET, (5, 30),
                 ("Chef de chantier|Cheffe de chantier", "Électricien qualifié|Électricienne qualifiée")),
    EmployerKind("Transports {surname}", "49.41A", "0016", _COMPANY, _MARKET, (20, 120),
                 ("Chef d'exploitation|Cheffe d'exploitation", "Conducteur formateur|Conductrice formatrice")),
    EmployerKind("{surname} Logistique Alsace", "52.10B", "0016", _COMPANY, _MARKET, (40, 250),
                 ("Chef d'équipe logistique|Cheffe d'équipe logistique", "Responsable d'entrepôt")),
    EmployerKind("Propreté {surname}", "81.21Z", "3043", _COMPANY, _MARKET, (30, 300),
                 ("Chef d'équipe|Cheffe d'équipe", "Inspecteur de site|Inspectrice de site")),
    EmployerKind("Supermarché {of_city}", "47.11D", "2216", _COMPANY, _MARKET, (20, 90),
                 ("Manager de rayon", "Chef de caisse|Cheffe de caisse")),
    EmployerKind("Paysages {surname}", "81.30Z", "7018", _COMPANY, _MARKET, (4, 30),
                 ("Chef d'équipe paysagiste|Cheffe d'équipe paysagiste",), collector=_MSA),
    EmployerKind("Domaine viticole {surname}", "01.21Z", "7024", _COMPANY, _MARKET, (3, 15),
                 ("Chef de culture|Cheffe de culture", "Maître de chai|Maîtresse de chai"), collector=_MSA),
    EmployerKind("Salon de coiffure {surname}", "96.02A", "2596", _COMPANY, _MARKET, (2, 8),
                 ("Coiffeur manager|Coiffeuse manager",)),
    EmployerKind("{surname} Services à domicile", "88.10A", "3127", _COMPANY, _MARKET, (15, 80),
                 ("Responsable de secteur", "Auxiliaire de vie référent|Auxiliaire de vie référente")),
)  # fmt: skip
ASSOCIATION_KINDS = (
    EmployerKind("Association d'aide à domicile {of_city}", "88.10A", "2941", _ASSOCIATION,
                 _NON_MARKET, (30, 150), ("Responsable de secteur", "Aide à domicile référent|Aide à domicile référente")),
    EmployerKind("Centre socioculturel {surname}", "88.99B", "1261", _ASSOCIATION, _NON_MARKET,
                 (8, 30), ("Animateur coordinateur|Animatrice coordinatrice", "Référent famille|Référente famille")),
    EmployerKind("Épicerie solidaire {of_city}", "88.99B", "1261", _ASSOCIATION, _NON_MARKET,
                 (3, 12), ("Responsable de l'épicerie",)),
    EmployerKind("Club sportif {of_city}", "93.12Z", "2511", _ASSOCIATION, _NON_MARKET, (2, 12),
                 ("Éducateur sportif|Éducatrice sportive",)),
    EmployerKind("Foyer d'hébergement {surname}", "87.90B", "0413", _ASSOCIATION, _NON_MARKET,
                 (20, 90), ("Moniteur-éducateur|Monitrice-éducatrice", "Maître de maison|Maîtresse de maison")),
)  # fmt: skip
PUBLIC_KINDS = (
    EmployerKind("Commune {of_city}", "84.11Z", "", Employer.Status.MUNICIPALITY, _NON_MARKET,
                 (20, 400), ("Responsable des services techniques", "Agent de maîtrise|Agente de maîtrise"),
                 unemployment_insurance=_SELF_INSURED),
    EmployerKind("EHPAD public {of_city}", "87.10A", "", Employer.Status.PUBLIC_HEALTH,
                 _NON_MARKET, (60, 150), ("Cadre de santé", "Aide-soignant référent|Aide-soignante référente"),
                 unemployment_insurance=_SELF_INSURED),
    EmployerKind("Collège {surname}", "85.31Z", "", Employer.Status.PUBLIC_SCHOOL, _NON_MARKET,
                 (30, 70), ("Gestionnaire", "Conseiller principal d'éducation|Conseillère principale d'éducation"),
                 unemployment_insurance=_SELF_INSURED),
)  # fmt: skip
ACI_KINDS = (
    EmployerKind("Jardins d'insertion {of_city}", "01.13Z", "3016", _ASSOCIATION, _NON_MARKET,
                 (15, 40), ("Encadrant technique maraîchage|Encadrante technique maraîchage",), collector=_MSA, is_aci=True),
    EmployerKind("Ressourcerie {of_city}", "38.32Z", "3016", _ASSOCIATION, _NON_MARKET,
                 (15, 40), ("Encadrant technique d'insertion|Encadrante technique d'insertion",), is_aci=True),
)  # fmt: skip
# Share of each family among the employers who hire people on the RSA.
EMPLOYER_FAMILY_WEIGHTS = (
    (COMPANY_KINDS, 60),
    (ASSOCIATION_KINDS, 25),
    (PUBLIC_KINDS, 10),
    (ACI_KINDS, 5),
)


def of_place(name: str) -> str:
    """French "de" before a place name, elided before a vowel: "de Saverne", "d'Obernai"."""
    return f"d'{name}" if name[0] in "AEIOUÉÈÊÎÔŒ" else f"de {name}"


def gendered(text: str, *, woman: bool) -> str:
    """ "Chef d'atelier|Cheffe d'atelier" -> the form that fits; epicene text unchanged."""
    masculine, _, feminine = text.partition("|")
    return (feminine or masculine) if woman else masculine


def random_day_of_month(rng: random.Random, year: int, month: int) -> datetime.date:
    return datetime.date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


class Population:
    """Draws beneficiaries, employers and tutors; remembers identifiers already taken."""

    def __init__(
        self,
        *,
        seed: int,
        territory,
        today: datetime.date,
        taken_nir_digests: set[str] | None = None,
        taken_rsa_digests: set[str] | None = None,
        taken_sirets: set[str] | None = None,
    ):
        self.rng = random.Random(seed)
        self.faker = Faker("fr_FR")
        self.faker.seed_instance(seed)
        self.territory = territory
        self.today = today
        self.taken_nir_digests = taken_nir_digests if taken_nir_digests is not None else set()
        self.taken_rsa_digests = taken_rsa_digests if taken_rsa_digests is not None else set()
        self.taken_sirets = taken_sirets if taken_sirets is not None else set()
        self.employer_names: set[str] = set()

    # --- names and places -------------------------------------------------------------

    def surname(self) -> str:
        if self.rng.random() < 0.3:
            return self.rng.choice(ALSATIAN_SURNAMES)
        return self.faker.last_name()

    def first_names(self, *, woman: bool) -> str:
        draw = self.faker.first_name_female if woman else self.faker.first_name_male
        first = draw()
        if self.rng.random() < 0.25:
            second = draw()
            if second != first:
                return f"{first} {second}"
        return first

    def commune(self) -> tuple[str, str]:
        postal_code, city, _weight = weighted_choice(self.rng, BAS_RHIN_COMMUNES)
        return postal_code, city

    def street_address(self) -> tuple[str, str, str]:
        number = str(self.rng.randint(1, 140))
        if self.rng.random() < 0.05:
            number += " bis"
        complement = ""
        if self.rng.random() < 0.15:
            complement = self.rng.choice(ADDRESS_COMPLEMENTS)
        return number, self.faker.street_name(), complement

    def email(self, *parts: str) -> str:
        local = ".".join(
            re.sub(r"[^a-z0-9]+", "-", search_key(part)).strip("-") for part in parts if part
        )
        return f"{local}{self.rng.randint(1, 99)}@{FICTITIOUS_MAIL_DOMAIN}"

    # --- beneficiaries ----------------------------------------------------------------

    def beneficiary(self, *, operator, referent) -> Beneficiary:
        rng = self.rng
        woman = rng.random() < 0.55
        if rng.random() < 0.14:
            birth_place, nationality, _weight = weighted_choice(rng, FOREIGN_BIRTH_PLACES)
            birth_department = "99"
            if rng.random() < 0.3:  # naturalised
                nationality = Beneficiary.Nationality.FRANCE
        else:
            birth_department, birth_place, _weight = weighted_choice(rng, FRENCH_BIRTH_PLACES)
            nationality = Beneficiary.Nationality.FRANCE
        last_name = self.surname()
        first_names = self.first_names(woman=woman)
        birth_name = self.surname() if woman and rng.random() < 0.3 else ""
        age = int(rng.triangular(20, 64, 36))
        birth_month = rng.randint(1, 12)
        birth_date = random_day_of_month(rng, self.today.year - age, birth_month)
        if (birth_date.month, birth_date.day) > (self.today.month, self.today.day):
            birth_date = random_day_of_month(rng, self.today.year - age - 1, birth_month)

        person = Beneficiary(
            territory=self.territory,
            operator=operator,
            referent=referent,
            civility=Beneficiary.Civility.MRS if woman else Beneficiary.Civility.MR,
            last_name=last_name,
            first_names=first_names,
            birth_name=birth_name,
            birth_date=birth_date,
            birth_place=birth_place,
            birth_department=birth_department,
            nationality=nationality,
            search_text=search_key(last_name, birth_name, first_names),
            name_key=name_key(last_name, first_names),
        )
        nir = with_a_unique_value(
            lambda: synthetic_nir(
                rng,
                sex="femme" if woman else "homme",
                birth_date=birth_date,
                birth_department=birth_department,
            ),
            taken=self.taken_nir_digests,
            key=personal_data.digest,
        )
        person.nir_ciphertext = personal_data.encrypt(nir)
        person.nir_digest = personal_data.digest(nir)
        person.nir_birth_digest = Beneficiary.nir_birth_digest_of(nir)
        person.street_number, person.street, person.address_complement = self.street_address()
        person.postal_code, person.city = self.commune()
        if rng.random() < 0.6:
            person.email = self.email(first_names.split()[0], last_name)
        if rng.random() < 0.85:
            person.phone = fictitious_phone(rng)
        self._draw_situation(person, woman=woman, age=age)
        return person

    def _draw_situation(self, person: Beneficiary, *, woman: bool, age: int) -> None:
        """The form's "SITUATION DU SALARIÉ" block, with believable proportions."""
        rng = self.rng
        person.education_level = rng.choices(
            [level for level, _ in EDUCATION_LEVEL_WEIGHTS],
            weights=[weight for _, weight in EDUCATION_LEVEL_WEIGHTS],
        )[0]
        person.receives_aah = rng.random() < 0.05
        person.receives_ass = not person.receives_aah and rng.random() < 0.04
        person.receives_ata = (
            person.nationality == Beneficiary.Nationality.OUTSIDE_EU and rng.random() < 0.05
        )
        person.receives_rsa = not person.receives_ata and (
            rng.random() < 0.93 or not (person.receives_aah or person.receives_ass)
        )
        person.rsa_increased = person.receives_rsa and woman and rng.random() < 0.12

        unemployed_months = int(rng.triangular(1, 120, 18))
        person.unemployed_for = duration_band(unemployed_months)
        person.france_travail_registered = rng.random() < 0.72
        if person.france_travail_registered:
            person.france_travail_for = duration_band(rng.randint(0, unemployed_months))
            person.france_travail_id = synthetic_france_travail_id(rng)

        if person.receives_rsa:
            if age >= 36 and rng.random() < 0.08:
                person.rsa_start_date = RSA_CREATION_DATE
                person.earlier_rmi_api_months = rng.randint(3, 96)
            else:
                months_ago = int(rng.triangular(1, min(180, (age - 18) * 12), 24))
                year, month = divmod(self.today.year * 12 + self.today.month - 1 - months_ago, 12)
                person.rsa_start_date = min(random_day_of_month(rng, year, month + 1), self.today)
            seniority = rsa_seniority_months(
                person.rsa_start_date, person.earlier_rmi_api_months, self.today
            )
            person.minimum_income_for = duration_band(seniority)
            payer = Beneficiary.RsaPayer.MSA if rng.random() < 0.03 else Beneficiary.RsaPayer.CAF
            number = with_a_unique_value(
                lambda: synthetic_rsa_number(rng),
                taken=self.taken_rsa_digests,
                key=lambda value: Beneficiary.rsa_digest(payer, value),
            )
            person.rsa_number_ciphertext = personal_data.encrypt(number)
            person.rsa_payer = payer
            person.rsa_number_digest = Beneficiary.rsa_digest(payer, number)
            person.rsa_number_bare_digest = Beneficiary.rsa_bare_digest(number)
        elif person.receives_aah or person.receives_ass or person.receives_ata:
            person.minimum_income_for = duration_band(int(rng.triangular(1, 120, 24)))

        worker_weights = (85, 10, 5) if person.receives_aah else (6, 88, 6)
        person.disabled_worker = rng.choices(
            [
                Beneficiary.DisabledWorker.YES,
                Beneficiary.DisabledWorker.NO,
                Beneficiary.DisabledWorker.NOT_DECLARED,
            ],
            weights=worker_weights,
        )[0]

    # --- employers and tutors ---------------------------------------------------------

    def employer(self, kind: EmployerKind | None = None, *, may_be_aci: bool = True) -> Employer:
        """An employer of ``kind``, or of a kind drawn with the weights of the families."""
        rng = self.rng
        if kind is None:
            families = [
                (family, weight)
                for family, weight in EMPLOYER_FAMILY_WEIGHTS
                if may_be_aci or family is not ACI_KINDS
            ]
            family = rng.choices(
                [family for family, _ in families], weights=[weight for _, weight in families]
            )[0]
            kind = rng.choice(family)
        for _attempt in range(5):
            postal_code, city = self.commune()
            name = kind.name_pattern.format(surname=self.surname(), of_city=of_place(city))
            if name not in self.employer_names:
                break
        self.employer_names.add(name)
        siret = with_a_unique_value(
            lambda: synthetic_siret(rng), taken=self.taken_sirets, key=lambda value: value
        )
        street_number, street, complement = self.street_address()
        employer = Employer(
            territory=self.territory,
            name=name,
            street_number=street_number,
            street=street,
            address_complement=complement,
            postal_code=postal_code,
            city=city,
            email=f"contact@{slugify(name)}.{FICTITIOUS_MAIL_DOMAIN}",
            siret=siret,
            naf_code=kind.naf_code,
            idcc=kind.idcc,
            status=kind.status,
            headcount_dec31=rng.randint(*kind.headcount),
            contributions_collector=kind.collector,
            is_aci=kind.is_aci,
            unemployment_insurance=kind.unemployment_insurance,
            sector=kind.sector,
            search_text=search_key(name, city),
        )
        if kind.is_aci:
            employer.aci_annex_number = synthetic_aci_annex_number(
                rng, department=self.territory.code, year=self.today.year
            )
        if kind.status == Employer.Status.OTHER_COMPANY and rng.random() < 0.15:
            # Head office elsewhere: the form's optional administrative address.
            (
                employer.admin_street_number,
                employer.admin_street,
                employer.admin_address_complement,
            ) = self.street_address()
            employer.admin_postal_code, employer.admin_city = "67000", "Strasbourg"
            employer.admin_email = f"siege@{slugify(name)}.{FICTITIOUS_MAIL_DOMAIN}"
        employer.synthetic_kind = kind  # remembered for its tutors, never saved
        return employer

    def tutors(self, employer: Employer) -> list[Tutor]:
        rng = self.rng
        functions = employer.synthetic_kind.tutor_functions
        tutors = []
        for _ in range(1 if rng.random() < 0.6 else 2):
            woman = rng.random() < 0.5
            first_name = self.faker.first_name_female() if woman else self.faker.first_name_male()
            last_name = self.surname()
            experience_years = 1 if rng.random() < 0.08 else rng.randint(2, 30)
            trained = rng.random() < 0.55
            tutors.append(
                Tutor(
                    employer=employer,
                    last_name=last_name,
                    first_name=first_name,
                    function=gendered(rng.choice(functions), woman=woman),
                    experience_years=experience_years,
                    training_date=(
                        self.today - datetime.timedelta(days=rng.randint(30, 1000))
                        if trained
                        else None
                    ),
                    email=self.email(first_name, last_name) if rng.random() < 0.5 else "",
                    phone=fictitious_phone(rng) if rng.random() < 0.7 else "",
                )
            )
        return tutors
