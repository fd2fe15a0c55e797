"""The département agent's work queue, on the home page (``panels``): what waits for the
agent, each item one click from its action.

- conventions to sign (A10, F2);
- ruptures and suspensions reported, not yet taken into account (A14, C9, F12), a rupture
  that opens the repayment check flagged (F13);
- the quarterly proofs of activity missing for the conventions paid this month (E6, F10);
- the payments of the month: how many conventions, and a link to the payment list with
  its amounts (E6, F6) — the home computes no aid schedule;
- the SMIC and the aid-rate orders to review when the newest value is more than 12 months
  old (E1, ``rules.staleness``).

A fixed number of queries whatever the territory's size: counts, the first few items of
each list, and the conventions running this month read as plain rows with their proofs
received (``payments.missing_proofs_in_month``), without their amounts.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tremplin.accounts.access import scope_of
from tremplin.accounts.models import Territory
from tremplin.rules import staleness
from tremplin.rules.aid import french_month
from tremplin.web import kept
from tremplin.web.links import reverse
from tremplin.web.queues import (
    SHOWN,
    QueueItem,
    QueueSection,
    Warning,
    WorkQueue,
    counted,
    counted_first,
)

from . import payments, services
from .models import AidOrder, Convention, Rupture, Suspension

# The facts the agent's kept readings come from (``web.kept``): the conventions, their
# events and proofs, and the people they belong to (their territory decides who sees them).
KEPT_FACTS = "conventions"


def conventions_changed(sender, **kwargs) -> None:
    """A signal's receiver: a convention, one of its events or proofs, or a person saved or
    deleted."""
    kept.changed(KEPT_FACTS)


# What the items show, and only that: a convention read whole with its person is some 200
# columns, whose query and rows cost more than the database's answer (8 ms for 5 items).
_PERSON = ("beneficiary__last_name", "beneficiary__first_names")


def _number_columns(path: str = "") -> tuple[str, ...]:
    """The columns of a convention's number (F2), through ``path`` from the row read."""
    prefix = f"{path}__" if path else ""
    return tuple(
        prefix + name
        for name in (
            "number_department", "number_year", "number_order", "renewal_count",
            "modification_count",
        )
    )  # fmt: skip


def may_acknowledge(user) -> bool:
    """Département agents and administrators take reported events into account."""
    scope = scope_of(user)
    return scope.is_admin or bool(scope.agent_territory_ids)


def _to_sign(conventions) -> QueueSection:
    drafts = conventions.filter(signed_on__isnull=True)
    count = drafts.count()
    items = [
        QueueItem(
            label=f"{convention.beneficiary} — {convention.employer}",
            url=reverse("conventions:sign", args=[convention.pk]),
            action="Signer",
            detail=f"brouillon {convention.sector} du {convention.created_at:%d/%m/%Y}",
        )
        for convention in drafts.select_related("beneficiary", "employer")
        .only("sector", "created_at", *_PERSON, "employer__name")
        .order_by("created_at", "id")[:SHOWN]
    ]
    return QueueSection(
        "to_sign",
        counted(count, "%(count)d convention à signer", "%(count)d conventions à signer"),
        count,
        items,
        more_url=reverse("conventions:list") + "?statut=brouillon",
        more_label="Tous les brouillons",
    )


def _ruptures(user) -> QueueSection:
    count, first = counted_first(
        Rupture.objects.visible_to(user)
        .to_process()
        .select_related("beneficiary", "convention")
        .only(
            "last_day",
            "known_at",
            "initiative",
            "lawful_case",
            "convention_id",
            "beneficiary__last_name",
            "beneficiary__first_names",
            *_number_columns("convention"),
        ),  # fmt: skip
        ("known_at",),
    )
    items = []
    for rupture in first:
        items.append(
            QueueItem(
                label=f"{rupture} — {rupture.beneficiary}",
                url=rupture.get_absolute_url() + "#rupture",
                action="Prendre en compte",
                detail=f"connue le {timezone.localtime(rupture.known_at):%d/%m/%Y à %H:%M}, "
                f"{rupture.initiative_phrase}"
                + (
                    f", convention n° {rupture.convention.number}"
                    if rupture.convention_id
                    else ", contrat signé hors Tremplin"
                ),
                flag="reversement de l'aide à vérifier (règle F13)"
                if rupture.opens_repayment_check
                else "",
            )
        )
    return QueueSection(
        "ruptures",
        counted(count, "%(count)d rupture à traiter", "%(count)d ruptures à traiter"),
        count,
        items,
    )


def _suspensions(user) -> QueueSection:
    count, first = counted_first(
        Suspension.objects.visible_to(user)
        .to_process()
        .select_related("convention__beneficiary")
        .only(
            "start",
            "end",
            "paid",
            "convention_id",
            *_number_columns("convention"),
            *(f"convention__{name}" for name in _PERSON),
        ),  # fmt: skip
        ("start",),
    )
    items = [
        QueueItem(
            label=f"{suspension} — {suspension.convention.beneficiary}",
            url=suspension.convention.get_absolute_url() + "#suspensions",
            action="Prendre en compte",
            detail=f"{'rémunérée' if suspension.paid else 'sans rémunération, sans aide (règle F12)'}"
            f", convention n° {suspension.convention.number}",
        )
        for suspension in first
    ]
    return QueueSection(
        "suspensions",
        counted(count, "%(count)d suspension à traiter", "%(count)d suspensions à traiter"),
        count,
        items,
    )


def _proofs_and_payments(
    user, conventions, month: str, today: datetime.date
) -> tuple[QueueSection, QueueSection]:
    """The conventions whose aid runs this month, those among them missing their quarterly
    proofs (E6, F10), by plain queries: no aid schedule is computed on the home page. The
    month's amounts are on the payment list, one click away (E6, F6).

    At 20,000 running conventions the reading takes a few hundred milliseconds: it is kept
    (``web.kept``) until a convention, one of its events or proofs, or a person is written,
    or ``TREMPLIN_QUEUE_CACHE_SECONDS`` pass."""
    count, missing = kept.kept(
        KEPT_FACTS,
        ("proofs", user.pk, month, today),
        lambda: payments.missing_proofs_in_month(conventions, month, today),
        settings.TREMPLIN_QUEUE_CACHE_SECONDS,
    )
    shown = (
        Convention.objects.select_related("beneficiary", "employer")
        .only(*_PERSON, "employer__name", *_number_columns())
        .in_bulk([pk for pk, _flag in missing[:SHOWN]])
    )
    payment_url = reverse("conventions:payments") + f"?mois={month}"
    proofs = QueueSection(
        "proofs",
        counted(
            len(missing),
            "%(count)d convention payée ce mois sans ses justificatifs trimestriels",
            "%(count)d conventions payées ce mois sans leurs justificatifs trimestriels",
        ),
        len(missing),
        [
            QueueItem(
                label=f"{shown[pk].beneficiary} — {shown[pk].employer.name}",
                url=reverse("conventions:proof_create", args=[pk]),
                action="Enregistrer les justificatifs",
                detail=f"convention {shown[pk].number}, manquants : {flag}",
            )
            for pk, flag in missing[:SHOWN]
            if pk in shown
        ],
        more_url=payment_url,
        more_label="La liste des paiements, justificatifs manquants signalés",
        # Rules E6 and F10: the aid stays due; the missing proof is flagged.
        note="L'employeur envoie ses justificatifs d'activité chaque trimestre ; l'aide reste "
        "due, le manque est signalé.",
    )
    month_name = french_month(*map(int, month.split("-")))
    payments_section = QueueSection(
        "payments",
        f"Paiements de {month_name} : "
        + counted(count, "%(count)d convention", "%(count)d conventions"),
        count,
        more_url=payment_url,
        more_label="Ouvrir la liste des paiements du mois (montants par employeur et financeur)",
        empty="",
    )
    return proofs, payments_section


def stale_law(user, today: datetime.date) -> list[Warning]:
    """Rule E1: the SMIC and the orders of the agent's regions, when more than 12 months old
    (or, for an order, past its validity) — the law never goes stale silently."""
    warnings = []
    smic = staleness.smic_staleness(today, services.smic_series())
    if smic.stale:
        warnings.append(Warning(smic.message, reverse("conventions:smic"), "Saisir le SMIC"))
    scope = scope_of(user)
    regions = dict(
        Territory.objects.filter(pk__in=scope.agent_territory_ids)
        .order_by("region_code")
        .values_list("region_code", "region_name")
    )
    for code, name in regions.items():
        found = AidOrder.objects.at(code, today)
        order = staleness.order_staleness(found, today, region_label=f"la région {name or code}")
        if order.stale:
            warnings.append(
                Warning(order.message, reverse("conventions:order_create"), "Saisir l'arrêté")
            )
    return warnings


# The sections the navigation's badge counts (``agent_count``).
BADGE_SECTIONS = ("to_sign", "ruptures", "suspensions")


def work_queue(user, today: datetime.date | None = None) -> WorkQueue | None:
    """The queue of a département agent (None for the other roles); computed once per user
    object (the home page and the navigation's badge read the same)."""
    scope = scope_of(user)
    if not scope.agent_territory_ids:
        return None
    cached = getattr(user, "_tremplin_agent_queue", None)
    if cached is not None and today is None:
        return cached
    asked_for_today = today is None  # only today's queue is kept on the user
    today = today or timezone.localdate()
    conventions = Convention.objects.visible_to(user).filter(
        Q(territory_id__in=scope.agent_territory_ids)
    )
    month = payments.month_key(today)
    proofs, payments_section = _proofs_and_payments(user, conventions, month, today)
    queue = WorkQueue(
        sections=[
            _to_sign(conventions),
            _ruptures(user),
            _suspensions(user),
            proofs,
            payments_section,
        ],
        warnings=stale_law(user, today),
        month_label=french_month(today.year, today.month),
    )
    if asked_for_today:
        user._tremplin_agent_queue = queue
    return queue


def agent_count(user) -> int:
    """The navigation's badge for a département agent: conventions to sign, ruptures and
    suspensions to take into account (three counts; the quarterly proofs and the payments,
    read from the month's payment list, are on the home page only). On the home page the
    queue is already there and its counts are read."""
    scope = scope_of(user)
    if not scope.agent_territory_ids:
        return 0
    queue = getattr(user, "_tremplin_agent_queue", None)
    if queue is not None:
        return sum(section.count for section in queue.sections if section.key in BADGE_SECTIONS)
    conventions = Convention.objects.visible_to(user).filter(
        territory_id__in=scope.agent_territory_ids, signed_on__isnull=True
    )
    return (
        conventions.count()
        + Rupture.objects.visible_to(user).to_process().count()
        + Suspension.objects.visible_to(user).to_process().count()
    )
