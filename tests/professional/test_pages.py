"""Professional support pages: opening with the first CER (P3, P4), renewals and the
département's validation (P5), interviews and contacts (P4), cadence (P4), the
coordinator's views (P4, P9), access (404 outside the scope)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import cites
from tests.professional.factories import contact, interview, professional_episode
from tremplin.accounts.models import AuditEntry
from tremplin.professional.models import Cer
from tremplin.support.models import Deadline, Meeting, SupportEpisode

pytestmark = pytest.mark.django_db


def test_opening_creates_the_support_its_first_cer_and_its_deadline(
    client, referent_user, operator
):
    beneficiary = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user
    )
    client.force_login(referent_user)
    url = reverse("professional:open_support", args=[beneficiary.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "operator": operator.pk,
            "referent": referent_user.pk,
            "started_on": "2025-01-15",
            "project": "employment",
            "new_entrant": "on",
            "objectives": "Retrouver un emploi de vendeuse.",
        },
    )
    episode = SupportEpisode.objects.get(beneficiary=beneficiary, programme="professional")
    assert response.status_code == 302
    # P4: 6 months; 15/01/2025 + 6 months - 1 day = 14/07/2025.
    cer = episode.cers.get()
    assert (cer.number, cer.start, cer.end) == (1, dt.date(2025, 1, 15), dt.date(2025, 7, 14))
    deadline = episode.deadlines.get(code="cer_end_1")
    assert deadline.due_on == dt.date(2025, 7, 14) and deadline.rule == "P4"
    page = client.get(reverse("professional:episode_detail", args=[episode.pk])).content.decode()
    assert "14/07/2025" in page and "Retrouver un emploi de vendeuse." in page
    # The chain is on the person's file.
    file = client.get(beneficiary.get_absolute_url()).content.decode()
    assert "n° 1 (initial)" in file and "14/07/2025" in file


def test_opening_for_someone_without_rsa_is_refused_citing_p3(client, referent_user, operator):
    beneficiary = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user, receives_rsa=False
    )
    client.force_login(referent_user)
    response = client.post(
        reverse("professional:open_support", args=[beneficiary.pk]),
        {
            "operator": operator.pk,
            "referent": referent_user.pk,
            "started_on": "2025-01-15",
            "project": "training",
            "objectives": "Entrer en formation d'aide-soignante.",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert cites(page, "P3") and "(P3)" not in page
    assert "Entrer en formation d&#x27;aide-soignante." in page
    assert not SupportEpisode.objects.filter(beneficiary=beneficiary).exists()


def test_first_renewal_is_free(client, referent_user):
    episode = professional_episode(referent_user)
    client.force_login(referent_user)
    response = client.post(
        reverse("professional:renew", args=[episode.pk]), {"objectives": "Consolider."}
    )
    assert response.status_code == 302
    # P5: the renewal starts the day after 14/07/2025 and lasts 6 months, to 14/01/2026.
    cer = episode.cers.get(number=2)
    assert (cer.start, cer.end, cer.validated_at) == (
        dt.date(2025, 7, 15),
        dt.date(2026, 1, 14),
        None,
    )
    assert not Cer.objects.filter(episode=episode, number=3).exists()
    # The first CER's end is no longer a decision to take; the second's is.
    assert episode.deadlines.get(code="cer_end_1").state == Deadline.State.DROPPED
    assert episode.deadlines.get(code="cer_end_2").due_on == dt.date(2026, 1, 14)


def test_beyond_twelve_months_needs_an_agent_s_validation(client, referent_user, agent_user):
    episode = professional_episode(referent_user, cers=2)
    client.force_login(referent_user)
    client.post(reverse("professional:renew", args=[episode.pk]), {"objectives": "Exception."})
    # P5: third CER from 15/01/2026 to 14/07/2026, 18 months after 15/01/2025 (last day allowed).
    third = episode.cers.get(number=3)
    assert (third.start, third.end) == (dt.date(2026, 1, 15), dt.date(2026, 7, 14))
    page = client.get(reverse("professional:episode_detail", args=[episode.pk])).content.decode()
    assert "En attente de validation" in page
    # The referent may not validate.
    validate = reverse("professional:validate_cer", args=[episode.pk, 3])
    client.post(validate)
    third.refresh_from_db()
    assert third.validated_at is None
    # A département agent of the territory does: who and when are recorded.
    client.force_login(agent_user)
    client.post(validate)
    third.refresh_from_db()
    assert third.validated_by == agent_user and third.validated_at is not None
    page = client.get(reverse("professional:episode_detail", args=[episode.pk])).content.decode()
    assert f"Validé par {agent_user.get_full_name()}" in page


def test_beyond_eighteen_months_is_refused_and_the_text_kept(client, referent_user, agent_user):
    episode = professional_episode(referent_user, cers=3)
    third = episode.cers.get(number=3)
    third.validated_by, third.validated_at = agent_user, third.created_at
    third.save()
    client.force_login(referent_user)
    response = client.post(
        reverse("professional:renew", args=[episode.pk]), {"objectives": "Encore six mois."}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "18 mois" in page and cites(page, "P5") and "Encore six mois." in page
    assert episode.cers.count() == 3


def test_no_renewal_while_a_validation_is_pending(client, referent_user):
    episode = professional_episode(referent_user, cers=3)
    client.force_login(referent_user)
    response = client.post(
        reverse("professional:renew", args=[episode.pk]), {"objectives": "Suite."}
    )
    page = response.content.decode()
    assert "attend la validation du département" in page and cites(page, "P5")
    assert episode.cers.count() == 3


def test_an_interview_outside_the_support_is_refused_citing_p4(client, referent_user):
    episode = professional_episode(referent_user)
    client.force_login(referent_user)
    url = reverse("professional:interview_create", args=[episode.pk])
    data = {
        "starts_at": "2025-07-15T10:00",
        "duration_minutes": 45,
        "place": "operator",
        "participants": "",
        "report": "Point sur les candidatures envoyées.",
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "15/07/2025" in page
        and cites(page, "P4")
        and "Point sur les candidatures envoyées." in page
    )
    assert not episode.meetings.exists()
    data["starts_at"] = "2025-07-14T10:00"
    assert client.post(url, data).status_code == 302
    meeting = episode.meetings.get()
    assert meeting.kind == Meeting.Kind.INDIVIDUAL and meeting.created_by == referent_user


def test_a_contact_is_logged_and_one_outside_the_support_refused(client, referent_user):
    episode = professional_episode(referent_user)
    client.force_login(referent_user)
    url = reverse("professional:contact_create", args=[episode.pk])
    response = client.post(url, {"on": "2025-01-14", "channel": "sms", "note": "Rappel"})
    assert "Le contact du 14/01/2025 est en dehors" in response.content.decode()
    assert (
        client.post(url, {"on": "2025-01-20", "channel": "sms", "note": "Rappel"}).status_code
        == 302
    )
    assert episode.contacts.get().channel == "sms"


def test_cadence_page_counts_interviews_per_month(client, referent_user):
    episode = professional_episode(referent_user)
    interview(episode, 2025, 1, 20, 10, 0)
    interview(episode, 2025, 2, 3, 10, 0)
    interview(episode, 2025, 2, 17, 10, 0)
    contact(episode, dt.date(2025, 2, 10))
    client.force_login(referent_user)
    page = client.get(reverse("professional:cadence", args=[episode.pk])).content.decode()
    # January (partial, 1 required) and February (full, 2 required) are compliant; March to
    # June (2 each) and July (partial, 1) are not: 4 x 2 + 1 = 9 missing.
    assert page.count("Conforme") == 2
    assert "9 entretiens manquants" in page
    # New entrant: intensive from 15/01 to 14/04/2025 (P4), months January to April.
    assert page.count(">intensif<") == 4
    assert '<td class="text-end">1</td>\n  </tr>' in page  # February's phone call


def test_below_cadence_view_without_a_query_per_row(
    client, coordinator_user, operator, django_assert_max_num_queries
):
    referent = factories.referent(operator)
    for _ in range(3):
        professional_episode(referent)
    complete = professional_episode(referent)
    # Make one episode compliant in every month: 15/01–14/07/2025.
    for month, days in [(1, [20]), (2, [3, 17]), (3, [3, 17]), (4, [3, 17]), (5, [5, 19]),
                        (6, [2, 16]), (7, [7])]:  # fmt: skip
        for day in days:
            interview(complete, 2025, month, day, 10, 0)
    client.force_login(coordinator_user)
    url = reverse("professional:below_cadence")
    with django_assert_max_num_queries(13) as captured:  # + the navigation's count
        response = client.get(url)
    few = len(captured)
    page = response.content.decode()
    # 3 people below cadence, 12 missing each: 1 (January) + 5 x 2 + 1 (July).
    assert "<strong>3</strong> personnes, 36 entretiens manquants" in page
    assert str(complete.beneficiary) not in page
    for _ in range(5):
        professional_episode(referent)
    with django_assert_max_num_queries(few):
        client.get(url)
    csv = client.get(url, {"format": "csv"})
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 1 + 8 and "Entretiens manquants" in body
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 2


def test_the_referent_s_home_lists_people_below_cadence(client, referent_user):
    episode = professional_episode(referent_user)
    client.force_login(referent_user)
    page = client.get("/").content.decode()
    assert str(episode.beneficiary) in page and "12 entretiens manquants" in page


def test_portfolio_and_bulk_transfer_with_confirmation(client, coordinator_user, operator):
    source = factories.referent(operator)
    target = factories.referent(operator)
    episodes = [professional_episode(source) for _ in range(4)]
    client.force_login(coordinator_user)
    page = client.get(reverse("professional:portfolio")).content.decode()
    assert source.get_full_name() in page and "Sous-chargé" in page
    url = reverse("professional:transfer", args=[source.pk])
    chosen = [e.pk for e in episodes[:3]]
    response = client.post(url, {"episodes": chosen, "target": target.pk})
    assert "Confirmez le transfert" in response.content.decode()
    assert SupportEpisode.objects.filter(referent=target).count() == 0
    response = client.post(url, {"episodes": chosen, "target": target.pk, "confirm": "1"})
    assert response.status_code == 302
    assert set(SupportEpisode.objects.filter(referent=target).values_list("pk", flat=True)) == set(
        chosen
    )
    assert (
        episodes[0].beneficiary.__class__.objects.get(pk=episodes[0].beneficiary_id).referent
        == target
    )
    moves = AuditEntry.objects.filter(object_type="support.supportepisode", action="transfer")
    assert moves.count() == 3
    assert moves.first().changes["référent·e"][1] == target.get_full_name()


def test_transfer_requires_a_selection(client, coordinator_user, operator):
    source = factories.referent(operator)
    target = factories.referent(operator)
    professional_episode(source)
    client.force_login(coordinator_user)
    response = client.post(
        reverse("professional:transfer", args=[source.pk]), {"target": target.pk}
    )
    assert "Cochez au moins une personne" in response.content.decode()


def test_a_referent_has_no_portfolio_page(client, referent_user):
    client.force_login(referent_user)
    assert client.get(reverse("professional:portfolio")).status_code == 404


@pytest.mark.parametrize(
    "name, extra",
    [
        ("professional:episode_detail", ()),
        ("professional:renew", ()),
        ("professional:interview_create", ()),
        ("professional:contact_create", ()),
        ("professional:cadence", ()),
    ],
)
def test_another_referent_s_support_is_a_404(client, referent_user, operator, name, extra):
    other = professional_episode(factories.referent(operator))
    client.force_login(referent_user)
    assert client.get(reverse(name, args=[other.pk, *extra])).status_code == 404


def test_collective_action_with_invitations_and_attendance(client, referent_user, operator):
    episode = professional_episode(referent_user)
    other = professional_episode(referent_user)
    client.force_login(referent_user)
    response = client.post(
        reverse("professional:action_create"),
        {
            "operator": operator.pk,
            "kind": "workshop",
            "on": "2025-02-12",
            "theme": "Techniques de recherche d'emploi",
            "place": "Salle 2, Strasbourg",
            "invited": [episode.beneficiary_id, other.beneficiary_id],
        },
    )
    assert response.status_code == 302
    from tremplin.professional.models import CollectiveAction

    action = CollectiveAction.objects.get()
    assert action.invitations.count() == 2
    invitation = action.invitations.get(beneficiary=episode.beneficiary)
    client.post(action.get_absolute_url(), {"present": [invitation.pk]})
    assert list(action.invitations.filter(present=True)) == [invitation]
    # Attendance counts as a contact on the person's support (P2).
    page = client.get(reverse("professional:episode_detail", args=[episode.pk])).content.decode()
    assert "Techniques de recherche d&#x27;emploi (présence, P2)" in page
    listing = client.get(reverse("professional:action_list"), {"q": "recherche"}).content.decode()
    assert "Salle 2, Strasbourg" in listing
    csv = client.get(reverse("professional:action_list"), {"format": "csv"})
    assert "Techniques" in b"".join(csv.streaming_content).decode("utf-8-sig")


def test_a_collective_action_of_another_operator_is_a_404(client, referent_user, other_operator):
    from tremplin.professional.models import CollectiveAction

    action = CollectiveAction.objects.create(
        operator=other_operator, kind="workshop", on=dt.date(2025, 2, 1), theme="CV", place="Ici"
    )
    client.force_login(referent_user)
    assert client.get(action.get_absolute_url()).status_code == 404


def test_the_shared_support_page_links_to_the_professional_page(client, referent_user):
    episode = professional_episode(referent_user)
    client.force_login(referent_user)
    page = client.get(episode.get_absolute_url()).content.decode()
    assert reverse("professional:episode_detail", args=[episode.pk]) in page


def test_episode_page_query_count_does_not_grow_with_interviews(
    client, referent_user, django_assert_max_num_queries
):
    episode = professional_episode(referent_user, cers=2)
    client.force_login(referent_user)
    url = reverse("professional:episode_detail", args=[episode.pk])
    with django_assert_max_num_queries(25) as captured:
        client.get(url)
    for day in range(1, 28):
        interview(episode, 2025, 3, day, 10, 0)
    with django_assert_max_num_queries(len(captured)):
        client.get(url)


def test_closing_a_support_within_its_cers(client, referent_user):
    episode = professional_episode(referent_user)
    client.force_login(referent_user)
    url = reverse("professional:close", args=[episode.pk])
    response = client.post(url, {"ended_on": "2025-08-01"})
    assert cites(response.content.decode(), "P5")
    assert client.post(url, {"ended_on": "2025-05-31"}).status_code == 302
    episode.refresh_from_db()
    assert episode.ended_on == dt.date(2025, 5, 31)
    # Closed: out of the active file and of the people below cadence.
    page = client.get(reverse("professional:below_cadence")).content.decode()
    assert str(episode.beneficiary) not in page


def test_a_professional_support_opens_its_own_page_never_the_contract_s(client, referent_user):
    """« Échéances et livret », the breadcrumb from Progression and the support's address
    lead to the professional support's page (cadence, CER), not to the in-employment page
    (employer, 12-hour budget, rupture)."""
    episode = professional_episode(referent_user)
    client.force_login(referent_user)
    own = reverse("professional:episode_detail", args=[episode.pk])
    assert episode.get_absolute_url() == own
    response = client.get(reverse("support:episode_detail", args=[episode.pk]))
    assert response.status_code == 302 and response["Location"] == own
    page = client.get(own).content.decode()
    assert 'href="#echeances"' in page
    deadline = episode.deadlines.get()
    assert reverse("support:deliverable", args=[episode.pk, deadline.code]) in page
    assert "Déclarer une rupture" not in page
    progression = client.get(reverse("progress:episode", args=[episode.pk])).content.decode()
    assert f'href="{own}"' in progression
