"""The conventions' events on the person's timeline: conventions, amendments, suspensions,
ruptures — every rupture, recorded on the convention or on the in-employment support (one
row each) — (four queries)."""

from tremplin.web import timeline
from tremplin.web.dates import french_date, french_datetime
from tremplin.web.timeline import Event, as_day

from .models import Amendment, Convention, Rupture, Suspension


def convention_events(user, person_ids):
    conventions = Convention.objects.visible_to(user).filter(beneficiary_id__in=person_ids)
    events = []
    for convention in conventions.select_related("employer"):
        url = convention.get_absolute_url()
        if convention.signed_on:
            title = f"Convention {convention.sector} n° {convention.number} signée"
            events.append(
                Event(convention.signed_on, "convention", title, str(convention.employer), url)
            )
        else:
            title = f"Convention {convention.sector} en préparation"
            events.append(
                Event(
                    as_day(convention.created_at),
                    "convention",
                    title,
                    str(convention.employer),
                    url,
                )
            )
    ids = [c.pk for c in conventions]
    for amendment in Amendment.objects.filter(convention_id__in=ids):
        events.append(
            Event(
                amendment.effective_from,
                "convention",
                amendment.get_kind_display(),
                "",
                _url(amendment.convention_id),
            )
        )
    for suspension in Suspension.objects.filter(convention_id__in=ids):
        events.append(
            Event(
                suspension.start,
                "suspension_rupture",
                "Suspension de la convention",
                f"du {french_date(suspension.start)} au {french_date(suspension.end)}",
                _url(suspension.convention_id),
            )
        )
    # One row per rupture, with or without a convention (a contract signed outside Tremplin):
    # shown once, on the contract's last day, with the moment it was known (A14).
    ruptures = Rupture.objects.visible_to(user).filter(beneficiary_id__in=person_ids)
    for rupture in ruptures:
        events.append(
            Event(
                rupture.last_day,
                "suspension_rupture",
                "Rupture du contrat",
                f"{rupture.initiative_phrase[0].upper()}{rupture.initiative_phrase[1:]}, connue le "
                f"{french_datetime(rupture.known_at)}",
                rupture.get_absolute_url(),
            )
        )
    return events


def _url(convention_id) -> str:
    from tremplin.web.links import reverse

    return reverse("conventions:detail", args=[convention_id])


def register():
    timeline.register(
        "conventions",
        convention_events,
        {"convention": "Conventions et avenants", "suspension_rupture": "Suspensions et ruptures"},
        order=20,
    )
