"""``tremplin seed-demo`` shows company relations: offers, network, candidates, a PMSMP."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tremplin.accounts.models import User
from tremplin.companies.models import (
    CompanyEvent,
    EmployerContact,
    Immersion,
    JobOffer,
    JobSearchProfile,
)
from tremplin.demo.companies import DEMO_REFERENT_EMAIL
from tremplin.rules import companies as rules
from tremplin.rules.companies import check_immersion

pytestmark = pytest.mark.django_db


def test_demo_has_a_network_offers_and_a_valid_immersion(client):
    call_command("seed_demo", "--date", "2026-06-15", stdout=io.StringIO())
    assert JobOffer.objects.count() == 4
    assert EmployerContact.objects.count() == 3
    assert JobSearchProfile.objects.count() == 6
    # Every code of the demo names a real fiche (rule P7: the list, not only the shape).
    for offer in JobOffer.objects.all():
        assert rules.normalize_rome_code(offer.rome_code) == offer.rome_code
    for profile in JobSearchProfile.objects.all():
        assert rules.parse_rome_codes(profile.rome_codes)
    assert CompanyEvent.objects.get().attendees.count() == 3
    immersion = Immersion.objects.get()
    assert check_immersion(immersion.as_rule(), []) == []
    client.force_login(User.objects.get(email=DEMO_REFERENT_EMAIL))
    offer = JobOffer.objects.get(rome_code="K2204")
    page = client.get(reverse("companies:offer_detail", args=[offer.pk])).content.decode()
    assert "Même métier (code ROME K2204)" in page
    assert "K2204 — Nettoyage de locaux" in page  # the fiche's name beside its code
