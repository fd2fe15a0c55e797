from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import ngettext

from . import services
from .models import ApiToken, AuditEntry, Membership, Organisation, Territory, User

admin.site.site_header = "Tremplin — administration technique"
admin.site.site_title = "Tremplin"


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region_name"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "territory"]
    list_filter = ["kind", "territory"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "first_name", "last_name", "password1", "password2"]})
    ]
    actions = ["reset_second_factor"]

    @admin.action(description="Réinitialiser la double authentification")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            services.reset_second_factor(user, by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Double authentification réinitialisée pour %(count)d compte : il configurera "
                "une nouvelle application à sa prochaine connexion.",
                "Double authentification réinitialisée pour %(count)d comptes : chacun "
                "configurera une nouvelle application à sa prochaine connexion.",
                count,
            )
            % {"count": count},
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_email", "action", "object_type", "object_id", "source"]
    list_filter = ["action", "source"]
    search_fields = ["actor_email", "object_type", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
