"""PDFs of the conventions (``tremplin.web.pdf``): the convention laid out like the cerfa
with every field and the code tables (rule F1), and the repayment notice after an unlawful
employer rupture (rule F13)."""

from __future__ import annotations

from django.utils import timezone

from tremplin.registry.models import Beneficiary, Employer
from tremplin.rules import aid
from tremplin.rules.parameters import ParameterError
from tremplin.web.pdf import render_pdf

from . import services
from .models import SUPPORT_ACTIONS, TRAINING_ACTIONS, Convention, Initiative


def convention_context(convention: Convention) -> dict:
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
    }


def convention_pdf(convention: Convention) -> bytes:
    return render_pdf("conventions/pdf/convention.html", convention_context(convention))


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
