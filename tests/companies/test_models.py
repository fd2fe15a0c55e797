"""Company relations models (P7): who sees what, the checks the models carry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories
from tests.companies.factories import (
    CompanyEventFactory,
    EmployerContactFactory,
    ImmersionFactory,
    JobOfferFactory,
    JobSearchProfileFactory,
)
from tremplin.companies.models import (
    CompanyEvent,
    EmployerContact,
    Immersion,
    JobOffer,
    JobSearchProfile,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(territory, operator, other_operator, referent_user):
    """One offer, contact, event and immersion per operator, plus some in the Haut-Rhin."""
    haut_rhin = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    far_operator = factories.OrganisationFactory(territory=haut_rhin)
    here = factories.EmployerFactory(territory=territory)
    there = factories.EmployerFactory(territory=haut_rhin)
    rows = {}
    for key, org, employer, referent in (
        ("mine", operator, here, referent_user),
        ("other", other_operator, here, factories.referent(other_operator)),
        ("far", far_operator, there, factories.referent(far_operator)),
    ):
        person = factories.BeneficiaryFactory(
            territory=employer.territory, operator=org, referent=referent
        )
        rows[key] = {
            "offer": JobOfferFactory(operator=org, employer=employer),
            "contact": EmployerContactFactory(operator=org, employer=employer),
            "event": CompanyEventFactory(operator=org),
            "immersion": ImmersionFactory(beneficiary=person, employer=employer, tutor=None),
            "profile": JobSearchProfileFactory(beneficiary=person),
        }
    return rows


def visible(model, user, world, field):
    keys = {row[field].pk: key for key, row in world.items()}
    return {keys[pk] for pk in model.objects.visible_to(user).values_list("pk", flat=True)}


@pytest.mark.parametrize(
    ("who", "offers", "immersions", "events"),
    [
        # a referent: their operator's offers and network; their own people's immersions
        ("referent", {"mine"}, {"mine"}, {"mine"}),
        # a coordinator: their operator's offers; the operator's people's immersions
        ("coordinator", {"mine"}, {"mine"}, {"mine"}),
        # a département agent: the offers at employers of their territory; its people
        ("agent", {"mine", "other"}, {"mine", "other"}, set()),
        ("admin", {"mine", "other", "far"}, {"mine", "other", "far"}, {"mine", "other", "far"}),
    ],
)
def test_access_matrix(
    world, who, offers, immersions, events, referent_user, coordinator_user, agent_user, admin_user
):
    user = {
        "referent": referent_user,
        "coordinator": coordinator_user,
        "agent": agent_user,
        "admin": admin_user,
    }[who]
    assert visible(JobOffer, user, world, "offer") == offers
    assert visible(EmployerContact, user, world, "contact") == offers
    assert visible(Immersion, user, world, "immersion") == immersions
    assert visible(JobSearchProfile, user, world, "profile") == immersions
    assert visible(CompanyEvent, user, world, "event") == events


def test_profile_clean_normalises_and_explains():
    profile = JobSearchProfile(rome_codes="k2204,n1103 K2204", areas="67000; 67")
    profile.clean()
    assert profile.rome_codes == "K2204 N1103"
    assert profile.areas == "67000 67"
    assert profile.search_profile.rome_codes == ("K2204", "N1103")
    with pytest.raises(ValidationError) as error:
        JobSearchProfile(
            rome_codes="", areas="", min_weekly_hours=Decimal(30), max_weekly_hours=Decimal(20)
        ).clean()
    assert "Le maximum (20 h) est inférieur au minimum (30 h)" in str(error.value)


def test_immersion_clean_applies_d5135_3(territory):
    first = ImmersionFactory(starts_on=dt.date(2025, 3, 3), ends_on=dt.date(2025, 3, 14))
    second = Immersion(
        beneficiary=first.beneficiary, employer=first.employer, purpose=first.purpose,
        objectives=first.objectives, starts_on=dt.date(2025, 5, 5), ends_on=dt.date(2025, 5, 9),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="objet ou des objectifs différents"):
        second.full_clean()
    second.objectives = "Découvrir la préparation des commandes."
    second.full_clean()


def test_offer_rome_code_is_validated_by_the_model(territory):
    offer = JobOfferFactory.build(
        employer=factories.EmployerFactory(territory=territory),
        operator=factories.OrganisationFactory(territory=territory),
        rome_code="12345",
    )
    with pytest.raises(ValidationError, match="règle P7"):
        offer.full_clean()


def test_database_refuses_hours_above_48(territory):
    offer = JobOfferFactory.build(
        employer=factories.EmployerFactory(territory=territory),
        operator=factories.OrganisationFactory(territory=territory),
        weekly_hours=Decimal(49),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        offer.save()


def test_search_text_finds_accentless(territory):
    JobOfferFactory(
        title="Employé polyvalent",
        employer=factories.EmployerFactory(territory=territory, name="Café Kléber"),
    )
    assert JobOffer.objects.search("employe kleber").count() == 1
