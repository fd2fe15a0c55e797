"""The items of each deliverable the operator writes (rules A11–A14), as plain data.

Pure Python (no Django): the forms, the PDF and the "mark sent" check read these lists. The
employer's documents (attestation d'expérience C10, quarterly proofs E6) have no items: the
referent only records that they were received and forwarded.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    key: str
    label: str  # French, shown in the form and the PDF
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # empty: free text


OUTCOME_CHOICES = (
    ("permanent", "Poste pérennisé (CDI maintenu ou signé)"),
    ("not_permanent", "Pas de pérennisation"),
)

SITUATION_CHOICES = (
    ("employed", "En emploi"),
    ("training", "En formation"),
    ("searching", "En recherche d'emploi"),
    ("other", "Autre situation"),
)

ITEMS_BY_CODE: dict[str, tuple[Item, ...]] = {
    # A11: reinforced support of the trial period.
    "trial_review": (
        Item("difficulties_met", "Difficultés rencontrées lors de la reprise d'emploi"),
        Item("answers_built", "Réponses construites avec le salarié"),
        Item("training_needs", "Besoins de formation identifiés"),
        Item("professional_behaviour", "Évolution du comportement professionnel"),
    ),
    # A12: from the end of the trial to month 5.
    "synthesis_m4": (
        Item("progression", "Progression dans l'entreprise (motivation, intégration)"),
        Item("training_set_up", "Formation mise en place"),
        Item("mediation", "Médiation avec l'employeur"),
        Item("steps_followed", "Démarches du salarié", required=False),
        Item("social_link", "Lien avec le référent unique (difficultés sociales)", required=False),
    ),
    # A12/A13: the tripartite meeting of month 5 decides the sixth month.
    "pathway_review_m5": (
        Item("progression", "Progression dans l'entreprise"),
        Item("outcome", "Suite donnée au CUI-CIE", choices=OUTCOME_CHOICES),
        Item("next_steps", "Suite de l'accompagnement", required=False),
    ),
    # A13: three months of job-search support after a CDD not made permanent.
    "non_renewal_review": (
        Item("job_search_actions", "Actions de recherche d'emploi menées"),
        Item("situation", "Situation du salarié à 3 mois", choices=SITUATION_CHOICES),
    ),
    # A14: the report of a rupture, with its supporting documents.
    "rupture_notice": (
        Item("circumstances", "Circonstances de la rupture"),
        Item("documents", "Pièces justificatives jointes", required=False),
    ),
    "post_rupture_review": (
        Item("job_search_actions", "Actions de recherche d'emploi menées"),
        Item("situation", "Situation du salarié à 3 mois", choices=SITUATION_CHOICES),
    ),
}

# Items that a meeting's report may fill in advance: the reports of the period concerned,
# joined, are a draft the referent edits (the in-employment support: "pre-filled from the meetings").
PREFILLED_FROM_REPORTS = frozenset(
    {"difficulties_met", "progression", "job_search_actions", "circumstances"}
)


def items_of(code: str) -> tuple[Item, ...]:
    return ITEMS_BY_CODE.get(code, ())


def missing_items(code: str, values: dict[str, str]) -> list[Item]:
    """Required items left empty: a deliverable is not sent without them (A11–A14)."""
    return [
        item
        for item in items_of(code)
        if item.required and not str(values.get(item.key, "")).strip()
    ]


def choice_label(item: Item, value: str) -> str:
    return dict(item.choices).get(value, value)
