"""Company relations pages (P7): network on the employer page, offers, matching, applications,
PMSMP immersions (L5135-1, D5135-3), events; access and query counts."""

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.companies.factories import (
    ApplicationFactory,
    CompanyEventFactory,
    EmployerContactFactory,
    ImmersionFactory,
    JobOfferFactory,
    JobSearchProfileFactory,
    ProspectingActionFactory,
)
from tests.pages import cites
from tremplin.accounts.models import AuditEntry
from tremplin.companies.models import (
    Application,
    CompanyEvent,
    EmployerContact,
    Immersion,
    JobOffer,
    JobSearchProfile,
    ProspectingAction,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def logged(client, referent_user):
    client.force_login(referent_user)
    return client


@pytest.fixture
def employer(territory):
    return factories.EmployerFactory(territory=territory, name="Nettoyage Alsacien")


@pytest.fixture
def person(territory, operator, referent_user):
    return factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user, last_name="Weber"
    )


def offer_data(operator, employer, **overrides):
    data = {
        "operator": operator.pk,
        "employer": employer.pk if employer else "",
        "title": "Agent d'entretien",
        "rome_code": " k2204",
        "postal_code": "67000",
        "city": "Strasbourg",
        "weekly_hours": "24",
        "contract_type": "cdd",
        "contract_months": "6",
        "starts_on": "2025-04-01",
        "description": "Bureaux, le matin.",
        "status": "open",
    }
    data.update(overrides)
    return data


# --- employer network -----------------------------------------------------------------------


def test_employer_page_shows_the_operators_network_only(logged, operator, other_operator, employer):
    EmployerContactFactory(employer=employer, operator=operator, name="Sandrine Koenig")
    EmployerContactFactory(employer=employer, operator=other_operator, name="Secret Concurrent")
    ProspectingActionFactory(employer=employer, operator=operator, next_step="Rappeler en mai")
    JobOfferFactory(employer=employer, operator=operator, title="Agent de propreté")
    response = logged.get(reverse("registry:employer_detail", args=[employer.pk]))
    page = text(response)
    assert 'Réseau de l\'opérateur <a class="rule-ref" href="/aide/regles/#regle-P7"' in page
    assert "Sandrine Koenig" in page
    assert "Rappeler en mai" in page
    assert "Agent de propreté" in page
    assert "Secret Concurrent" not in page


def test_contact_create_and_delete_after_confirmation(logged, operator, employer, referent_user):
    url = reverse("companies:contact_create", args=[employer.pk])
    data = {
        "operator": operator.pk,
        "name": "Paul Meyer",
        "function": "Gérant",
        "phone": "",
        "email": "paul@exemple.fr",
    }
    response = logged.post(url, data)
    contact = EmployerContact.objects.get()
    assert response.status_code == 302
    assert contact.employer == employer
    assert contact.created_by == referent_user
    delete_url = reverse("companies:contact_delete", args=[employer.pk, contact.pk])
    assert "Oui, supprimer définitivement" in text(logged.get(delete_url))
    assert EmployerContact.objects.exists()
    logged.post(delete_url)
    assert not EmployerContact.objects.exists()


def test_contact_of_another_operator_is_404(logged, other_operator, employer):
    contact = EmployerContactFactory(employer=employer, operator=other_operator)
    url = reverse("companies:contact_update", args=[employer.pk, contact.pk])
    assert logged.get(url).status_code == 404


def test_prospecting_action_records_who(logged, operator, employer, referent_user):
    url = reverse("companies:prospecting_create", args=[employer.pk])
    data = {"operator": operator.pk, "date": "2025-03-04", "kind": "phone", "outcome": "Intéressé",
            "next_step": "Visite", "next_step_on": "2025-03-01"}  # fmt: skip
    response = logged.post(url, data)
    assert "La prochaine étape (01/03/2025) précède l'action (04/03/2025)" in text(response)
    assert 'value="Visite"' in response.content.decode()
    data["next_step_on"] = "2025-03-11"
    assert logged.post(url, data).status_code == 302
    action = ProspectingAction.objects.get()
    assert action.done_by == referent_user
    assert action.kind == "phone"


# --- job offers ---------------------------------------------------------------------------


def test_create_offer_normalises_the_rome_code(logged, operator, employer, referent_user):
    response = logged.post(reverse("companies:offer_create"), offer_data(operator, employer))
    offer = JobOffer.objects.get()
    assert response.status_code == 302
    assert offer.rome_code == "K2204"
    assert offer.created_by == referent_user


def test_offer_without_employer_is_refused_citing_p7(logged, operator):
    data = offer_data(operator, employer=None)
    data["employer"] = ""
    response = logged.post(reverse("companies:offer_create"), data)
    page = text(response)
    assert "Une offre d'emploi est rattachée à un employeur du réseau" in page
    assert cites(page, "P7")
    assert "Rien n'a été enregistré" in page
    assert 'value="Agent d&#x27;entretien"' in response.content.decode()
    assert not JobOffer.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rome_code", "K220", "Le code ROME « K220 » n'est pas valide"),
        # The shape of a code, but domaine K22 has fiches K2201 to K2204 only.
        ("rome_code", "K2299", "Le code ROME « K2299 » n'existe pas dans le répertoire ROME"),
        ("postal_code", "6700", "doit compter exactement 5 chiffres"),
        ("weekly_hours", "50", "inférieure ou égale à 48"),
    ],
)
def test_offer_checks(logged, operator, employer, field, value, message):
    response = logged.post(
        reverse("companies:offer_create"), offer_data(operator, employer, **{field: value})
    )
    assert message in text(response)
    assert not JobOffer.objects.exists()


def test_offer_of_another_territory_employer_is_refused(logged, operator):
    elsewhere = factories.EmployerFactory(
        territory=factories.TerritoryFactory(code="68", name="Haut-Rhin")
    )
    response = logged.post(reverse("companies:offer_create"), offer_data(operator, elsewhere))
    assert "n'est pas dans votre département" in text(response)


def test_offer_list_search_sort_filter_and_scope(
    logged, operator, other_operator, employer, django_assert_max_num_queries
):
    for n in range(12):
        JobOfferFactory(employer=employer, operator=operator, title=f"Agent {n}")
    JobOfferFactory(
        employer=employer, operator=operator, title="Vendeuse", rome_code="D1214", status="filled"
    )
    JobOfferFactory(employer=employer, operator=other_operator, title="Offre concurrente")
    url = reverse("companies:offer_list")
    with django_assert_max_num_queries(8):
        response = logged.get(url)
    page = text(response)
    assert "13 offres" in page
    assert "Offre concurrente" not in page
    assert "1 offre pour « d1214 »" in text(logged.get(url, {"q": "d1214"}))
    assert "1 offre" in text(logged.get(url, {"etat": "filled"}))
    sorted_page = text(logged.get(url, {"tri": "intitule"}))
    assert sorted_page.index("Agent 0") < sorted_page.index("Agent 1")


def test_offer_exports(logged, operator, employer):
    JobOfferFactory(employer=employer, operator=operator, title="Agent d'entretien")
    url = reverse("companies:offer_list")
    csv = b"".join(logged.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Offre;Intitulé;Code ROME;Employeur")
    assert "Agent d'entretien;K2204;Nettoyage Alsacien" in csv
    xlsx = logged.get(url, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 2


def test_offer_of_another_operator_is_404(logged, other_operator, employer):
    offer = JobOfferFactory(employer=employer, operator=other_operator)
    assert logged.get(reverse("companies:offer_detail", args=[offer.pk])).status_code == 404
    assert logged.get(reverse("companies:offer_update", args=[offer.pk])).status_code == 404


def test_offer_page_ranks_my_people_with_reasons(
    logged, operator, employer, person, territory, django_assert_max_num_queries
):
    offer = JobOfferFactory(employer=employer, operator=operator, weekly_hours=Decimal(24))
    JobSearchProfileFactory(beneficiary=person, rome_codes="K2204", areas="67000")
    near = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=person.referent, last_name="Zimmer"
    )
    JobSearchProfileFactory(
        beneficiary=near, rome_codes="K2202", areas="67", max_weekly_hours=Decimal(20)
    )
    stranger = factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=factories.referent(operator),
        last_name="Inconnu",
    )
    JobSearchProfileFactory(beneficiary=stranger)
    for _ in range(5):  # more of my people, to show the count does not grow with them
        other = factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=person.referent
        )
        JobSearchProfileFactory(beneficiary=other, rome_codes="N1103")
    # session, user, memberships, offer, applications, profiles, applied, 2 savepoints
    with django_assert_max_num_queries(10):  # + the navigation's count
        response = logged.get(reverse("companies:offer_detail", args=[offer.pk]))
    page = text(response)
    # Weber: 50 + 30 + 20 = 100; Zimmer: 25 (K22) + 15 (67) + 0 (24 h > 20 h) = 40.
    assert page.index("WEBER") < page.index("ZIMMER")
    assert "Même métier (code ROME K2204)" in page
    assert "Horaire différent (24 h par semaine ; souhaité : 20 h à 20 h)" in page
    assert "INCONNU" not in page


# --- profile, matching offers, applications ------------------------------------------------


def test_profile_is_saved_and_shows_matching_offers(logged, operator, employer, person):
    JobOfferFactory(employer=employer, operator=operator, title="Agent de propreté")
    JobOfferFactory(employer=employer, operator=operator, title="Chauffeur", rome_code="N4105")
    url = reverse("companies:profile", args=[person.pk])
    assert "Enregistrez d'abord les métiers recherchés" in text(logged.get(url))
    response = logged.post(
        url,
        {
            "rome_codes": "k2204, K2204",
            "areas": "67000",
            "min_weekly_hours": "20",
            "max_weekly_hours": "30",
        },
    )
    assert response.status_code == 302
    assert JobSearchProfile.objects.get().rome_codes == "K2204"
    page = text(logged.get(url))
    assert "Agent de propreté" in page
    assert "Chauffeur" not in page
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, object_id=str(person.pk)
    ).exists()


def test_profile_errors_in_french(logged, person):
    url = reverse("companies:profile", args=[person.pk])
    response = logged.post(
        url,
        {
            "rome_codes": "K2204 ménage",
            "areas": "Strasbourg",
            "min_weekly_hours": "30",
            "max_weekly_hours": "20",
        },
    )
    page = text(response)
    assert "Le code ROME « ménage » n'est pas valide" in page
    assert "« STRASBOURG » n'est ni un code postal" in page
    assert "Le maximum (20 h) est inférieur au minimum (30 h)" in page
    assert not JobSearchProfile.objects.exists()


def test_profile_of_someone_else_is_404(logged, territory, operator):
    stranger = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=factories.referent(operator)
    )
    assert logged.get(reverse("companies:profile", args=[stranger.pk])).status_code == 404


def test_application_once_per_offer(logged, operator, employer, person):
    offer = JobOfferFactory(employer=employer, operator=operator)
    url = reverse("companies:application_create", args=[person.pk])
    data = {"offer": offer.pk, "sent_on": "2025-03-10", "outcome": "pending", "note": ""}
    assert logged.post(url, data).status_code == 302
    response = logged.post(url, data)
    assert "a déjà candidaté à « Agent·e d'entretien des locaux »" in text(response)
    assert Application.objects.count() == 1


def test_pool_list_and_export(logged, person, django_assert_max_num_queries):
    JobSearchProfileFactory(beneficiary=person, rome_codes="K2204 N1103")
    url = reverse("companies:pool_list")
    # session, user, memberships, count, page (a page runs without a transaction), the
    # navigation's count
    with django_assert_max_num_queries(6):
        page = text(logged.get(url))
    assert "1 personne" in page
    assert "1 personne pour « n1103 »" in text(logged.get(url, {"q": "n1103"}))
    assert "0 personne pour « Durand »" in text(logged.get(url, {"q": "Durand"}))
    csv = b"".join(logged.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "Weber" in csv


# --- PMSMP --------------------------------------------------------------------------------


def immersion_data(person, employer, **overrides):
    data = {
        "beneficiary": person.pk,
        "employer": employer.pk if employer else "",
        "tutor": "",
        "renewal_of": "",
        "purpose": "confirm",
        "objectives": "Tenir un poste d'entretien sur des horaires du matin.",
        "starts_on": "2025-03-03",
        "ends_on": "2025-03-28",
        "outcome": "",
        "assessment": "",
    }
    data.update(overrides)
    return data


def test_immersion_create_and_detail(logged, person, employer):
    response = logged.post(reverse("companies:immersion_create"), immersion_data(person, employer))
    immersion = Immersion.objects.get()
    assert response.status_code == 302
    page = text(logged.get(immersion.get_absolute_url()))
    assert "fin au plus tard le 02/04/2025, D5135-3" in page
    assert "Renouveler" in page


def test_immersion_longer_than_a_month_is_refused_citing_d5135_3(logged, person, employer):
    response = logged.post(
        reverse("companies:immersion_create"),
        immersion_data(person, employer, ends_on="2025-04-03"),
    )
    page = text(response)
    assert (
        "commencée le 03/03/2025, elle finit au plus tard le 02/04/2025 (Code du travail, art. D5135-3)"
        in page
    )
    assert "Tenir un poste d&#x27;entretien" in response.content.decode()
    assert not Immersion.objects.exists()


def test_immersion_renewed_once_only(logged, person, employer):
    first = ImmersionFactory(
        beneficiary=person,
        employer=employer,
        tutor=None,
        starts_on=dt.date(2025, 3, 3),
        ends_on=dt.date(2025, 3, 14),
    )
    ImmersionFactory(
        beneficiary=person,
        employer=employer,
        tutor=None,
        renewal_of=first,
        starts_on=dt.date(2025, 3, 17),
        ends_on=dt.date(2025, 3, 28),
    )
    form_page = text(
        logged.get(reverse("companies:immersion_create"), {"renouvellement": first.pk})
    )
    assert "Nouvelle immersion (PMSMP)" in form_page
    data = immersion_data(
        person,
        employer,
        renewal_of=first.pk,
        purpose=first.purpose,
        objectives=first.objectives,
        starts_on="2025-03-31",
        ends_on="2025-04-04",
    )
    response = logged.post(reverse("companies:immersion_create"), data)
    assert "ne peut l'être qu'une fois (Code du travail, art. D5135-3)" in text(response)
    assert Immersion.objects.count() == 2


def test_tutor_of_another_employer_is_refused(logged, person, employer, territory):
    tutor = factories.TutorFactory(employer=factories.EmployerFactory(territory=territory))
    response = logged.post(
        reverse("companies:immersion_create"), immersion_data(person, employer, tutor=tutor.pk)
    )
    assert "Ce tuteur travaille chez un autre employeur" in text(response)


def test_immersions_list_scope_and_queries(
    logged, person, employer, territory, operator, django_assert_max_num_queries
):
    for day in (3, 10, 17):
        ImmersionFactory(
            beneficiary=person,
            employer=factories.EmployerFactory(territory=territory),
            starts_on=dt.date(2025, 3, day),
            ends_on=dt.date(2025, 3, day + 4),
        )
    stranger = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=factories.referent(operator)
    )
    hidden = ImmersionFactory(beneficiary=stranger, employer=employer)
    url = reverse("companies:immersion_list")
    with django_assert_max_num_queries(8):  # + the navigation's count
        page = text(logged.get(url))
    assert "3 immersions" in page
    assert logged.get(hidden.get_absolute_url()).status_code == 404
    csv = b"".join(logged.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert len(csv.splitlines()) == 4


def test_coordinator_sees_the_operators_immersions(client, coordinator_user, territory, operator):
    person = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=factories.referent(operator)
    )
    immersion = ImmersionFactory(beneficiary=person)
    client.force_login(coordinator_user)
    assert client.get(immersion.get_absolute_url()).status_code == 200


# --- events -------------------------------------------------------------------------------


def test_event_with_who_went(logged, operator, other_operator, employer, person):
    url = reverse("companies:event_create")
    data = {"operator": operator.pk, "kind": "job_dating", "title": "Job dating propreté", "date": "2025-03-20",
            "place": "Strasbourg", "employers": [employer.pk], "attendees": [person.pk], "note": ""}  # fmt: skip
    assert logged.post(url, data).status_code == 302
    event = CompanyEvent.objects.get()
    assert list(event.attendees.all()) == [person]
    CompanyEventFactory(operator=other_operator, title="Salon d'une autre structure")
    page = text(logged.get(reverse("companies:event_list")))
    assert "Job dating propreté" in page
    assert "Salon d'une autre structure" not in page
    assert "Job dating — Job dating propreté (20/03/2025)" in text(
        logged.get(reverse("companies:profile", args=[person.pk]))
    )


def test_editing_an_event_keeps_people_the_editor_cannot_see(
    client, operator, territory, person, referent_user
):
    colleague = factories.referent(operator)
    theirs = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=colleague
    )
    event = CompanyEventFactory(operator=operator)
    event.attendees.add(person, theirs)
    client.force_login(colleague)
    data = {"operator": operator.pk, "kind": "fair", "title": "Salon", "date": "2025-03-20",
            "place": "", "attendees": [theirs.pk], "note": ""}  # fmt: skip
    assert client.post(reverse("companies:event_update", args=[event.pk]), data).status_code == 302
    assert set(event.attendees.all()) == {person, theirs}


def test_application_visible_through_the_person(territory, operator, referent_user):
    mine = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )
    theirs = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=factories.referent(operator)
    )
    offer = JobOfferFactory(
        operator=operator, employer=factories.EmployerFactory(territory=territory)
    )
    ApplicationFactory(beneficiary=mine, offer=offer)
    ApplicationFactory(beneficiary=theirs, offer=offer)
    assert [a.beneficiary for a in Application.objects.visible_to(referent_user)] == [mine]


def test_pool_finds_people_to_add(logged, person, territory, operator):
    done = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=person.referent, last_name="Weberling"
    )
    JobSearchProfileFactory(beneficiary=done)
    page = text(logged.get(reverse("companies:pool_list"), {"ajouter": "weber"}))
    assert reverse("companies:profile", args=[person.pk]) in page
    assert (
        reverse("companies:profile", args=[done.pk]) + '">'
        not in page.split("Personnes suivies sans profil")[1].split("</ul>")[0]
    )


def test_employer_and_profile_pages_do_not_grow_with_rows(
    logged, operator, employer, person, django_assert_max_num_queries
):
    for n in range(6):
        EmployerContactFactory(employer=employer, operator=operator, name=f"Contact {n}")
        ProspectingActionFactory(employer=employer, operator=operator)
        offer = JobOfferFactory(employer=employer, operator=operator, title=f"Offre {n}")
        ApplicationFactory(beneficiary=person, offer=offer)
    JobSearchProfileFactory(beneficiary=person)
    # session, user, memberships, employer, tutors, may record, contacts, actions, offers,
    # 2 savepoints
    with django_assert_max_num_queries(12):  # + the navigation's count
        page = text(logged.get(reverse("registry:employer_detail", args=[employer.pk])))
    assert "Contact 5" in page
    # + the person, the audit entry, profile, offers, applications, immersions, events
    # + the person at a glance (supports, last and next meeting, late, professional support)
    with django_assert_max_num_queries(17):  # + the navigation's count
        page = text(logged.get(reverse("companies:profile", args=[person.pk])))
    assert "Offre 5" in page


def test_agent_reads_the_network_but_records_nothing(client, agent_user, operator, employer):
    EmployerContactFactory(employer=employer, operator=operator, name="Sandrine Koenig")
    client.force_login(agent_user)
    page = text(client.get(reverse("registry:employer_detail", args=[employer.pk])))
    assert "Sandrine Koenig" in page
    assert "Ajouter un contact" not in page
