"""The audit log: every read of a person's file and every write, with who, when and where.

One mechanism for pages, API, commands and jobs: a middleware puts the request's context
(user, address, browser) in a context variable; model signals record creations, updates
(with the changed fields, old and new values, personal identifiers masked) and deletions
of the models registered here; views and API call ``record_view`` when they show a file.
"""

import contextvars
import datetime
import decimal
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from .bulk import insert_values
from .models import AuditEntry


@dataclass(frozen=True)
class AuditContext:
    user: object = None
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""
    source: str = "commande"


_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "tremplin_audit_context", default=None
)
_COMMAND_CONTEXT = AuditContext()


def current_context() -> AuditContext:
    return _context.get() or _COMMAND_CONTEXT


def set_context(context: AuditContext):
    return _context.set(context)


def reset_context(token) -> None:
    _context.reset(token)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: the peer's (REMOTE_ADDR), unless Tremplin runs behind
    ``TREMPLIN_TRUSTED_PROXIES`` reverse proxies; then the address the outermost trusted
    proxy saw, the N-th from the right of X-Forwarded-For (each proxy appends its peer;
    what the client wrote itself stands further left and is ignored)."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    proxies = settings.TREMPLIN_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    return _valid_ip(hops[-proxies]) or remote


# A value of the query string with this many digits may be a NIR (15) or an allocation
# number (7): searching by it must not write it in clear in the log.
_IDENTIFIER_DIGITS = 7
MASKED = "[numéro masqué]"


def loggable_path(request) -> str:
    """The path as the log keeps it: the query string's values that hold an identifier's
    digits masked (a search by NIR stays a search, its number does not)."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return request.path
    pairs = [
        (key, MASKED if len(re.findall(r"\d", value)) >= _IDENTIFIER_DIGITS else value)
        for key, value in parse_qsl(query, keep_blank_values=True)
    ]
    return f"{request.path}?{urlencode(pairs)}"


def context_from_request(request, source: str = "web") -> AuditContext:
    ip_address = client_ip(request)
    return AuditContext(
        user=getattr(request, "user", None),
        ip_address=ip_address or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        path=loggable_path(request)[:300],
        source=source,
    )


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        token = set_context(context_from_request(request, source))
        try:
            return self.get_response(request)
        finally:
            reset_context(token)


# model class -> (fields whose values are never written in the log)
_registry: dict[type, frozenset[str]] = {}


def _json_value(value):
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    return value


# model class -> the attribute names of its columns (computed once per model)
_attnames: dict[type, tuple[str, ...]] = {}


def _snapshot(instance) -> dict:
    """The values of the row's columns (None for a column not loaded)."""
    model = type(instance)
    names = _attnames.get(model)
    if names is None:
        names = _attnames[model] = tuple(f.attname for f in model._meta.concrete_fields)
    values = instance.__dict__
    return {name: values.get(name) for name in names}


def record(
    action: str, instance=None, *, changes=None, object_type="", object_id="", object_repr=""
):
    context = current_context()
    user = context.user if getattr(context.user, "is_authenticated", False) else None
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk or "")
        object_repr = object_repr or str(instance)
    return AuditEntry.objects.create(
        actor=user,
        actor_email=user.email if user else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        ip_address=context.ip_address,
        user_agent=context.user_agent,
        path=context.path,
        source=context.source,
    )


def record_view(instance):
    return record(AuditEntry.Action.VIEW, instance)


def record_form_view(instance) -> None:
    """An edit form shows the whole record (a person's full NIR and allocation number, for
    one): its display is a view, recorded for a saved record of an audited model (a form
    for a new record shows nothing held yet)."""
    if instance is not None and instance.pk is not None and type(instance) in _registry:
        record_view(instance)


def record_views(instances, *, describe=str) -> int:
    """One view entry per record of ``instances`` (a list an API page gives out), written
    in one statement: as many entries as records read, the same number of queries however
    many there are. Their string forms should not reach other rows (join what they name);
    ``describe`` names a record whose string form holds free text (a barrier's description)
    by what it is instead. Gives the number written."""
    return bulk_record(
        AuditEntry.Action.VIEW, ((instance, {}) for instance in instances), describe=describe
    )


def _remember_loaded_values(sender, instance, **kwargs):
    # Every row of an audited model loaded by any page comes here, most of them only read:
    # a copy of the instance's attributes (its columns, as loaded) is the cheapest snapshot;
    # ``_changes`` looks the columns up in it.
    instance._audit_loaded = instance.__dict__.copy()


def _label(model, attname: str) -> str:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return getattr(field, "audit_name", field.name)
    return attname


def _changes(instance) -> dict:
    secret = _registry[type(instance)]
    before = getattr(instance, "_audit_loaded", {})
    changes = {}
    for attname, new in _snapshot(instance).items():
        old = before.get(attname)
        if old == new or attname in {"updated_at", "search_text", "name_key"}:
            continue
        label = _label(type(instance), attname)
        if label in secret or attname in secret:
            changes[label] = ["(masqué)", "(masqué)"]
        else:
            changes[label] = [_json_value(old), _json_value(new)]
    return changes


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record(AuditEntry.Action.CREATE, instance)
    else:
        changes = _changes(instance)
        if changes:
            record(AuditEntry.Action.UPDATE, instance, changes=changes)
    instance._audit_loaded = _snapshot(instance)


def _after_delete(sender, instance, **kwargs):
    record(AuditEntry.Action.DELETE, instance)


def register(model, secret_fields=()):
    """Audit the writes of ``model``; ``secret_fields`` are logged as changed, never shown."""
    _registry[model] = frozenset(secret_fields)
    post_init.connect(_remember_loaded_values, sender=model, weak=False)
    post_save.connect(_after_save, sender=model, weak=False)
    post_delete.connect(_after_delete, sender=model, weak=False)
    return model


def bulk_record(action: str, items, *, batch_size: int = 2000, describe=str) -> int:
    """Write one entry per ``(instance, changes)`` of ``items`` in batches (a bulk import
    skips the model signals: it records its creations and changes itself, with the same
    context, object names and masked fields as ``record``; ``describe`` gives an object's
    name, its string form unless told). Gives the number written."""
    context = current_context()
    user = context.user if getattr(context.user, "is_authenticated", False) else None
    at = timezone.now()
    constant = {
        "at": at,
        "actor_id": user.pk if user else None,
        "actor_email": user.email if user else "",
        "action": action,
        "ip_address": context.ip_address,
        "user_agent": context.user_agent,
        "path": context.path,
        "source": context.source,
    }
    rows = (
        {
            **constant,
            "object_type": instance._meta.label_lower,
            "object_id": str(instance.pk or ""),
            "object_repr": describe(instance)[:200],
            "changes": changes or {},
        }
        for instance, changes in items
    )
    return insert_values(AuditEntry, rows, batch_size=batch_size)


def masked_changes(model, changes: dict) -> dict:
    """``{field name: [old, new]}`` as the log writes it: audit names, secret fields masked,
    dates and decimals as text."""
    secret = _registry.get(model, frozenset())
    written = {}
    for name, (old, new) in changes.items():
        field = model._meta.get_field(name) if name not in secret else None
        label = getattr(field, "audit_name", name) if field is not None else name
        if name in secret or label in secret:
            written[label] = ["(masqué)", "(masqué)"]
        else:
            written[label] = [_json_value(old), _json_value(new)]
    return written


# --- Pseudonymisation (a person's file anonymised) -------------------------------------------

ERASED = "[effacé]"


def _erased_changes(changes, personal: frozenset[str] | None):
    """``changes`` with the values of the ``personal`` keys (every key: None) erased; the
    keys stay (which fields changed remains known)."""
    if not isinstance(changes, dict):
        return changes
    erased = {}
    for key, value in changes.items():
        if personal is not None and key not in personal:
            erased[key] = value
        elif isinstance(value, list) and len(value) == 2:
            erased[key] = [ERASED, ERASED]
        else:
            erased[key] = ERASED
    return erased


def pseudonymise(
    object_type: str,
    object_ids,
    *,
    label,
    personal: frozenset[str] | None,
) -> int:
    """Rewrite the audit rows about these objects: ``object_repr`` becomes ``label(object_id)``
    and the values of the ``personal`` keys of ``changes`` (None: every key) become
    « [effacé] ». The only rewrite of the append-only log (``db.audit_rewrite``: the database
    triggers let nothing else change); the caller records that it happened. Gives the number
    of rows rewritten."""
    from django.db import models, transaction

    from .db import audit_rewrite

    ids = [str(object_id) for object_id in object_ids]
    rewritten = 0
    with transaction.atomic(), audit_rewrite():
        rows = AuditEntry.objects.filter(object_type=object_type, object_id__in=ids)
        for pk, object_id, object_repr, changes in list(
            rows.values_list("pk", "object_id", "object_repr", "changes")
        ):
            new_repr = label(object_id)[:200]
            new_changes = _erased_changes(changes, personal)
            if new_repr == object_repr and new_changes == changes:
                continue
            # AuditEntryQuerySet.update refuses: this is the one path that may.
            models.QuerySet.update(
                AuditEntry.objects.filter(pk=pk), object_repr=new_repr, changes=new_changes
            )
            rewritten += 1
    return rewritten
