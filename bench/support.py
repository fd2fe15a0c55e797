"""Benchmarks of the in-employment support: the referent's home with a portfolio of
60 people, and the daily deadline job (``tremplin deadlines``) over 20,000 open episodes.

The support's data is generated here when the bench database has none (the registry's
generator makes people, not supports): the first 20,000 people that have a referent get a
CUI-CIE episode started in the last 200 days (a CDD of 6 months, or a CDI one time in four;
one rupture in ten), its deadlines computed by ``tremplin.rules.programmes`` and stored with
``bulk_create``; the bench referent's people come first and get meetings, some this week.
The data is kept with the rest of the bench database and reused by the next run.
"""

import datetime as dt
import random

from bench.core import (
    BenchContext,
    Measurement,
    benchmark,
    captured_sql,
    fresh_statistics,
    time_page,
    time_sql,
)

OPEN_EPISODES = 20_000
BATCH = 2_000


def _bench_referent():
    """The referent with the most open in-employment supports; before they exist, the one
    with the most people without any support (the professional bench takes some)."""
    from django.db.models import Count, Q

    from tremplin.accounts.models import User
    from tremplin.demo.management.commands.generate_data import BENCH_MAIL_DOMAIN
    from tremplin.support.models import SupportEpisode

    busiest = (
        SupportEpisode.objects.filter(programme="in_employment", ended_on__isnull=True)
        .values("referent")
        .annotate(people=Count("pk"))
        .order_by("-people", "referent")
        .first()
    )
    if busiest and busiest["people"] >= 30:
        return User.objects.get(pk=busiest["referent"])
    free = (
        User.objects.filter(email__startswith="referent", email__endswith=BENCH_MAIL_DOMAIN)
        .annotate(
            free=Count(
                "followed_beneficiaries",
                filter=Q(followed_beneficiaries__support_episodes__isnull=True),
            )
        )
        .order_by("-free", "email")
        .first()
    )
    return free


def generate_support_data(target: int, seed: int = 2026) -> dict:
    """Episodes (with their deadlines, some ruptures and meetings) up to ``target`` open
    in-employment episodes; returns the figures for the results file."""
    import time

    from django.db import transaction
    from django.utils import timezone

    from tremplin.accounts.models import User
    from tremplin.conventions.models import Rupture as ContractRupture
    from tremplin.registry.models import Beneficiary, Employer
    from tremplin.rules.calendar import PARIS
    from tremplin.rules.programmes import (
        ContractType,
        InEmploymentFacts,
        Rupture,
        in_employment_plan,
    )
    from tremplin.support.models import (
        Deadline,
        Meeting,
        Notification,
        SupportEpisode,
    )

    existing = SupportEpisode.objects.filter(
        programme="in_employment", ended_on__isnull=True
    ).count()
    if existing >= target:
        return {"episodes": existing, "reused": True}
    started = time.perf_counter()
    rng = random.Random(seed)
    today = timezone.localdate()
    referent = _bench_referent()
    employers_by_territory: dict[int, list[int]] = {}
    for pk, territory_id in Employer.objects.values_list("pk", "territory_id"):
        employers_by_territory.setdefault(territory_id, []).append(pk)
    people = Beneficiary.objects.filter(referent__isnull=False, support_episodes__isnull=True)
    mine = list(people.filter(referent=referent).values_list("pk", "territory_id", "operator_id"))
    others = people.exclude(referent=referent).order_by("pk")
    others = others.values_list("pk", "territory_id", "operator_id")[: target - existing]
    chosen = (mine + list(others))[: target - existing]
    if not chosen:  # a small bench database: every person already has a support
        return {"episodes": existing, "reused": True}
    mine_ids = {row[0] for row in mine}
    referent_of = dict(
        Beneficiary.objects.filter(pk__in=[row[0] for row in chosen]).values_list(
            "pk", "referent_id"
        )
    )
    email_of = dict(
        User.objects.filter(pk__in=set(referent_of.values())).values_list("pk", "email")
    )
    episodes_made = deadlines_made = ruptures_made = meetings_made = 0
    for first in range(0, len(chosen), BATCH):
        batch = chosen[first : first + BATCH]
        with transaction.atomic():
            episodes, facts_of, ruptures = [], [], []
            for pk, territory_id, operator_id in batch:
                start = today - dt.timedelta(days=rng.randrange(0, 200))
                cdi = rng.random() < 0.25
                employers = employers_by_territory.get(territory_id) or [None]
                episode = SupportEpisode(
                    beneficiary_id=pk,
                    programme="in_employment",
                    referent_id=referent_of[pk],
                    operator_id=operator_id,
                    employer_id=rng.choice(employers),
                    rsa_adviser_name="Conseiller RSA",
                    rsa_adviser_email="conseiller.rsa@bench.invalid",
                    contract_type="CDI" if cdi else "CDD",
                    contract_start=start,
                    trial_end=start + dt.timedelta(days=29),
                    contract_end=None if cdi else start + dt.timedelta(days=183),
                    started_on=start,
                )
                rupture = None
                # a rupture is known before today and, for a CDD, before its term (A14)
                last_day = (today - start).days
                if episode.contract_end is not None:
                    last_day = min(last_day, (episode.contract_end - start).days)
                if rng.random() < 0.1 and last_day > 40:
                    known = start + dt.timedelta(days=rng.randrange(31, last_day))
                    rupture = Rupture(known_at=dt.datetime.combine(known, dt.time(14), PARIS))
                episodes.append(episode)
                facts_of.append(
                    InEmploymentFacts(
                        contract_start=start,
                        contract_type=ContractType(episode.contract_type),
                        contract_end=episode.contract_end,
                        trial_end=episode.trial_end,
                        rupture=rupture,
                    )
                )
                ruptures.append(rupture)
            # A rupture is one row of the conventions' ruptures; these contracts were signed
            # outside Tremplin, so each support points to its own (no convention).
            contract_ruptures = [
                ContractRupture(
                    beneficiary_id=episode.beneficiary_id,
                    known_at=rupture.known_at,
                    last_day=rupture.known_at.date(),
                    initiative="employee",
                    reason="Démission (données de mesure)",
                    concertation_held=True,
                    acknowledged_at=rupture.known_at,
                )
                for episode, rupture in zip(episodes, ruptures, strict=True)
                if rupture is not None
            ]
            ContractRupture.objects.bulk_create(contract_ruptures)
            if contract_ruptures and contract_ruptures[0].pk is None:
                by_person = dict(
                    ContractRupture.objects.filter(
                        beneficiary_id__in=[r.beneficiary_id for r in contract_ruptures]
                    ).values_list("beneficiary_id", "pk")
                )
                for row in contract_ruptures:
                    row.pk = by_person[row.beneficiary_id]
            rupture_of = {row.beneficiary_id: row.pk for row in contract_ruptures}
            for episode in episodes:
                episode.contract_rupture_id = rupture_of.get(episode.beneficiary_id)
            SupportEpisode.objects.bulk_create(episodes)
            if episodes[0].pk is None:  # backends that do not return keys
                by_person = dict(
                    SupportEpisode.objects.filter(
                        beneficiary_id__in=[e.beneficiary_id for e in episodes]
                    ).values_list("beneficiary_id", "pk")
                )
                for episode in episodes:
                    episode.pk = by_person[episode.beneficiary_id]
            rows, meetings = [], []
            referent_of_episode = {e.pk: e.referent_id for e in episodes}
            for episode, facts in zip(episodes, facts_of, strict=True):
                for item in in_employment_plan(facts).deliverables:
                    deadline = Deadline(episode_id=episode.pk, code=item.code)
                    deadline.fill_from_rule(item)
                    rows.append(deadline)
                if episode.beneficiary_id in mine_ids:
                    days_ago = rng.choice([0, 1, 2, 10, 45])
                    day = max(today - dt.timedelta(days=days_ago), episode.contract_start)
                    meetings.append(
                        Meeting(
                            episode_id=episode.pk,
                            starts_at=dt.datetime.combine(day, dt.time(10), PARIS),
                            duration_minutes=60,
                            place="company",
                            kind="individual",
                            status="held",
                            report="Point d'étape (données de mesure).",
                        )
                    )
            # The steady state of a département where the job runs every morning: most past
            # deliverables were sent, the others were already notified overdue, and past
            # ruptures were reported; the job then has only the day's news to send.
            for deadline in rows:
                if deadline.due_on < today - dt.timedelta(days=14) and rng.random() < 0.9:
                    deadline.state = Deadline.State.SENT
                    deadline.sent_to = deadline.recipient or "Cellule contrats aidés"
                    deadline.sent_at = deadline.due_on
            Deadline.objects.bulk_create(rows, batch_size=1000)
            Meeting.objects.bulk_create(meetings)
            notified = []
            for deadline in rows:
                if deadline.pk is None or deadline.state == Deadline.State.SENT:
                    continue
                if deadline.due_on < today - dt.timedelta(days=1):
                    notified.append(
                        Notification(
                            kind=Notification.Kind.OVERDUE,
                            deadline_id=deadline.pk,
                            recipient=email_of[referent_of_episode[deadline.episode_id]],
                        )
                    )
                if deadline.code == "rupture_notice" and deadline.due_on < today:
                    notified.append(
                        Notification(
                            kind=Notification.Kind.RUPTURE,
                            deadline_id=deadline.pk,
                            recipient="cellule@bench.invalid",
                        )
                    )
            Notification.objects.bulk_create(notified, batch_size=1000)
        episodes_made += len(episodes)
        deadlines_made += len(rows)
        ruptures_made += len(contract_ruptures)
        meetings_made += len(meetings)
        print(f"  accompagnements : {existing + episodes_made}/{target}", flush=True)
    fresh_statistics()
    return {
        "episodes": existing + episodes_made,
        "deadlines": deadlines_made,
        "ruptures": ruptures_made,
        "meetings": meetings_made,
        "seconds": round(time.perf_counter() - started, 2),
        "reused": False,
    }


def _day_sql(referent):
    """The SQL of the home's deadline query, as ``my_day_context`` sends it."""
    from tremplin.support.views.my_day import my_day_context

    statements = captured_sql(lambda: my_day_context(referent, programme="in_employment"))
    return max(statements, key=lambda statement: "support_deadline" in statement[0])


@benchmark
def referent_home_and_daily_job(context: BenchContext) -> list[Measurement]:
    from django.core import mail
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client, override_settings
    from django.utils import timezone

    from tremplin.support import notifications
    from tremplin.support.models import SupportEpisode

    context.facts["support"] = generate_support_data(OPEN_EPISODES)
    referent = _bench_referent()
    portfolio = SupportEpisode.objects.filter(referent=referent, ended_on__isnull=True).count()
    client = Client()
    client.force_login(referent)
    measurements = []
    day_sql = _day_sql(referent)
    for name, url in (("Accueil du référent", "/"), ("Ma journée", "/accompagnements/ma-journee/")):
        measurements.append(
            Measurement(
                name=f"{name} ({portfolio} personnes accompagnées)",
                role="référent·e",
                page_ms=time_page(client, url, context.runs),
                sql_rows_ms=time_sql(*day_sql, context.runs),
                queries=len(captured_sql(lambda: client.get(url))),  # noqa: B023
                details={"portfolio": portfolio, "day_sql": day_sql},
            )
        )

    measurements.append(_person_file(context.runs))

    open_episodes = SupportEpisode.objects.filter(ended_on__isnull=True).count()
    today, now = timezone.localdate(), timezone.now()

    def dry_run():
        return [
            *notifications.pending_rupture_messages(),
            *notifications.pending_refusal_messages(),
            *notifications.deadline_messages(today, 7, now),
        ]

    from bench.core import median_ms

    messages = dry_run()
    measurements.append(
        Measurement(
            name=f"Tâche quotidienne des échéances, simulation ({open_episodes} ouverts)",
            role="tâche planifiée",
            page_ms=median_ms(dry_run, max(1, context.runs // 2)),
            rows=len(messages),
            queries=len(captured_sql(dry_run)),
            details={"messages": len(messages)},
        )
    )

    # --send once, in a transaction rolled back so that the next run finds the same work.
    import time

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        with transaction.atomic():
            started = time.perf_counter()
            queries = len(captured_sql(lambda: call_command("deadlines", "--send", stdout=_Null())))
            send_ms = (time.perf_counter() - started) * 1000
            sent = len(mail.outbox)
            transaction.set_rollback(True)
    measurements.append(
        Measurement(
            name=f"Tâche quotidienne des échéances, envoi ({open_episodes} ouverts)",
            role="tâche planifiée",
            page_ms=send_ms,
            rows=sent,
            queries=queries,
            details={"emails": sent},
        )
    )
    return measurements


def _person_file(runs: int) -> Measurement:
    """The person's file the load test opens as the référent (``bench.load.plan``: their
    first person by name), through the test client, with its query count."""
    from django.test import Client
    from django.urls import reverse

    from bench.registry import bench_users
    from tremplin.registry.models import Beneficiary

    referent = bench_users()["référent·e"]
    person = Beneficiary.objects.visible_to(referent).order_by("last_name").first()
    client = Client()
    client.force_login(referent)
    url = reverse("registry:beneficiary_detail", args=[person.pk])
    return Measurement(
        name="Dossier d'une personne (celle du test de charge)",
        role="référent·e",
        page_ms=time_page(client, url, runs),
        queries=len(captured_sql(lambda: client.get(url))),
    )


class _Null:
    def write(self, text):
        pass

    def flush(self):
        pass
