from django.contrib import admin

from .models import Cer, CollectiveAction, Contact, Invitation, ProfessionalSupport


@admin.register(ProfessionalSupport)
class ProfessionalSupportAdmin(admin.ModelAdmin):
    list_display = ["episode", "project", "new_entrant"]
    raw_id_fields = ["episode"]


@admin.register(Cer)
class CerAdmin(admin.ModelAdmin):
    list_display = ["episode", "number", "start", "end", "validated_by", "validated_at"]
    raw_id_fields = ["episode", "validated_by", "created_by"]


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
