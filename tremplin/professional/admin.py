from django.contrib import admin

from . import cadence_states, services
from .models import Cer, CollectiveAction, Contact, Invitation, ProfessionalSupport


@admin.register(ProfessionalSupport)
class ProfessionalSupportAdmin(admin.ModelAdmin):
    list_display = ["episode", "project", "new_entrant"]
    raw_id_fields = ["episode"]


@admin.register(Cer)
class CerAdmin(admin.ModelAdmin):
    """A CER written or deleted here moves its support's last day: the chain's deadlines and
    the support's cadence state follow, as after ``services.renew_cer``."""

    list_display = ["episode", "number", "start", "end", "validated_by", "validated_at"]
    raw_id_fields = ["episode", "validated_by", "created_by"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _follow_the_chain(obj.episode)

    def delete_model(self, request, obj):
        episode = obj.episode
        super().delete_model(request, obj)
        _follow_the_chain(episode)

    def delete_queryset(self, request, queryset):
        episodes = {cer.episode for cer in queryset.select_related("episode")}
        super().delete_queryset(request, queryset)
        for episode in episodes:
            _follow_the_chain(episode)


def _follow_the_chain(episode) -> None:
    services.sync_cer_deadlines(episode)
    cadence_states.refresh_episode(episode)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["episode", "on", "channel"]
    raw_id_fields = ["episode", "created_by"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    raw_id_fields = ["beneficiary"]


@admin.register(CollectiveAction)
class CollectiveActionAdmin(admin.ModelAdmin):
    list_display = ["on", "kind", "theme", "place", "operator"]
    inlines = [InvitationInline]
