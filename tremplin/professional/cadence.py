"""Interview cadence of professional supports (rule P4), for one episode or thousands.

``cadences(queryset)`` reads the episodes (with their last CER's end and the names shown)
and their interviews in two queries whatever their number — no query per row, no model
instance per row — then asks ``interview_cadence`` for each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from tremplin.rules.calendar import to_paris
from tremplin.rules.programmes import CadenceReport, interview_cadence
from tremplin.support.models import Meeting, SupportEpisode

from .models import INTERVIEW_KIND, support_end


@dataclass
class EpisodeCadence:
    episode_id: int
    person: str  # as Beneficiary.__str__: "LAST First names"
    last_name: str
    referent: str  # full name, "" without referent
    started_on: dt.date
    end: dt.date
    report: CadenceReport

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


def _report(started_on, end, days, today) -> CadenceReport | None:
    if end is None or today < started_on:
        return None
    inside = [day for day in days if started_on <= day <= end]
    return interview_cadence(started_on, end, inside, as_of=today)


def episode_cadence(episode: SupportEpisode, today: dt.date | None = None):
    today = today or timezone.localdate()
    end = support_end(episode)
    report = _report(episode.started_on, end, interview_days(episode), today)
    if report is None:
        return None
    referent = episode.referent.get_full_name() if episode.referent_id else ""
    beneficiary = episode.beneficiary
    return EpisodeCadence(
        episode.pk, str(beneficiary), beneficiary.last_name, referent, episode.started_on, end,
        report,
    )  # fmt: skip


def cadences(queryset, today: dt.date | None = None) -> list[EpisodeCadence]:
    """The cadence of every episode of ``queryset`` (professional supports), in 2 queries."""
    today = today or timezone.localdate()
    days: dict[int, list[dt.date]] = defaultdict(list)
    meetings = Meeting.objects.filter(
        episode__in=queryset.values("pk"), kind=INTERVIEW_KIND
    ).values_list("episode_id", "starts_at")
    for episode_id, moment in meetings:
        days[episode_id].append(to_paris(moment).date())
    episodes = (
        queryset.order_by()
        .annotate(last_cer_end=Max("cers__end"))
        .values_list(
            "pk",
            "started_on",
            "ended_on",
            "last_cer_end",
            "beneficiary__last_name",
            "beneficiary__first_names",
            "referent__first_name",
            "referent__last_name",
        )  # fmt: skip
    )
    rows = []
    for pk, started_on, ended_on, last, last_name, first_names, r_first, r_last in episodes:
        end = ended_on if ended_on and (last is None or ended_on < last) else last
        report = _report(started_on, end, days.get(pk, []), today)
        if report is None:
            continue
        referent = f"{r_first} {r_last}".strip() if r_last else ""
        person = f"{last_name.upper()} {first_names}"
        rows.append(EpisodeCadence(pk, person, last_name, referent, started_on, end, report))
    return rows
