from django.contrib import admin

from .models import (
    CalendarFeedToken,
    Deadline,
    Meeting,
    Notification,
    Refusal,
    SupportEpisode,
)


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0
    fields = ["code", "label", "due_on", "due_at", "state", "sent_to", "sent_at"]
    readonly_fields = ["code", "label", "due_on", "due_at"]


@admin.register(SupportEpisode)
class SupportEpisodeAdmin(admin.ModelAdmin):
    list_display = ["beneficiary", "programme", "referent", "contract_start", "ended_on"]
    list_filter = ["programme"]
    raw_id_fields = ["beneficiary", "referent", "employer", "tutor", "rsa_adviser"]
    inlines = [DeadlineInline]


admin.site.register(Meeting)
admin.site.register(Refusal)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "kind", "recipient", "deadline", "refusal"]
    list_filter = ["kind"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    exclude = ["token"]
