"""``tremplin generate-data``: département-scale data for the benchmarks (``make bench``).

    tremplin generate-data --beneficiaries 100000 [--employers N] [--operators K] [--seed S]

Adds people to the database, fast: rows are drawn by ``population.Population`` (valid,
unique identifiers, encrypted like the pages do) and written in batches of 2,000 with one
prepared INSERT (``bulk.insert_rows``; ``bulk_create`` for employers and tutors); no row is
audited one by one (one summary entry per run). The structures come
with them when missing: the Bas-Rhin, its département service with an agent and an
administrator, K operators with a coordinator each, one referent per 60 people (rule P9).
Accounts end in ``@tremplin.bench`` and share one password, printed at the end.
Running it again adds more people (identifiers stay unique) with new referents.
"""

import datetime
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry, Membership, Organisation, Role, Territory, User
from tremplin.demo.bulk import insert_rows
from tremplin.demo.management.commands.seed_demo import DEPARTMENT_SERVICE_NAME
from tremplin.demo.population import Population
from tremplin.registry.models import Beneficiary, Employer, Tutor
from tremplin.rules.identifiers import departments

BENCH_MAIL_DOMAIN = "tremplin.bench"
BENCH_PASSWORD = "Tremplin-bench-67"
DEFAULT_SEED = 2026
DEFAULT_DEPARTMENT_CODE = "67"
PEOPLE_PER_REFERENT = 60  # a full-time referent's portfolio (rule P9)
BATCH_SIZE = 2_000
PROGRESS_EVERY = 10_000


def operator_name(number: int) -> str:
    return f"Structure d'accompagnement n° {number:02d}"


def default_employer_count(beneficiaries: int) -> int:
    return max(40, beneficiaries // 50)


def default_operator_count(beneficiaries: int) -> int:
    return max(2, round(beneficiaries / 2_500))


def french_number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


@dataclass
class GenerationResult:
    beneficiaries: int
    employers: int
    tutors: int
    referents: int
    seconds: float

    @property
    def beneficiaries_per_second(self) -> float:
        return self.beneficiaries / self.seconds if self.seconds else 0.0


class Progress:
    """Prints "n / total" with the rate every ``every`` rows."""

    def __init__(self, label: str, total: int, write: Callable[[str], None], every: int):
        self.label, self.total, self.write, self.every = label, total, write, every
        self.started = time.perf_counter()
        self.done = 0
        self.next_report = every

    def advance(self, rows: int) -> None:
        self.done += rows
        if self.done >= self.next_report or self.done == self.total:
            elapsed = time.perf_counter() - self.started
            rate = self.done / elapsed if elapsed else 0
            self.write(
                f"  {french_number(self.done)} / {french_number(self.total)} {self.label} "
                f"({french_number(rate)} lignes/s)"
            )
            while self.next_report <= self.done:
                self.next_report += self.every


def _get_or_create_territory(code: str) -> Territory:
    department = departments()[code]
    territory, _ = Territory.objects.get_or_create(
        code=code,
        defaults={
            "name": department.name,
            "region_code": department.region_code,
            "region_name": department.region_name,
        },
    )
    return territory


def _get_or_create_account(
    email: str, organisation, role: str, password_hash: str, population, **extra
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email,
            first_name=population.faker.first_name(),
            last_name=population.surname(),
            password=password_hash,
            **extra,
        )
    Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"start_date": datetime.date(2020, 1, 1)},
    )
    return user


def _create_referents(
    count: int, operators: list[Organisation], password_hash: str, population
) -> list[User]:
    """``count`` new referents spread over the operators, numbered after the existing ones."""
    already = User.objects.filter(email__startswith="referent", email__endswith=BENCH_MAIL_DOMAIN)
    first_number = already.count() + 1
    users = [
        User(
            email=f"referent{number:05d}@{BENCH_MAIL_DOMAIN}",
            first_name=population.faker.first_name(),
            last_name=population.surname(),
            password=password_hash,
        )
        for number in range(first_number, first_number + count)
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    users = list(User.objects.filter(email__in=[user.email for user in users]).order_by("email"))
    Membership.objects.bulk_create(
        (
            Membership(
                user=user,
                organisation=operators[index % len(operators)],
                role=Role.REFERENT,
                start_date=datetime.date(2020, 1, 1),
            )
            for index, user in enumerate(users)
        ),
        batch_size=BATCH_SIZE,
    )
    return users


def generate_data(
    *,
    beneficiaries: int,
    employers: int | None = None,
    operators: int | None = None,
    seed: int = DEFAULT_SEED,
    today: datetime.date | None = None,
    department_code: str = DEFAULT_DEPARTMENT_CODE,
    batch_size: int = BATCH_SIZE,
    write: Callable[[str], None] = print,
) -> GenerationResult:
    """Generate the rows; the benchmark calls this directly to time it."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    employers = default_employer_count(beneficiaries) if employers is None else employers
    operators = default_operator_count(beneficiaries) if operators is None else operators
    territory = _get_or_create_territory(department_code)
    population = Population(
        seed=seed,
        territory=territory,
        today=today,
        taken_nir_digests=set(
            Beneficiary.objects.exclude(nir_digest=None).values_list("nir_digest", flat=True)
        ),
        taken_rsa_digests=set(
            Beneficiary.objects.exclude(rsa_number_digest=None).values_list(
                "rsa_number_digest", flat=True
            )
        ),
        taken_sirets=set(Employer.objects.values_list("siret", flat=True)),
    )

    with transaction.atomic():
        password_hash = make_password(BENCH_PASSWORD)
        service, _ = Organisation.objects.get_or_create(
            territory=territory,
            name=DEPARTMENT_SERVICE_NAME,
            defaults={"kind": Organisation.Kind.DEPARTMENT_SERVICE},
        )
        _get_or_create_account(
            f"admin@{BENCH_MAIL_DOMAIN}",
            service,
            Role.ADMIN,
            password_hash,
            population,
            is_staff=True,
            is_superuser=True,
        )
        _get_or_create_account(
            f"agent@{BENCH_MAIL_DOMAIN}", service, Role.DEPARTMENT_AGENT, password_hash, population
        )
        operator_list = []
        for number in range(1, operators + 1):
            operator, _ = Organisation.objects.get_or_create(
                territory=territory,
                name=operator_name(number),
                defaults={"kind": Organisation.Kind.OPERATOR},
            )
            _get_or_create_account(
                f"coordinateur{number:02d}@{BENCH_MAIL_DOMAIN}",
                operator,
                Role.COORDINATOR,
                password_hash,
                population,
            )
            operator_list.append(operator)
        referents = _create_referents(
            math.ceil(beneficiaries / PEOPLE_PER_REFERENT), operator_list, password_hash, population
        )
        operator_of = {
            membership.user_id: membership.organisation
            for membership in Membership.objects.filter(
                user__in=referents, role=Role.REFERENT
            ).select_related("organisation")
        }
    write(
        f"Structures : {operators} structures d'accompagnement, {len(referents)} nouveaux "
        f"référent·es ({PEOPLE_PER_REFERENT} personnes chacun·e)."
    )

    progress = Progress("bénéficiaires", beneficiaries, write, PROGRESS_EVERY)
    for batch_start in range(0, beneficiaries, batch_size):
        batch = []
        for index in range(batch_start, min(batch_start + batch_size, beneficiaries)):
            referent = referents[index // PEOPLE_PER_REFERENT]
            batch.append(
                population.beneficiary(operator=operator_of[referent.pk], referent=referent)
            )
        with transaction.atomic():
            insert_rows(Beneficiary, batch)
        progress.advance(len(batch))

    tutor_count = 0
    progress = Progress("employeurs", employers, write, PROGRESS_EVERY)
    for batch_start in range(0, employers, batch_size):
        batch = [population.employer() for _ in range(min(batch_size, employers - batch_start))]
        tutors = [tutor for employer in batch for tutor in population.tutors(employer)]
        with transaction.atomic():
            Employer.objects.bulk_create(batch, batch_size=batch_size)
            Tutor.objects.bulk_create(tutors, batch_size=batch_size)
        tutor_count += len(tutors)
        progress.advance(len(batch))

    for model, count in ((Beneficiary, beneficiaries), (Employer, employers)):
        audit.record(
            AuditEntry.Action.CREATE,
            object_type=model._meta.label_lower,
            object_repr=f"Données de charge : {count} {model._meta.verbose_name} "
            "(tremplin generate-data, non journalisées une à une)",
        )
    # Fresh statistics, or the query planner guesses on an empty table.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return GenerationResult(
        beneficiaries=beneficiaries,
        employers=employers,
        tutors=tutor_count,
        referents=len(referents),
        seconds=time.perf_counter() - started,
    )


class Command(BaseCommand):
    help = (
        "Génère des données à l'échelle d'un département pour les mesures de performance "
        "(insertions groupées ; comptes en @tremplin.bench)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--beneficiaries", type=int, required=True, help="Nombre de bénéficiaires à créer."
        )
        parser.add_argument(
            "--employers",
            type=int,
            default=None,
            help="Nombre d'employeurs (défaut : un pour 50 bénéficiaires, au moins 40).",
        )
        parser.add_argument(
            "--operators",
            type=int,
            default=None,
            help="Nombre de structures d'accompagnement (défaut : une pour 2 500 bénéficiaires).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Graine (défaut : {DEFAULT_SEED})."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Lignes par insertion groupée (défaut : {BATCH_SIZE}).",
        )

    def handle(self, *args, beneficiaries, employers, operators, seed, batch_size, **options):
        if beneficiaries < 1:
            raise CommandError("--beneficiaries doit valoir au moins 1.")
        if employers is not None and employers < 0:
            raise CommandError("--employers ne peut pas être négatif.")
        if operators is not None and operators < 1:
            raise CommandError("--operators doit valoir au moins 1.")
        if batch_size < 1:
            raise CommandError("--batch-size doit valoir au moins 1.")
        result = generate_data(
            beneficiaries=beneficiaries,
            employers=employers,
            operators=operators,
            seed=seed,
            batch_size=batch_size,
            write=self.stdout.write,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{french_number(result.beneficiaries)} bénéficiaires, "
                f"{french_number(result.employers)} employeurs et "
                f"{french_number(result.tutors)} tuteurs créés en {result.seconds:.1f} s "
                f"({french_number(result.beneficiaries_per_second)} bénéficiaires/s)."
            )
        )
        self.stdout.write(
            f"Comptes : admin@{BENCH_MAIL_DOMAIN}, agent@{BENCH_MAIL_DOMAIN}, "
            f"coordinateurNN@{BENCH_MAIL_DOMAIN}, referentNNNNN@{BENCH_MAIL_DOMAIN} ; "
            f"mot de passe : {BENCH_PASSWORD}"
        )
