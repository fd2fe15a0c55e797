"""Each rule's sentence, in French, as a person using Tremplin reads it.

The product numbers the rules (A1…A14, C1…C13, E1…E12, F1…F15, P1…P10, docs/rules/): the
numbers serve code, tests and the département's staff. A page never shows a number alone: a
help marker (the ``rule`` template tag) carries this sentence, and the page of rules lists
them all. ``tests/web/test_help.py`` checks that every rule of docs/rules/ has one.
"""

from __future__ import annotations

FAMILIES = {
    "A": "Accompagnement dans l'emploi des bénéficiaires du RSA en CUI-CIE",
    "C": "Le contrat unique d'insertion (CUI)",
    "E": "Le contrat initiative emploi (CIE) et ses taux d'aide",
    "F": "Le formulaire cerfa de la convention et ses conditions générales",
    "P": "L'accompagnement professionnel des bénéficiaires du RSA",
}

SENTENCES = {
    # In-employment support of RSA beneficiaries on a CUI-CIE
    "A1": "Sont accompagnés les bénéficiaires du RSA sous contrat d'engagements réciproques "
    "qui ont signé un CUI-CIE.",
    "A2": "Des objectifs qualitatifs sont fixés et suivis pour chaque personne.",
    "A3": "70 % des accompagnements terminés doivent aboutir à un placement pérenne.",
    "A4": "Les sorties positives : CDI, CDD ou intérim de 6 mois et plus, formation qualifiante, "
    "création d'activité.",
    "A5": "L'accompagnement a lieu dans l'entreprise ou chez l'opérateur, dans un budget de "
    "12 heures par personne.",
    "A6": "Un livret d'accompagnement retrace le parcours de la personne.",
    "A7": "L'opérateur forme le tuteur de l'entreprise.",
    "A8": "L'opérateur travaille avec l'employeur, le tuteur et le conseiller RSA.",
    "A9": "Un refus de l'accompagnement est signalé sans délai au conseiller RSA.",
    "A10": "La convention est signée en présence du salarié, de l'employeur, de l'opérateur et "
    "du conseiller RSA.",
    "A11": "Période d'essai : un bilan de fin de période d'essai est envoyé à la Cellule "
    "contrats aidés.",
    "A12": "Jusqu'au 5e mois : une synthèse du suivi et un bilan de parcours.",
    "A13": "Au 6e mois : le contrat est pérennisé, ou trois mois d'aide à la recherche d'emploi "
    "suivent.",
    "A14": "Une rupture est signalée dans les 48 heures, puis trois mois d'aide à la recherche "
    "d'emploi suivent.",
    # The CUI
    "C1": "Un CUI est une convention et un contrat de travail, pour une personne sans emploi.",
    "C2": "Qui peut conclure un CAE (secteur non marchand) et qui peut conclure un CIE (secteur "
    "marchand).",
    "C3": "Pas de CIE après un licenciement économique, pour remplacer un salarié licencié, ni "
    "si l'employeur n'est pas à jour de ses cotisations.",
    "C4": "Le contenu obligatoire de la convention.",
    "C5": "La convention dure au plus 24 mois, 5 ans par dérogation.",
    "C6": "Une prolongation demande une évaluation et une demande préalable de l'employeur.",
    "C7": "Le contrat est un CDI, ou un CDD d'au moins 6 mois.",
    "C8": "La durée de travail est d'au moins 20 heures par semaine.",
    "C9": "La suspension du contrat de travail.",
    "C10": "L'attestation d'expérience professionnelle remise à la fin du contrat.",
    "C11": "Un référent suit le parcours de la personne.",
    "C12": "Le tuteur a au moins deux ans d'expérience et suit au plus trois salariés.",
    "C13": "Les périodes d'immersion (CAE seulement).",
    # The CIE and its aid rates
    "E1": "Le public, le taux et la durée de l'aide sont fixés par arrêté du préfet de région.",
    "E2": "Pas de CIE dans les 6 mois qui suivent un licenciement économique.",
    "E3": "Un CDI, ou un CDD de 6 à 24 mois (60 mois dans certains cas).",
    "E4": "Au moins 20 heures par semaine, sauf exceptions.",
    "E5": "Le salarié peut rompre un CDD avant son terme pour un meilleur emploi ou une "
    "formation qualifiante.",
    "E6": "L'aide est d'au plus 47 % du SMIC horaire, versée chaque mois, avec des "
    "justificatifs tous les 3 mois.",
    "E8": "Le tuteur (comme pour tout CUI).",
    "E9": "La rémunération est au moins le SMIC ou le minimum conventionnel.",
    "E10": "La convention est signée avant l'embauche.",
    "E11": "La formation est facultative et peut augmenter l'aide.",
    "E12": "L'arrêté préfectoral pris en exemple (Rhône-Alpes, 28 juillet 2017).",
    # The convention form
    "F1": "Chaque champ du formulaire cerfa, avec ses listes de codes.",
    "F2": "Le numéro de la convention : département, année, numéro d'ordre, renouvellement, "
    "modification.",
    "F3": "L'ancienneté au RSA compte la période de RMI ou d'API qui l'a précédé.",
    "F4": "La personne peut choisir de ne pas déclarer un handicap.",
    "F5": "Les heures prises en charge peuvent être moins nombreuses que les heures du contrat.",
    "F6": "Le taux qui s'applique : celui du département ou celui du préfet.",
    "F8": "Pas d'embauche avant la signature ; le tuteur est désigné au plus tard le premier "
    "jour ; les entretiens sont suivis.",
    "F10": "L'aide est un pourcentage du SMIC horaire brut, versée chaque mois ; justificatifs "
    "chaque trimestre.",
    "F12": "Suspensions et ruptures sont signalées dans les 7 jours ; pas d'aide pendant une "
    "suspension sans rémunération.",
    "F13": "Une rupture abusive par l'employeur oblige à rembourser toute l'aide.",
    "F14": "Les recours s'exercent dans les deux mois.",
    "F15": "Protection des données : droit d'accès et de rectification.",
    # Professional support
    "P1": "Objectif : une formation qualifiante et le retour à l'emploi.",
    "P2": "Des actions individuelles et collectives.",
    "P3": "Pour les bénéficiaires du RSA soumis à droits et devoirs qui visent un emploi ou une "
    "formation.",
    "P4": "Un contrat d'engagements de 6 mois ; au moins deux entretiens par mois ; un début "
    "intensif.",
    "P5": "Six mois, renouvelables une fois ; jusqu'à 18 mois avec l'accord du département.",
    "P6": "Les domaines de travail et leurs items d'évaluation.",
    "P7": "Les relations avec les entreprises.",
    "P9": "Un portefeuille de 60 personnes par référent à temps plein.",
    "P10": "Objectifs : 50 % de reprise d'activité, 40 % de sorties liées à l'emploi, 100 % "
    "des CV en ligne.",
}


def sentence(code: str) -> str:
    """The rule's sentence; ``code`` may carry a sub-case (« A4 a ») or a list (« A3, A4 »)."""
    parts = []
    for part in code.replace(" et ", ",").split(","):
        base = part.strip().split(" ")[0]
        if base in SENTENCES:
            parts.append(SENTENCES[base])
    return " ".join(parts)
