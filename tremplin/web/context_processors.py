from tremplin.accounts.access import scope_of


def navigation(request):
    """The scope of the logged-in user, for the navigation bar."""
    return {"scope": scope_of(request.user) if hasattr(request, "user") else None}
