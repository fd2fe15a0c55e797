"""Support pages: access matrix, start, meetings and the hour budget, deliverables, rupture,
refusal, the referent's day (query counts), the iCalendar feed."""

import datetime as dt
import html

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.pages import cites
from tests.support.factories import (
    MeetingFactory,
    episode_for,
    paris,
)
from tremplin.conventions.models import Rupture
from tremplin.support.models import (
    Deadline,
    DeliverableContent,
    Meeting,
    SupportEpisode,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def episodes(territory, operator, other_operator, referent_user):
    other_territory = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    other_territory_operator = factories.OrganisationFactory(territory=other_territory)
    return {
        "mine": episode_for(referent_user),
        "colleague": episode_for(factories.referent(operator)),
        "other_operator": episode_for(factories.referent(other_operator)),
        "other_territory": episode_for(factories.referent(other_territory_operator)),
    }


def visible(user, episodes):
    pks = set(SupportEpisode.objects.visible_to(user).values_list("pk", flat=True))
    return {key for key, episode in episodes.items() if episode.pk in pks}


def test_access_matrix(referent_user, coordinator_user, agent_user, admin_user, episodes):
    assert visible(referent_user, episodes) == {"mine"}
    assert visible(coordinator_user, episodes) == {"mine", "colleague"}
    assert visible(agent_user, episodes) == {"mine", "colleague", "other_operator"}
    assert visible(admin_user, episodes) == set(episodes)
    assert visible(factories.UserFactory(), episodes) == set()


def test_a_referent_running_an_episode_of_someone_else_s_person_sees_it(referent_user, operator):
    episode = episode_for(factories.referent(operator), referent=referent_user)
    assert SupportEpisode.objects.visible_to(referent_user).filter(pk=episode.pk).exists()


@pytest.mark.parametrize(
    "name, extra",
    [
        ("support:episode_detail", ()),
        ("support:episode_update", ()),
        ("support:meeting_create", ()),
        ("support:rupture", ()),
        ("support:refusal_create", ()),
        ("support:deliverable", ("trial_review",)),
        ("support:deliverable_pdf", ("trial_review",)),
    ],
)
def test_another_referent_s_episode_is_a_404(client, referent_user, episodes, name, extra):
    client.force_login(referent_user)
    other = episodes["colleague"]
    assert client.get(reverse(name, args=[other.pk, *extra])).status_code == 404


def test_the_episode_page_shows_the_timeline_and_every_deadline(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    response = client.get(episode.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "frise-desc" in page
    assert "Phase 1 : période d" in page
    assert "Bilan de fin de période d" in page
    assert "02/04/2025" in page
    assert 'id="jauge-heures"' in page


def test_start_an_episode_from_a_beneficiary_s_file(client, referent_user, operator):
    beneficiary = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    employer = factories.EmployerFactory(territory=operator.territory)
    client.force_login(referent_user)
    url = reverse("support:episode_create", args=[beneficiary.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "operator": operator.pk,
            "referent": referent_user.pk,
            "employer": employer.pk,
            "contract_type": "CDI",
            "contract_start": "2025-03-03",
            "rsa_adviser_name": "Claire Muller",
            "rsa_adviser_email": "claire@example.fr",
        },
    )
    episode = SupportEpisode.objects.get(beneficiary=beneficiary)
    assert response.status_code == 302
    assert episode.started_on == dt.date(2025, 3, 3)
    # CDI without a trial end: two months by default (A11, L1221-19).
    assert episode.deadlines.get(code="trial_review").due_on == dt.date(2025, 5, 2)


def test_a_cdd_without_end_is_refused_in_french_and_nothing_lost(client, referent_user, operator):
    beneficiary = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    employer = factories.EmployerFactory(territory=operator.territory)
    client.force_login(referent_user)
    response = client.post(
        reverse("support:episode_create", args=[beneficiary.pk]),
        {
            "operator": operator.pk,
            "referent": referent_user.pk,
            "employer": employer.pk,
            "contract_type": "CDD",
            "contract_start": "2025-03-03",
            "rsa_adviser_name": "Claire Muller",
            "rsa_adviser_email": "claire@example.fr",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Un CDD doit avoir une date de fin" in page and cites(page, "C7")
    assert 'value="Claire Muller"' in page
    assert not SupportEpisode.objects.exists()


def meeting_data(**changes):
    data = {
        "starts_at": "2025-03-10T10:00",
        "duration_minutes": "90",
        "place": "company",
        "kind": "individual",
        "participants": "Salarié, tutrice",
        "report": "Bonne intégration ; difficulté de transport le matin.",
    }
    data.update(changes)
    return data


def test_a_new_meeting_proposes_now_45_minutes_and_the_usual_place(client, referent_user):
    """The defaults the product knows: now (to the quarter hour), 45 minutes, the place of
    most of the support's meetings; the empty choice reads « — Choisir — »."""
    episode = episode_for(referent_user)
    MeetingFactory(episode=episode, place=Meeting.Place.PHONE)
    MeetingFactory(episode=episode, place=Meeting.Place.PHONE)
    MeetingFactory(episode=episode, place=Meeting.Place.COMPANY)
    client.force_login(referent_user)
    with time_machine.travel(paris(2025, 3, 10, 10, 52), tick=False):
        page = client.get(reverse("support:meeting_create", args=[episode.pk])).content.decode()
    assert 'value="2025-03-10T10:45"' in page
    assert 'name="duration_minutes" value="45"' in page
    assert '<option value="phone" selected>' in page
    assert "— Choisir —" in page
    assert "---------" not in page


def test_a_meeting_of_600_minutes_is_refused_in_french(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    response = client.post(
        reverse("support:meeting_create", args=[episode.pk]),
        meeting_data(duration_minutes="600"),
    )
    assert response.status_code == 200
    assert "Une rencontre dure au plus 240 minutes" in html.unescape(response.content.decode())
    assert not episode.meetings.exists()


def test_a_meeting_with_its_report_moves_the_gauge(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    response = client.post(reverse("support:meeting_create", args=[episode.pk]), meeting_data())
    assert response.status_code == 302
    meeting = episode.meetings.get()
    assert meeting.report.startswith("Bonne intégration")
    assert meeting.starts_at == paris(2025, 3, 10, 10, 0)
    page = client.get(reverse("support:meeting_create", args=[episode.pk])).content.decode()
    assert "1 h 30 sur 12 h" in page


def test_a_meeting_before_the_contract_is_refused_on_the_page(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    response = client.post(
        reverse("support:meeting_create", args=[episode.pk]),
        meeting_data(starts_at="2025-02-28T10:00"),
    )
    assert response.status_code == 200
    assert "précède le début du contrat (03/03/2025)" in response.content.decode()
    assert not Meeting.objects.exists()


def test_exceeding_the_12_hours_asks_for_a_reason(client, referent_user):
    episode = episode_for(referent_user)
    MeetingFactory(episode=episode, duration_minutes=11 * 60)
    client.force_login(referent_user)
    url = reverse("support:meeting_create", args=[episode.pk])
    response = client.post(url, meeting_data(duration_minutes="120"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "atteint 13 h pour un budget de 12 h" in page and cites(page, "A5")
    response = client.post(
        url, meeting_data(duration_minutes="120", over_budget_reason="Médiation urgente")
    )
    assert response.status_code == 302
    assert episode.meetings.count() == 2


def test_a_deliverable_is_prefilled_from_reports_saved_then_sent(client, referent_user):
    episode = episode_for(referent_user)
    MeetingFactory(episode=episode, report="Retards liés au bus de 7 h.")
    client.force_login(referent_user)
    url = reverse("support:deliverable", args=[episode.pk, "trial_review"])
    page = client.get(url).content.decode()
    assert "Retards liés au bus de 7 h." in page
    assert "Enregistrer et marquer comme envoyé" in page
    send_url = reverse("support:deliverable_send", args=[episode.pk, "trial_review"])
    response = client.post(
        send_url, {"envoi-sent_to": "Cellule contrats aidés", "envoi-sent_at": "2025-04-02"}
    )
    assert response.status_code == 302
    deadline = episode.deadlines.get(code="trial_review")
    assert deadline.state == Deadline.State.TO_DO  # refused: items missing
    page = client.get(url).content.decode()
    assert "ne peut pas être envoyé sans" in page
    client.post(
        url,
        {
            "action": "brouillon",
            "difficulties_met": "Transport",
            "answers_built": "Covoiturage avec un collègue",
            "training_needs": "CACES",
            "professional_behaviour": "Ponctuel depuis avril",
        },
    )
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.DRAFT
    assert DeliverableContent.objects.get(deadline=deadline).items["training_needs"] == "CACES"
    client.post(
        send_url, {"envoi-sent_to": "Cellule contrats aidés", "envoi-sent_at": "2025-04-02"}
    )
    deadline.refresh_from_db()
    assert (deadline.state, deadline.sent_to) == (Deadline.State.SENT, "Cellule contrats aidés")


TRIAL_REVIEW = {
    "difficulties_met": "Transport",
    "answers_built": "Covoiturage avec un collègue",
    "training_needs": "CACES",
    "professional_behaviour": "Ponctuel depuis avril",
}


def test_typed_content_is_saved_and_sent_in_one_click(client, referent_user):
    """A11–A14: the content typed and « Enregistrer et marquer comme envoyé » in one POST —
    nothing typed is lost, the deliverable is sent."""
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    url = reverse("support:deliverable", args=[episode.pk, "trial_review"])
    response = client.post(
        url,
        {
            **TRIAL_REVIEW,
            "action": "envoyer",
            "envoi-sent_to": "Cellule contrats aidés",
            "envoi-sent_at": "2025-04-02",
        },
    )
    assert response.status_code == 302
    deadline = episode.deadlines.get(code="trial_review")
    assert (deadline.state, deadline.sent_to) == (Deadline.State.SENT, "Cellule contrats aidés")
    assert DeliverableContent.objects.get(deadline=deadline).items == TRIAL_REVIEW


def test_a_refused_sending_keeps_what_was_typed(client, referent_user):
    """An item missing (A11–A14): not sent, but the typed items are saved as the draft and
    shown again, with the reason."""
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    url = reverse("support:deliverable", args=[episode.pk, "trial_review"])
    typed = {**TRIAL_REVIEW, "training_needs": ""}
    response = client.post(
        url,
        {**typed, "action": "envoyer", "envoi-sent_to": "Cellule", "envoi-sent_at": "2025-04-02"},
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "ne peut pas être envoyé sans" in page
    assert "Covoiturage avec un collègue" in page
    deadline = episode.deadlines.get(code="trial_review")
    assert deadline.state == Deadline.State.DRAFT
    items = DeliverableContent.objects.get(deadline=deadline).items
    assert items["answers_built"] == "Covoiturage avec un collègue"


def test_a_draft_does_not_ask_for_the_sending(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    url = reverse("support:deliverable", args=[episode.pk, "trial_review"])
    response = client.post(url, {**TRIAL_REVIEW, "action": "brouillon", "envoi-sent_to": ""})
    assert response.status_code == 302
    deadline = episode.deadlines.get(code="trial_review")
    assert deadline.state == Deadline.State.DRAFT


def test_the_deliverable_pdf(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    response = client.get(reverse("support:deliverable_pdf", args=[episode.pk, "trial_review"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_declaring_a_rupture_notifies_the_cellule_and_shows_the_48_hours(
    client, referent_user, agent_user, settings
):
    settings.TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL = "cellule@departement.example.fr"
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    response = client.post(
        reverse("support:rupture", args=[episode.pk]),
        {
            "known_at": "2025-06-10T14:00",
            "initiative": "employer",
            "reason": "Fin de la période d'activité",
            "concertation_held": "on",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "au plus tard le 12/06/2025 à 14:00" in page and cites(page, "A14")
    assert "Accompagnement actif à la recherche d" in page  # the new phase
    assert [m.to for m in mail.outbox] == [["cellule@departement.example.fr"]]
    assert "Rupture de contrat CUI-CIE" in mail.outbox[0].subject
    # The e-mail is kept and listed on the support's page.
    assert "Rupture à signaler (A14)" in html.unescape(page)
    assert "cellule@departement.example.fr</td>" in page


def test_a_rupture_before_the_hire_is_refused_on_the_page(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    response = client.post(
        reverse("support:rupture", args=[episode.pk]),
        {"known_at": "2025-02-10T14:00", "initiative": "employer", "reason": "x"},
    )
    assert response.status_code == 200
    assert "La rupture (10/02/2025) ne peut pas précéder l" in response.content.decode()
    assert cites(response.content.decode(), "A14")
    assert not Rupture.objects.exists()
    assert len(mail.outbox) == 0


def test_a_refusal_notifies_the_rsa_adviser_at_once(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    client.post(
        reverse("support:refusal_create", args=[episode.pk]),
        {"by": "employee", "on": "2025-03-05", "reason": "Ne souhaite pas de suivi"},
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["claire.muller@departement.example.fr"]
    assert "(A9)" in mail.outbox[0].body


# --- the referent's day --------------------------------------------------------------------


def make_portfolio(referent, size):
    today = dt.date.today()
    for _ in range(size):
        episode = episode_for(
            referent,
            contract_start=today - dt.timedelta(days=20),
            trial_end=today + dt.timedelta(days=3),
            contract_end=today + dt.timedelta(days=200),
        )
        MeetingFactory(episode=episode, starts_at=paris(today.year, today.month, today.day, 9, 0))


def home_queries(client, referent):
    client.force_login(referent)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("support:my_day"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_referent_s_day_lists_what_is_due(client, referent_user):
    make_portfolio(referent_user, 2)
    _, page = home_queries(client, referent_user)
    assert "Bilan de fin de période d&#x27;essai" in page or "Bilan de fin de période" in page
    assert "Rencontres de la semaine" in page


def test_the_referent_s_day_costs_the_same_queries_for_5_and_30_people(
    client, referent_user, operator
):
    make_portfolio(referent_user, 5)
    small, _ = home_queries(client, referent_user)
    make_portfolio(referent_user, 25)
    large, page = home_queries(client, referent_user)
    assert small == large
    assert page.count("Bilan de fin de période") >= 30


def test_the_referent_s_day_reads_only_what_it_shows_at_a_fixed_cost(client, referent_user):
    today = dt.date.today()

    def quiet(count):  # supports whose person was never met: « sans rencontre »
        return [
            episode_for(
                referent_user,
                contract_start=today - dt.timedelta(days=40),
                trial_end=today - dt.timedelta(days=10),
                contract_end=today + dt.timedelta(days=150),
            )
            for _ in range(count)
        ]

    make_portfolio(referent_user, 2)
    first = quiet(1)
    small, _ = home_queries(client, referent_user)
    make_portfolio(referent_user, 6)
    others = quiet(6)
    client.force_login(referent_user)
    with CaptureQueriesContext(connection) as queries:
        page = html.unescape(client.get(reverse("support:my_day")).content.decode())
    # Every row shown (deadlines, meetings, people without a meeting) with the columns it
    # needs read at once: no query per row for a column left out.
    assert len(queries) == small
    section = page[page.index('id="sans-rencontre"') :]
    for episode in first + others:
        assert str(episode.beneficiary) in section
    # Of a support and its person only what the page shows: not the encrypted NIR, not the
    # support's contract.
    sql = "\n".join(q["sql"] for q in queries)
    assert '"registry_beneficiary"."nir_ciphertext"' not in sql
    assert '"support_supportepisode"."contract_end"' not in sql


def test_the_home_page_shows_the_referent_s_day_at_a_fixed_cost(
    client, referent_user, django_assert_max_num_queries
):
    make_portfolio(referent_user, 3)
    quiet = episode_for(referent_user)  # hired 03/03/2025, never met
    client.force_login(referent_user)
    client.get(reverse("home"))  # warm the session and the caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    make_portfolio(referent_user, 12)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("home"))
    assert len(small) == len(large)
    page = html.unescape(response.content.decode())
    assert "Ma file de travail — mes accompagnements" in page
    # 15 supports: a meeting today each, the trial's end in 3 days each (5 listed, all
    # counted), and the person never met.
    assert "Aujourd'hui : 15 éléments" in page
    assert "Les 7 prochains jours : 15 éléments" in page
    assert page.count("Bilan de fin de période d'essai") >= 5
    assert "1 personne sans rencontre depuis plus de 30 jours" in page
    assert reverse("support:meeting_create", args=[quiet.pk]) in page


def test_the_home_page_of_an_agent_has_no_referent_s_day(client, agent_user):
    client.force_login(agent_user)
    page = html.unescape(client.get(reverse("home")).content.decode())
    assert "Ma file de travail — mes accompagnements" not in page


# --- the iCalendar feed --------------------------------------------------------------------


def test_the_calendar_feed_parses(client, referent_user):
    today = dt.date.today()
    episode = episode_for(
        referent_user,
        contract_start=today - dt.timedelta(days=20),
        trial_end=today + dt.timedelta(days=3),
        contract_end=today + dt.timedelta(days=200),
    )
    MeetingFactory(
        episode=episode,
        starts_at=paris(today.year, today.month, today.day, 9, 0),
        participants="Salarié; tutrice, responsable\nRH",
    )
    client.force_login(referent_user)
    client.get(reverse("support:calendar_link"))
    token = referent_user.calendar_feed_token.token
    client.logout()
    response = client.get(reverse("support:calendar_ics", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    open_deadlines = episode.deadlines.filter(state__in=Deadline.OPEN_STATES).count()
    assert body.count("BEGIN:VEVENT") == 1 + open_deadlines
    unfolded = body.replace("\r\n ", "")
    # Escaped text (RFC 5545 3.3.11); what the agent typed (participants) is not sent.
    assert "(en entreprise)\\, tenue.\\nDétails dans Tremplin" in unfolded
    assert "tutrice" not in unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert client.get(reverse("support:calendar_ics", args=["wrong"])).status_code == 404


def test_a_rupture_with_its_supporting_document_goes_to_the_livret_and_the_cellule(
    client, referent_user, settings
):
    # A14: "reported within 48 hours to the Cellule contrats aidés with supporting documents".
    settings.TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL = "cellule@departement.example.fr"
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    letter = SimpleUploadedFile("demission.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")
    response = client.post(
        reverse("support:rupture", args=[episode.pk]),
        {
            "known_at": "2025-06-10T14:00",
            "initiative": "employee",
            "employee_ground": "cdi",  # rule E5: the employee leaves the CDD for a CDI
            "reason": "Démission",
            "concertation_held": "on",
            "evidence": letter,
            "evidence_title": "Lettre de démission",
        },
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert "« Lettre de démission » rejoint le livret." in page
    # 3 months of job search from the day after the last day (10/06/2025): 11/06 to 10/09.
    assert "recherche active d'emploi du 11/06/2025 au 10/09/2025" in page and cites(page, "A14")
    document = episode.documents.get()
    assert document.category == "rupture_evidence"
    assert document.content_type == "application/pdf"
    (email,) = mail.outbox
    assert email.attachments == [("Lettre de démission.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")]
    assert "Pièce jointe : Lettre de démission." in email.body


def test_a_rupture_document_of_the_wrong_type_is_refused_and_nothing_is_saved(
    client, referent_user, settings
):
    settings.TREMPLIN_CELLULE_CONTRATS_AIDES_EMAIL = "cellule@departement.example.fr"
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    response = client.post(
        reverse("support:rupture", args=[episode.pk]),
        {
            "known_at": "2025-06-10T14:00",
            "initiative": "employee",
            "employee_ground": "cdi",  # rule E5: the employee leaves the CDD for a CDI
            "reason": "Démission",
            "evidence": SimpleUploadedFile("lettre.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "n'est pas d'un type accepté" in page
    assert "Démission" in page  # what was typed is kept
    assert not Rupture.objects.exists()
    assert not episode.documents.exists()
    assert mail.outbox == []


def test_the_support_starts_from_a_signed_convention_with_its_dates(client, referent_user):
    from tests.conventions.factories import ConventionFactory

    beneficiary = factories.BeneficiaryFactory(
        territory=referent_user.memberships.first().organisation.territory,
        operator=referent_user.memberships.first().organisation,
        referent=referent_user,
    )
    convention = ConventionFactory(
        territory=beneficiary.territory, beneficiary=beneficiary, signed=True
    )
    client.force_login(referent_user)
    url = reverse("support:episode_from_convention", args=[convention.pk])
    assert url in client.get(convention.get_absolute_url()).content.decode()
    form = client.get(url).context["form"]
    # The convention's hire (15/03/2025) and planned end (14/09/2025), see its factory.
    assert form.initial["contract_start"] == dt.date(2025, 3, 15)
    assert form.initial["contract_end"] == dt.date(2025, 9, 14)
    assert form.initial["employer"] == convention.employer_id
    response = client.post(
        url,
        {
            "operator": convention.operator_id,
            "referent": referent_user.pk,
            "employer": convention.employer_id,
            "tutor": convention.tutor_id,
            "contract_type": "CDD",
            "contract_start": "2025-03-15",
            "contract_end": "2025-09-14",
            "rsa_adviser_name": "Claire Muller",
            "rsa_adviser_email": "claire.muller@departement.example.fr",
        },
    )
    episode = SupportEpisode.objects.get(convention=convention)
    assert response.url == episode.get_absolute_url()
    assert episode.deadlines.filter(code="trial_review").exists()
    # A second visit leads to the same support, never a second one.
    assert client.get(url).url == episode.get_absolute_url()


def test_an_unsigned_convention_does_not_start_a_support(client, referent_user):
    from tests.conventions.factories import ConventionFactory

    operator = referent_user.memberships.first().organisation
    beneficiary = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    convention = ConventionFactory(territory=beneficiary.territory, beneficiary=beneficiary)
    client.force_login(referent_user)
    response = client.get(
        reverse("support:episode_from_convention", args=[convention.pk]), follow=True
    )
    assert "n'est pas signée" in html.unescape(response.content.decode())
    assert not SupportEpisode.objects.exists()


def test_another_operator_s_convention_is_a_404(client, referent_user, other_operator):
    from tests.conventions.factories import ConventionFactory

    convention = ConventionFactory(
        territory=other_operator.territory,
        beneficiary=factories.BeneficiaryFactory(
            territory=other_operator.territory,
            operator=other_operator,
            referent=factories.referent(other_operator),
        ),
        signed=True,
    )
    client.force_login(referent_user)
    url = reverse("support:episode_from_convention", args=[convention.pk])
    assert client.get(url).status_code == 404


def test_the_person_s_file_lists_the_supports_and_starts_one_by_hand(client, referent_user):
    episode = episode_for(referent_user)
    client.force_login(referent_user)
    page = html.unescape(client.get(episode.beneficiary.get_absolute_url()).content.decode())
    assert "Accompagnement dans l'emploi (CUI-CIE)" in page
    assert episode.get_absolute_url() in page
    start_url = reverse("support:episode_create", args=[episode.beneficiary.pk])
    # One is running: another is not offered, and refused if asked for.
    assert start_url not in page
    assert "Un accompagnement dans l'emploi est en cours" in page
    response = client.post(start_url, {"contract_type": "CDD"})
    assert "déjà un accompagnement dans l'emploi en cours" in html.unescape(
        response.content.decode()
    )
    episode.ended_on = episode.contract_start
    episode.save()
    page = html.unescape(client.get(episode.beneficiary.get_absolute_url()).content.decode())
    assert start_url in page
