"""French grammar in every template (a builtin library, after Django's own filters).

``pluralize`` replaces Django's filter of the same name with the French rule: 0 and 1 take
the singular (« 0 personne », « 1 bloquant »), more the plural; same arguments (``"s"``,
``"x"``, ``"al,aux"``). ``de`` elides « de » before a vowel: ``{{ person|de }}`` gives
« d'ALLARD » or « de Martin ».
"""

from django import template

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
