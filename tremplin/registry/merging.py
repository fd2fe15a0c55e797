"""Merging two files of one person: every record that refers to the person, found by
introspection, moved from the absorbed file to the kept one.

``relations_to_person()`` is the one place that lists what refers to a person: every
model of every app whose foreign key, one-to-one or many-to-many field points to
``Beneficiary`` (``Beneficiary._meta.related_objects``). A model added tomorrow is found
without being named here — the merge moves its rows, and ``tests/registry/test_merge.py``
fails until the test knows how to make one of its rows, so that its move is checked.

Apps above the registry add the checks that their own rules need before a merge
(``register_merge_check``: e.g. one open support per programme), from their
``AppConfig.ready()``; the registry does not import them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from .models import Beneficiary


@dataclass(frozen=True)
class PersonRelation:
    """One way a model refers to a person."""

    model: type[models.Model]
    field: models.Field  # the field of ``model`` (or the through model) pointing to the person
    kind: str  # "foreign_key", "one_to_one" or "many_to_many"
    through: type[models.Model] | None = None  # many-to-many: the table holding the link

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def table_model(self) -> type[models.Model]:
        """The model whose rows hold the link (the through model of a many-to-many)."""
        return self.through or self.model

    def rows_of(self, person) -> models.QuerySet:
        return self.table_model._base_manager.filter(**{self.field.name: person})

    def unique_together_with_person(self) -> list[tuple[str, ...]]:
        """The other fields that, with the person, must be unique in the table."""
        model = self.table_model
        groups: list[tuple[str, ...]] = []
        if self.kind == "one_to_one":
            groups.append(())
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if isinstance(constraint, models.UniqueConstraint) and self.field.name in fields:
                groups.append(tuple(f for f in fields if f != self.field.name))
        for together in model._meta.unique_together:
            if self.field.name in together:
                groups.append(tuple(f for f in together if f != self.field.name))
        return groups


def relations_to_person() -> list[PersonRelation]:
    """Every model that refers to a person, by introspection (see the module docstring)."""
    relations = []
    for related in Beneficiary._meta.related_objects:
        if related.many_to_many:
            through = related.through
            field = next(
                f
                for f in through._meta.get_fields()
                if isinstance(f, models.ForeignKey) and f.related_model is Beneficiary
            )
            relations.append(PersonRelation(related.related_model, field, "many_to_many", through))
        elif related.one_to_one:
            relations.append(PersonRelation(related.related_model, related.field, "one_to_one"))
        else:
            relations.append(PersonRelation(related.related_model, related.field, "foreign_key"))
    return relations


MergeCheck = Callable[[Beneficiary, Beneficiary], list[str]]
_checks: dict[str, MergeCheck] = {}


def register_merge_check(name: str, check: MergeCheck) -> None:
    """``check(kept, absorbed)`` gives the French reasons refusing the merge (none: allowed)."""
    _checks[name] = check


def merge_refusals(kept: Beneficiary, absorbed: Beneficiary) -> list[str]:
    reasons = []
    if kept.pk == absorbed.pk:
        reasons.append("Un dossier ne peut pas être fusionné avec lui-même.")
    if kept.merged_into_id or absorbed.merged_into_id:
        reasons.append("L'un des deux dossiers a déjà été fusionné dans un autre.")
    for check in _checks.values():
        reasons += check(kept, absorbed)
    return reasons


@dataclass
class RelationPreview:
    relation: PersonRelation
    moved: int  # rows of the absorbed file moved to the kept one
    dropped: int  # rows of the absorbed file that duplicate one of the kept file's


def colliding_rows(relation: PersonRelation, kept, absorbed) -> list[models.Model]:
    """The absorbed file's rows that, moved, would break a unique constraint: the kept file
    already has the same (e.g. the same invitation, the same application)."""
    colliding: dict[int, models.Model] = {}
    absorbed_rows = list(relation.rows_of(absorbed))
    for others in relation.unique_together_with_person():
        if not others:
            if relation.rows_of(kept).exists():
                colliding.update((row.pk, row) for row in absorbed_rows)
            continue
        kept_values = set(relation.rows_of(kept).values_list(*others))
        attnames = [relation.table_model._meta.get_field(f).attname for f in others]
        for row in absorbed_rows:
            if tuple(getattr(row, name) for name in attnames) in kept_values:
                colliding[row.pk] = row
    return list(colliding.values())


def preview(kept, absorbed) -> list[RelationPreview]:
    """What the merge will do, relation by relation (two queries per relation at most)."""
    previews = []
    for relation in relations_to_person():
        count = relation.rows_of(absorbed).count()
        dropped = len(colliding_rows(relation, kept, absorbed)) if count else 0
        if count:
            previews.append(RelationPreview(relation, count - dropped, dropped))
    return previews
