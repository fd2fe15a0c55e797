"""« Mon agenda dans mon calendrier »: the private iCalendar feed of one's meetings and
deadlines, and the page that gives (and renews) its address."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import calendar_feed
from ..models import CalendarFeedToken


@login_required
def calendar_link(request):
    token, _ = CalendarFeedToken.objects.get_or_create(user=request.user)
    if request.method == "POST":
        token.renew()
        messages.success(request, "Un nouveau lien est créé ; l'ancien ne fonctionne plus.")
        return redirect("support:calendar_link")
    url = request.build_absolute_uri(reverse("support:calendar_ics", args=[token.token]))
    return render(request, "support/calendar_link.html", {"feed_url": url})


@login_not_required  # the token is the key: calendar applications have no session
def calendar_ics(request, token):
    """The private feed: no session (calendar applications have none), the token is the key."""
    feed = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    site = settings.TREMPLIN_SITE_URL or request.build_absolute_uri("/")
    body = calendar_feed.feed_for(feed.user, site=site)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tremplin.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
