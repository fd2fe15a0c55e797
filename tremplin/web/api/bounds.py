"""Values the API's types accept but no file of RSA support holds: refused with a French
422 before the view runs, so that bad input never gives a server error.

pydantic accepts any day from year 1 to 9999 and integers of any size; an arithmetic on
9999-12-31 overflows, an integer beyond 64 bits does not fit in the database. One decorator
on every operation walks the validated parameters and body, whatever the schema, and refuses
a date outside 1900–2100 (``tremplin.rules.calendar.day_in_bounds``) or such an integer.
"""

import datetime as dt
import functools

from ninja.errors import ValidationError
from pydantic import BaseModel

from tremplin.rules.calendar import DAY_OUT_OF_BOUNDS, day_in_bounds

LARGEST_INTEGER = 2**63 - 1  # the databases' largest integer (BIGINT)
INTEGER_TOO_LARGE = "Nombre trop grand : aucune valeur de Tremplin n'atteint ce nombre."


def _out_of_bounds(value, location: tuple):
    """(location, error type) of each value out of bounds in ``value``."""
    if isinstance(value, dt.date):
        if not day_in_bounds(value):
            yield location, "day_out_of_bounds"
    elif isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > LARGEST_INTEGER:
            yield location, "integer_too_large"
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _out_of_bounds(getattr(value, name, None), (*location, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _out_of_bounds(item, (*location, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _out_of_bounds(item, (*location, key))


MESSAGES = {"day_out_of_bounds": DAY_OUT_OF_BOUNDS, "integer_too_large": INTEGER_TOO_LARGE}


def days_within_bounds(view):
    """For ``api.add_decorator``: a 422 naming each date outside 1900–2100 and each integer
    beyond 64 bits."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        errors = []
        for name, value in kwargs.items():
            kind = "body" if isinstance(value, BaseModel) else "query"
            for location, error in _out_of_bounds(value, (kind, name)):
                errors.append({"type": error, "loc": location, "msg": MESSAGES[error]})
        if errors:
            raise ValidationError(errors)
        return view(request, *args, **kwargs)

    return checked
