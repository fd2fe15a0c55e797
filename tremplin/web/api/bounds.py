"""Values the API's types accept but no file of RSA support holds: refused with a French
422 before the view runs: bad input never gives a server error.

pydantic accepts any day from year 1 to 9999; an arithmetic on 9999-12-31 overflows. One
decorator on every operation walks the validated parameters and body, whatever the schema,
and refuses a date outside 1900–2100 (``tremplin.rules.calendar.day_in_bounds``).
"""

import datetime as dt
import functools

from ninja.errors import ValidationError
from pydantic import BaseModel

from tremplin.rules.calendar import DAY_OUT_OF_BOUNDS, day_in_bounds


def _dates_out_of_bounds(value, location: tuple):
    if isinstance(value, dt.date):
        if not day_in_bounds(value):
            yield location
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _dates_out_of_bounds(getattr(value, name, None), (*location, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _dates_out_of_bounds(item, (*location, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _dates_out_of_bounds(item, (*location, key))


def days_within_bounds(view):
    """For ``api.add_decorator``: a 422 naming each date outside 1900–2100."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        errors = []
        for name, value in kwargs.items():
            kind = "body" if isinstance(value, BaseModel) else "query"
            for location in _dates_out_of_bounds(value, (kind, name)):
                errors.append(
                    {"type": "day_out_of_bounds", "loc": location, "msg": DAY_OUT_OF_BOUNDS}
                )
        if errors:
            raise ValidationError(errors)
        return view(request, *args, **kwargs)

    return checked
