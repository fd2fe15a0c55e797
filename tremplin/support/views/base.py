"""What every page of a support reads."""

from __future__ import annotations

from ..models import SupportEpisode


def episodes():
    """The supports with the people their pages show (one query); read them through
    ``visible_object_or_404`` (a support outside the user's scope is a 404)."""
    return SupportEpisode.objects.select_related(
        "beneficiary",
        "referent",
        "operator",
        "employer",
        "tutor",
        "rsa_adviser",
        "convention__rupture",
        "contract_rupture",
    )
