"""What the API shows of each record, field by field.

Written out by hand, never generated from the models, so that a new model field cannot
leak unnoticed: the NIR and the RSA allocation number only ever leave masked.
"""

import datetime

from ninja import Field, Schema

from tremplin.registry.forms import BeneficiaryForm, EmployerForm
from tremplin.web.api.payloads import schema_from_form
from tremplin.web.locking import version_of


class PageParams(Schema):
    page: int = Field(
        1, ge=1, description="Numéro de la page, à partir de 1 ; au-delà de la dernière, vide."
    )
    page_size: int = Field(25, ge=1, le=100, description="Lignes par page (100 au plus).")
    q: str = Field(
        "",
        description="Recherche : nom, prénom ; NIR complet ou n° d'allocataire exact "
        "(bénéficiaires) ; SIREN ou SIRET (employeurs).",
    )


class TutorFilterParams(Schema):
    page: int = Field(
        1, ge=1, description="Numéro de la page, à partir de 1 ; au-delà de la dernière, vide."
    )
    page_size: int = Field(25, ge=1, le=100, description="Lignes par page (100 au plus).")
    employer: int | None = Field(None, description="Seulement les tuteurs de cet employeur.")


class BeneficiaryOut(Schema):
    id: int
    territory: int = Field(description="Identifiant du département.")
    territory_code: str = Field(description="Code INSEE du département.")
    operator: int | None = Field(description="Identifiant de la structure d'accompagnement.")
    operator_name: str
    referent: int | None = Field(description="Identifiant du référent ou de la référente.")
    referent_name: str
    civility: str
    civility_label: str
    last_name: str
    first_names: str
    birth_name: str
    nir_masked: str = Field(description="NIR masqué ; le NIR complet n'est jamais renvoyé.")
    birth_date: datetime.date
    birth_place: str
    birth_department: str
    nationality: str
    nationality_label: str
    street_number: str
    street: str
    address_complement: str
    postal_code: str
    city: str
    email: str
    phone: str
    rsa_number_masked: str = Field(description="N° d'allocataire RSA masqué.")
    rsa_payer: str
    education_level: str
    education_level_label: str
    unemployed_for: str
    unemployed_for_label: str
    france_travail_registered: bool
    france_travail_for: str
    france_travail_for_label: str
    france_travail_id: str
    receives_ass: bool
    receives_rsa: bool
    rsa_increased: bool
    receives_aah: bool
    receives_ata: bool
    rsa_start_date: datetime.date | None
    earlier_rmi_api_months: int
    minimum_income_for: str
    minimum_income_for_label: str
    disabled_worker: str
    disabled_worker_label: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: str = Field(
        description="À renvoyer avec une modification (PATCH) : elle est refusée (409) si le "
        "dossier a changé depuis."
    )

    @staticmethod
    def resolve_version(obj):
        return version_of(obj)

    @staticmethod
    def resolve_territory(obj):
        return obj.territory_id

    @staticmethod
    def resolve_territory_code(obj):
        return obj.territory.code

    @staticmethod
    def resolve_operator(obj):
        return obj.operator_id

    @staticmethod
    def resolve_operator_name(obj):
        return obj.operator.name if obj.operator else ""

    @staticmethod
    def resolve_referent(obj):
        return obj.referent_id

    @staticmethod
    def resolve_referent_name(obj):
        return obj.referent.get_full_name() if obj.referent else ""

    @staticmethod
    def resolve_civility_label(obj):
        return obj.get_civility_display()

    @staticmethod
    def resolve_nationality_label(obj):
        return obj.get_nationality_display()

    @staticmethod
    def resolve_education_level_label(obj):
        return obj.get_education_level_display()

    @staticmethod
    def resolve_unemployed_for_label(obj):
        return obj.get_unemployed_for_display()

    @staticmethod
    def resolve_france_travail_for_label(obj):
        return obj.get_france_travail_for_display()

    @staticmethod
    def resolve_minimum_income_for_label(obj):
        return obj.get_minimum_income_for_display()

    @staticmethod
    def resolve_disabled_worker_label(obj):
        return obj.get_disabled_worker_display()


class EmployerOut(Schema):
    id: int
    territory: int = Field(description="Identifiant du département.")
    territory_code: str = Field(description="Code INSEE du département.")
    name: str
    street_number: str
    street: str
    address_complement: str
    postal_code: str
    city: str
    email: str
    admin_street_number: str
    admin_street: str
    admin_address_complement: str
    admin_postal_code: str
    admin_city: str
    admin_email: str
    siret: str
    siren: str = Field(description="Les 9 premiers chiffres du SIRET.")
    naf_code: str
    idcc: str
    status: str
    status_label: str
    headcount_dec31: int
    contributions_collector: str
    contributions_collector_label: str
    contributions_collector_other: str
    is_aci: bool
    aci_annex_number: str
    unemployment_insurance: str
    unemployment_insurance_label: str
    sector: str
    sector_label: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_territory(obj):
        return obj.territory_id

    @staticmethod
    def resolve_territory_code(obj):
        return obj.territory.code

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_contributions_collector_label(obj):
        return obj.get_contributions_collector_display()

    @staticmethod
    def resolve_unemployment_insurance_label(obj):
        return obj.get_unemployment_insurance_display()

    @staticmethod
    def resolve_sector_label(obj):
        return obj.get_sector_display()


class TutorOut(Schema):
    id: int
    employer: int = Field(description="Identifiant de l'employeur.")
    employer_name: str
    last_name: str
    first_name: str
    function: str
    experience_years: int
    training_date: datetime.date | None = Field(
        description="Formation de tuteur suivie le (règle A7)."
    )
    email: str
    phone: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_employer(obj):
        return obj.employer_id

    @staticmethod
    def resolve_employer_name(obj):
        return obj.employer.name


class BeneficiaryPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[BeneficiaryOut]


class EmployerPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EmployerOut]


class TutorPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[TutorOut]


BeneficiaryIn = schema_from_form(BeneficiaryForm, "BeneficiaryIn")
VERSION_DESCRIPTION = (
    "La « version » du dossier lue avant la modification (GET). Envoyée, elle protège d'une "
    "modification faite entre-temps par quelqu'un d'autre : le dossier a changé depuis, la "
    "réponse est 409 et rien n'est enregistré. Absente, rien n'est vérifié."
)


class BeneficiaryPatch(schema_from_form(BeneficiaryForm, "BeneficiaryPatchFields", partial=True)):
    version: str | None = Field(None, description=VERSION_DESCRIPTION, max_length=64)


EmployerIn = schema_from_form(EmployerForm, "EmployerIn")
EmployerPatch = schema_from_form(EmployerForm, "EmployerPatch", partial=True)
