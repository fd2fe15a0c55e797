"""The in-employment support's former rupture records, merged into ``conventions.Rupture``
by 0009, are removed; a support with a convention reads the convention's rupture."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("support", "0009_merge_episode_ruptures")]

    operations = [
        migrations.RemoveField(
            model_name="episoderupture",
            name="episode",
        ),
        migrations.RemoveField(
            model_name="episoderupture",
            name="recorded_by",
        ),
        migrations.AddConstraint(
            model_name="supportepisode",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("convention__isnull", True),
                    ("contract_rupture__isnull", True),
                    _connector="OR",
                ),
                name="support_episode_rupture_of_its_convention",
            ),
        ),
        migrations.DeleteModel(
            name="EpisodeRupture",
        ),
    ]
