from django.contrib import admin

from .models import AidOrder, Amendment, Convention, ConventionNumberSequence, Rupture, Suspension


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
admin.site.register(Suspension)
admin.site.register(Rupture)
