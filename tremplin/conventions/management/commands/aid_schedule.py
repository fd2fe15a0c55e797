"""``tremplin aid-schedule``: the employer aid of a CUI month by month, without a convention.

    tremplin aid-schedule --rate 47 --hours 26 --start 2025-03-15 --end 2025-09-14 \\
        [--suspension 2025-05-01:2025-05-10 ...] [--format json]

The JSON output is a contract shared with ``POST /api/v1/aid/simulate``::

    {"months": [{"month": "2025-03", "days_covered": 17, "days_in_month": 31,
                 "smic_hourly": "11.88", "rate": "47", "hours": "26", "amount": "344.98",
                 "explanation": "…"}, …],
     "total": "…"}

Keys may be added, never renamed; amounts are decimal strings. Suspensions given here are
unpaid (rule F12). Bad input ends with a French message on stderr and exit code 2.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand

from tremplin.conventions.services import smic_series
from tremplin.rules.aid import (
    RATE_CAP_PERCENT,
    WEEKLY_HOURS_MAX,
    WEEKLY_HOURS_MIN,
    AidRuleError,
    AidSchedule,
    Suspension,
    aid_schedule,
    french_date,
    french_euros,
    french_month,
    french_number,
    plain,
)
from tremplin.rules.parameters import ParameterError
from tremplin.web.commands import bad_input


def _parse_date(text: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise bad_input(
            f"{option} : « {text} » n'est pas une date valide ; écrivez-la AAAA-MM-JJ, "
            "par exemple 2025-03-15."
        ) from None


def _parse_decimal(text: str, option: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise bad_input(f"{option} : « {text} » n'est pas un nombre.") from None
    if not value.is_finite():
        raise bad_input(f"{option} : « {text} » n'est pas un nombre.")
    return value


def _parse_suspension(text: str) -> Suspension:
    first, separator, last = text.partition(":")
    if not separator:
        raise bad_input(
            f"--suspension : « {text} » doit s'écrire DÉBUT:FIN, par exemple 2025-05-01:2025-05-10."
        )
    start = _parse_date(first, "--suspension")
    end = _parse_date(last, "--suspension")
    if end < start:
        raise bad_input(
            f"--suspension : la fin ({french_date(end)}) précède le début ({french_date(start)})."
        )
    return Suspension(start, end, paid=False, reason="suspension sans rémunération")


def schedule_as_json(schedule: AidSchedule) -> dict[str, object]:
    """The simulator's JSON contract."""
    return {
        "months": [
            {
                "month": month.month,
                "days_covered": month.days_covered,
                "days_in_month": month.days_in_month,
                "smic_hourly": str(month.smic_hourly),
                "rate": plain(month.rate_percent),
                "hours": plain(month.weekly_hours),
                "amount": str(month.amount),
                "explanation": month.explanation,
            }
            for month in schedule.months
        ],
        "total": str(schedule.total),
    }


class Command(BaseCommand):
    help = (
        "Calcule l'aide à l'employeur d'un CUI mois par mois (simulateur, sans convention) : "
        "taux × SMIC horaire brut × heures hebdomadaires × 52/12, au prorata des jours couverts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rate", required=True, help="taux de prise en charge en %% (ex. 47)")
        parser.add_argument(
            "--hours", required=True, help="durée hebdomadaire prise en charge (ex. 26)"
        )
        parser.add_argument("--start", required=True, help="début de l'aide, AAAA-MM-JJ")
        parser.add_argument("--end", required=True, help="fin de l'aide (incluse), AAAA-MM-JJ")
        parser.add_argument(
            "--suspension",
            action="append",
            default=[],
            metavar="DÉBUT:FIN",
            help="suspension sans rémunération, dates incluses (répétable)",
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **options):
        rate = _parse_decimal(options["rate"], "--rate")
        hours = _parse_decimal(options["hours"], "--hours")
        start = _parse_date(options["start"], "--start")
        end = _parse_date(options["end"], "--end")
        suspensions = [_parse_suspension(text) for text in options["suspension"]]
        self._check(rate, hours, start, end, suspensions)
        try:
            schedule = aid_schedule(
                start, end, rate, hours, suspensions=suspensions, smic=smic_series()
            )
        except (AidRuleError, ParameterError) as error:
            raise bad_input(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(schedule_as_json(schedule), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self._table(schedule))

    def _check(self, rate, hours, start, end, suspensions) -> None:
        if end < start:
            raise bad_input(
                f"La date de fin ({french_date(end)}) précède la date de début "
                f"({french_date(start)}) : corrigez --start ou --end."
            )
        if not Decimal(0) < rate <= RATE_CAP_PERCENT:
            raise bad_input(
                f"--rate : le taux doit être compris entre 0 et {plain(RATE_CAP_PERCENT)} % du "
                f"SMIC horaire brut (règle E6) ; saisi : {plain(rate)}."
            )
        if not WEEKLY_HOURS_MIN <= hours <= WEEKLY_HOURS_MAX:
            raise bad_input(
                f"--hours : la durée hebdomadaire prise en charge doit être comprise entre "
                f"{plain(WEEKLY_HOURS_MIN)} et {plain(WEEKLY_HOURS_MAX)} heures (règles C8, E12) "
                f"; saisi : {plain(hours)}."
            )
        for suspension in suspensions:
            if suspension.start < start or suspension.end > end:
                raise bad_input(
                    f"--suspension : la suspension du {french_date(suspension.start)} au "
                    f"{french_date(suspension.end)} sort de la période d'aide "
                    f"({french_date(start)} – {french_date(end)})."
                )

    def _table(self, schedule: AidSchedule) -> str:
        header = ("Mois", "Jours couverts", "SMIC horaire", "Taux", "Heures", "Montant")
        rows = []
        for month in schedule.months:
            year, number = (int(part) for part in month.month.split("-"))
            rows.append(
                (
                    french_month(year, number),
                    f"{month.days_covered}/{month.days_in_month}",
                    french_euros(month.smic_hourly),
                    f"{french_number(month.rate_percent)} %",
                    f"{french_number(month.weekly_hours)} h",
                    french_euros(month.amount),
                )
            )
        rows.append(("Total", "", "", "", "", french_euros(schedule.total)))
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

        def line(cells):
            left = cells[0].ljust(widths[0])
            return "  ".join(
                [left, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))]
            )

        lines = [line(header), "  ".join("-" * w for w in widths)]
        lines += [line(row) for row in rows[:-1]]
        lines += ["  ".join("-" * w for w in widths), line(rows[-1]), ""]
        lines += [month.explanation for month in schedule.months]
        return "\n".join(lines)
