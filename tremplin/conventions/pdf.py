"""PDFs of the conventions (``tremplin.web.pdf``): the convention laid out like the cerfa
with every field and the code tables (rule F1), and the repayment notice after an unlawful
employer rupture (rule F13)."""

from __future__ import annotations

from django.utils import timezone

from tremplin.accounts import audit
from tremplin.accounts.access import scope_of
from tremplin.accounts.models import AuditEntry
from tremplin.registry.models import Beneficiary, Employer
from tremplin.rules import aid, identifiers
from tremplin.rules.parameters import ParameterError
from tremplin.web.pdf import render_pdf

from . import services
from .models import SUPPORT_ACTIONS, TRAINING_ACTIONS, Convention, Initiative


def may_print_identifiers(user, convention: Convention) -> bool:
    """Who gets the cerfa with the person's full NIR and allocation number (the official
    form, rule F1): the département's agents of the convention's territory, the
    administrators, and the staff (referents, coordinators) of the convention's operator.
    Anyone else who may open the convention (a referent of another operator following the
    person) gets them masked, as on every page."""
    scope = scope_of(user)
    if scope.is_admin or convention.territory_id in scope.agent_territory_ids:
        return True
    if convention.operator_id is None:
        return False
    return convention.operator_id in scope.coordinated_operator_ids or (
        scope.is_referent and convention.operator_id in scope.organisation_ids
    )


def identifiers_of(beneficiary: Beneficiary, in_full: bool) -> dict:
    """The NIR and the allocation number as the cerfa prints them: in full, or masked."""
    if in_full:
        return {
            "nir": identifiers.format_nir(beneficiary.nir),
            "rsa_number": beneficiary.rsa_number,
            "identifiers_in_full": True,
        }
    return {
        "nir": beneficiary.nir_masked,
        "rsa_number": beneficiary.rsa_number_masked,
        "identifiers_in_full": False,
    }


def record_identifiers_printed(convention: Convention) -> None:
    """Each cerfa printed with the full identifiers leaves its line in the audit log (who,
    when, which person, which convention)."""
    audit.record(
        AuditEntry.Action.EXPORT,
        convention.beneficiary,
        changes={"champs": ["nir", "rsa_number"], "convention": convention.pk},
        object_repr=f"Cerfa de la {convention} : NIR et n° allocataire en clair de "
        f"{convention.beneficiary}",
    )


def convention_context(convention: Convention, identifiers_in_full: bool = False) -> dict:
    try:
        schedule = services.schedule_of(convention)
    except (aid.AidRuleError, ParameterError):
        schedule = None
    return {
        "convention": convention,
        "beneficiary": convention.beneficiary,
        "employer": convention.employer,
        "support_actions": [(label, getattr(convention, name)) for name, label in SUPPORT_ACTIONS],
        "training_actions": [
            (label, getattr(convention, name)) for name, label in TRAINING_ACTIONS
        ],
        "initiatives": Initiative.choices,
        "employer_statuses": Employer.Status.choices,
        "education_levels": Beneficiary.EducationLevel.choices,
        "schedule": schedule,
        "rate_decision": services.rate_decision(convention),
        "immersions": list(convention.immersions.all()),
        "printed_on": timezone.localdate(),
        **identifiers_of(convention.beneficiary, identifiers_in_full),
    }


def convention_pdf(convention: Convention, identifiers_in_full: bool = False) -> bytes:
    return render_pdf(
        "conventions/pdf/convention.html", convention_context(convention, identifiers_in_full)
    )


def repayment_notice_pdf(convention: Convention, rupture, repayment: aid.Repayment) -> bytes:
    return render_pdf(
        "conventions/pdf/repayment.html",
        {
            "convention": convention,
            "rupture": rupture,
            "repayment": repayment,
            "printed_on": timezone.localdate(),
        },
    )
