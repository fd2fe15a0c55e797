from django.contrib import admin

from .models import Beneficiary, Employer, Tutor


@admin.register(Beneficiary)
class BeneficiaryAdmin(admin.ModelAdmin):
    # The NIR and allocation number stay out of the technical admin: the pages mask them.
    list_display = ["__str__", "birth_date", "city", "operator", "referent"]
    list_filter = ["territory", "operator"]
    search_fields = ["search_text"]
    exclude = ["nir_ciphertext", "rsa_number_ciphertext"]
    readonly_fields = ["created_at", "updated_at"]


class TutorInline(admin.TabularInline):
    model = Tutor
    extra = 0


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "city", "sector", "status"]
    list_filter = ["territory", "sector", "status"]
    search_fields = ["name", "siret"]
    inlines = [TutorInline]
