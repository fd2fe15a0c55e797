"""The company relations' section of an employer's page (see ``web.panels``)."""

from tremplin.web import panels

from .forms import operators_of
from .models import EmployerContact, JobOffer, ProspectingAction

ACTIONS_SHOWN = 10


def employer_network(request, employer):
    user = request.user
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


def register():
    panels.register(panels.EMPLOYER_PAGE, "companies/employer_network.html", employer_network)
