from django.contrib import admin

from .models import AgreementTarget, Situation


@admin.register(AgreementTarget)
class AgreementTargetAdmin(admin.ModelAdmin):
    """The département records each agreement's targets as new dated rows (A3, P9, P10)."""

    list_display = ["indicator", "operator", "value", "valid_from", "source"]
    list_filter = ["indicator", "operator"]
    date_hierarchy = "valid_from"
    readonly_fields = ["created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Situation)
class SituationAdmin(admin.ModelAdmin):
    list_display = ["beneficiary", "kind", "start", "end", "weekly_hours"]
    list_filter = ["kind"]
    raw_id_fields = ["beneficiary", "employer"]
    date_hierarchy = "start"
