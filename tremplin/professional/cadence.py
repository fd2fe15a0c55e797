"""Interview cadence of professional supports (rule P4), for one episode or thousands.

``cadences(queryset)`` reads the episodes, their CERs and their interviews in three queries
whatever their number (no query per row), then asks ``interview_cadence`` for each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from tremplin.rules.calendar import to_paris
from tremplin.rules.programmes import CadenceReport, interview_cadence
from tremplin.support.models import Meeting, SupportEpisode

from .models import INTERVIEW_KIND, Cer, support_end


@dataclass
class EpisodeCadence:
    episode: SupportEpisode
    report: CadenceReport
    end: dt.date

    @property
    def missing(self) -> int:
        return self.report.missing

    @property
    def behind_months(self) -> int:
        return len(self.report.behind_months)

    @property
    def current(self):
        return self.report.months[-1] if self.report.months else None

    @property
    def below(self) -> bool:
        return self.missing > 0


def interview_days(episode: SupportEpisode) -> list[dt.date]:
    return [
        to_paris(moment).date()
        for moment in episode.meetings.filter(kind=INTERVIEW_KIND).values_list(
            "starts_at", flat=True
        )
    ]


def report_for(episode, cers, days, today) -> EpisodeCadence | None:
    end = support_end(episode, cers)
    if end is None or today < episode.started_on:
        return None
    inside = [day for day in days if episode.started_on <= day <= end]
    report = interview_cadence(episode.started_on, end, inside, as_of=today)
    return EpisodeCadence(episode, report, end)


def episode_cadence(episode: SupportEpisode, today: dt.date | None = None):
    today = today or timezone.localdate()
    return report_for(episode, list(episode.cers.all()), interview_days(episode), today)


def cadences(queryset, today: dt.date | None = None) -> list[EpisodeCadence]:
    """The cadence of every episode of ``queryset`` (open professional supports)."""
    today = today or timezone.localdate()
    episodes = list(
        queryset.select_related("beneficiary", "referent").prefetch_related(
            Prefetch("cers", queryset=Cer.objects.order_by("number"))
        )
    )
    days: dict[int, list[dt.date]] = defaultdict(list)
    meetings = Meeting.objects.filter(
        episode__in=queryset.values("pk"), kind=INTERVIEW_KIND
    ).values_list("episode_id", "starts_at")
    for episode_id, moment in meetings:
        days[episode_id].append(to_paris(moment).date())
    rows = []
    for episode in episodes:
        row = report_for(episode, list(episode.cers.all()), days.get(episode.pk, []), today)
        if row is not None:
            rows.append(row)
    return rows
