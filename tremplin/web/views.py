from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tremplin.accounts.access import scope_of
from tremplin.registry.models import Beneficiary, Employer


@login_required
def home(request):
    scope = scope_of(request.user)
    beneficiaries = Beneficiary.objects.visible_to(request.user)
    context = {
        "beneficiary_count": beneficiaries.count(),
        "employer_count": Employer.objects.visible_to(request.user).count(),
        "recent_beneficiaries": beneficiaries.select_related("referent").order_by("-updated_at")[
            :8
        ],
        "has_no_role": scope.is_empty,
    }
    return render(request, "web/home.html", context)
