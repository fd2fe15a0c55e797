from django.utils.functional import SimpleLazyObject

from tremplin.accounts.access import scope_of

from . import queues


def _work_count(request):
    """How many items wait in the user's queues: read once per request (the panels render
    with the request too), and only when a template shows it."""
    count = getattr(request, "_tremplin_work_count", None)
    if count is None:
        count = SimpleLazyObject(lambda: queues.kept_work_count(request.user))
        request._tremplin_work_count = count
    return count


def navigation(request):
    """The scope of the logged-in user, and the count of their queues, for the navigation
    bar."""
    if not hasattr(request, "user"):
        return {"scope": None, "work_count": 0}
    return {"scope": scope_of(request.user), "work_count": _work_count(request)}
