"""Company relations in the demo (``tremplin seed-demo``): a believable network of the first
operator, with offers, candidates' profiles, an application, a PMSMP and a job dating."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tremplin.accounts.models import Membership, Role
from tremplin.companies.models import (
    Application,
    CompanyEvent,
    EmployerContact,
    Immersion,
    JobOffer,
    JobSearchProfile,
    ProspectingAction,
)
from tremplin.registry.models import Beneficiary, Employer

DEMO_REFERENT_EMAIL = "referent@tremplin.demo"

# Real ROME codes (France Travail, ROME v3).
OFFERS = (
    ("Agent·e d'entretien des locaux", "K2204", Decimal("24"), JobOffer.ContractType.CDD, 6),
    ("Vendeur·se en boulangerie", "D1106", Decimal("30"), JobOffer.ContractType.CDI, None),
    ("Préparateur·rice de commandes", "N1103", Decimal("35"), JobOffer.ContractType.INTERIM, 7),
    (
        "Employé·e polyvalent·e de restauration",
        "G1603",
        Decimal("20"),
        JobOffer.ContractType.CDD,
        12,
    ),
)
CONTACTS = (
    ("Sandrine Koenig", "Responsable des ressources humaines"),
    ("Marc Schmitt", "Gérant"),
    ("Aline Roth", "Cheffe d'équipe"),
)


def seed_company_relations(*, today: dt.date, users: dict) -> dict:
    referent = users[DEMO_REFERENT_EMAIL]
    membership = Membership.objects.get(user=referent, role=Role.REFERENT)
    operator = membership.organisation
    employers = list(
        Employer.objects.filter(territory=operator.territory, is_aci=False).order_by("id")[:4]
    )
    people = list(Beneficiary.objects.filter(referent=referent).order_by("id")[:6])
    if len(employers) < 4 or len(people) < 6:
        return {}

    contacts = [
        EmployerContact.objects.create(
            employer=employer,
            operator=operator,
            name=name,
            function=function,
            phone=f"03 88 {20 + index:02d} 45 67",
            email=f"contact{index}@entreprise.demo",
            created_by=referent,
        )
        for index, (employer, (name, function)) in enumerate(zip(employers, CONTACTS, strict=False))
    ]
    ProspectingAction.objects.create(
        employer=employers[0],
        operator=operator,
        date=today - dt.timedelta(days=21),
        kind=ProspectingAction.Kind.VISIT,
        contact=contacts[0],
        done_by=referent,
        outcome="Besoin de deux agents d'entretien le matin ; ouverts aux PMSMP.",
        next_step="Envoyer deux profils",
        next_step_on=today + dt.timedelta(days=7),
    )
    ProspectingAction.objects.create(
        employer=employers[1],
        operator=operator,
        date=today - dt.timedelta(days=10),
        kind=ProspectingAction.Kind.PHONE,
        contact=contacts[1],
        done_by=referent,
        outcome="Un poste de vendeur·se en CDI à pourvoir.",
    )
    offers = [
        JobOffer.objects.create(
            operator=operator,
            employer=employer,
            title=title,
            rome_code=rome,
            postal_code=employer.postal_code,
            city=employer.city,
            weekly_hours=hours,
            contract_type=contract,
            contract_months=months,
            starts_on=today + dt.timedelta(days=30),
            description="Débutant·e accepté·e ; tutorat prévu à l'arrivée.",
            created_by=referent,
        )
        for employer, (title, rome, hours, contract, months) in zip(employers, OFFERS, strict=True)
    ]
    for index, person in enumerate(people):
        JobSearchProfile.objects.create(
            beneficiary=person,
            rome_codes=OFFERS[index % len(OFFERS)][1],
            areas=f"{person.postal_code} 67",
            min_weekly_hours=Decimal("20"),
            max_weekly_hours=Decimal("35"),
        )
    Application.objects.create(
        beneficiary=people[0],
        offer=offers[0],
        sent_on=today - dt.timedelta(days=7),
        outcome=Application.Outcome.INTERVIEW,
        created_by=referent,
    )
    start = today - dt.timedelta(days=10)
    Immersion.objects.create(
        beneficiary=people[1],
        employer=employers[1],
        tutor=employers[1].tutors.order_by("id").first(),
        purpose="confirm",
        objectives="Confirmer le projet de vente en boulangerie : accueil, encaissement.",
        starts_on=start,
        ends_on=start + dt.timedelta(days=11),
        created_by=referent,
    )
    event = CompanyEvent.objects.create(
        operator=operator,
        kind=CompanyEvent.Kind.JOB_DATING,
        title="Job dating des métiers de la propreté et du commerce",
        date=today + dt.timedelta(days=14),
        place="Maison de l'emploi, Strasbourg",
        created_by=referent,
    )
    event.employers.set(employers[:3])
    event.attendees.set(people[:3])
    return {"offers": len(offers), "immersions": 1}
