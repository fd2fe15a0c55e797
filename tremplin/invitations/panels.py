"""The invitations' section on the person's file (see ``web.panels``)."""

from tremplin.web import panels

from .absences import action_absences_of
from .models import Invitation, open_episodes_of


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
        "can_invite": open_episodes_of(beneficiary, request.user).exists(),
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


def register():
    panels.register(panels.BENEFICIARY_FILE, "invitations/_on_file.html", on_file, order=30)
    panels.register(panels.COLLECTIVE_ACTION, "invitations/_on_action.html", on_action)
