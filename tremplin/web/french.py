"""French words written by Python code: counts with their plural, « de » before a name.

- ``plural``: Django's ``ngettext`` with the French rule (0 and 1 take the singular: « 0
  personne », « 1 personne comptée », « 2 bloquants »); without a French catalogue for our own
  messages, gettext would apply the English rule and write « 0 personnes ».
- ``of``: « de » elided before a vowel or a mute h (« d'ALLARD », « d'Hélène »), kept before a
  consonant (« de Martin »).

Templates have the same: the ``pluralize`` filter follows the French rule in every template
(``tremplin.web.templatetags.french``), and ``{{ name|de }}``.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import ngettext


def plural(count: int, singular: str, several: str, **values) -> str:
    """``singular`` or ``several`` formatted with ``%(count)s`` and ``values`` (French: 0 and
    1 take the singular)."""
    chosen = ngettext(singular, several, count if takes_plural(count) else 1)
    return chosen % {"count": count, **values}


def takes_plural(count) -> bool:
    try:
        return abs(count) >= 2
    except TypeError:
        return len(count) >= 2


# Words starting with an h where French elides (« l'homme », « d'Hélène »); an aspirated h
# (« de Hugo » is still usual for names) is not elided: for names, only a vowel elides, and
# an h followed by a vowel with an accent (É, é) as in « Hélène », « Hervé ».
VOWELS = set("aeiouy")


def _starts_with_vowel(word: str) -> bool:
    word = word.strip()
    if not word:
        return False
    first = unicodedata.normalize("NFD", word[0].lower())[0]
    if first in VOWELS:
        return True
    if first == "h" and len(word) > 1:
        second = word[1].lower()
        return second in "éèê"
    return False


def of(name) -> str:
    """« de Martin », « d'ALLARD », « d'Élodie Weber »."""
    text = str(name).strip()
    return f"d'{text}" if _starts_with_vowel(text) else f"de {text}"
