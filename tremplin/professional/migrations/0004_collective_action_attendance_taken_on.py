# The date a collective action's attendance was recorded (issue 16: the absences at a held
# collective action reach the no-show list, F8).

from django.db import migrations, models


def date_recorded_attendance(apps, schema_editor):
    """An action where someone is marked present had its attendance recorded: dated by
    its own day (the day of recording is not known). One where nobody is marked present
    stays undated: nothing says its attendance was taken, so nobody is counted absent."""
    CollectiveAction = apps.get_model("professional", "CollectiveAction")
    Invitation = apps.get_model("professional", "Invitation")
    taken = Invitation.objects.filter(present=True).values("action_id")
    CollectiveAction.objects.filter(pk__in=taken).update(attendance_taken_on=models.F("on"))


class Migration(migrations.Migration):
    dependencies = [
        ("professional", "0003_collective_action_start_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="collectiveaction",
            name="attendance_taken_on",
            field=models.DateField(blank=True, null=True, verbose_name="présences relevées le"),
        ),
        migrations.RunPython(date_recorded_attendance, migrations.RunPython.noop),
    ]
