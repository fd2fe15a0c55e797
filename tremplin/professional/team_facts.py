"""The facts a coordinator's kept copies are read from, one set per operator (``web.kept``).

A coordinator's cadence section counts the professional supports of the teams of their
operators (``queue._below_cadence``): a support is in a team by its own operator or by its
person's. The copy of that count is read again when one of these operators' facts change:

- a support's cadence facts are written (an interview, a CER, its dates: the services call
  ``cadence_states.refresh_episode``, which calls ``episode_written``);
- a support or a person is saved or deleted, by any path that sends Django's signals (the
  admin included): both the operators it had when loaded and those it has now, so that a
  person or a support moved to another operator leaves the first team's count at once.

Bulk writes send no signal (an import, a merge): the copies expire after
``TREMPLIN_QUEUE_CACHE_SECONDS``. Only copies move on here; no fact is written.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, pre_save

from tremplin.registry.models import Beneficiary
from tremplin.support.models import SupportEpisode
from tremplin.web import kept


def facts_of(operator_id: int) -> str:
    return f"coordination:{operator_id}"


def changed(*operator_ids) -> None:
    """The teams of these operators were written: once the transaction commits, their
    coordinators' copies are read again (``None``: no operator, nothing to do)."""
    for operator_id in sorted({pk for pk in operator_ids if pk}):
        kept.changed(facts_of(operator_id))


def _loaded(instance, attname: str):
    """The value ``attname`` had when the row was read (``accounts.audit`` keeps it)."""
    return getattr(instance, "_audit_loaded", {}).get(attname)


def _person_operators(episode) -> set:
    person = episode._state.fields_cache.get("beneficiary")
    if person is not None:
        return {person.operator_id, _loaded(person, "operator_id")}
    return set(
        Beneficiary.with_merged.filter(pk=episode.beneficiary_id).values_list(
            "operator_id", flat=True
        )
    )


def episode_written(episode) -> None:
    """A support's facts were written: its operator's team, and its person's."""
    changed(episode.operator_id, _loaded(episode, "operator_id"), *_person_operators(episode))


def _episode_saved_or_deleted(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        episode_written(instance)


def _person_saved_or_deleted(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        changed(instance.operator_id, _loaded(instance, "operator_id"))


def connect() -> None:
    """From ``ProfessionalConfig.ready()``: before a save (the loaded values are still
    there) and after a delete."""
    for name, signal in (("pre_save", pre_save), ("post_delete", post_delete)):
        signal.connect(
            _episode_saved_or_deleted, sender=SupportEpisode, dispatch_uid=f"team-episode-{name}"
        )
        signal.connect(
            _person_saved_or_deleted, sender=Beneficiary, dispatch_uid=f"team-person-{name}"
        )
