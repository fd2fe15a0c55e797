"""The registry's section of the home page (see ``web.panels``)."""

from tremplin.web import panels

from .counts import visible_count
from .models import Beneficiary, Employer

RECENT_SHOWN = 8
# What the list of files changed lately shows (``registry/_home.html``): not the 60 columns
# of a file and its référent's account (their password's hash included).
RECENT_COLUMNS = (
    "last_name",
    "first_names",
    "updated_at",
    "referent__first_name",
    "referent__last_name",
)


def home(request, _obj):
    """What the user can see of the registry, and the files changed lately."""
    beneficiaries = Beneficiary.objects.visible_to(request.user)
    return {
        "beneficiary_count": visible_count(request.user),
        "employer_count": Employer.objects.visible_to(request.user).count(),
        "recent_beneficiaries": beneficiaries.select_related("referent")
        .only(*RECENT_COLUMNS)
        .order_by("-updated_at")[:RECENT_SHOWN],
    }


def register():
    panels.register(panels.HOME, "registry/_home.html", home, order=10)
