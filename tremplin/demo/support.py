"""Demo activity for ``tremplin seed-demo``: CUI-CIE conventions and their in-employment support.

Built through the same service functions as the pages (``conventions.services.sign`` gives
the F2 numbers after every check has passed; ``support.services.save_episode`` computes the
plan from ``tremplin.rules``; ``conventions.services.record_rupture`` records the rupture once,
for the convention and the support alike), so that the demo shows what a real file looks like:
drafts and signed conventions, supports in their trial period, at month 4 or 5, finished,
one broken off with its 48-hour notice, meetings with their reports, situations after the
support. Hire dates are placed relative to the demo's reference day, so the referent's home
always has something due.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tremplin.conventions import services
from tremplin.conventions.models import AidOrder, Convention, Rupture
from tremplin.outcomes import services as outcomes_services
from tremplin.outcomes.models import Situation
from tremplin.registry.models import Beneficiary, Employer, Tutor
from tremplin.rules import parameters, ruptures
from tremplin.rules.calendar import PARIS
from tremplin.rules.programmes import Programme
from tremplin.support import services as support_services
from tremplin.support.models import Meeting, SupportEpisode

# months before the reference day at which the demo's contracts start: from a contract
# signed this month (trial period) to contracts that ended some months ago
HIRE_MONTHS_AGO = (0, 1, 1, 2, 3, 3, 4, 4, 5, 6, 7, 8, 10, 12)
DRAFTS = 3
# The drafts are hired 20 to 49 days after the reference day.
DRAFT_HIRE_DAYS = (20, 50)
RUPTURE_INDEX = 6  # this support ends with a rupture known last month (A14)
MEETING_REPORTS = (
    "Prise de poste : accueil par le tuteur, visite de l'atelier, consignes de sécurité "
    "remises. La personne est ponctuelle et a trouvé un mode de garde.",
    "Point de fin de période d'essai avec le tuteur : gestes acquis, rythme encore à "
    "trouver en fin de semaine. Besoin d'une formation aux logiciels de caisse.",
    "Entretien individuel : difficultés de transport (horaires du bus du matin). Demande "
    "d'aide à la mobilité transmise au conseiller RSA.",
    "Rencontre tripartite : l'employeur envisage une pérennisation si la polyvalence se "
    "confirme ; objectifs fixés jusqu'au bilan de parcours.",
)
# A2: where the qualitative aims stand after the meetings above (the reports' own words), by
# the number of meetings held: the points of the referent's last meeting.
AIM_POINTS = (
    (
        "company_integration",
        "in_progress",
        "Accueil par le tuteur ; consignes de sécurité remises.",
    ),
    ("adaptation_needs", "to_work", "Formation aux logiciels de caisse à organiser."),
    ("last_barriers", "in_progress", "Transport du matin : aide à la mobilité demandée."),
    (
        "common_law_contract",
        "in_progress",
        "Pérennisation envisagée si la polyvalence se confirme.",
    ),
)
RSA_ADVISERS = (
    ("Claire Muller", "claire.muller@alsace.demo"),
    ("Yannick Schmitt", "yannick.schmitt@alsace.demo"),
)


def seed_demonstration_orders(*, today: dt.date, territory) -> list[AidOrder]:
    """Rule E1: an order for each year of the demo's hires (from the oldest signed contract
    to the drafts) that no order of the region covers — each a copy of the shipped
    demonstration order, marked as demonstration data like it. The demo's dates roll with
    its reference day; its orders roll with them, so that the wizard proposes an order for
    every demo hire (a copy's reference names its year)."""
    shipped = [
        order
        for order in parameters.aid_orders()
        if order.region_code == territory.region_code
        and order.demonstration
        and order.sector == Convention.Sector.CIE
    ]
    if not shipped:
        return []
    model = max(shipped, key=lambda order: order.valid_from)
    first = (today - relativedelta(months=max(HIRE_MONTHS_AGO))).replace(day=1)
    last = today + dt.timedelta(days=DRAFT_HIRE_DAYS[1])
    created = []
    for year in range(first.year, last.year + 1):
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        known = AidOrder.objects.at(territory.region_code, start, Convention.Sector.CIE).order
        if known is not None and known.in_force_on(start) and known.in_force_on(end):
            continue
        data = model.to_mapping()
        data.update(
            valid_from=start,
            valid_until=end,
            reference=f"Arrêté de démonstration {territory.region_name} {year} (données fictives)",
            demonstration=True,
            note=f"Démonstration : copie de « {model.reference} » pour l'année {year} (règle "
            "E1 : un arrêté par an), créée par tremplin seed-demo pour couvrir les dates de la "
            "démonstration. " + model.note,
        )
        created.append(AidOrder.objects.create(**data))
    return created


def seed_activity(*, seed: int, today: dt.date, territory, signer) -> dict[str, int]:
    """Create the demo's conventions, supports, meetings and situations; returns counts."""

    chance = random.Random(seed)
    seed_demonstration_orders(today=today, territory=territory)
    employers = list(
        Employer.objects.filter(territory=territory, sector=Employer.Sector.MARKET).order_by("pk")
    )
    tutors = {
        tutor.employer_id: tutor
        for tutor in Tutor.objects.filter(experience_years__gte=2).order_by("-pk")
    }
    employers = [employer for employer in employers if employer.pk in tutors]
    wanted = len(HIRE_MONTHS_AGO) + DRAFTS
    candidates = list(
        Beneficiary.objects.filter(territory=territory, receives_rsa=True, referent__isnull=False)
        .select_related("referent", "operator")
        .order_by("pk")
    )
    # spread over the whole list, hence over every referent's portfolio
    people = candidates[:: max(1, len(candidates) // wanted)][:wanted]
    counts = {"conventions": 0, "signed": 0, "episodes": 0, "meetings": 0, "situations": 0}
    for index, person in enumerate(people):
        employer = employers[index % len(employers)]
        draft = index >= len(HIRE_MONTHS_AGO)
        months_ago = 0 if draft else HIRE_MONTHS_AGO[index]
        hire = (today - relativedelta(months=months_ago)).replace(day=1) + dt.timedelta(
            days=chance.randrange(0, 14)
        )
        if draft:
            hire = today + dt.timedelta(
                days=DRAFT_HIRE_DAYS[0] + 7 * index % (DRAFT_HIRE_DAYS[1] - DRAFT_HIRE_DAYS[0])
            )
        hours = chance.choice((24, 26, 28, 30, 35))
        convention = Convention.objects.create(
            sector=Convention.Sector.CIE,
            territory=territory,
            prescribed_for_department=True,
            filing_date=hire - dt.timedelta(days=21),
            prescriber_code=f"{territory.code}RSA",
            beneficiary=person,
            employer=employer,
            tutor=tutors[employer.pk],
            referent=person.referent,
            operator=person.operator,
            education_level=person.education_level or "50",
            unemployed_for=person.unemployed_for or "12_23",
            receives_rsa=True,
            minimum_income_for=person.minimum_income_for or "12_23",
            disabled_worker="no",
            contract_type=Convention.ContractType.CDD,
            hire_date=hire,
            planned_end=hire + relativedelta(months=6) - dt.timedelta(days=1),
            rome_code=chance.choice(("D1102", "G1603", "K2204", "N1103", "H2909")),
            job_title=chance.choice(
                ("Vendeur·se", "Agent·e de restauration", "Agent·e d'entretien", "Préparateur·rice")
            ),
            # above the SMIC for the hours (E9): 13 € an hour gross
            gross_monthly_pay=(Decimal(hours) * Decimal("13") * 52 / 12).quantize(Decimal("1")),
            weekly_hours=hours,
            collective_weekly_hours=35,
            support_taking_up_post="1",
            training_adaptation="1",
            aid_start=hire,
            aid_end=hire + relativedelta(months=6) - dt.timedelta(days=1),
            subsidised_weekly_hours=min(hours, 26),
            prefect_rate_percent=Decimal("47"),
            payer=Convention.Payer.DEPARTMENT,
            created_by=signer,
        )
        counts["conventions"] += 1
        if draft:
            continue
        services.sign(
            convention,
            user=signer,
            day=hire - dt.timedelta(days=7),
            parties=services.Parties(True, True, True, True),
        )
        counts["signed"] += 1
        adviser_name, adviser_email = RSA_ADVISERS[index % len(RSA_ADVISERS)]
        episode = SupportEpisode(
            beneficiary=person,
            programme=Programme.IN_EMPLOYMENT.value,
            referent=person.referent,
            operator=person.operator,
            employer=employer,
            tutor=convention.tutor,
            rsa_adviser_name=adviser_name,
            rsa_adviser_email=adviser_email,
            contract_type="CDD",
            contract_start=hire,
            contract_end=convention.planned_end,
            started_on=hire,
            convention=convention,
        )
        support_services.save_episode(episode)
        counts["episodes"] += 1
        held: list[dt.date] = []
        for number, report in enumerate(MEETING_REPORTS):
            day = hire + dt.timedelta(days=3 + 30 * number)
            if day >= today:
                break
            Meeting.objects.create(
                episode=episode,
                starts_at=dt.datetime.combine(day, dt.time(10 if number % 2 else 14), PARIS),
                duration_minutes=chance.choice((45, 60, 90)),
                place=Meeting.Place.COMPANY if number % 2 == 0 else Meeting.Place.OPERATOR,
                kind=Meeting.Kind.INDIVIDUAL,
                status=Meeting.Status.HELD,  # before today: recorded after the fact
                participants="La personne, le tuteur" if number % 2 == 0 else "La personne",
                report=report,
                created_by=person.referent,
            )
            counts["meetings"] += 1
            held.append(day)
        if held and held[-1] <= timezone.localdate():
            # A2: the points of the last meeting held, through the page's service.
            support_services.record_aims(
                episode,
                [
                    support_services.AimPoint(code, status, held[-1], note)
                    for code, status, note in AIM_POINTS[: len(held)]
                ],
                user=person.referent,
            )
        if index == RUPTURE_INDEX and months_ago >= 2:
            known = timezone.make_aware(
                dt.datetime.combine(today - relativedelta(months=1), dt.time(16)), PARIS
            )
            services.record_rupture(
                Rupture(
                    known_at=known,
                    last_day=known.date(),
                    initiative=Rupture.Initiative.EMPLOYEE,
                    # Rule E5: not one of the grounds of an early end of a CDD (a warning).
                    employee_ground=ruptures.GROUND_NONE,
                    reason="Démission : déménagement dans un autre département.",
                    concertation_held=True,
                ),
                convention=convention,
                user=person.referent,
            )
        elif convention.planned_end < today:
            # the month-5 review said "permanent": a CDI follows the CDD (A3 a)
            outcomes_services.save_situation(
                Situation(
                    beneficiary=person,
                    kind="cdi",
                    start=convention.planned_end + dt.timedelta(days=1),
                    weekly_hours=Decimal(hours),
                )
            )
            counts["situations"] += 1
    return counts
