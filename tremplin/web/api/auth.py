"""Who calls the API: a personal token (programs) or the browser's session (the docs page).

Tokens are tried first so that a program never meets a CSRF check; the session comes
second and, as on the pages, needs a CSRF token for any request that changes data.
"""

from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from tremplin.accounts import audit
from tremplin.accounts.models import ApiToken

from .errors import CSRF_FAILED, FrenchHttpError


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a personal token from the account page."""

    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is None:
            return None
        # The session middleware left an anonymous user: the views, the visibility rules
        # and the audit log must all see the token's owner instead.
        request.user = user
        # The audit middleware captured the anonymous user before we knew the caller; it
        # resets this context variable at the end of the request.
        audit.set_context(audit.context_from_request(request, source="api"))
        return user


class BrowserSessionAuth(SessionAuth):
    """Django's session, with the CSRF check of the pages for unsafe methods."""

    def _get_key(self, request):
        # Without a logged-in session the answer is "authenticate" (401), not a CSRF
        # failure (403) that would send the caller looking for the wrong problem.
        if not request.user.is_authenticated:
            return None
        if check_csrf(request):
            raise FrenchHttpError(403, CSRF_FAILED)
        return request.COOKIES.get(self.param_name)
