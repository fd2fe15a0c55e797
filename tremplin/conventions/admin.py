from django.contrib import admin

from .models import (
    AidOrder,
    Amendment,
    Convention,
    ConventionNumberSequence,
    Rupture,
    SmicValue,
    Suspension,
)


@admin.register(AidOrder)
class AidOrderAdmin(admin.ModelAdmin):
    """Where a département enters a new prefectoral order without a release (rule E1);
    ``AidOrder.clean`` checks it with the rules (rate cap E6, hour bounds, durations)."""

    list_display = ["reference", "region_code", "sector", "valid_from", "rate_cap_percent"]
    list_filter = ["region_code", "sector"]


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "beneficiary", "employer", "hire_date", "signed_on"]
    list_filter = ["sector", "territory"]
    raw_id_fields = ["beneficiary", "employer", "tutor", "referent", "operator", "signed_by"]
    readonly_fields = ["number_department", "number_year", "number_order", "created_at"]


admin.site.register(ConventionNumberSequence)
admin.site.register(Amendment)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read only: a rupture or a suspension is recorded through the pages and
    the API, whose services carry its effects (aid, deadlines, work queue); an edit here
    would skip them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "convention", "paid", "acknowledged_at"]


@admin.register(Rupture)
class RuptureAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "beneficiary", "convention", "initiative", "acknowledged_at"]


@admin.register(SmicValue)
class SmicValueAdmin(admin.ModelAdmin):
    """A value typed wrongly on the SMIC page is corrected here (audited)."""

    list_display = ["valid_from", "value", "source", "created_by"]
    readonly_fields = ["created_by", "created_at"]
