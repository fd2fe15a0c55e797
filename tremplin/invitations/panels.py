"""The invitations' section on the person's file (see ``web.panels``)."""

from tremplin.web import panels

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


def register():
    panels.register(panels.BENEFICIARY_FILE, "invitations/_on_file.html", on_file, order=30)
