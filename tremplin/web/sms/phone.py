"""Phone numbers for text messages: checked with ``phonenumbers`` (French numbers by
default) and written in E.164 (``+33612345678``), the form every SMS provider expects."""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

REGION = "FR"
MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


class PhoneError(ValueError):
    """A number that cannot receive a text message; the message is French."""


def _parse(text: str):
    try:
        number = phonenumbers.parse(text or "", REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise PhoneError(
            f"Le numéro « {text} » n'est pas un numéro de téléphone valide : 10 chiffres "
            "(06 12 34 56 78) ou un numéro international commençant par +."
        )
    return number


def to_e164(text: str) -> str:
    """``06 12 34 56 78`` -> ``+33612345678``; a ``PhoneError`` when it is not valid."""
    return phonenumbers.format_number(_parse(text), PhoneNumberFormat.E164)


def mobile_e164(text: str) -> str:
    """The number in E.164 when it can receive a text message (a mobile), else a
    ``PhoneError`` saying why."""
    number = _parse(text)
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise PhoneError(
            f"Le numéro « {text} » n'est pas un numéro de portable : il ne peut pas recevoir "
            "de SMS (en France, un portable commence par 06 ou 07)."
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def national(e164: str) -> str:
    """``+33612345678`` -> ``06 12 34 56 78`` (international format for another country)."""
    number = _parse(e164)
    if phonenumbers.region_code_for_number(number) == REGION:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
