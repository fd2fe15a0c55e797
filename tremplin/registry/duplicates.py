"""Probable duplicates among the files a user may see, each pair with its reason.

Three reasons, each found by one grouping query over the whole scope (bounded, whatever the
number of people), then one query for the files of the page shown:

- the same name and birth date (accents, case, hyphens ignored: ``name_key``);
- the same allocation number under two payers (``rsa_number_bare_digest``; the same payer
  and number is refused by the unique index);
- two NIRs one typo apart: the same birth part (sex, year, month and place of birth, the
  first 10 characters: ``nir_birth_digest``) and serial numbers differing by one digit or
  two swapped digits (the key, computed from the rest, then differs too).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from django.db.models import Count

from .models import Beneficiary

SAME_NAME = "Même nom et même date de naissance"
SAME_ALLOCATION = "Même numéro d'allocataire (CAF et MSA)"
CLOSE_NIR = "NIR à une faute de frappe près (même naissance, numéro d'ordre voisin)"


@dataclass(frozen=True)
class Pair:
    first_id: int
    second_id: int
    reason: str


def _groups(queryset, field: str) -> list[list[int]]:
    keys = (
        queryset.exclude(**{f"{field}__isnull": True})
        .exclude(**{field: ""})
        .values(field)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list(field, flat=True)
    )
    members: dict[str, list[int]] = {}
    for pk, key in queryset.filter(**{f"{field}__in": keys}).values_list("pk", field):
        members.setdefault(key, []).append(pk)
    return [sorted(ids) for ids in members.values()]


def _one_typo_apart(serial_a: str, serial_b: str) -> bool:
    differences = [i for i, (a, b) in enumerate(zip(serial_a, serial_b, strict=True)) if a != b]
    if len(differences) == 1:
        return True
    if len(differences) == 2 and differences[1] == differences[0] + 1:
        i, j = differences
        return serial_a[i] == serial_b[j] and serial_a[j] == serial_b[i]
    return False


def probable_duplicates(queryset) -> list[Pair]:
    """Every probable pair of ``queryset`` (already limited to the user's scope), each with
    its first reason, in a stable order."""
    found: dict[tuple[int, int], str] = {}

    name_keys = (
        queryset.exclude(name_key="")
        .values("name_key", "birth_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    wanted = {(row["name_key"], row["birth_date"]) for row in name_keys}
    if wanted:
        groups: dict[tuple, list[int]] = {}
        rows = queryset.filter(
            name_key__in={k for k, _ in wanted}, birth_date__in={d for _, d in wanted}
        ).values_list("pk", "name_key", "birth_date")
        for pk, key, born in rows:
            if (key, born) in wanted:
                groups.setdefault((key, born), []).append(pk)
        for ids in groups.values():
            for a, b in combinations(sorted(ids), 2):
                found.setdefault((a, b), SAME_NAME)

    for ids in _groups(queryset, "rsa_number_bare_digest"):
        for a, b in combinations(ids, 2):
            found.setdefault((a, b), SAME_ALLOCATION)

    birth_groups = _groups(queryset, "nir_birth_digest")
    if birth_groups:
        ids = [pk for group in birth_groups for pk in group]
        ciphertexts = dict(
            Beneficiary.objects.filter(pk__in=ids).values_list("pk", "nir_ciphertext")
        )
        for group in birth_groups:
            nirs = {pk: Beneficiary(nir_ciphertext=ciphertexts[pk]).nir for pk in group}
            for a, b in combinations(group, 2):
                if _one_typo_apart(nirs[a][10:13], nirs[b][10:13]):
                    found.setdefault((a, b), CLOSE_NIR)
    return [Pair(a, b, reason) for (a, b), reason in sorted(found.items())]
