"""Changes of the company relations that touch several rows, each in one transaction (docs/
decisions.md, "One path for side effects"). Pages and the API call these."""

from __future__ import annotations

from django.db import transaction


@transaction.atomic
def save_event(form):
    """A company event (P7) from its form: the people who went and whom this user may not see
    stay on it (``CompanyEventForm.hidden_attendees``)."""
    event = form.save()
    if form.hidden_attendees:
        event.attendees.add(*form.hidden_attendees)
    return event
