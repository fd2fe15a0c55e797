"""``tremplin support-plan``: the plan of an in-employment support, without an episode.

    tremplin support-plan --contract-start 2025-03-03 --trial-end 2025-04-02 \\
        --contract-type CDD --contract-end 2025-09-02 [--rupture 2025-06-10T14:00] \\
        [--not-renewed] [--format json]

The JSON output is a contract::

    {"deliverables": [{"code": "trial_review", "due": "2025-04-02", "rule": "A11", …}, …],
     "phases": [...], "dropped": [...], "hour_budget_hours": 12}

``due`` is a date (AAAA-MM-JJ), or an ISO datetime with its offset when the deadline has an
hour ("2025-06-12T14:00:00+02:00", the 48 hours of rule A14, Paris time). Keys may be added,
never renamed. Without ``--format json``: a French table. Bad input ends with a French
message and exit code 2. The rules live in ``tremplin.rules.programmes``.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand

from tremplin.rules.calendar import to_paris
from tremplin.rules.programmes import (
    InEmploymentFacts,
    RuleError,
    Rupture,
    SupportPlan,
    in_employment_plan,
    parameter,
    parse_contract_type,
)
from tremplin.web.commands import bad_input
from tremplin.web.dates import french_date, french_datetime


def _parse_date(text: str | None, option: str, *, required: bool = False) -> dt.date | None:
    if text is None:
        if required:
            raise bad_input(f"L'option {option} est obligatoire (date AAAA-MM-JJ).")
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise bad_input(
            f"{option} : « {text} » n'est pas une date valide ; écrivez-la AAAA-MM-JJ, "
            "par exemple 2025-03-03."
        ) from None


def _parse_moment(text: str, option: str) -> dt.datetime:
    """A moment with its hour; without an offset it is Paris time."""
    cleaned = text.strip()
    example = "par exemple 2025-06-10T14:00 (heure de Paris)"
    if len(cleaned) <= len("AAAA-MM-JJ"):
        raise bad_input(
            f"{option} : indiquez aussi l'heure à laquelle la rupture a été connue, {example} ; "
            "le délai de signalement se compte en heures (A14)."
        )
    try:
        return to_paris(dt.datetime.fromisoformat(cleaned))
    except ValueError:
        raise bad_input(
            f"{option} : « {text} » n'est pas une date et heure valide ; {example}."
        ) from None


def _iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


def _french(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return f"{french_datetime(value)} (heure de Paris)"
    return french_date(value)


def plan_as_json(plan: SupportPlan, contract_start: dt.date) -> dict[str, object]:
    """The command's JSON contract; also usable by the API."""
    return {
        "deliverables": [
            {
                "code": item.code,
                "due": _iso(item.due),
                "rule": item.rule,
                "label": item.label,
                "responsible": item.responsible,
                "recipient": item.recipient,
                "note": item.note,
            }
            for item in plan.deliverables
        ],
        "phases": [
            {
                "code": phase.code,
                "label": phase.label,
                "rule": phase.rule,
                "start": phase.first.isoformat(),
                "end": phase.last.isoformat(),
            }
            for phase in plan.phases
        ],
        "dropped": [
            {
                "code": dropped.deliverable.code,
                "due": _iso(dropped.deliverable.due),
                "rule": dropped.deliverable.rule,
                "label": dropped.deliverable.label,
                "reason": dropped.reason,
            }
            for dropped in plan.dropped
        ],
        "hour_budget_hours": parameter("in_employment.hour_budget_hours", contract_start).value,
    }


def plan_as_table(plan: SupportPlan, contract_start: dt.date) -> str:
    def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

        def line(cells: tuple[str, ...]) -> str:
            cells_padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            return "  ".join(cells_padded).rstrip()

        return [line(header), "  ".join("-" * width for width in widths), *map(line, rows)]

    lines = ["Phases de l'accompagnement"]
    lines += table(
        ("Phase", "Du", "Au", "Règle"),
        [(p.label, _french(p.first), _french(p.last), p.rule) for p in plan.phases],
    )
    lines += ["", "Livrables et échéances"]
    lines += table(
        ("Livrable", "Échéance", "Règle", "Par", "Destinataire"),
        [
            (item.label, _french(item.due), item.rule, item.responsible, item.recipient or "—")
            for item in plan.deliverables
        ],
    )
    notes = [f"- {item.label} : {item.note}" for item in plan.deliverables if item.note]
    if notes:
        lines += ["", "Remarques", *notes]
    if plan.dropped:
        lines += ["", "Livrables qui ne sont plus dus"]
        lines += [
            f"- {d.deliverable.label} ({d.deliverable.rule}) : {d.reason}" for d in plan.dropped
        ]
    budget = parameter("in_employment.hour_budget_hours", contract_start)
    lines += ["", f"Budget d'accompagnement : {budget.value} heures dès le début du contrat (A5)."]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Calcule le plan d'un accompagnement dans l'emploi (CUI-CIE) : phases, livrables et "
        "échéances (règles A11 à A14, C10, E6), sans créer d'accompagnement."
    )

    def add_arguments(self, parser):
        # Required options are checked in handle() so that a missing one gets a French message.
        parser.add_argument("--contract-start", help="début du contrat (embauche), AAAA-MM-JJ")
        parser.add_argument("--trial-end", help="dernier jour de la période d'essai, AAAA-MM-JJ")
        parser.add_argument("--contract-type", help="CDI ou CDD")
        parser.add_argument("--contract-end", help="dernier jour du CDD, AAAA-MM-JJ")
        parser.add_argument(
            "--rupture", help="moment où la rupture est connue, AAAA-MM-JJTHH:MM (heure de Paris)"
        )
        parser.add_argument(
            "--not-renewed", action="store_true", help="le CDD se termine sans pérennisation"
        )
        parser.add_argument("--format", default="table", help="table (défaut) ou json")

    def handle(self, *args, **options):
        output_format = (options["format"] or "table").strip().lower()
        if output_format not in {"table", "json"}:
            raise bad_input(
                f"--format : « {options['format']} » inconnu ; choisissez table ou json."
            )
        start = _parse_date(options["contract_start"], "--contract-start", required=True)
        if options["contract_type"] is None:
            raise bad_input("L'option --contract-type est obligatoire (CDI ou CDD).")
        try:
            contract_type = parse_contract_type(options["contract_type"])
        except RuleError as error:
            raise bad_input(f"--contract-type : {error.message}") from None
        facts = InEmploymentFacts(
            contract_start=start,
            contract_type=contract_type,
            contract_end=_parse_date(options["contract_end"], "--contract-end"),
            trial_end=_parse_date(options["trial_end"], "--trial-end"),
            rupture=(
                Rupture(_parse_moment(options["rupture"], "--rupture"))
                if options["rupture"] is not None
                else None
            ),
            not_renewed=options["not_renewed"],
        )
        try:
            plan = in_employment_plan(facts)
        except RuleError as error:
            raise bad_input(error.message) from None
        if output_format == "json":
            self.stdout.write(json.dumps(plan_as_json(plan, start), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(plan_as_table(plan, start))
