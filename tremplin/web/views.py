from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tremplin.accounts.access import scope_of


@login_required
def home(request):
    """The greeting, then the sections the apps register for the home (``web.panels``)."""
    return render(request, "web/home.html", {"has_no_role": scope_of(request.user).is_empty})
