"""One rupture per event (rules A14, F12, F13): the in-employment support's former rupture
records become the one ``conventions.Rupture`` of their contract.

- a support with a convention: merged with the convention's rupture when there is one (the
  earliest moment known is kept, and the convention's money fields: last day, initiative,
  lawful case, grounds, repayment), else it becomes the convention's rupture;
- a support of a contract signed outside Tremplin: a rupture without convention, to which
  the support points (``contract_rupture``).

A rupture that becomes a convention's here had no repayment computed (rule F13): its
explanation says so, and it waits in the département's work queue, where taking it into
account computes it (``conventions.services.acknowledge``)."""

import zoneinfo

from django.db import migrations

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
TO_COMPUTE = (
    "Rupture déclarée sur l'accompagnement dans l'emploi avant que les ruptures ne soient "
    "réunies : le reversement éventuel (règle F13) est calculé quand le département la prend "
    "en compte."
)


def merge_ruptures(apps, schema_editor):
    EpisodeRupture = apps.get_model("support", "EpisodeRupture")
    Rupture = apps.get_model("conventions", "Rupture")
    SupportEpisode = apps.get_model("support", "SupportEpisode")
    for old in EpisodeRupture.objects.select_related("episode").order_by("pk"):
        episode = old.episode
        last_day = old.last_day or old.known_at.astimezone(PARIS).date()
        common = {
            "known_at": old.known_at,
            "concertation_held": old.concertation_held,
            "recorded_by_id": old.recorded_by_id,
        }
        if episode.convention_id is not None:
            rupture = Rupture.objects.filter(convention_id=episode.convention_id).first()
            if rupture is not None:
                rupture.known_at = min(rupture.known_at, old.known_at)
                rupture.concertation_held = rupture.concertation_held or old.concertation_held
                rupture.recorded_by_id = rupture.recorded_by_id or old.recorded_by_id
                rupture.reason = rupture.reason or old.reason
                rupture.save()
                continue
            Rupture.objects.create(
                convention_id=episode.convention_id,
                beneficiary_id=episode.beneficiary_id,
                last_day=last_day,
                initiative=old.initiative,
                reason=old.reason,
                repayment_explanation=TO_COMPUTE,
                **common,
            )
            continue
        rupture = Rupture.objects.create(
            beneficiary_id=episode.beneficiary_id,
            last_day=last_day,
            initiative=old.initiative,
            reason=old.reason,
            **common,
        )
        SupportEpisode.objects.filter(pk=episode.pk).update(contract_rupture=rupture)


class Migration(migrations.Migration):
    dependencies = [
        ("conventions", "0009_rupture_known_and_whose_required"),
        ("support", "0008_one_rupture_per_event"),
    ]

    operations = [migrations.RunPython(merge_ruptures, migrations.RunPython.noop)]
