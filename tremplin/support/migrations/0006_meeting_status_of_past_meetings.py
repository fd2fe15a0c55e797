"""Meetings recorded before statuses existed were recorded after the fact: those already
begun are "held", those to come stay "planned" (F8, P4, A5)."""

from django.db import migrations
from django.utils import timezone


def past_meetings_held(apps, schema_editor):
    Meeting = apps.get_model("support", "Meeting")
    Meeting.objects.filter(starts_at__lte=timezone.now()).update(status="held")


class Migration(migrations.Migration):
    dependencies = [("support", "0005_meeting_status")]

    operations = [migrations.RunPython(past_meetings_held, migrations.RunPython.noop)]
