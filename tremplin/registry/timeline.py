"""The registry's events on the person's timeline: the file created and merged, and every
change of referent, read from the audit log (two queries)."""

from __future__ import annotations

from tremplin.accounts.models import AuditEntry, User
from tremplin.rules.identifiers import ascii_digits
from tremplin.web import timeline
from tremplin.web.timeline import Event, as_day


def file_events(user, person_ids):
    entries = list(
        AuditEntry.objects.filter(
            object_type="registry.beneficiary",
            object_id__in=[str(pk) for pk in person_ids],
            action__in=[AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE],
        ).only("at", "action", "changes", "object_id", "actor_email", "source")
    )
    # A change saved by a page keeps the referent's account number, an import its name.
    ids = {
        int(value)
        for entry in entries
        for value in (entry.changes or {}).get("referent", [])
        if isinstance(value, int) or (isinstance(value, str) and ascii_digits(value))
    }
    names = {u.pk: u.get_full_name() for u in User.objects.filter(pk__in=ids)} if ids else {}

    def name(value) -> str:
        if value in (None, ""):
            return "aucun·e"
        if isinstance(value, int) or ascii_digits(str(value)):
            return names.get(int(value), f"compte n° {value}")
        return str(value)

    events = []
    for entry in entries:
        changes = entry.changes or {}
        who = f"par {entry.actor_email}" if entry.actor_email else ""
        day = as_day(entry.at)
        if entry.action == AuditEntry.Action.CREATE:
            events.append(Event(day, "dossier", "Dossier créé", who, at=entry.at))
            continue
        if "referent" in changes:
            old, new = changes["referent"]
            detail = f"{name(old)} → {name(new)}" + (f", {who}" if who else "")
            events.append(Event(day, "referent", "Changement de référent·e", detail, at=entry.at))
        if "fusion" in changes:
            detail = f"{changes['fusion'][0]} fusionné dans ce dossier"
            events.append(Event(day, "dossier", "Fusion de dossiers", detail, at=entry.at))
    return events


def register():
    timeline.register(
        "registry",
        file_events,
        {"dossier": "Dossier", "referent": "Changements de référent"},
        order=10,
    )
