"""``{% employer_network employer %}``: the operator's network section of an employer page."""

from django import template

from tremplin.companies.forms import operators_of
from tremplin.companies.models import EmployerContact, JobOffer, ProspectingAction

register = template.Library()

ACTIONS_SHOWN = 10


@register.inclusion_tag("companies/employer_network.html", takes_context=True)
def employer_network(context, employer):
    user = context["request"].user
    actions = (
        ProspectingAction.objects.visible_to(user)
        .filter(employer=employer)
        .select_related("done_by", "contact")
    )
    return {
        "employer": employer,
        # A département agent reads the operators' network but records nothing in it.
        "can_record": operators_of(user).exists(),
        "contacts": EmployerContact.objects.visible_to(user).filter(employer=employer),
        "actions": actions[:ACTIONS_SHOWN],
        "offers": JobOffer.objects.visible_to(user)
        .filter(employer=employer, status=JobOffer.Status.OPEN)
        .only("id", "title", "rome_code", "weekly_hours", "status"),
    }
