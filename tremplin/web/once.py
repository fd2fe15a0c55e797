"""No double submission: every POST form of the product is sent once.

Two guards, one in the browser and one on the server:

- ``static/tremplin/submit_once.js`` disables a form's buttons once it is sent (no inline
  script: the Content-Security-Policy forbids them);
- every POST form carries a one-time token, ``{% form_token %}`` placed next to
  ``{% csrf_token %}{% form_token %}`` (a built-in tag, see ``TEMPLATES`` in the settings; a test walks every
  template and checks each ``method="post"`` form has it). ``OneTimeFormMiddleware``
  consumes the token in the database **in the same transaction as the view**: a row per
  token, unique. Two POSTs of the same form 50 ms apart therefore run one after the other —
  the second waits on the unique index (PostgreSQL) or on the write lock (SQLite) until the
  first commits — and the second, finding the token used, saves nothing: it says so in
  French and goes where the first went (its redirection).

A submission that did not succeed (the form shown again with its errors: no redirection
and no success message) gives its token back in the same transaction, so that the
corrected form can be sent. The token is signed (Django's signing, with the secret key), so
a forged one is refused; a POST without a token (the API, the provider's webhook, a program)
is not concerned — except in the technical admin (``/admin-technique/``), whose every form
is one of the project's templates (``templates/admin/``, each with its token): there a form
POST without a token is refused, as a forged one. The view then runs inside the middleware's transaction, as
``web.transactions.WriteTransactionMiddleware`` runs any other writing request's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from .models import FormSubmission

FORM_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

FIELD = "form_token"
SALT = "tremplin.web.once"
# Tokens older than this are forgotten (a page kept open longer is sent as a new form).
KEEP_DAYS = 2
PURGE_EVERY = 500  # rows: the old ones are deleted when the row's number is a multiple

ALREADY_SENT = (
    "Ce formulaire avait déjà été envoyé (double clic ou nouvel envoi de la page) : il n'a "
    "été enregistré qu'une fois. Voici le résultat du premier envoi."
)
MISSING = (
    "Ce formulaire est arrivé sans son jeton d'envoi. Rien n'a été enregistré : revenez à la "
    "page précédente, rechargez-la puis envoyez-la de nouveau."
)
FORGED = (
    "Ce formulaire n'a pas pu être vérifié (son jeton d'envoi est altéré). Rien n'a été "
    "enregistré : revenez à la page précédente, rechargez-la puis envoyez-la de nouveau."
)


def new_token() -> str:
    """A fresh signed token for one form."""
    return signing.Signer(salt=SALT).sign(secrets.token_urlsafe(18))


def hidden_field() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _succeeded(request, response) -> str | None:
    """Where the submission led when it succeeded (its redirection, or the page itself
    when it said it succeeded), None when the form came back with its errors."""
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        return response["Location"]
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    if response.status_code < 300 and any(m.level == messages.SUCCESS for m in queued):
        return request.get_full_path()
    return None


def _purge(submission: FormSubmission) -> None:
    if submission.pk % PURGE_EVERY == 0:
        old = timezone.now() - dt.timedelta(days=KEEP_DAYS)
        FormSubmission.objects.filter(created_at__lt=old).delete()


def _already_sent(request, digest: str):
    first = FormSubmission.objects.filter(digest=digest).values_list("result_url", flat=True)
    target = first.first() or request.get_full_path()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = request.get_full_path()
    messages.warning(request, ALREADY_SENT)
    return redirect(target)


class OneTimeFormMiddleware:
    """Consumes the form's token and runs the view in one transaction (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Only the pages' forms carry a token; a JSON body (the API) is never parsed here.
        if request.method != "POST" or request.content_type not in FORM_CONTENT_TYPES:
            return None
        try:
            token = request.POST.get(FIELD, "")
        except MultiPartParserError:
            return None  # a malformed body: the view answers it (400), not this middleware
        if not token:
            if request.path.startswith(reverse("admin:index")):
                return render(request, "web/form_forged.html", {"message": MISSING}, status=400)
            return None
        try:
            signing.Signer(salt=SALT).unsign(token)
        except signing.BadSignature:
            return render(request, "web/form_forged.html", {"message": FORGED}, status=400)
        digest = _digest(token)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    submission = FormSubmission.objects.create(
                        digest=digest, path=request.path[:500]
                    )
            except IntegrityError:
                return _already_sent(request, digest)
            response = view_func(request, *view_args, **view_kwargs)
            result = _succeeded(request, response)
            if result is None:
                submission.delete()  # the token comes back: the corrected form can be sent
            else:
                submission.result_url = result[:2000]
                submission.save(update_fields=["result_url"])
                _purge(submission)
            return response
