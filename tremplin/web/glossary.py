"""The glossary page's words: what the menus and pages say, in French, for the people who use
Tremplin (docs/glossary.md is the developers' table, with the names in the code)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    anchor: str
    word: str
    meaning: str
    rules: str = ""  # the rules it refers to, shown behind a help marker


@dataclass(frozen=True)
class Section:
    title: str
    terms: tuple[Term, ...]


GLOSSARY = (
    Section(
        "Les menus",
        (
            Term(
                "beneficiaires",
                "Bénéficiaires",
                "Les personnes accompagnées : bénéficiaires du RSA, salariés une fois embauchés.",
            ),
            Term(
                "employeurs",
                "Employeurs",
                "Les entreprises et organismes qui embauchent en contrat aidé : leur fiche "
                "administrative (SIRET, adresse, tuteurs) sert à remplir les conventions.",
            ),
            Term(
                "entreprises",
                "Entreprises (relations entreprises)",
                "Le réseau d'entreprises de la structure d'accompagnement : contacts, "
                "prospection, offres d'emploi, candidatures, immersions et événements. Une même "
                "entreprise peut être employeur et contact.",
                "P7",
            ),
            Term(
                "cadence",
                "Cadence (rythme des entretiens)",
                "Au moins deux entretiens par mois en accompagnement professionnel ; la page "
                "liste les accompagnements en dessous de ce rythme.",
                "P4",
            ),
            Term(
                "portefeuilles",
                "Portefeuilles",
                "Les personnes que suit chaque référent, et sa charge comparée à 60 personnes "
                "par équivalent temps plein.",
                "P9",
            ),
            Term(
                "job-connexion",
                "Job Connexion",
                "La plateforme d'emploi du département, où le CV d'une personne prête à l'emploi "
                "doit être en ligne.",
                "P6, P10",
            ),
            Term(
                "api",
                "API (accès pour les logiciels)",
                "La documentation de l'interface de programmation : elle permet à un autre "
                "logiciel de lire ou d'envoyer des données avec un jeton personnel. Elle ne sert "
                "pas au travail quotidien.",
            ),
        ),
    ),
    Section(
        "Les personnes et les structures",
        (
            Term(
                "referent",
                "Référent·e",
                "La personne de la structure d'accompagnement qui suit un portefeuille.",
                "C11",
            ),
            Term(
                "coordinateur",
                "Coordinateur·rice",
                "Le ou la responsable des référents d'une structure d'accompagnement.",
            ),
            Term(
                "agent",
                "Agent du département",
                "Un agent du service insertion ou de la Cellule contrats aidés du département.",
            ),
            Term(
                "tuteur",
                "Tuteur·rice",
                "Le salarié de l'entreprise qui guide la personne ; deux ans d'expérience, trois "
                "salariés suivis au plus.",
                "C12",
            ),
            Term(
                "conseiller-rsa",
                "Conseiller RSA",
                "Le conseiller du département qui suit la personne au titre du RSA.",
                "A8",
            ),
            Term(
                "etp",
                "ETP (équivalent temps plein)",
                "Le temps de travail d'un référent : 1 pour un temps plein, 0,5 pour un mi-temps.",
            ),
        ),
    ),
    Section(
        "Les contrats aidés",
        (
            Term(
                "cui",
                "CUI, CIE, CAE",
                "Le contrat unique d'insertion : une convention et un contrat de travail. CIE dans "
                "le secteur marchand, CAE dans le secteur non marchand.",
                "C1",
            ),
            Term(
                "cerfa",
                "Cerfa",
                "Le formulaire officiel de la convention ; Tremplin l'imprime en PDF.",
                "F1",
            ),
            Term("nir", "NIR", "Le numéro de sécurité sociale de la personne, affiché masqué."),
            Term(
                "allocataire",
                "N° allocataire",
                "Le numéro de la personne à la CAF ou à la MSA, affiché masqué.",
            ),
            Term(
                "smic",
                "SMIC horaire brut",
                "Le salaire minimum par heure ; l'aide à l'employeur en est un pourcentage.",
                "F10",
            ),
            Term(
                "suspension-rupture",
                "Suspension, rupture",
                "Le contrat mis en pause ; le contrat terminé avant son terme. Toutes deux se "
                "signalent dans les 7 jours.",
                "F12",
            ),
            Term(
                "justificatifs",
                "Justificatifs trimestriels",
                "Les bulletins de salaire et relevés de présence que l'employeur envoie chaque "
                "trimestre pour que l'aide soit versée.",
                "F10",
            ),
            Term(
                "constat-bloquant",
                "Constat bloquant, avertissement",
                "Ce que la vérification d'une convention a trouvé : un constat bloquant empêche "
                "la signature, un avertissement demande de regarder.",
            ),
        ),
    ),
    Section(
        "Les accompagnements",
        (
            Term(
                "accompagnement-emploi",
                "Accompagnement dans l'emploi",
                "Le suivi de six mois d'un bénéficiaire du RSA embauché en CUI-CIE, dans un "
                "budget de 12 heures.",
                "A1, A5",
            ),
            Term(
                "accompagnement-professionnel",
                "Accompagnement professionnel",
                "Le suivi vers l'emploi ou la formation d'un bénéficiaire du RSA, avec un "
                "contrat d'engagements de 6 mois.",
                "P3, P4",
            ),
            Term(
                "file-active",
                "File active",
                "Les accompagnements en cours d'un référent à une date, des deux programmes.",
                "P9",
            ),
            Term(
                "livrable",
                "Livrable, échéance",
                "Un bilan que la structure doit envoyer à une date (fin de période d'essai, "
                "synthèse, bilan de parcours…). « Sans objet » : l'échéance ne s'applique plus.",
                "A11, A12",
            ),
            Term(
                "cer",
                "CER (contrat d'engagements réciproques)",
                "Le contrat de la personne avec le département, de 6 mois, renouvelable.",
                "P4, P5",
            ),
            Term(
                "evaluation",
                "Évaluation, domaines de travail",
                "Une notation de 1 à 4 des items travaillés, par domaine ; la première est le "
                "bilan d'entrée.",
                "P6",
            ),
            Term(
                "pret-emploi",
                "Prêt·e à l'emploi",
                "La personne est jugée prête à reprendre un emploi ; son CV doit alors être mis "
                "en ligne.",
                "P10",
            ),
        ),
    ),
    Section(
        "Les résultats",
        (
            Term(
                "sortie-positive",
                "Sortie positive",
                "La fin d'un accompagnement sur un emploi durable, une formation qualifiante ou "
                "une création d'activité.",
                "A4",
            ),
            Term(
                "placement-perenne",
                "Placement pérenne",
                "La part des accompagnements dans l'emploi terminés par une sortie positive ; "
                "objectif 70 %.",
                "A3",
            ),
            Term(
                "reprise-activite",
                "Reprise d'activité, sortie liée à l'emploi",
                "Les deux taux de l'accompagnement professionnel ; objectifs 50 % et 40 %.",
                "P10",
            ),
            Term(
                "cible",
                "Cible",
                "La valeur qu'une convention de la structure fixe à un indicateur, à une date.",
            ),
        ),
    ),
)
