from django.contrib import admin

from tremplin.web import hooks

from . import services
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
    """A support changed here goes through ``services.save_episode``, as on the pages: its
    plan's deadlines follow its dates and the apps above are told (its exit, its cadence,
    the dashboard's facts of its deadlines)."""

    list_display = ["beneficiary", "programme", "referent", "contract_start", "ended_on"]
    list_filter = ["programme"]
    raw_id_fields = ["beneficiary", "referent", "employer", "tutor", "rsa_adviser"]
    inlines = [DeadlineInline]

    def save_model(self, request, obj, form, change):
        services.save_episode(obj)

    def save_related(self, request, form, formsets, change):
        # The deadlines' inline (their state, their sending): the facts of their months.
        super().save_related(request, form, formsets, change)
        months = set(form.instance.deadlines.values_list("due_on", flat=True))
        hooks.notify(hooks.DEADLINES_CHANGED, months=months)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """A meeting written or deleted here is announced as the services announce it
    (``hooks.MEETING_CHANGED``), so that what the apps above keep from the meetings (the
    professional support's cadence state) follows."""

    list_display = ["starts_at", "episode", "kind", "status"]
    raw_id_fields = ["episode", "replaced_by", "created_by"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        hooks.notify(hooks.MEETING_CHANGED, episode=obj.episode)

    def delete_model(self, request, obj):
        episode = obj.episode
        super().delete_model(request, obj)
        hooks.notify(hooks.MEETING_CHANGED, episode=episode)

    def delete_queryset(self, request, queryset):
        episodes = list(SupportEpisode.objects.filter(pk__in=queryset.values("episode_id")))
        super().delete_queryset(request, queryset)
        for episode in episodes:
            hooks.notify(hooks.MEETING_CHANGED, episode=episode)


admin.site.register(Refusal)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "kind", "recipient", "deadline", "refusal"]
    list_filter = ["kind"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    exclude = ["token"]
