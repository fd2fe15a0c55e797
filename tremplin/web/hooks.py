"""After-hooks: how a service tells the apps above it that one of its facts changed.

One way to carry side effects for the whole product (docs/decisions.md, "One path for side
effects"): a change that touches other facts goes through a function of its app's
``services.py``, which writes in one transaction. Facts of the *same* app or of the apps
*below* are changed by plain calls (the support's service calls the conventions' service).
The apps *above* cannot be called (the layers, checked by ``make lint``, forbid the import):
the service announces what happened here, by name, and each upper app has registered, from
its ``AppConfig.ready()``, what it does then — the same shape as ``web.panels`` for pages.

Handlers run at once, in the caller's transaction, in registration order: if one fails,
nothing of the change is written. A handler that talks to the outside world (an e-mail)
does it with ``transaction.on_commit``. No Django signal carries a business effect: a
signal fires on any ``save()`` (a fixture, a bulk script, the admin) and hides who reacts;
an event here fires only from a service and every subscriber is listed below.

The events, who announces them and who listens:

``RUPTURE_CHANGED`` (``rupture``, ``withdrawn``)
    A rupture of a contract was recorded, changed or withdrawn
    (``tremplin.conventions.services.record_rupture`` and ``withdraw_rupture``).
    support: recomputes the deadlines of the supports of that contract (A14);
    outcomes: reclassifies their exits.
``CONVENTION_AMENDED`` (``convention``)
    A renewal or a modification was applied to a signed convention
    (``tremplin.conventions.services.amend``): the contract's end may have moved, or the CDD
    gone on as a CDI (C5, C7, E6). support: the support of that convention follows its
    contract and recomputes its deadlines.
``EPISODE_CHANGED`` (``episode``)
    A support episode was started, changed or ended (``tremplin.support.services``).
    outcomes: reclassifies its exit and recomputes the dashboard's monthly facts of the
    months it ended in; professional: recomputes the support's kept cadence state.
``DEADLINES_CHANGED`` (``months``)
    Deadlines of supports were written: a plan recomputed, a CER chain's ends, a deliverable
    sent (``tremplin.support.services``, ``tremplin.professional.services``); ``months``
    holds a day of each month whose deadlines changed (before and after the change).
    outcomes: recomputes the dashboard's deliverables' facts of those months.
``MEETING_CHANGED`` (``episode``)
    A meeting of a support was recorded, changed (its date, kind or status), moved or
    deleted (``tremplin.support.services``). professional: recomputes the support's kept
    cadence state (P4: the interviews held).
"""

from __future__ import annotations

from collections.abc import Callable

RUPTURE_CHANGED = "rupture_changed"
CONVENTION_AMENDED = "convention_amended"
EPISODE_CHANGED = "episode_changed"
MEETING_CHANGED = "meeting_changed"
DEADLINES_CHANGED = "deadlines_changed"
EVENTS = (RUPTURE_CHANGED, CONVENTION_AMENDED, EPISODE_CHANGED, MEETING_CHANGED, DEADLINES_CHANGED)

Handler = Callable[..., None]

_handlers: dict[str, list[tuple[str, Handler]]] = {event: [] for event in EVENTS}


def after(event: str, name: str, handler: Handler) -> None:
    """Run ``handler(**payload)`` after each ``notify(event, **payload)``; ``name`` says who
    listens (registering the same name twice replaces the handler)."""
    if event not in _handlers:
        raise ValueError(f"Unknown event {event!r}: one of {', '.join(EVENTS)}")
    handlers = [(known, function) for known, function in _handlers[event] if known != name]
    handlers.append((name, handler))
    _handlers[event] = handlers


def listeners(event: str) -> list[str]:
    """The names of the handlers of ``event``, in the order they run."""
    return [name for name, _ in _handlers[event]]


def notify(event: str, **payload) -> None:
    """Tell every handler of ``event``; called by a service inside its transaction."""
    if event not in _handlers:
        raise ValueError(f"Unknown event {event!r}: one of {', '.join(EVENTS)}")
    for _name, handler in _handlers[event]:
        handler(**payload)
