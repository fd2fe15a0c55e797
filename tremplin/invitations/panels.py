"""The invitations' section on the person's file (see ``web.panels``)."""

from django.utils import timezone

from tremplin.support.models import Meeting, supports_on_file
from tremplin.web import panels
from tremplin.web.links import reverse

from .absences import action_absences_of
from .models import Invitation


def on_file(request, beneficiary):
    """How to reach the person, the recent invitations and their answers."""
    invitations = list(
        Invitation.objects.filter(beneficiary=beneficiary)
        .select_related("meeting__replaced_by", "action")
        .order_by("-sent_at", "-id")[:5]
    )
    return {
        "beneficiary": beneficiary,
        "invitations": invitations,
        # The open supports of the file (``supports_on_file``: what ``open_episodes_of``
        # reads, already read by the file's other panels).
        "can_invite": any(
            episode.ended_on is None for episode in supports_on_file(request, beneficiary)
        ),
    }


def on_action(request, action):
    """The invitations sent to a collective action (P2), and the way to send more; once it
    is held, its absences, followed up in the no-show list (F8)."""
    sent = Invitation.objects.visible_to(request.user).filter(action=action)
    return {
        "action": action,
        "sent": sent.count(),
        "answered": sent.exclude(answer="").count(),
        "absent": action_absences_of(request.user).filter(action=action).count(),
    }


def on_meeting(request, meeting):
    """« Inviter » on a meeting's row, while it is planned and to come (F8)."""
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= timezone.now():
        return None
    return {"meeting": meeting, "next": request.get_full_path()}


def _invite_listed(source):
    """The link that invites the people of a list, as filtered, to individual interviews
    (F8, P4): the list's search and filters go along, its page and sort do not."""

    def context(request, _obj):
        query = request.GET.copy()
        for name in ("page", "tri", "format"):
            query.pop(name, None)
        query["depuis"] = source
        return {"url": f"{reverse('invitations:bulk_interviews')}?{query.urlencode()}"}

    return context


def register():
    panels.register(panels.BENEFICIARY_FILE, "invitations/_on_file.html", on_file, order=30)
    panels.register(panels.COLLECTIVE_ACTION, "invitations/_on_action.html", on_action)
    panels.register(panels.MEETING_ACTIONS, "invitations/_on_meeting.html", on_meeting)
    panels.register(
        panels.PEOPLE_LIST, "invitations/_invite_listed.html", _invite_listed("personnes")
    )
    panels.register(
        panels.BELOW_CADENCE, "invitations/_invite_listed.html", _invite_listed("sous-la-cadence")
    )
