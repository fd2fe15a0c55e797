"""Company relations (rule P7): ROME codes, matching people to job offers, PMSMP immersions.

Pure Python (no Django). The ``companies`` app stores offers, profiles and immersions and
calls these functions with plain values.

- **ROME codes** (P7, "profils de poste, offres"): France Travail's Répertoire opérationnel
  des métiers et des emplois names a job by a letter of its 14 "grands domaines" (A to N)
  and 4 digits, e.g. ``K2204`` (nettoyage de locaux); its first three characters are the
  "domaine professionnel" (``K22``). A code must name a fiche of the list shipped in
  ``referentials`` (not only have the shape).
- **Matching** (P7, "vivier de candidats"): a person's job-search profile (ROME codes wished,
  places, weekly hours) against an offer (ROME code, postal code, weekly hours). The score
  out of 100 and the French reasons come together so that the page shows *why* a person is
  proposed. A person is proposed only when the job matches (same code or same domaine
  professionnel): place and hours rank, they do not exclude.
- **PMSMP** (P1, P7; Code du travail L5135-1 and D5135-3): an immersion lasts at most one
  month "de date à date", may be renewed once for the same object and objectives, and a
  person may do at most two immersions with the same host within 12 consecutive months,
  with different objects or objectives, for at most 60 days in total, renewals included.
  The numbers are dated parameters in ``data/companies.toml`` with their legal source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from tremplin.rules import referentials
from tremplin.rules.calendar import add_months
from tremplin.rules.identifiers import department_codes_of_postal_code
from tremplin.rules.programmes import load_parameters

PARAMETERS_FILE = Path(__file__).with_name("data") / "companies.toml"


class CompaniesRuleError(ValueError):
    """A value refused by a rule; the message is a French sentence citing the rule."""


def parameter(key: str, on: dt.date) -> int:
    """The value of ``pmsmp.<key>`` in force on ``on`` (data/companies.toml)."""
    return int(load_parameters(PARAMETERS_FILE)[f"pmsmp.{key}"].at(on).value)


# --- ROME codes ---------------------------------------------------------------------------

ROME_CODE = referentials.ROME_SHAPE


def normalize_rome_code(value: str) -> str:
    """``" k2204 "`` -> ``"K2204"``; a wrong shape or a code with no fiche is refused (P7)."""
    try:
        return referentials.normalize_rome_code(value, rule="P7")
    except referentials.UnknownCode as error:
        raise CompaniesRuleError(str(error)) from error


def rome_domain(code: str) -> str:
    """The "domaine professionnel" of a ROME code: its first three characters."""
    return code[:3]


def parse_rome_codes(text: str) -> tuple[str, ...]:
    """Codes separated by spaces, commas or semicolons, each checked, without duplicates."""
    codes: list[str] = []
    for part in re.split(r"[\s,;]+", text or ""):
        if part:
            code = normalize_rome_code(part)
            if code not in codes:
                codes.append(code)
    return tuple(codes)


def parse_areas(text: str) -> tuple[str, ...]:
    """Places wished: 5-digit postal codes or département codes (67, 2A, 974), checked."""
    areas: list[str] = []
    for part in re.split(r"[\s,;]+", (text or "").upper()):
        if not part:
            continue
        is_postal_code = re.fullmatch(r"\d{5}", part) and department_codes_of_postal_code(part)
        is_department = re.fullmatch(r"\d{2}|2A|2B|97\d", part)
        if not (is_postal_code or is_department):
            raise CompaniesRuleError(
                f"« {part} » n'est ni un code postal (5 chiffres, par exemple 67000) ni un "
                "numéro de département (par exemple 67) : corrigez les lieux recherchés "
                "(règle P7)."
            )
        if part not in areas:
            areas.append(part)
    return tuple(areas)


# --- matching -----------------------------------------------------------------------------

ROME_EXACT_POINTS = 50
ROME_DOMAIN_POINTS = 25
PLACE_EXACT_POINTS = 30
PLACE_DEPARTMENT_POINTS = 15
HOURS_POINTS = 20
MAX_SCORE = ROME_EXACT_POINTS + PLACE_EXACT_POINTS + HOURS_POINTS  # 100


@dataclass(frozen=True)
class SearchProfile:
    rome_codes: tuple[str, ...]
    areas: tuple[str, ...] = ()
    min_hours: Decimal | None = None
    max_hours: Decimal | None = None


@dataclass(frozen=True)
class OfferTerms:
    rome_code: str
    postal_code: str
    weekly_hours: Decimal


@dataclass(frozen=True)
class Match:
    score: int
    reasons: tuple[str, ...]
    #: same ROME code or same domaine professionnel: only then is the person proposed (P7)
    job_matches: bool


def _hours(value: Decimal) -> str:
    text = f"{value.normalize():f}".replace(".", ",")
    return f"{text} h"


def _departments_of(area: str) -> set[str]:
    return department_codes_of_postal_code(area) if len(area) == 5 else {area}


def match(profile: SearchProfile, offer: OfferTerms) -> Match:
    """Score (0 to 100) and reasons, the job first, then the place, then the hours."""
    reasons: list[str] = []
    score = 0
    job_matches = True
    if offer.rome_code in profile.rome_codes:
        score += ROME_EXACT_POINTS
        reasons.append(f"Même métier (code ROME {offer.rome_code})")
    elif rome_domain(offer.rome_code) in {rome_domain(code) for code in profile.rome_codes}:
        score += ROME_DOMAIN_POINTS
        reasons.append(f"Même domaine professionnel ({rome_domain(offer.rome_code)})")
    else:
        job_matches = False
        wished = ", ".join(profile.rome_codes) or "aucun code saisi"
        reasons.append(f"Métier différent ({offer.rome_code} ; recherché : {wished})")

    offer_departments = department_codes_of_postal_code(offer.postal_code)
    if offer.postal_code in profile.areas:
        score += PLACE_EXACT_POINTS
        reasons.append(f"Lieu recherché ({offer.postal_code})")
    elif any(offer_departments & _departments_of(area) for area in profile.areas):
        score += PLACE_DEPARTMENT_POINTS
        reasons.append(f"Même département ({', '.join(sorted(offer_departments))})")
    elif profile.areas:
        reasons.append(f"Hors des lieux recherchés ({offer.postal_code})")
    else:
        reasons.append("Lieux recherchés non renseignés")

    low, high = profile.min_hours, profile.max_hours
    if low is None and high is None:
        reasons.append("Heures souhaitées non renseignées")
    elif (low is None or offer.weekly_hours >= low) and (
        high is None or offer.weekly_hours <= high
    ):
        score += HOURS_POINTS
        reasons.append(f"Horaire compatible ({_hours(offer.weekly_hours)} par semaine)")
    else:
        wished = " à ".join(_hours(h) for h in (low, high) if h is not None)
        reasons.append(
            f"Horaire différent ({_hours(offer.weekly_hours)} par semaine ; souhaité : {wished})"
        )
    return Match(score, tuple(reasons), job_matches)


def rank(candidates: Iterable[tuple[Hashable, SearchProfile]], offer: OfferTerms):
    """``[(key, Match)]`` of the proposed candidates, best score first, stable on ties."""
    scored = [(key, match(profile, offer)) for key, profile in candidates]
    proposed = [(key, result) for key, result in scored if result.job_matches]
    return sorted(proposed, key=lambda pair: -pair[1].score)


# --- PMSMP --------------------------------------------------------------------------------


class ImmersionObject(StrEnum):
    """The three objects of a PMSMP (Code du travail L5135-1)."""

    DISCOVER = "discover"
    CONFIRM = "confirm"
    RECRUIT = "recruit"


IMMERSION_OBJECT_LABELS = {
    ImmersionObject.DISCOVER: "Découvrir un métier ou un secteur d'activité",
    ImmersionObject.CONFIRM: "Confirmer un projet professionnel",
    ImmersionObject.RECRUIT: "Initier une démarche de recrutement",
}


@dataclass(frozen=True)
class Immersion:
    """One PMSMP convention (or its renewal, ``renewal_of`` naming the first)."""

    key: Hashable
    host: Hashable
    object: str
    objectives: str
    start: dt.date
    end: dt.date
    renewal_of: Hashable | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _fr(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def last_day_within_months(start: dt.date, months: int) -> dt.date:
    """Last day of a period of ``months`` months "de date à date" from ``start``.

    Our reading of D5135-3: from the 15th to the 14th of the next month; when the next
    month has no such day (a start on 29, 30 or 31 January), the period ends on that
    month's last day.
    """
    same_date = add_months(start, months)
    if same_date.day != start.day:  # clamped to the end of a shorter month
        return same_date
    return same_date - dt.timedelta(days=1)


def _same_objectives(first: str, second: str) -> bool:
    return " ".join(first.lower().split()) == " ".join(second.lower().split())


def check_immersion(new: Immersion, others: Sequence[Immersion]) -> list[str]:
    """French findings (empty when the immersion respects L5135-1 and D5135-3).

    ``others`` are the person's other immersions (any host); ``new`` itself may be among
    them (an edit): it is then ignored there.
    """
    others = [other for other in others if other.key != new.key]
    findings: list[str] = []
    if new.object not in set(ImmersionObject):
        findings.append(
            "L'objet de la PMSMP doit être l'un des trois de l'article L5135-1 du Code du "
            "travail : découvrir un métier, confirmer un projet professionnel ou initier une "
            "démarche de recrutement."
        )
    if new.end < new.start:
        findings.append(
            f"La fin ({_fr(new.end)}) précède le début ({_fr(new.start)}) : corrigez les dates."
        )
        return findings
    months = parameter("max_months", new.start)
    last_allowed = last_day_within_months(new.start, months)
    if new.end > last_allowed:
        findings.append(
            f"Une PMSMP dure au plus {months} mois de date à date : commencée le "
            f"{_fr(new.start)}, elle finit au plus tard le {_fr(last_allowed)} (Code du "
            "travail, art. D5135-3). Pour continuer, enregistrez un renouvellement."
        )
    by_key = {other.key: other for other in others}
    if new.renewal_of is not None:
        first = by_key.get(new.renewal_of)
        if first is None:
            findings.append("La PMSMP renouvelée est introuvable parmi celles de la personne.")
        else:
            findings += _renewal_findings(new, first, others)
    findings += _host_window_findings(new, others)
    return findings


def _renewal_findings(new: Immersion, first: Immersion, others: Sequence[Immersion]) -> list[str]:
    findings = []
    if first.renewal_of is not None:
        findings.append(
            "On ne renouvelle pas un renouvellement : la PMSMP peut être renouvelée une seule "
            "fois (Code du travail, art. D5135-3)."
        )
    renewals = [o for o in others if o.renewal_of == first.key]
    if len(renewals) >= parameter("max_renewals", new.start):
        findings.append(
            f"La PMSMP du {_fr(first.start)} a déjà été renouvelée (le {_fr(renewals[0].start)}) : "
            "elle ne peut l'être qu'une fois (Code du travail, art. D5135-3)."
        )
    if (
        first.host != new.host
        or first.object != new.object
        or not _same_objectives(first.objectives, new.objectives)
    ):
        findings.append(
            "Un renouvellement se fait dans la même structure d'accueil, pour le même objet et "
            "les mêmes objectifs que la PMSMP initiale (Code du travail, art. D5135-3) ; pour "
            "d'autres objectifs, enregistrez une nouvelle PMSMP."
        )
    if new.start <= first.end:
        findings.append(
            f"Le renouvellement commence le {_fr(new.start)}, avant la fin de la PMSMP initiale "
            f"({_fr(first.end)}) : il doit commencer après."
        )
    return findings


def _host_window_findings(new: Immersion, others: Sequence[Immersion]) -> list[str]:
    """D5135-3 al. 3: in any 12 consecutive months, with one host, at most 2 conventions,
    with different objects or objectives, and 60 days in all, renewals included.

    The windows examined start on the start of each convention with this host (a window
    holding the most conventions can always be slid to start on one of them). Our reading:
    the 60 days apply as soon as two conventions with the host share a window."""
    same_host = [o for o in others if o.host == new.host] + [new]
    conventions = [o for o in same_host if o.renewal_of is None]
    window_months = parameter("window_months", new.start)
    max_conventions = parameter("max_conventions_per_host", new.start)
    max_days = parameter("max_days_per_host", new.start)
    findings: list[str] = []
    for anchor in sorted({c.start for c in conventions}):
        window_end = add_months(anchor, window_months) - dt.timedelta(days=1)
        inside = [c for c in conventions if anchor <= c.start <= window_end]
        keys = {c.key for c in inside}
        periods = [o for o in same_host if o.key in keys or o.renewal_of in keys]
        if new not in periods:
            continue
        if len(inside) > max_conventions and not any("au plus" in f for f in findings):
            findings.append(
                f"Avec la même structure d'accueil, une personne peut faire au plus "
                f"{max_conventions} PMSMP sur {window_months} mois consécutifs ; celle-ci "
                f"serait la {len(inside)}e depuis le {_fr(anchor)} (Code du travail, art. "
                "D5135-3)."
            )
        total = sum(period.days for period in periods)
        # The 60 days bound the *two* conventions of al. 3; one convention and its renewal
        # are bounded by al. 1 and 2 alone (1 month + 1 month, possibly 61 or 62 days).
        if len(inside) > 1 and total > max_days and not any("jours" in f for f in findings):
            findings.append(
                f"Avec la même structure d'accueil, les PMSMP d'une personne durent au plus "
                f"{max_days} jours en tout sur {window_months} mois consécutifs, "
                f"renouvellements compris ; on arriverait à {total} jours depuis le "
                f"{_fr(anchor)} (Code du travail, art. D5135-3)."
            )
        if new.renewal_of is None:
            twins = [
                c
                for c in inside
                if c.key != new.key
                and c.object == new.object
                and _same_objectives(c.objectives, new.objectives)
            ]
            if twins and not any("objectifs différents" in f for f in findings):
                findings.append(
                    f"Une seconde PMSMP dans la même structure d'accueil sur {window_months} "
                    "mois doit avoir un objet ou des objectifs différents de la première (du "
                    f"{_fr(twins[0].start)}) ; sinon, renouvelez celle-ci (Code du travail, "
                    "art. D5135-3)."
                )
    return findings
