from django.contrib import admin

from .models import Invitation, NoShowFollowUp, SentMessage


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["beneficiary", "sent_at", "answer"]
    list_filter = ["answer"]
    raw_id_fields = ["beneficiary", "meeting", "action", "sent_by"]
    exclude = ["link_nonce"]


@admin.register(SentMessage)
class SentMessageAdmin(admin.ModelAdmin):
    list_display = ["invitation", "kind", "channel", "status", "created_at", "provider_id"]
    list_filter = ["channel", "kind", "status"]
    raw_id_fields = ["invitation"]


admin.site.register(NoShowFollowUp)
