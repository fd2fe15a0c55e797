"""French grammar in every template (a builtin library, after Django's own filters).

``pluralize`` replaces Django's filter of the same name with the French rule: 0 and 1 take
the singular (« 0 personne », « 1 bloquant »), more the plural; same arguments (``"s"``,
``"x"``, ``"al,aux"``). ``de`` elides « de » before a vowel: ``{{ person|de }}`` gives
« d'ALLARD » or « de Martin ».

``date`` is Django's filter, the French numeric forms the pages use most (« 17/04/1986 »,
« 17/04/1986 14:05 », « 17/04/1986 à 14:05 ») written directly: Django's reads the format
letter by letter through a formatter object, 100–200 µs a date on the bench machine, and a
people list shows fifty. Any other format, or a value of another type, goes to Django's.
"""

import datetime as dt
from functools import partial

from django import template
from django.template import defaultfilters

from tremplin.web.dates import numeric_date, numeric_date_time
from tremplin.web.french import of, takes_plural

register = template.Library()


@register.filter(is_safe=False)
def pluralize(value, arg="s"):
    if "," not in arg:
        arg = "," + arg
    bits = arg.split(",")
    if len(bits) > 2:
        return ""
    singular_suffix, plural_suffix = bits[:2]
    try:
        several = takes_plural(float(value))
    except (ValueError, TypeError):
        try:
            several = takes_plural(value)
        except TypeError:
            return ""
    return plural_suffix if several else singular_suffix


@register.filter
def de(value) -> str:
    return of(value)


_WRITTEN = {
    ("d/m/Y", dt.date): numeric_date,
    ("d/m/Y", dt.datetime): numeric_date,
    ("d/m/Y H:i", dt.datetime): partial(numeric_date_time, separator=" "),
    ("d/m/Y à H:i", dt.datetime): partial(numeric_date_time, separator=" à "),
}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    written = _WRITTEN.get((arg, type(value)))
    if written is not None:
        return written(value)
    return defaultfilters.date(value, arg)
