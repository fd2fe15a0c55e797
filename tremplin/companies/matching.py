"""Offers and people brought together (P7): the people of the user's scope whose job-search
profile fits an offer, and the open offers that fit a person's profile, best first, each
with the reasons of its score (``tremplin.rules.companies``). Pages and API read these."""

from __future__ import annotations

from tremplin.rules import companies as rules

from .models import JobOffer, JobSearchProfile

MATCHES_SHOWN = 20


def matches_for_offer(user, offer: JobOffer) -> list[dict]:
    """The people the user follows whose profile matches the offer, best first (P7)."""
    profiles = JobSearchProfile.objects.visible_to(user).select_related("beneficiary")
    by_pk = {profile.pk: profile for profile in profiles}
    ranked = rules.rank(
        ((pk, profile.search_profile) for pk, profile in by_pk.items()), offer.terms
    )
    applied = set(offer.applications.values_list("beneficiary_id", flat=True))
    return [
        {
            "beneficiary": by_pk[pk].beneficiary,
            "match": result,
            "applied": by_pk[pk].beneficiary_id in applied,
        }
        for pk, result in ranked[:MATCHES_SHOWN]
    ]


def matching_offers(user, profile: JobSearchProfile) -> list[dict]:
    """The open offers the user sees that match the person's profile, best first (P7)."""
    offers = (
        JobOffer.objects.visible_to(user)
        .filter(status=JobOffer.Status.OPEN)
        .select_related("employer")
    )
    by_pk = {offer.pk: offer for offer in offers}
    terms = profile.search_profile
    scored = [(pk, rules.match(terms, offer.terms)) for pk, offer in by_pk.items()]
    scored = sorted(
        ((pk, result) for pk, result in scored if result.job_matches), key=lambda p: -p[1].score
    )
    return [{"offer": by_pk[pk], "match": result} for pk, result in scored[:MATCHES_SHOWN]]
