from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import audit
from .models import AuditEntry


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    token = audit.set_context(audit.context_from_request(request))
    try:
        audit.record(AuditEntry.Action.LOGIN, user, object_repr=user.email)
    finally:
        audit.reset_context(token)
