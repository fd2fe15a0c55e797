"""Benchmark of the professional support: the coordinator's view of people below the
interview cadence (rule P4) over 2,000 active professional supports.

The bench data has no professional supports: the first run creates them (idempotent: it
tops up to ``ACTIVE_EPISODES``) for the people of the first coordinator's operator, each with
its first CER of 6 months (P4) started within the last 170 days, so that it runs today, and
0 to 3 individual interviews per month. The page is timed through Django's test client for
the coordinator and the administrator; the raw SQL is the three statements the view's
``cadences()`` sends (episodes, CERs, interviews), captured and replayed.
"""

from bench.core import (
    BenchContext,
    Measurement,
    benchmark,
    captured_sql,
    fresh_statistics,
    time_page,
    time_sql,
)

ACTIVE_EPISODES = 2000
SEED = 20261123


def ensure_professional_episodes(coordinator) -> int:
    """Create professional supports until the coordinator's operator has ACTIVE_EPISODES open
    ones (or every person of the operator has one); returns how many are open."""
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from tremplin.professional.models import Cer, ProfessionalSupport
    from tremplin.registry.models import Beneficiary
    from tremplin.rules.calendar import PARIS
    from tremplin.rules.programmes import first_cer_term
    from tremplin.support.models import Meeting, SupportEpisode

    operator = coordinator.memberships.get(role="coordinator").organisation
    open_ones = SupportEpisode.objects.filter(
        operator=operator, programme="professional", ended_on__isnull=True
    )
    missing = ACTIVE_EPISODES - open_ones.count()
    if missing <= 0:
        return open_ones.count()
    people = list(
        Beneficiary.objects.filter(operator=operator)
        .exclude(support_episodes__programme="professional")
        .order_by("pk")
        .values_list("pk", "referent_id")[:missing]
    )
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        episodes = SupportEpisode.objects.bulk_create(
            SupportEpisode(
                beneficiary_id=pk,
                programme="professional",
                operator=operator,
                referent_id=referent_id,
                started_on=today - dt.timedelta(days=rng.randint(0, 170)),
            )
            for pk, referent_id in people
        )
        ProfessionalSupport.objects.bulk_create(
            ProfessionalSupport(episode=episode, project="employment") for episode in episodes
        )
        cers, meetings = [], []
        for episode in episodes:
            term = first_cer_term(episode.started_on)
            cers.append(
                Cer(
                    episode=episode,
                    number=1,
                    start=term.start,
                    end=term.end,
                    objectives="Retour à l'emploi",
                )
            )
            day = episode.started_on
            while day <= today:
                for _ in range(rng.randint(0, 3)):
                    held = min(day + dt.timedelta(days=rng.randint(0, 27)), today)
                    meetings.append(
                        Meeting(
                            episode=episode,
                            starts_at=dt.datetime.combine(held, dt.time(10), tzinfo=PARIS),
                            duration_minutes=45,
                            place=Meeting.Place.OPERATOR,
                            kind=Meeting.Kind.INDIVIDUAL,
                            status=Meeting.Status.HELD,
                        )
                    )
                day += dt.timedelta(days=30)
        Cer.objects.bulk_create(cers)
        Meeting.objects.bulk_create(meetings, batch_size=2000)
    fresh_statistics()
    return open_ones.count()


@benchmark
def professional_cadence_view(context: BenchContext) -> list[Measurement]:
    from django.test import Client
    from django.urls import reverse

    from tremplin.accounts.models import User
    from tremplin.demo.management.commands.generate_data import BENCH_MAIL_DOMAIN
    from tremplin.professional.cadence import cadences
    from tremplin.professional.models import professional_episodes

    coordinator = User.objects.get(email=f"coordinateur01@{BENCH_MAIL_DOMAIN}")
    active = ensure_professional_episodes(coordinator)
    context.facts["professional_active_episodes"] = active
    users = {
        "coordinateur·rice": coordinator,
        "administrateur": User.objects.get(email=f"admin@{BENCH_MAIL_DOMAIN}"),
    }
    url = reverse("professional:below_cadence")
    measurements = []
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        queryset = professional_episodes(user).open()
        rows = []
        statements = captured_sql(lambda: rows.extend(cadences(queryset)))  # noqa: B023
        below = sum(1 for row in rows if row.below)
        page_queries = len(captured_sql(lambda: client.get(url)))  # noqa: B023
        for name, page_url in [
            ("Cadence : personnes sous la cadence, 1re page", url),
            ("Cadence : tri par référent, page 10", f"{url}?tri=referent&page=10"),
        ]:
            measurements.append(
                Measurement(
                    name=name,
                    role=role,
                    page_ms=time_page(client, page_url, context.runs),
                    sql_rows_ms=sum(
                        time_sql(sql, params, context.runs) for sql, params in statements
                    ),
                    rows=below,
                    queries=page_queries,
                    details={"episodes": len(rows), "statements": len(statements)},
                )
            )
    return measurements
