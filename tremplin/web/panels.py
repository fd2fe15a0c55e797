"""Sections that an app adds to a page it does not own.

The home page (web), the person's file and the employer's page (registry), and a collective
action's page (professional support) show sections of the apps above them: the referent's
day (support), the cadence and the CER chain (professional support), the operator's network
(company relations), the invitations sent to the person or to the action (invitations). The page does not
import those apps (the layers are checked by ``make lint``): each app registers its section
here from its ``AppConfig.ready()``, and the page renders every section of its place, in
order, with ``{% panels "place" object %}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

HOME = "home"
BENEFICIARY_FILE = "beneficiary_file"
EMPLOYER_PAGE = "employer_page"
COLLECTIVE_ACTION = "collective_action"
# The person at a glance, at the top of every tab of the person's file (``<dt>``/``<dd>`` rows).
PERSON_SUMMARY = "person_summary"
# The actions of the apps above on a meeting's row (support): e.g. invite the person to it.
MEETING_ACTIONS = "meeting_actions"
# The actions on a list of people, next to its search: the people's list (registry) and the
# people below the interview cadence (professional support, P4); no object, the request's
# filters.
PEOPLE_LIST = "people_list"
BELOW_CADENCE = "below_cadence"
PLACES = (
    HOME,
    BENEFICIARY_FILE,
    EMPLOYER_PAGE,
    COLLECTIVE_ACTION,
    PERSON_SUMMARY,
    PEOPLE_LIST,
    BELOW_CADENCE,
    MEETING_ACTIONS,
)

# context(request, obj) -> the template's context, or None when the section is not shown
ContextBuilder = Callable[[HttpRequest, object | None], dict | None]


@dataclass(frozen=True)
class Panel:
    place: str
    template: str
    context: ContextBuilder
    order: int


_panels: dict[str, list[Panel]] = {place: [] for place in PLACES}


def register(place: str, template: str, context: ContextBuilder, *, order: int = 100) -> None:
    """Add a section to ``place``; registering the same template twice replaces it."""
    if place not in _panels:
        raise ValueError(f"Unknown place {place!r}: one of {', '.join(PLACES)}")
    panels = [panel for panel in _panels[place] if panel.template != template]
    panels.append(Panel(place, template, context, order))
    _panels[place] = sorted(panels, key=lambda panel: (panel.order, panel.template))


def panels_of(place: str) -> list[Panel]:
    return list(_panels[place])


def render_place(place: str, request: HttpRequest, obj: object | None = None) -> SafeString:
    parts = []
    for panel in _panels[place]:
        context = panel.context(request, obj)
        if context is not None:
            parts.append(render_to_string(panel.template, context, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - each part is an escaped template
