"""Interview cadence of professional supports (rule P4), for one episode or thousands.

Only the interviews **held** count (a meeting's status, ``tremplin.rules.attendance``):
planned, excused, missed, cancelled and rescheduled ones do not, in the same queries.

``cadences(queryset)`` reads the episodes (with their last CER's end and the names shown)
and their interviews in two queries whatever their number — no query per row, no model
instance per row — then asks ``interview_cadence`` for each.

``compliance_counts(queryset)`` gives only the two numbers a dashboard shows (supports,
compliant ones) in two queries too, with no report per support: interviews counted per
support and calendar month, compared with what the rules require of each month already
over.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from tremplin.rules.calendar import (
    Period,
    calendar_month_overlap,
    calendar_months_overlapping,
    paris_midnight,
    to_paris,
)
from tremplin.rules.programmes import CadenceReport, Programme, interview_cadence, parameter
from tremplin.support.models import Meeting, SupportEpisode

from .models import INTERVIEW_KIND, Cer, support_end


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
        for moment in episode.meetings.counted()
        .filter(kind=INTERVIEW_KIND)
        .values_list("starts_at", flat=True)
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


def with_last_cer_end(queryset):
    """``queryset`` unsorted, each support with ``last_cer_end``, the last day of its last
    CER (None without one), read from the CERs' index per support (a subquery): a
    ``Max`` over the join made SQLite group the supports by every one of their columns in
    a temporary B-tree (a team's 2,000 supports: 15 ms of the coordinator's home)."""
    last_cer = Cer.objects.filter(episode=OuterRef("pk")).order_by("-end").values("end")[:1]
    return queryset.order_by().annotate(last_cer_end=Subquery(last_cer))


def cadences(queryset, today: dt.date | None = None) -> list[EpisodeCadence]:
    """The cadence of every episode of ``queryset`` (professional supports), in 2 queries."""
    today = today or timezone.localdate()
    days: dict[int, list[dt.date]] = defaultdict(list)
    meetings = (
        Meeting.objects.counted()
        .filter(episode__in=queryset.values("pk"), kind=INTERVIEW_KIND)
        .values_list("episode_id", "starts_at")
    )
    for episode_id, moment in meetings:
        days[episode_id].append(to_paris(moment).date())
    episodes = (
        with_last_cer_end(queryset).values_list(
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


@dataclass(frozen=True)
class CadenceCounts:
    """How many supports have a cadence report, and how many of them are compliant (P4)."""

    supports: int
    compliant: int


class _Required(dict):
    """Interviews required in a month, read once per (full, day) for one computation: the
    same dated parameters ``interview_cadence`` reads, on the same day (the month's first
    day inside the support)."""

    def __missing__(self, key: tuple[bool, dt.date]) -> int:
        full, first = key
        name = "interviews_per_full_month" if full else "interviews_per_partial_month"
        self[key] = value = parameter(f"{Programme.PROFESSIONAL.value}.{name}", first).value
        return value


def compliance_counts(queryset, today: dt.date | None = None) -> CadenceCounts:
    """``len(cadences(qs, today))`` and how many of them are ``report.compliant``, in 2 queries.

    Same definitions as ``cadences`` + ``interview_cadence`` (P4), without building a report
    per support: the support's last day is its end when closed before its last CER's end,
    else that CER's end (no end: no report); a support not begun on ``today`` has no report;
    an interview counts on its Paris day, only inside [start, last day]; a support is
    compliant when every calendar month already over (its last day inside the support is
    before ``today``) had the interviews required — 2 in a full month, 1 in a partial one
    (dated parameters). The month in progress is not judged. Two light queries (episodes as
    tuples, interviews as (episode, moment)); the interviews are counted per support and
    calendar month, then compared with the months over, worked out once per (start, last
    day).
    """
    today = today or timezone.localdate()
    episodes = with_last_cer_end(queryset).values_list(
        "pk", "started_on", "ended_on", "last_cer_end"
    )
    spans: dict[int, tuple[dt.date, dt.date]] = {}
    for pk, started_on, ended_on, last in episodes:
        end = ended_on if ended_on and (last is None or ended_on < last) else last
        if end is not None and started_on <= today:
            spans[pk] = (started_on, end)
    done = _interviews_per_month(queryset, spans, today) if spans else {}
    required = _Required()
    # Supports share their (start, last day) pairs by the hundred (a CER lasts 6 months):
    # the months over and what each requires are worked out once per pair.
    months_over: dict[tuple[dt.date, dt.date], tuple[tuple[int, int, int], ...]] = {}
    compliant = 0
    for pk, (started_on, end) in spans.items():
        months = months_over.get((started_on, end))
        if months is None:
            months = months_over[started_on, end] = _months_over(started_on, end, required, today)
        compliant += all(done.get((pk, year, month), 0) >= need for year, month, need in months)
    return CadenceCounts(len(spans), compliant)


def _utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _interviews_per_month(queryset, spans, today) -> dict[tuple[int, int, int], int]:
    """The interviews held of the supports of ``spans`` (pk: first, last day) on a Paris day
    inside the support, per calendar month: {(pk, year, month): count}, in one query.

    Only the months over are judged, and their days inside the support are before today:
    interviews from today on (planned ones) are not read. Tens of thousands of interviews
    are read, so each is told its Paris day without building a datetime: the database gives
    the moment as text, in UTC on both backends (SQLite stores it so, PostgreSQL writes it
    in the connection's UTC zone), whose first 19 characters sort as the moments do; the
    day is found by bisection among the UTC instants of each Paris midnight since the first
    support's start (the time zone's rules, summer time included, applied once per day, not
    once per interview; on SQLite the database's conversion is a Python function per row).
    """
    first = min(started_on for started_on, _ in spans.values())
    days = [first + dt.timedelta(days=n) for n in range((today - first).days + 1)]
    midnights = [_utc_text(paris_midnight(day)) for day in days]
    months = [(day.year, day.month) for day in days]
    # Each support's first and last day as indexes into ``days`` (its end may be after today).
    windows = {pk: ((start - first).days, (end - first).days) for pk, (start, end) in spans.items()}
    meetings = (
        Meeting.objects.counted()
        .filter(
            episode__in=queryset.values("pk"),
            kind=INTERVIEW_KIND,
            starts_at__gte=paris_midnight(first),
            starts_at__lt=paris_midnight(today),
        )
        .annotate(moment=Cast("starts_at", CharField()))
        .order_by()  # counted, not listed: no sort of the meetings' default order
        .values_list("episode_id", "moment")
    )
    done: dict[tuple[int, int, int], int] = defaultdict(int)
    for pk, moment in meetings:
        window = windows.get(pk)
        if window is None:
            continue
        # The text after the 19th character (fractions of a second, PostgreSQL's "+00")
        # only sorts it after a midnight it equals: the same day.
        index = bisect_right(midnights, moment) - 1
        if window[0] <= index <= window[1]:
            done[(pk, *months[index])] += 1
    return done


def _months_over(started_on, end, required, today) -> tuple[tuple[int, int, int], ...]:
    """(year, month, interviews required) of each calendar month of the support already over
    on ``today``: the months ``CadenceReport.compliant`` judges."""
    months = []
    # An end before the start raises here the error interview_cadence raises (Period).
    for overlap in calendar_months_overlapping(started_on, end):
        if overlap.last >= today:
            break  # the month in progress (or one to come): not judged, nor any after
        months.append((overlap.year, overlap.month, required[overlap.full, overlap.first]))
    return tuple(months)


def _current_month(started_on, end, today):
    """The month ``interview_cadence(..., as_of=today)`` reports last (``.current``): the
    month in progress, or the support's last month once it is over; None before it starts.
    """
    if today < started_on:
        Period(started_on, end)  # an end before the start raises, as interview_cadence does
        return None
    return calendar_month_overlap(started_on, end, min(today, end))


def below_cadence_now(
    queryset, today: dt.date | None = None, *, also: tuple[str, ...] = ()
) -> dict[int, tuple]:
    """The supports of ``queryset`` below the cadence in their current month (P4), as
    {pk: (interviews held, interviews required)}: the rows of ``cadences(qs, today)`` whose
    ``current.done < current.required``, in 2 light queries that read only the interviews
    of that month (the month in progress; the last month of a support whose CER is over, a
    few), with no report built per support.

    The same definitions as ``cadences``: the support's last day (its end when closed before
    its last CER's end, else that CER's end; no end: no report), no report before its start;
    an interview counts on its Paris day, inside the support, up to ``today``; the month
    requires 2 interviews when full, 1 when partial (dated parameters, on its first day
    inside the support).

    ``also`` names fields of the supports (``"beneficiary__last_name"``…) read in the same
    query and given after the two numbers: {pk: (held, required, *also)}.
    """
    today = today or timezone.localdate()
    episodes = with_last_cer_end(queryset).values_list(
        "pk", "started_on", "ended_on", "last_cer_end", *also
    )
    months: dict[tuple[dt.date, dt.date], object] = {}
    windows: dict[int, tuple[dt.date, dt.date, int]] = {}  # pk: first, last day, required
    extra: dict[int, tuple] = {}
    required = _Required()
    for pk, started_on, ended_on, last, *values in episodes:
        if also:
            extra[pk] = tuple(values)
        end = ended_on if ended_on and (last is None or ended_on < last) else last
        if end is None or today < started_on:
            continue
        if (started_on, end) not in months:
            months[started_on, end] = _current_month(started_on, end, today)
        month = months[started_on, end]
        windows[pk] = (
            month.first,
            min(month.last, today),
            required[month.full, month.first],
        )
    if not windows:
        return {}

    this_month = dt.date(today.year, today.month, 1)
    stale = [pk for pk, (first, _, _) in windows.items() if first < this_month]
    since = Q(starts_at__gte=paris_midnight(this_month))
    if stale:
        earliest = min(windows[pk][0] for pk in stale)
        since |= Q(episode_id__in=stale, starts_at__gte=paris_midnight(earliest))
    # Each window as the UTC text of its first instant and of the instant after it: the
    # moments are read as text, as in ``_interviews_per_month``, not as datetimes.
    bounds: dict[tuple[dt.date, dt.date], tuple[str, str]] = {}
    text_windows: dict[int, tuple[str, str]] = {}
    for pk, (first, last, _) in windows.items():
        if (first, last) not in bounds:
            bounds[first, last] = (
                _utc_text(paris_midnight(first)),
                _utc_text(paris_midnight(last + dt.timedelta(days=1))),
            )
        text_windows[pk] = bounds[first, last]
    done: dict[int, int] = defaultdict(int)
    meetings = (
        Meeting.objects.counted()
        .filter(since, episode__in=queryset.values("pk"), kind=INTERVIEW_KIND)
        .filter(starts_at__lt=paris_midnight(today + dt.timedelta(days=1)))
        .annotate(moment=Cast("starts_at", CharField()))
        .order_by()  # counted, not listed: no sort of the meetings' default order
        .values_list("episode_id", "moment")
    )
    for pk, moment in meetings:
        window = text_windows.get(pk)
        # A moment equal to a bound sorts after it (fractions of a second, "+00"): it is
        # inside from the first bound and outside from the second, as the instants are.
        if window is not None and window[0] <= moment < window[1]:
            done[pk] += 1
    return {
        pk: (done[pk], need, *extra.get(pk, ()))
        for pk, (_, _, need) in windows.items()
        if done[pk] < need
    }
