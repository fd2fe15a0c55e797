"""The index of the no-show lists and the constraints of the meeting's status (F8)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("support", "0006_meeting_status_of_past_meetings")]

    operations = [
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['status', 'starts_at'], name='meeting_status_start'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['planned', 'held', 'excused', 'no_show', 'cancelled', 'rescheduled'])), name='meeting_known_status'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'cancelled'), _negated=True), models.Q(('status_reason', ''), _negated=True), _connector='OR'), name='meeting_cancelled_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('replaced_by__isnull', False), ('status', 'rescheduled')), models.Q(models.Q(('status', 'rescheduled'), _negated=True), ('replaced_by__isnull', True)), _connector='OR'), name='meeting_rescheduled_has_replacement'),
        ),
    ]
