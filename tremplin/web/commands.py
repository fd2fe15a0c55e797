"""What the product's commands share: bad input exits 2 with a French sentence naming what
to fix, never a traceback; JSON input read from a file or from standard input."""

import json
import sys

from django.core.management.base import CommandError

BAD_INPUT_EXIT_CODE = 2


def bad_input(message: str) -> CommandError:
    """The error to raise for a user's mistake: Django prints the message and exits 2."""
    return CommandError(message, returncode=BAD_INPUT_EXIT_CODE)


def not_json_message(error: json.JSONDecodeError) -> str:
    """Where a JSON text breaks, in the same sentence from a command and from the API."""
    return (
        f"Le texte reçu n'est pas du JSON valide (ligne {error.lineno}, colonne {error.colno}) : "
        "vérifiez les guillemets, les virgules et les accolades."
    )


TOO_DEEP_OR_TOO_LONG = (
    "Le texte reçu ne peut pas être lu : un nombre y a plus de 4 300 chiffres ou les "
    "crochets et accolades s'y imbriquent trop profondément."
)


def load_json(text: str | bytes) -> object:
    """The JSON document of ``text``; ``ValueError`` with a French sentence otherwise —
    also for what ``json.loads`` refuses beyond syntax (an integer of more than 4,300
    digits, thousands of nested brackets), which would otherwise end in a traceback."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(not_json_message(error)) from error
    except UnicodeDecodeError as error:
        raise ValueError("Le corps de la requête n'est pas du texte UTF-8.") from error
    except (ValueError, RecursionError) as error:
        raise ValueError(TOO_DEEP_OR_TOO_LONG) from error


def read_json_input(path: str) -> object:
    """The JSON document of the file ``path``, or of standard input when ``path`` is "-"."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as input_file:
                text = input_file.read()
    except FileNotFoundError as error:
        raise bad_input(f"Le fichier « {path} » n'existe pas : vérifiez son chemin.") from error
    except (OSError, UnicodeDecodeError) as error:
        raise bad_input(
            f"Le fichier « {path} » ne peut pas être lu en UTF-8 ({error}) : enregistrez-le "
            "en UTF-8."
        ) from error
    try:
        return load_json(text)
    except ValueError as error:
        raise bad_input(str(error)) from error
