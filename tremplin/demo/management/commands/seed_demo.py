"""``tremplin seed-demo``: a believable Bas-Rhin to try Tremplin, one account per role.

The département service of the Collectivité européenne d'Alsace with its agent, two support
operators with three referents each and a coordinator, an administrator, ~300 people
followed and ~40 employers with their tutors. Deterministic: the same ``--seed`` and the
same ``--date`` give the same people, names and identifiers.

Run again, it only prints the accounts. ``--reset`` wipes and rebuilds the demo, and
refuses when the database holds anything else than demo data, unless ``--force``. On a
database that holds other data and no demo, it adds nothing (accounts whose password is
printed have no place in a real database) and says so, unless ``--force``.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers import sort_dependencies
from django.db import transaction
from django.utils import timezone

from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry, Membership, Organisation, Role, Territory, User
from tremplin.demo.companies import seed_company_relations
from tremplin.demo.population import ACI_KINDS, Population
from tremplin.demo.professional import seed_professional
from tremplin.demo.progress import seed_progress
from tremplin.demo.support import seed_activity
from tremplin.registry.models import Beneficiary, Employer, Tutor
from tremplin.rules.identifiers import departments
from tremplin.web.french import plural

DEFAULT_SEED = 67
DEMO_DEPARTMENT_CODE = "67"
DEMO_MAIL_DOMAIN = "tremplin.demo"
DEMO_PASSWORD = "Tremplin-demo-67"
DEPARTMENT_SERVICE_NAME = "Collectivité européenne d'Alsace — Service insertion"
FIRST_OPERATOR_NAME = "Association Élan Emploi Strasbourg"
SECOND_OPERATOR_NAME = "Association Horizons Nord Alsace"
BENEFICIARY_COUNT = 300
EMPLOYER_COUNT = 40
# Two ACI among the employers, as in a real département (ACI_KINDS in population.py).
ACI_COUNT = 2


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    organisation_name: str
    full_time_equivalent: Decimal = Decimal("1.00")


DEMO_ACCOUNTS = (
    DemoAccount(f"admin@{DEMO_MAIL_DOMAIN}", Role.ADMIN, DEPARTMENT_SERVICE_NAME),
    DemoAccount(f"agent@{DEMO_MAIL_DOMAIN}", Role.DEPARTMENT_AGENT, DEPARTMENT_SERVICE_NAME),
    DemoAccount(f"coordinateur@{DEMO_MAIL_DOMAIN}", Role.COORDINATOR, FIRST_OPERATOR_NAME),
    DemoAccount(f"referent@{DEMO_MAIL_DOMAIN}", Role.REFERENT, FIRST_OPERATOR_NAME),
    DemoAccount(
        f"referent2@{DEMO_MAIL_DOMAIN}", Role.REFERENT, FIRST_OPERATOR_NAME, Decimal("0.80")
    ),
    DemoAccount(
        f"referent3@{DEMO_MAIL_DOMAIN}", Role.REFERENT, FIRST_OPERATOR_NAME, Decimal("0.50")
    ),
    DemoAccount(f"referent4@{DEMO_MAIL_DOMAIN}", Role.REFERENT, SECOND_OPERATOR_NAME),
    DemoAccount(
        f"referent5@{DEMO_MAIL_DOMAIN}", Role.REFERENT, SECOND_OPERATOR_NAME, Decimal("0.80")
    ),
    DemoAccount(
        f"referent6@{DEMO_MAIL_DOMAIN}", Role.REFERENT, SECOND_OPERATOR_NAME, Decimal("0.50")
    ),
)
DEMO_ADMIN_EMAIL = DEMO_ACCOUNTS[0].email
DEMO_AGENT_EMAIL = f"agent@{DEMO_MAIL_DOMAIN}"
DEMO_ORGANISATION_NAMES = (DEPARTMENT_SERVICE_NAME, FIRST_OPERATOR_NAME, SECOND_OPERATOR_NAME)


def demo_exists() -> bool:
    return User.objects.filter(email=DEMO_ADMIN_EMAIL).exists()


def data_other_than_demo() -> list[str]:
    """What the database holds that seed-demo did not make (French, for the error)."""
    found = []
    other_users = User.objects.exclude(email__endswith=f"@{DEMO_MAIL_DOMAIN}").count()
    if other_users:
        found.append(
            plural(
                other_users,
                "%(count)s compte d'utilisateur hors démonstration",
                "%(count)s comptes d'utilisateur hors démonstration",
            )
        )
    other_organisations = (
        Organisation.objects.exclude(kind=Organisation.Kind.EMPLOYER)
        .exclude(name__in=DEMO_ORGANISATION_NAMES)
        .count()
    )
    if other_organisations:
        found.append(
            plural(
                other_organisations,
                "%(count)s structure hors démonstration",
                "%(count)s structures hors démonstration",
            )
        )
    other_territories = Territory.objects.exclude(code=DEMO_DEPARTMENT_CODE).count()
    if other_territories:
        found.append(
            plural(
                other_territories, "%(count)s autre département", "%(count)s autres départements"
            )
        )
    return found


def delete_all_data() -> None:
    """Delete the rows of every Tremplin model, dependants first; the audit log stays."""
    app_configs = [
        config for config in apps.get_app_configs() if config.name.startswith("tremplin")
    ]
    models = sort_dependencies([(config, None) for config in app_configs], allow_cycles=True)
    for model in reversed(models):
        if model is AuditEntry or model._meta.proxy or not model._meta.managed:
            continue
        model._base_manager.all().delete()
    # Each session ended through its store: with the sessions read from the cache first
    # (settings: cached_db), deleting the rows alone would leave their copies there. Not the
    # whole cache emptied: in production it may be the job queue's Redis too.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(session_key=key).delete()
    Session.objects.all().delete()


def share_by_full_time_equivalent(total: int, ftes: list[Decimal]) -> list[int]:
    """Split ``total`` people in proportion to the FTEs (largest remainders)."""
    exact = [total * fte / sum(ftes) for fte in ftes]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(ftes)), key=lambda i: exact[i] - shares[i], reverse=True)
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares


# The letterheads of the convocation letters (invitations); fictitious numbers (ARCEP's
# range for fiction).
OPERATOR_ADDRESSES = (
    {"street": "4 rue de la Division-Leclerc", "postal_code": "67000", "city": "Strasbourg",
     "phone": "03 53 01 10 10"},
    {"street": "12 Grand'Rue", "postal_code": "67500", "city": "Haguenau",
     "phone": "03 53 01 20 20"},
)  # fmt: skip


class Command(BaseCommand):
    help = (
        "Crée des données de démonstration réalistes (Bas-Rhin) et affiche un compte par rôle "
        "avec son mot de passe. Sans effet si la démonstration existe déjà."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Graine du tirage : même graine, mêmes données (défaut : {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Date de référence AAAA-MM-JJ des âges et anciennetés (défaut : aujourd'hui).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Efface la démonstration existante et la recrée (refusé si la base contient "
            "d'autres données).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Avec --reset : efface aussi les données qui ne sont pas de démonstration. "
            "Sans --reset : ajoute la démonstration à une base qui contient d'autres données.",
        )

    def handle(self, *args, seed, date, reset, force, **options):
        today = date or timezone.localdate()
        other_data = data_other_than_demo()
        if reset:
            if other_data and not force:
                raise CommandError(
                    "La base contient des données qui ne viennent pas de la démonstration ("
                    + ", ".join(other_data)
                    + ") : --reset les effacerait. Relancez avec --reset --force si c'est "
                    "bien ce que vous voulez, ou utilisez une autre base (DATABASE_URL)."
                )
        elif demo_exists():
            self.stdout.write("Les données de démonstration existent déjà : rien n'a été modifié.")
            self.print_accounts()
            return
        elif other_data and not force:
            # Accounts whose password is printed have no place in a real database.
            self.stdout.write(
                self.style.WARNING(
                    "La base contient déjà des données qui ne viennent pas de la démonstration ("
                    + ", ".join(other_data)
                    + ") : aucune donnée de démonstration n'a été ajoutée, car ses comptes ont "
                    "un mot de passe connu de tous. Pour les ajouter quand même : "
                    "tremplin seed-demo --force."
                )
            )
            return
        elif User.objects.filter(email__endswith=f"@{DEMO_MAIL_DOMAIN}").exists():
            raise CommandError(
                f"La démonstration est incomplète (le compte {DEMO_ADMIN_EMAIL} n'existe plus) : "
                "recréez-la avec tremplin seed-demo --reset."
            )
        with transaction.atomic():
            if reset:
                delete_all_data()
            counts = self.seed(seed=seed, today=today)
        self.stdout.write(
            self.style.SUCCESS(
                "Données de démonstration créées (graine {seed}) : {territory}, "
                "{operators} structures d'accompagnement, {referents} référent·es, "
                "{beneficiaries} bénéficiaires, {employers} employeurs, {tutors} tuteurs, "
                "{conventions} conventions CUI-CIE dont {signed} signées, {episodes} "
                "accompagnements dans l'emploi, {meetings} rencontres.".format(seed=seed, **counts)
            )
        )
        self.print_accounts()

    # --- seeding ----------------------------------------------------------------------

    def seed(self, *, seed: int, today: datetime.date) -> dict:
        department = departments()[DEMO_DEPARTMENT_CODE]
        territory, _ = Territory.objects.get_or_create(
            code=department.code,
            defaults={
                "name": department.name,
                "region_code": department.region_code,
                "region_name": department.region_name,
            },
        )
        population = Population(seed=seed, territory=territory, today=today)
        organisations = {
            name: Organisation.objects.get_or_create(
                name=name, territory=territory, defaults={"kind": kind, **address}
            )[0]
            for name, kind, address in (
                (DEPARTMENT_SERVICE_NAME, Organisation.Kind.DEPARTMENT_SERVICE, {}),
                (FIRST_OPERATOR_NAME, Organisation.Kind.OPERATOR, OPERATOR_ADDRESSES[0]),
                (SECOND_OPERATOR_NAME, Organisation.Kind.OPERATOR, OPERATOR_ADDRESSES[1]),
            )
        }
        users = self.create_accounts(population, organisations, today)

        referent_accounts = [a for a in DEMO_ACCOUNTS if a.role == Role.REFERENT]
        shares = share_by_full_time_equivalent(
            BENEFICIARY_COUNT, [a.full_time_equivalent for a in referent_accounts]
        )
        beneficiaries = [
            population.beneficiary(
                operator=organisations[account.organisation_name], referent=users[account.email]
            )
            for account, share in zip(referent_accounts, shares, strict=True)
            for _ in range(share)
        ]
        Beneficiary.objects.bulk_create(beneficiaries, batch_size=500)

        employers = [population.employer(kind) for kind in ACI_KINDS[:ACI_COUNT]]
        employers += [
            population.employer(may_be_aci=False) for _ in range(EMPLOYER_COUNT - ACI_COUNT)
        ]
        Employer.objects.bulk_create(employers)
        tutors = [tutor for employer in employers for tutor in population.tutors(employer)]
        # A few tutors with less than 2 years of experience, whatever the seed: the demo
        # shows the C12 warning and, later, the convention check that blocks them.
        for tutor in tutors[5::20]:
            tutor.experience_years = 1
        Tutor.objects.bulk_create(tutors)

        for model, count in ((Beneficiary, len(beneficiaries)), (Employer, len(employers))):
            audit.record(
                AuditEntry.Action.CREATE,
                object_type=model._meta.label_lower,
                object_repr=f"Données de démonstration : {count} {model._meta.verbose_name} "
                "(tremplin seed-demo, non journalisées une à une)",
            )
        activity = seed_activity(
            seed=seed, today=today, territory=territory, signer=users[DEMO_AGENT_EMAIL]
        )
        seed_company_relations(today=today, users=users)
        professional = seed_professional(today=today, users=users)
        seed_progress(seed=seed, today=today)  # evaluations and barriers (P6, P10)
        return {
            **activity,
            **professional,
            "territory": str(territory),
            "operators": 2,
            "referents": len(referent_accounts),
            "beneficiaries": len(beneficiaries),
            "employers": len(employers),
            "tutors": len(tutors),
        }

    def create_accounts(self, population, organisations, today) -> dict[str, User]:
        # One hash for the shared password: hashing is slow on purpose, once is enough here.
        password_hash = make_password(DEMO_PASSWORD)
        users = []
        for account in DEMO_ACCOUNTS:
            woman = population.rng.random() < 0.6
            users.append(
                User(
                    email=account.email,
                    first_name=(
                        population.faker.first_name_female()
                        if woman
                        else population.faker.first_name_male()
                    ),
                    last_name=population.surname(),
                    password=password_hash,
                    is_staff=account.role == Role.ADMIN,
                    is_superuser=account.role == Role.ADMIN,
                )
            )
        User.objects.bulk_create(users)
        by_email = {
            user.email: user for user in User.objects.filter(email__in=[u.email for u in users])
        }
        start_date = min(datetime.date(today.year - 2, 9, 1), timezone.localdate())
        Membership.objects.bulk_create(
            Membership(
                user=by_email[account.email],
                organisation=organisations[account.organisation_name],
                role=account.role,
                full_time_equivalent=account.full_time_equivalent,
                start_date=start_date,
            )
            for account in DEMO_ACCOUNTS
        )
        return by_email

    # --- output -----------------------------------------------------------------------

    def print_accounts(self) -> None:
        users = {user.email: user for user in User.objects.filter(email__endswith=DEMO_MAIL_DOMAIN)}
        header = ("Rôle", "Adresse électronique", "Mot de passe", "Nom", "Structure")
        rows = []
        for account in DEMO_ACCOUNTS:
            user = users.get(account.email)
            structure = account.organisation_name
            if account.role == Role.REFERENT:
                structure += f" ({account.full_time_equivalent} ETP)"
            rows.append(
                (
                    Role(account.role).label,
                    account.email,
                    DEMO_PASSWORD,
                    user.get_full_name() if user else "(compte supprimé)",
                    structure,
                )
            )
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write("Comptes de démonstration (un par rôle) :")
        for index, row in enumerate((header, *rows)):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(
            "Ce sont les mots de passe d'origine. Connexion : /compte/connexion/ "
            "(http://127.0.0.1:8000/compte/connexion/ avec make run)."
        )
