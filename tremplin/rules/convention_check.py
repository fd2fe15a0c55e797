"""The law checkable from outside: a convention as plain JSON in, its findings out.

``tremplin convention-check`` and ``POST /api/v1/conventions/check`` run the wizard's checks
(``eligibility.check_convention``) on a convention described in JSON, and save nothing. This
module is their shared, pure part: ``check_mapping(data)`` parses the JSON (every mistake is
a French sentence naming its key), builds the same ``ConventionDraft`` as the wizard — with
the same ages (``ages_of``, also used by ``conventions.services.draft_of``) and the same
order for the hire (rule E1, ``parameters.aid_order_at``) — and returns the findings.

The input (a contract: exactly these keys; only ``kind`` is required)::

    {"kind": "CIE", "department": "67", "signed_on": "2026-02-20",
     "beneficiary": {"birth_date": "1985-04-12", "rsa": true, "ass": false,
                     "disabled_worker": false},
     "employer": {"last_economic_dismissal_on": null, "late_social_contributions": false},
     "contract": {"type": "CDD", "start": "2026-03-02", "end": "2026-09-01",
                  "weekly_hours": 26, "hourly_gross_wage": "12.40"},
     "aid": {"start": "2026-03-02", "end": "2026-09-01", "rate": "47", "weekly_hours": 26},
     "tutor": {"experience_years": 5, "employees_followed": 1}}

Dates are ``AAAA-MM-JJ``; amounts and hours are numbers or strings ("12.40", "26,5"); an
absent key, or ``null``, means "not known", never false: it raises no finding by itself, and
an exception it might allow (the age, RSA, ASS, disabled-worker status: C5, E4, E6) turns a
blocking finding into a warning naming it (``ConventionDraft.unknown_facts``). Dates lie
within the product's calendar (1900–2100), numbers below a million with 6 decimals at most;
beyond, the input is refused naming the key. The output (also
a contract)::

    {"findings": [{"rule": "C3", "severity": "blocking", "message": "…"}], "signable": false}

``tutor.employees_followed`` counts the employees the tutor follows at once, this one
included (rule C12). The rules the input can raise: C3, C5, C7, C8, E1, E4, E6, E9, E12, F5,
F8, C12 (and C13 never: immersions are not in the input; C1, C2, E5, E11 need facts the
input does not carry — the wizard checks them).

Nothing here imports Django.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta

from tremplin.rules import eligibility
from tremplin.rules.aid import french_number
from tremplin.rules.calendar import EARLIEST_DAY, LATEST_DAY, day_in_bounds
from tremplin.rules.identifiers import departments
from tremplin.rules.parameters import AidOrder, DatedSeries, aid_order_at, aid_orders

# Rule C5: « âgés de 50 ans minimum à l'échéance des 24 mois ».
AGE_HORIZON_MONTHS = 24
# Rules C5 (50 and more), E3 and E4 (58 and more).
AGE_50 = 50
AGE_58 = 58


@dataclass(frozen=True)
class Ages:
    """The ages the checks need, from the birth date and the hire (or the aid's start)."""

    age: int
    aged_50_plus: bool  # 50 or more at the 24-month date (rule C5)
    aged_58_plus: bool  # 58 or more at the hire (rules E3, E4)


def ages_of(birth_date: datetime.date, day: datetime.date) -> Ages:
    age = relativedelta(day, birth_date).years
    at_horizon = relativedelta(day + relativedelta(months=AGE_HORIZON_MONTHS), birth_date).years
    return Ages(age, at_horizon >= AGE_50, age >= AGE_58)


# --- The input's keys (the contract) ---------------------------------------------------------

SECTIONS: dict[str, tuple[str, ...]] = {
    "beneficiary": ("birth_date", "rsa", "ass", "disabled_worker"),
    "employer": ("last_economic_dismissal_on", "late_social_contributions"),
    "contract": ("type", "start", "end", "weekly_hours", "hourly_gross_wage"),
    "aid": ("start", "end", "rate", "weekly_hours"),
    "tutor": ("experience_years", "employees_followed"),
}
TOP_LEVEL_KEYS = ("kind", "department", "signed_on", *SECTIONS)
KINDS = ("CIE", "CAE")
CONTRACT_TYPES = ("CDI", "CDD")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# No amount, hours, rate, years or count of a convention reaches a million, nor needs more than
# 6 decimals: beyond, a number is a typing error, refused before any arithmetic (a number like
# 1e999999999 overflows the decimal context, 1e-999999999 writes a billion digits).
LARGEST_NUMBER = Decimal(1_000_000)
MOST_DECIMALS = 6
QUOTED_LENGTH = 40


class CheckInputError(ValueError):
    """The JSON cannot be checked; ``errors`` are (key, French sentence naming the key)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [message for _, message in self.errors]

    def by_key(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for key, message in self.errors:
            grouped.setdefault(key, []).append(message)
        return grouped


def _json_kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "un objet JSON"
    if isinstance(value, list):
        return "une liste JSON"
    if isinstance(value, bool):
        return "un booléen"
    text = str(value)
    if len(text) > QUOTED_LENGTH:  # a long value is a mistake: its start names it
        text = text[:QUOTED_LENGTH] + "…"
    if isinstance(value, str):
        return f"le texte « {text} »"
    return f"« {text} »"


class _Reader:
    """Reads typed values out of the JSON, collecting a French error per bad key."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append((key, f"« {key} » : {message}"))

    def section(self, data: Mapping, name: str) -> Mapping:
        value = data.get(name)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.error(name, f"un objet JSON est attendu ({{…}}), pas {_json_kind(value)}.")
            return {}
        self.unknown_keys(value, SECTIONS[name], prefix=f"{name}.")
        return value

    def unknown_keys(self, data: Mapping, allowed: Iterable[str], prefix: str = "") -> None:
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                self.error(
                    f"{prefix}{key}",
                    f"clé inconnue ; clés possibles{' dans « ' + prefix[:-1] + ' »' if prefix else ''}"
                    f" : {', '.join(allowed)}.",
                )

    def date(self, data: Mapping, name: str, key: str) -> datetime.date | None:
        value = data.get(name)
        if value is None:
            return None
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                day = datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                # Within the product's calendar (calendar.day_in_bounds, as every form and
                # the API): 0001 or 9999 is a typing error, and overflows the arithmetic.
                if day_in_bounds(day):
                    return day
                self.error(
                    key,
                    f"{_json_kind(value)} est hors des limites : saisissez une date entre le "
                    f"{EARLIEST_DAY:%d/%m/%Y} et le {LATEST_DAY:%d/%m/%Y}.",
                )
                return None
        self.error(key, f"{_json_kind(value)} n'est pas une date au format AAAA-MM-JJ.")
        return None

    def boolean(self, data: Mapping, name: str, key: str) -> bool | None:
        value = data.get(name)
        if value is None or isinstance(value, bool):
            return value
        self.error(key, f"true ou false est attendu, pas {_json_kind(value)}.")
        return None

    def number(
        self, data: Mapping, name: str, key: str, *, integer: bool = False
    ) -> Decimal | None:
        value = data.get(name)
        if value is None:
            return None
        expected = "un nombre entier" if integer else "un nombre (par exemple 26 ou « 12.40 »)"
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.error(key, f"{expected} est attendu, pas {_json_kind(value)}.")
            return None
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(key, f"{expected} est attendu, pas {_json_kind(value)}.")
            return None
        if number < 0:
            self.error(key, f"{_json_kind(value)} est négatif : un nombre positif est attendu.")
            return None
        if number >= LARGEST_NUMBER:
            self.error(
                key,
                f"{_json_kind(value)} est trop grand : un nombre inférieur à "
                f"{french_number(LARGEST_NUMBER)} est attendu.",
            )
            return None
        if number != number.quantize(Decimal(1).scaleb(-MOST_DECIMALS)):
            self.error(
                key,
                f"{_json_kind(value)} a trop de décimales : {MOST_DECIMALS} chiffres après la "
                "virgule au plus.",
            )
            return None
        if integer and number != number.to_integral_value():
            self.error(key, f"{expected} est attendu, pas {_json_kind(value)}.")
            return None
        return number

    def choice(self, data: Mapping, name: str, key: str, choices: tuple[str, ...]) -> str | None:
        value = data.get(name)
        if value is None:
            return None
        if value not in choices:
            self.error(
                key,
                f"{_json_kind(value)} n'est pas une valeur possible ; choisissez {_or(choices)}.",
            )
            return None
        return value  # type: ignore[return-value]


def _or(choices: tuple[str, ...]) -> str:
    quoted = [f"« {choice} »" for choice in choices]
    return ", ".join(quoted[:-1]) + " ou " + quoted[-1] if len(quoted) > 1 else quoted[0]


@dataclass(frozen=True)
class CheckInput:
    """The parsed input: the draft the checks run on, and the region whose order applies."""

    draft: eligibility.ConventionDraft
    department: str | None
    region_code: str | None
    reference_day: datetime.date | None


Orders = Iterable[AidOrder] | Callable[[], Iterable[AidOrder]] | None


def parse_input(data: object, orders: Orders = None) -> CheckInput:
    """The JSON as a ``ConventionDraft``, or ``CheckInputError`` (French, naming each key).

    ``orders`` are the aid orders to choose from (default: the shipped files), or a function
    giving them, called only once the input is valid; the order proposed is the region's in
    force at the hire, else the newest known one, outside its validity (the checks then warn,
    rule E1) — as in the wizard.
    """
    if not isinstance(data, Mapping):
        raise CheckInputError(
            [
                (
                    "__all__",
                    "Un objet JSON est attendu ({« kind »: « CIE », …}), pas "
                    f"{_json_kind(data)}.",
                )
            ]
        )
    read = _Reader()
    read.unknown_keys(data, TOP_LEVEL_KEYS)
    if data.get("kind") is None:
        read.error("kind", "clé obligatoire : indiquez « CIE » ou « CAE ».")
        kind = None
    else:
        kind = read.choice(data, "kind", "kind", KINDS)
    department = data.get("department")
    region_code = None
    if department is not None:
        if not isinstance(department, str):
            read.error(
                "department",
                f"un code de département en texte est attendu (par exemple « 67 » ou « 2A »), "
                f"pas {_json_kind(department)}.",
            )
            department = None
        elif department.strip() not in departments():
            read.error(
                "department",
                f"{_json_kind(department)} n'est pas un code de département connu (par exemple "
                "« 67 » ou « 2A »).",
            )
            department = None
        else:
            department = department.strip()
            region_code = departments()[department].region_code
    signed_on = read.date(data, "signed_on", "signed_on")
    beneficiary = read.section(data, "beneficiary")
    employer = read.section(data, "employer")
    contract = read.section(data, "contract")
    aid_box = read.section(data, "aid")
    tutor = read.section(data, "tutor")

    birth_date = read.date(beneficiary, "birth_date", "beneficiary.birth_date")
    rsa = read.boolean(beneficiary, "rsa", "beneficiary.rsa")
    ass = read.boolean(beneficiary, "ass", "beneficiary.ass")
    disabled = read.boolean(beneficiary, "disabled_worker", "beneficiary.disabled_worker")
    dismissal = read.date(
        employer, "last_economic_dismissal_on", "employer.last_economic_dismissal_on"
    )
    late = read.boolean(employer, "late_social_contributions", "employer.late_social_contributions")
    contract_type = read.choice(contract, "type", "contract.type", CONTRACT_TYPES)
    hire = read.date(contract, "start", "contract.start")
    end = read.date(contract, "end", "contract.end")
    contract_hours = read.number(contract, "weekly_hours", "contract.weekly_hours")
    wage = read.number(contract, "hourly_gross_wage", "contract.hourly_gross_wage")
    aid_start = read.date(aid_box, "start", "aid.start")
    aid_end = read.date(aid_box, "end", "aid.end")
    rate = read.number(aid_box, "rate", "aid.rate")
    aid_hours = read.number(aid_box, "weekly_hours", "aid.weekly_hours")
    experience = read.number(tutor, "experience_years", "tutor.experience_years")
    followed = read.number(tutor, "employees_followed", "tutor.employees_followed", integer=True)
    if contract_type == "CDI" and end is not None:
        # The wizard's form refuses it the same way (rule C7).
        read.error(
            "contract.end",
            "un CDI n'a pas de date de fin : retirez-la ou choisissez « CDD » (règle C7).",
        )
    if read.errors:
        raise CheckInputError(read.errors)

    # The wizard's reference day: the hire, else the aid's start (services.reference_day).
    day = hire or aid_start
    ages = ages_of(birth_date, day) if birth_date is not None and day is not None else None
    order = None
    region_without_order = None
    if region_code is not None and day is not None:
        known = aid_orders() if orders is None else orders() if callable(orders) else orders
        of_sector = [o for o in known if o.sector == kind]
        order = aid_order_at(region_code, day, of_sector).order
        if order is None:  # none at all for the region: said, never silent (rule E1)
            region_without_order = departments()[department].region_name  # type: ignore[index]
    # Absent facts are not known, never false: an exception they might allow is a warning
    # naming them, not a blocking finding (rules C5, E4, E6).
    unknown = {
        eligibility.FACT_AGE: ages is None,
        eligibility.FACT_RSA: rsa is None,
        eligibility.FACT_ASS: ass is None,
        eligibility.FACT_DISABLED_WORKER: disabled is None,
    }
    draft = eligibility.ConventionDraft(
        sector=kind,  # type: ignore[arg-type]
        last_economic_dismissal=dismissal,
        contributions_up_to_date=None if late is None else not late,
        disabled_worker=bool(disabled),
        aged_50_plus=bool(ages and ages.aged_50_plus),
        aged_58_plus=bool(ages and ages.aged_58_plus),
        receives_minimum_income=bool(rsa or ass),
        ass_beneficiary=bool(ass),
        contract_type=contract_type,
        hire_date=hire,
        planned_end=end,
        contract_weekly_hours=contract_hours,
        hourly_gross_wage=wage,
        tutor_experience_years=experience,
        tutor_employees_followed=int(followed) if followed is not None else None,
        signature_date=signed_on,
        aid_start=aid_start,
        aid_end=aid_end,
        subsidised_weekly_hours=aid_hours,
        rate_percent=rate,
        order=order,
        unknown_facts=frozenset(fact for fact, absent in unknown.items() if absent),
        region_without_order=region_without_order,
    )
    return CheckInput(draft, department, region_code, day)


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[eligibility.Finding, ...]

    @property
    def signable(self) -> bool:
        return eligibility.signable(list(self.findings))

    def as_dict(self) -> dict[str, object]:
        """The output contract: exactly ``findings`` (rule, severity, message) and
        ``signable``."""
        return {
            "findings": [
                {"rule": finding.rule, "severity": finding.severity, "message": finding.message}
                for finding in self.findings
            ],
            "signable": self.signable,
        }


def check_mapping(
    data: object, orders: Orders = None, smic: DatedSeries | None = None
) -> CheckResult:
    """The wizard's checks on the JSON ``data``; raises ``CheckInputError`` on bad input."""
    parsed = parse_input(data, orders)
    return CheckResult(tuple(eligibility.check_convention(parsed.draft, smic)))
