"""The person's pathway on one timeline: every app's events, in date order, filterable,
exported, each provider with a bounded number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests import factories
from tests.conventions.factories import (
    AmendmentFactory,
    ConventionFactory,
    RuptureFactory,
    SuspensionFactory,
)
from tests.outcomes.factories import SituationFactory
from tests.professional.factories import contact, professional_episode
from tests.support.factories import InEmploymentEpisodeFactory, MeetingFactory
from tremplin.outcomes.models import SupportExit
from tremplin.web import timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(territory, operator, referent_user):
    person = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )
    signed = ConventionFactory(beneficiary=person, territory=territory, signed=True)
    SuspensionFactory(convention=signed)
    episode = InEmploymentEpisodeFactory(beneficiary=person, convention=signed)
    MeetingFactory(episode=episode)
    SituationFactory(beneficiary=person, start=datetime.date(2025, 10, 1))
    other = factories.referent(operator)
    person.referent = other
    person.save()  # a referent change, in the audit log
    return person


def test_every_kind_appears_in_date_order_with_links(person, client, admin_user):
    events = timeline.events_for(admin_user, [person.pk])
    kinds = {event.kind for event in events}
    assert {"dossier", "referent", "convention", "suspension_rupture", "accompagnement",
            "rencontre", "situation"} <= kinds  # fmt: skip
    days = [event.day for event in events]
    assert days == sorted(days)
    assert all(
        event.url for event in events if event.kind != "dossier" and event.kind != "referent"
    )
    client.force_login(admin_user)
    page = client.get(reverse("registry:pathway", args=[person.pk])).content.decode()
    assert "Changement de référent·e" in page and "Convention CIE n°" in page
    assert "Suspension de la convention" in page and "Situation :" in page


def test_the_timeline_is_filtered_by_kind_and_exported(person, client, admin_user):
    client.force_login(admin_user)
    url = reverse("registry:pathway", args=[person.pk])
    page = client.get(url, {"type": "convention"}).content.decode()
    assert "Convention CIE n°" in page and "Situation :" not in page
    response = client.get(url, {"type": "situation", "format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == "Bénéficiaire;Date;Type;Événement;Détail"
    assert "Situation" in body and "Convention" not in body


def test_amendments_ruptures_closed_supports_deliverables_and_classified_exits(
    client, admin_user, territory, operator, referent_user
):
    person = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )
    signed = ConventionFactory(beneficiary=person, territory=territory, signed=True)
    amendment = AmendmentFactory(convention=signed, effective_from=datetime.date(2025, 6, 1))
    # The supported CUI from 03/03/2025 to 02/09/2025, then a CDD of 6 months (A4 b).
    episode = InEmploymentEpisodeFactory(
        beneficiary=person, convention=signed, ended_on=datetime.date(2025, 9, 2)
    )
    SituationFactory(
        beneficiary=person, kind="subsidised_contract", start=datetime.date(2025, 3, 3),
        end=datetime.date(2025, 9, 2), weekly_hours=Decimal(26), supported_contract=True,
    )  # fmt: skip
    SituationFactory(
        beneficiary=person, cdd=True, start=datetime.date(2025, 9, 3),
        end=datetime.date(2026, 3, 2),
    )  # fmt: skip
    deliverable = episode.deadlines.order_by("due_on").first()
    deliverable.state, deliverable.sent_to = "sent", "Cellule RSA"
    deliverable.sent_at = datetime.date(2025, 4, 3)
    deliverable.save()
    # An earlier convention, broken (A14): the rupture is shown on its last day.
    rupture = RuptureFactory(
        convention=ConventionFactory(beneficiary=person, territory=territory, signed=True),
        last_day=datetime.date(2025, 2, 14),
    )
    exit_ = SupportExit.objects.get(episode=episode)
    assert exit_.category  # classified (A4 b)

    events = timeline.events_for(admin_user, [person.pk])
    found = {(event.kind, event.title, event.day): event for event in events}
    assert ("convention", amendment.get_kind_display(), datetime.date(2025, 6, 1)) in found
    assert ("suspension_rupture", "Rupture du contrat", rupture.last_day) in found
    label = episode.get_programme_display()
    closed = found[("accompagnement", f"Fin : {label}", episode.ended_on)]
    assert closed.url == reverse("support:episode_detail", args=[episode.pk])
    sent = found[("livrable", f"Envoyé : {deliverable.label}", datetime.date(2025, 4, 3))]
    assert sent.url == deliverable.get_absolute_url()
    classified = found[
        ("sortie", f"Sortie classée : {exit_.get_category_display()}", exit_.support_end)
    ]
    assert classified.detail == "positive" and classified.url
    assert all(event.url for event in found.values() if event.kind != "dossier")

    client.force_login(admin_user)
    url = reverse("registry:pathway", args=[person.pk])
    page = client.get(url, {"type": ["livrable", "sortie"]}).content.decode()
    assert escape(f"Envoyé : {deliverable.label}") in page and "Sortie classée" in page
    assert "Rupture du contrat" not in page and "Fin : " not in page


def test_cers_and_contacts_of_the_professional_support(referent_user):
    episode = professional_episode(referent_user, cers=2)
    contact(episode, datetime.date(2025, 4, 2))
    events = timeline.events_for(referent_user, [episode.beneficiary_id], {"cer", "rencontre"})
    titles = [event.title for event in events]
    assert titles.count("CER n° 1") == 1 and "CER n° 2" in titles
    assert "Contact : téléphone" in titles


def test_each_provider_sends_a_bounded_number_of_queries(
    person, admin_user, django_assert_max_num_queries
):
    for _ in range(5):
        SituationFactory(beneficiary=person)
        MeetingFactory(episode=person.support_episodes.get())
    from tremplin.accounts.access import scope_of

    scope_of(admin_user)  # the user's scope is read once per request, before any provider
    for source in timeline.sources():
        # At most one query per kind of record, whatever the number of records.
        with django_assert_max_num_queries(5):
            list(source.provider(admin_user, [person.pk]))


def test_a_file_outside_the_scope_has_no_pathway(person, client, other_operator):
    client.force_login(factories.coordinator(other_operator))
    assert client.get(reverse("registry:pathway", args=[person.pk])).status_code == 404
