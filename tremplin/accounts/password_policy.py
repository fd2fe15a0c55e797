"""Password strength after the CNIL's recommendation on passwords: délibération n° 2022-100
du 21 juillet 2022 (JORF du 16 octobre 2022), « cas n° 1 » — a password that alone protects
the account needs an entropy of at least 80 bits. The recommendation gives three ways to
reach it, all accepted here:

- at least 12 characters mixing upper-case and lower-case letters, digits and special
  characters (the four classes);
- at least 14 characters mixing upper-case and lower-case letters and digits, no special
  character required (any three of the four classes);
- a passphrase of at least 7 words.

Tremplin also throttles logins (« cas n° 2 » would allow 50 bits) and asks a second factor
of the département's agents and administrators; it keeps the stricter 80 bits of the first
case anyway, since a referent's password alone opens the files of the people they follow.
"""

import re

from django.core.exceptions import ValidationError

SPECIAL = re.compile(r"[^A-Za-z0-9]")
WORD = re.compile(r"[^\W\d_]{2,}")


def character_classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            bool(SPECIAL.search(password)),  # anything but an ASCII letter or digit
        )
    )


def passphrase_words(password: str) -> int:
    """Distinct words of at least two letters, separated by spaces or punctuation."""
    return len({word.lower() for word in WORD.findall(password)})


class CnilPasswordValidator:
    """The CNIL's three examples of an 80-bit password (délibération 2022-100, cas n° 1)."""

    def __init__(self, all_classes_length=12, three_classes_length=14, passphrase_words=7):
        self.all_classes_length = all_classes_length
        self.three_classes_length = three_classes_length
        self.passphrase_words = passphrase_words

    def is_strong(self, password: str) -> bool:
        length, classes = len(password), character_classes(password)
        return (
            (length >= self.all_classes_length and classes == 4)
            or (length >= self.three_classes_length and classes >= 3)
            or passphrase_words(password) >= self.passphrase_words
        )

    def validate(self, password, user=None):
        if self.is_strong(password):
            return
        raise ValidationError(
            "Ce mot de passe est trop facile à deviner. Choisissez au moins "
            f"{self.all_classes_length} caractères mêlant majuscules, minuscules, chiffres "
            "et caractères spéciaux ; ou au moins "
            f"{self.three_classes_length} caractères mêlant trois de ces quatre sortes ; ou "
            f"une phrase d'au moins {self.passphrase_words} mots (recommandation de la CNIL, "
            "délibération n° 2022-100).",
            code="password_too_weak",
        )

    def get_help_text(self):
        return (
            f"Au moins {self.all_classes_length} caractères avec majuscules, minuscules, "
            f"chiffres et caractères spéciaux, ou {self.three_classes_length} caractères "
            f"avec trois de ces sortes, ou une phrase de {self.passphrase_words} mots "
            "(recommandation de la CNIL)."
        )
