"""``{% form_token %}``: the one-time token of a POST form (``tremplin.web.once``), placed
next to ``{% csrf_token %}{% form_token %}``. A built-in tag (``TEMPLATES``' ``builtins``): no ``{% load %}``."""

from django import template

from tremplin.web.once import hidden_field

register = template.Library()


@register.simple_tag
def form_token():
    return hidden_field()
