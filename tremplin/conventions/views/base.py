"""What every convention page reads."""

from __future__ import annotations

from ..models import Convention


def conventions():
    """The conventions with the parties their pages show (one query); read them through
    ``visible_object_or_404`` (a convention outside the user's scope is a 404)."""
    return Convention.objects.select_related(
        "beneficiary",
        "employer",
        "tutor",
        "referent",
        "operator",
        "territory",
        "aid_order",
        "rupture__acknowledged_by",
    )
