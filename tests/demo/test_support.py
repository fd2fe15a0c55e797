"""The demo's activity (``tremplin seed-demo``): conventions signed through every check, their
supports with a plan, meetings, a rupture and situations — built by the product's own code."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tremplin.conventions.models import Convention, Rupture
from tremplin.demo.support import DRAFTS, HIRE_MONTHS_AGO
from tremplin.outcomes.models import Situation
from tremplin.support.models import Deadline, QualitativeAim, SupportEpisode

pytestmark = pytest.mark.django_db

REFERENCE_DATE = datetime.date(2026, 6, 15)


@pytest.fixture
def seeded():
    call_command("seed_demo", "--date", REFERENCE_DATE.isoformat(), stdout=io.StringIO())


def test_signed_conventions_carry_their_f2_numbers_and_drafts_none(seeded):
    signed = Convention.objects.exclude(signed_on=None)
    assert signed.count() == len(HIRE_MONTHS_AGO)
    assert Convention.objects.filter(signed_on=None).count() == DRAFTS
    numbers = [convention.number for convention in signed]
    # F2: département / year / order / renewal / modification, orders never reused
    assert all(number.startswith("067-") for number in numbers)
    assert len(set(numbers)) == len(numbers)


def test_every_signed_convention_has_its_support_with_a_plan(seeded):
    episodes = SupportEpisode.objects.filter(programme="in_employment")
    assert episodes.count() == len(HIRE_MONTHS_AGO)
    assert set(episodes.values_list("convention__signed_on", flat=True)) - {None}
    # each plan has at least the trial review (A11), the synthesis (A12) and the month-5 review
    for episode in episodes:
        codes = set(episode.deadlines.values_list("code", flat=True))
        assert {"trial_review", "synthesis_m4", "pathway_review_m5"} <= codes


def test_the_demo_shows_a_rupture_meetings_and_situations(seeded):
    rupture = Rupture.objects.get()  # one row, the convention's, read by its support
    episode = SupportEpisode.objects.get(convention=rupture.convention)
    codes = set(episode.deadlines.values_list("code", flat=True))
    assert "rupture_notice" in codes  # A14: 48-hour report to the Cellule contrats aidés
    assert SupportEpisode.objects.filter(meetings__isnull=False).distinct().count() >= 10
    # contracts of 6 months started 8, 10 and 12 months before the reference day have ended
    assert Situation.objects.filter(kind="cdi").count() >= 3
    assert Deadline.objects.exists()


def test_the_demo_s_supports_have_their_qualitative_aims_recorded(seeded):
    # A2: the points of each support's last meeting, one row per aim and support.
    points = QualitativeAim.objects.all()
    assert points.values("episode").distinct().count() >= 10
    assert set(points.values_list("code", flat=True)) == {
        "company_integration",
        "adaptation_needs",
        "last_barriers",
        "common_law_contract",
    }
    assert all(point.assessed_on <= REFERENCE_DATE for point in points)


def test_the_referents_home_has_something_due(seeded, client):
    client.login(email="referent@tremplin.demo", password="Tremplin-demo-67")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert SupportEpisode.objects.filter(referent__email="referent@tremplin.demo").exists()


@pytest.mark.parametrize(
    ("reference", "years"),
    [
        # Hires from June 2025 (12 months before) to the summer's drafts: 2025 needs an order.
        (datetime.date(2026, 6, 15), {2025}),
        # Drafts hired in January 2027: the shipped 2026 order ends on 31/12/2026 (and the
        # oldest contract, 12 months before, starts in December 2025).
        (datetime.date(2026, 12, 10), {2025, 2027}),
    ],
)
def test_the_demo_has_a_demonstration_order_for_every_hire(reference, years):
    from tremplin.conventions import services
    from tremplin.conventions.models import AidOrder

    call_command("seed_demo", "--date", reference.isoformat(), stdout=io.StringIO())
    created = AidOrder.objects.filter(note__contains="tremplin seed-demo")
    assert {order.valid_from.year for order in created} == years
    for order in created:
        assert order.demonstration  # rule E1: marked as demonstration data, like the shipped one
        assert "(données fictives)" in order.reference and str(order.valid_from.year) in (
            order.reference
        )
    drafts = Convention.objects.filter(signed_on=None)
    assert any(d.hire_date.year == 2027 for d in drafts) == (2027 in years)
    for convention in Convention.objects.all():
        order = services.order_in_force(convention)
        assert order is not None and order.in_force_on(convention.hire_date), convention
        e1 = [f.message for f in services.findings_of(convention) if f.rule == "E1"]
        # Only the demonstration warning, never "no order" nor "no longer in force".
        assert len(e1) == 1 and "donnée de démonstration" in e1[0], e1
