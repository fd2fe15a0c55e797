"""What a user may see: the scope of their active memberships.

Each model that shows people answers "what may this user see" with one queryset method,
``visible_to(user)``, built from the scope below (DESIGN.md, "Access and personal data"):
a referent sees the people they follow, a coordinator their organisation's, a département
agent their territory's, an admin everything. Pages and API both call it; a record outside
the scope is answered with a 404, never a 403, so that its existence does not leak.
"""

from dataclasses import dataclass

from .models import Membership, Role


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    is_referent: bool = False
    coordinated_operator_ids: frozenset[int] = frozenset()
    agent_territory_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    territory_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.is_admin or self.roles)


NO_SCOPE = Scope()


def scope_of(user) -> Scope:
    """The user's scope, computed once per user object (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_tremplin_scope", None)
    if cached is not None:
        return cached
    memberships = list(Membership.objects.active().filter(user=user).select_related("organisation"))
    roles = frozenset(m.role for m in memberships)
    scope = Scope(
        is_admin=user.is_superuser or Role.ADMIN in roles,
        is_referent=Role.REFERENT in roles,
        coordinated_operator_ids=frozenset(
            m.organisation_id for m in memberships if m.role == Role.COORDINATOR
        ),
        agent_territory_ids=frozenset(
            m.organisation.territory_id for m in memberships if m.role == Role.DEPARTMENT_AGENT
        ),
        organisation_ids=frozenset(m.organisation_id for m in memberships),
        territory_ids=frozenset(m.organisation.territory_id for m in memberships),
        roles=roles,
    )
    user._tremplin_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after memberships change)."""
    user.__dict__.pop("_tremplin_scope", None)
