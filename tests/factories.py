"""factory_boy factories with traits; every identifier they make passes the real checks."""

import datetime
import random

import factory
from factory.django import DjangoModelFactory

from tremplin.accounts.models import Membership, Organisation, Role, Territory, User
from tremplin.registry.models import Beneficiary, Employer, Tutor
from tremplin.registry.synthetic import synthetic_nir, synthetic_rsa_number, synthetic_siret

PASSWORD = "motdepasse-de-test-2026"
_rng = random.Random(20261123)


class TerritoryFactory(DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("code",)

    code = "67"
    name = "Bas-Rhin"
    region_code = "44"
    region_name = "Grand Est"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association Passerelle {n}")
    kind = Organisation.Kind.OPERATOR
    territory = factory.SubFactory(TerritoryFactory)

    class Params:
        department_service = factory.Trait(
            kind=Organisation.Kind.DEPARTMENT_SERVICE,
            name=factory.Sequence(lambda n: f"Service insertion {n}"),
        )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.REFERENT
    start_date = datetime.date(2020, 1, 1)

    class Params:
        coordinator = factory.Trait(role=Role.COORDINATOR)
        agent = factory.Trait(
            role=Role.DEPARTMENT_AGENT,
            organisation=factory.SubFactory(OrganisationFactory, department_service=True),
        )
        admin = factory.Trait(role=Role.ADMIN)


def referent(organisation=None, **kwargs) -> User:
    membership = MembershipFactory(
        organisation=organisation or OrganisationFactory(), role=Role.REFERENT, **kwargs
    )
    return membership.user


def coordinator(organisation) -> User:
    return MembershipFactory(organisation=organisation, role=Role.COORDINATOR).user


def department_agent(territory=None) -> User:
    service = OrganisationFactory(
        department_service=True, territory=territory or TerritoryFactory()
    )
    return MembershipFactory(organisation=service, role=Role.DEPARTMENT_AGENT).user


def admin(organisation=None) -> User:
    return MembershipFactory(
        organisation=organisation or OrganisationFactory(), role=Role.ADMIN
    ).user


class BeneficiaryFactory(DjangoModelFactory):
    class Meta:
        model = Beneficiary
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory)
    operator = factory.SubFactory(
        OrganisationFactory, territory=factory.SelfAttribute("..territory")
    )
    referent = None
    civility = Beneficiary.Civility.MRS
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_names = factory.Faker("first_name_female", locale="fr_FR")
    birth_date = factory.Faker("date_between", start_date="-60y", end_date="-25y")
    birth_place = "Strasbourg"
    birth_department = "67"
    nationality = Beneficiary.Nationality.FRANCE
    street_number = "12"
    street = "rue du Jeu-des-Enfants"
    postal_code = "67000"
    city = "Strasbourg"
    education_level = Beneficiary.EducationLevel.LEVEL_50
    unemployed_for = "12_23"
    receives_rsa = True
    minimum_income_for = "12_23"
    disabled_worker = Beneficiary.DisabledWorker.NO

    @factory.post_generation
    def identifiers(obj, create, extracted, **kwargs):
        """A NIR consistent with the civility, birth date and birth département."""
        if extracted is False:
            return
        sex = "homme" if obj.civility == Beneficiary.Civility.MR else "femme"
        obj.nir = synthetic_nir(
            _rng, sex=sex, birth_date=obj.birth_date, birth_department=obj.birth_department
        )
        obj.set_rsa_number(Beneficiary.RsaPayer.CAF, synthetic_rsa_number(_rng))
        if create:
            obj.save()

    class Params:
        man = factory.Trait(
            civility=Beneficiary.Civility.MR,
            first_names=factory.Faker("first_name_male", locale="fr_FR"),
        )


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Boulangerie du Marché {n}")
    street_number = "3"
    street = "place Kléber"
    postal_code = "67000"
    city = "Strasbourg"
    siret = factory.LazyFunction(lambda: synthetic_siret(_rng))
    naf_code = "10.71C"
    idcc = "0843"
    status = Employer.Status.OTHER_COMPANY
    headcount_dec31 = 12
    contributions_collector = Employer.Collector.URSSAF
    unemployment_insurance = Employer.UnemploymentInsurance.UNEDIC
    sector = Employer.Sector.MARKET

    class Params:
        association = factory.Trait(
            status=Employer.Status.ASSOCIATION,
            sector=Employer.Sector.NON_MARKET,
            naf_code="88.99B",
            name=factory.Sequence(lambda n: f"Association Entraide {n}"),
        )
        aci = factory.Trait(is_aci=True, aci_annex_number="067-25-00012", association=True)


class TutorFactory(DjangoModelFactory):
    class Meta:
        model = Tutor

    employer = factory.SubFactory(EmployerFactory)
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    function = "Cheffe d'équipe"
    experience_years = 5
