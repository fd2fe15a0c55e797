"""Pages of the conventions: access, list, form steps, checks, signing, amendments,
suspensions, ruptures and the repayment (rules A10, C5, C9, E6, F2, F8, F12, F13)."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.conventions.factories import ConventionFactory
from tremplin.conventions.forms import SuspensionForm
from tremplin.conventions.models import Amendment, Convention, Rupture, Suspension

pytestmark = pytest.mark.django_db


def cites(rule: str, page: str) -> bool:
    """Whether a rule's help marker (« Règle C8 : … », « Règles C8, E4 : … ») names it."""
    return re.search(rf"Règles? (?:[ACEFP]\d+[a-e ]*, )*{rule}\b", page) is not None


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# --- Access ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, my_convention):
    response = client.get(my_convention.get_absolute_url())
    assert response.status_code == 302


def test_referent_gets_404_on_another_referents_convention(referent_client, territory, operator):
    other = ConventionFactory(
        territory=territory,
        beneficiary=factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=factories.referent(operator)
        ),
    )
    for name in ("detail", "update", "check", "sign", "rupture_create", "amendment_create"):
        assert (
            referent_client.get(reverse(f"conventions:{name}", args=[other.pk])).status_code == 404
        )


@pytest.mark.parametrize(
    ("role", "sees_colleague", "sees_other_territory"),
    [
        ("referent", False, False),
        ("coordinator", True, False),
        ("agent", True, False),
        ("admin", True, True),
    ],
)
def test_access_matrix(
    client, role, sees_colleague, sees_other_territory, territory, operator, my_convention,
    referent_user, coordinator_user, agent_user, admin_user,
):  # fmt: skip
    colleague = ConventionFactory(
        territory=territory,
        beneficiary=factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=factories.referent(operator)
        ),
    )
    elsewhere = factories.TerritoryFactory(code="68", name="Haut-Rhin")
    far = ConventionFactory(territory=elsewhere)
    user = {
        "referent": referent_user,
        "coordinator": coordinator_user,
        "agent": agent_user,
        "admin": admin_user,
    }[role]
    client.force_login(user)
    assert client.get(my_convention.get_absolute_url()).status_code == 200
    expected = {True: 200, False: 404}
    assert client.get(colleague.get_absolute_url()).status_code == expected[sees_colleague]
    assert client.get(far.get_absolute_url()).status_code == expected[sees_other_territory]


# --- List ------------------------------------------------------------------------------------


def list_queries(client, count, territory, beneficiary, query=""):
    for _ in range(count):
        ConventionFactory(territory=territory, beneficiary=beneficiary, signed=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("conventions:list") + query)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_is_constant(referent_client, territory, my_beneficiary, settings):
    settings.TREMPLIN_PAGE_SIZE = 100
    five = list_queries(referent_client, 5, territory, my_beneficiary)
    thirty = list_queries(referent_client, 25, territory, my_beneficiary)
    assert five == thirty


def test_list_search_sort_and_export(referent_client, territory, my_beneficiary):
    ConventionFactory(territory=territory, beneficiary=my_beneficiary, employer__name="Fournil")
    ConventionFactory(territory=territory, beneficiary=my_beneficiary, employer__name="Garage")
    page = page_text(referent_client.get(reverse("conventions:list") + "?q=fournil&tri=-employeur"))
    assert "Fournil" in page and "Garage" not in page
    csv = b"".join(
        referent_client.get(reverse("conventions:list") + "?format=csv").streaming_content
    )
    assert "N° de convention".encode() in csv and b"Garage" in csv
    xlsx = referent_client.get(reverse("conventions:list") + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_shows_only_visible_conventions(referent_client, territory, my_convention):
    ConventionFactory(territory=territory, employer__name="Invisible SARL")
    page = page_text(referent_client.get(reverse("conventions:list")))
    assert my_convention.employer.name in page
    assert "Invisible SARL" not in page


# --- Detail ----------------------------------------------------------------------------------


def test_detail_shows_findings_with_rules_and_the_schedule(
    referent_client, territory, my_beneficiary
):
    convention = ConventionFactory(
        territory=territory, beneficiary=my_beneficiary, weekly_hours=18, subsidised_weekly_hours=18
    )
    page = page_text(referent_client.get(convention.get_absolute_url()))
    assert "Bloquant</strong> : " in page and cites("C8", page)
    # The schedule of the aid simulator's worked example: March 2025, 17 days at 47 % of 11,88 € for 18 h.
    assert "mars 2025" in page and "17/31" in page and "11,88 €" in page
    assert "Total" in page and "Département" in page
    assert "D1102 (Boulangerie - viennoiserie)" in page  # the factory's job, with its fiche


def test_detail_is_audited(referent_client, my_convention):
    from tremplin.accounts.models import AuditEntry

    referent_client.get(my_convention.get_absolute_url())
    assert AuditEntry.objects.filter(action="view", object_id=str(my_convention.pk)).exists()


def test_detail_shows_the_department_box(referent_client, territory, my_beneficiary):
    funded = ConventionFactory(
        territory=territory,
        beneficiary=my_beneficiary,
        department_rate_percent=Decimal("60"),
        department_funds_alone=True,
    )
    page = page_text(referent_client.get(funded.get_absolute_url()))
    assert "le département, l'employeur et le salarié" in page
    assert "60 %, financement exclusif" in page
    for_the_state = ConventionFactory(
        territory=territory, beneficiary=my_beneficiary, prescribed_for_department=False
    )
    page = page_text(referent_client.get(for_the_state.get_absolute_url()))
    assert "l'État, l'employeur et le salarié" in page
    assert "financement exclusif" not in page


def test_check_page_lists_every_finding_at_once(referent_client, territory, my_beneficiary):
    convention = ConventionFactory(
        territory=territory,
        beneficiary=my_beneficiary,
        weekly_hours=18,
        subsidised_weekly_hours=18,
        gross_monthly_pay=Decimal("500"),
        contributions_up_to_date=False,
    )
    page = page_text(referent_client.get(reverse("conventions:check", args=[convention.pk])))
    for rule in ("C3", "C8", "E9", "F8"):
        assert cites(rule, page)


# --- Create and edit -------------------------------------------------------------------------


def test_create_is_prefilled_from_the_registry(referent_client, territory, my_beneficiary):
    employer = factories.EmployerFactory(territory=territory)
    response = referent_client.get(
        reverse("conventions:create") + f"?beneficiaire={my_beneficiary.pk}&employeur={employer.pk}"
    )
    form = response.context["form"]
    assert form.initial["beneficiary"] == my_beneficiary.pk
    assert form.initial["employer"] == employer.pk
    assert form.initial["sector"] == "CIE"


def test_create_saves_a_draft_with_the_registry_situation(
    referent_client, territory, my_beneficiary
):
    employer = factories.EmployerFactory(territory=territory)
    tutor = factories.TutorFactory(employer=employer)
    response = referent_client.post(
        reverse("conventions:create"),
        {
            "sector": "CIE",
            "prescribed_for_department": "on",
            "beneficiary": my_beneficiary.pk,
            "employer": employer.pk,
        },
    )
    convention = Convention.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith("?etape=2")
    assert convention.receives_rsa is True
    assert convention.education_level == my_beneficiary.education_level
    assert convention.tutor == tutor
    assert convention.territory == territory


def test_step_saves_the_draft_and_goes_on(referent_client, my_convention):
    url = reverse("conventions:update", args=[my_convention.pk])
    response = referent_client.post(
        url + "?etape=2",
        {"etape": 2, "contributions_up_to_date": "on", "suivant": "1"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?etape=3")


def test_bad_contract_input_is_refused_in_french_and_kept(referent_client, my_convention):
    url = reverse("conventions:update", args=[my_convention.pk]) + "?etape=4"
    response = referent_client.post(
        url,
        {
            "etape": 4,
            "contract_type": "CDD",
            "hire_date": "2025-03-15",
            "planned_end": "2025-03-01",
            "rome_code": "K13",
            "gross_monthly_pay": "1400",
            "weekly_hours": "26",
            "weekly_minutes": "0",
            "collective_weekly_minutes": "0",
        },
    )
    assert response.status_code == 200
    page = page_text(response)
    assert "précède l'embauche" in page and cites("C7", page)
    assert "code ROME" in page
    assert 'value="K13"' in page  # what was typed is kept
    my_convention.refresh_from_db()
    assert my_convention.planned_end == datetime.date(2025, 9, 14)  # nothing written


def test_unknown_rome_code_is_refused_citing_f1_with_near_codes_and_kept(
    referent_client, my_convention
):
    # K1399 has the shape of a ROME code but no fiche: domaine K13 stops at K1305.
    url = reverse("conventions:update", args=[my_convention.pk]) + "?etape=4"
    data = {
        "etape": 4,
        "contract_type": "CDD",
        "hire_date": "2025-03-15",
        "planned_end": "2025-09-14",
        "rome_code": "k1399",
        "gross_monthly_pay": "1400",
        "weekly_hours": "26",
        "weekly_minutes": "0",
        "collective_weekly_hours": "35",
        "collective_weekly_minutes": "0",
    }
    response = referent_client.post(url, data)
    assert response.status_code == 200
    page = page_text(response)
    assert "Le code ROME « K1399 » n'existe pas dans le répertoire ROME" in page
    assert cites("F1", page) and "K1302 (Assistance auprès d'adultes)" in page
    assert 'value="k1399"' in page  # what was typed is kept
    my_convention.refresh_from_db()
    assert my_convention.rome_code != "K1399"


def test_contract_step_proposes_the_rome_fiches_as_the_person_types(referent_client, my_convention):
    url = reverse("conventions:update", args=[my_convention.pk]) + "?etape=4"
    page = page_text(referent_client.get(url))
    assert 'list="id_rome_code-codes"' in page
    assert '<datalist id="id_rome_code-codes">' in page
    assert '<option value="K2204">K2204 — Nettoyage de locaux</option>' in page
    assert page.count('<option value="', page.index("<datalist")) >= 532


def test_rate_above_the_cap_is_refused_citing_e6(referent_client, my_convention):
    url = reverse("conventions:update", args=[my_convention.pk]) + "?etape=6"
    response = referent_client.post(
        url,
        {
            "etape": 6,
            "aid_start": "2025-03-15",
            "aid_end": "2025-09-14",
            "subsidised_weekly_hours": "26",
            "subsidised_weekly_minutes": "0",
            "prefect_rate_percent": "50",
        },
    )
    assert cites("E6", page_text(response))
    my_convention.refresh_from_db()
    assert my_convention.prefect_rate_percent == Decimal("47")


def test_signed_convention_is_changed_only_by_amendment(referent_client, my_signed_convention):
    response = referent_client.get(reverse("conventions:update", args=[my_signed_convention.pk]))
    assert response.status_code == 302


# --- Signing ---------------------------------------------------------------------------------

ALL_PARTIES = {
    "employee_present": "on",
    "employer_present": "on",
    "operator_present": "on",
    "rsa_adviser_present": "on",
    "confirm": "on",
}


def test_signing_gives_the_number_and_records_the_parties(referent_client, my_convention):
    response = referent_client.post(
        reverse("conventions:sign", args=[my_convention.pk]),
        {"signed_on": "2025-03-10", **ALL_PARTIES},
    )
    assert response.status_code == 302
    my_convention.refresh_from_db()
    assert my_convention.number == "067-25-00001-00-0"
    assert my_convention.signed_on == datetime.date(2025, 3, 10)
    assert my_convention.rsa_adviser_present
    # The schedule's column says whose share it is (« État » alone read as a status).
    detail = page_text(referent_client.get(my_convention.get_absolute_url()))
    assert ">Part de l'État</th>" in detail


def test_signing_refused_with_blocking_findings(referent_client, territory, my_beneficiary):
    convention = ConventionFactory(territory=territory, beneficiary=my_beneficiary, weekly_hours=18)
    response = referent_client.post(
        reverse("conventions:sign", args=[convention.pk]),
        {"signed_on": "2025-03-10", **ALL_PARTIES},
    )
    page = page_text(response)
    assert response.status_code == 200
    assert "ne peut pas être signée" in page and cites("C8", page)
    convention.refresh_from_db()
    assert not convention.is_signed and convention.number_order is None


def test_signing_after_the_hire_is_refused_f8(referent_client, my_convention):
    response = referent_client.post(
        reverse("conventions:sign", args=[my_convention.pk]),
        {"signed_on": "2025-03-20", **ALL_PARTIES},
    )
    page = page_text(response)
    # The F8 finding (hire before the signature), with its rule behind a help marker.
    assert "ne peut pas avoir lieu avant la signature" in page and "#regle-F8" in page
    my_convention.refresh_from_db()
    assert not my_convention.is_signed


def test_signing_without_the_four_parties_is_refused_a10(referent_client, my_convention):
    response = referent_client.post(
        reverse("conventions:sign", args=[my_convention.pk]),
        {"signed_on": "2025-03-10", "employee_present": "on", "confirm": "on"},
    )
    assert cites("A10", page_text(response))
    my_convention.refresh_from_db()
    assert not my_convention.is_signed


def test_the_sign_page_shows_the_blocking_findings_before_the_submission(
    referent_client, territory, my_beneficiary
):
    convention = ConventionFactory(territory=territory, beneficiary=my_beneficiary, weekly_hours=18)
    page = page_text(referent_client.get(reverse("conventions:sign", args=[convention.pk])))
    # The finding, its rule behind a help marker.
    assert "Points bloquants : la signature sera refusée" in page and "#regle-C8" in page
    assert "Je confirme la signature" in page


def test_signing_asks_for_the_confirmation(referent_client, my_convention):
    """An irreversible step (F2: the number is given once): the box « Je confirme… »."""
    parties = {key: value for key, value in ALL_PARTIES.items() if key != "confirm"}
    response = referent_client.post(
        reverse("conventions:sign", args=[my_convention.pk]),
        {"signed_on": "2025-03-10", **parties},
    )
    assert response.status_code == 200
    assert "Cochez « Je confirme la signature » pour signer" in page_text(response)
    my_convention.refresh_from_db()
    assert not my_convention.is_signed


# --- Amendments ------------------------------------------------------------------------------


def test_modification_amendment_changes_hours_from_its_date(referent_client, my_signed_convention):
    response = referent_client.post(
        reverse("conventions:amendment_create", args=[my_signed_convention.pk]),
        {
            "kind": "modification",
            "effective_from": "2025-06-01",
            "new_subsidised_weekly_hours": "20",
            "new_subsidised_weekly_minutes": "0",
            "new_contract_weekly_minutes": "0",
            "reason": "Passage à 20 h à la demande du salarié",
        },
    )
    assert response.status_code == 302, page_text(response)
    my_signed_convention.refresh_from_db()
    assert my_signed_convention.modification_count == 1
    assert my_signed_convention.number.endswith("-00-1")
    amendment = Amendment.objects.get()
    assert amendment.previous["subsidised_weekly_hours"] == 26
    page = page_text(referent_client.get(my_signed_convention.get_absolute_url()))
    assert "Avenant de modification du 01/06/2025" in page
    assert "Juin 2025 (mois complet) : 47 % × 11,88 € × 20 h × 52/12" in page.replace("\u202f", " ")


def test_renewal_amendment_extends_and_counts(referent_client, territory, my_beneficiary):
    convention = ConventionFactory(
        territory=territory, beneficiary=my_beneficiary, signed=True, cdi=True,
        aid_end=datetime.date(2025, 9, 14),
    )  # fmt: skip
    response = referent_client.post(
        reverse("conventions:amendment_create", args=[convention.pk]),
        {
            "kind": "renewal",
            "effective_from": "2025-09-15",
            "new_aid_end": "2026-03-14",
            "employer_request_date": "2025-08-01",
            "evaluation_done": "on",
            "new_subsidised_weekly_minutes": "0",
            "new_contract_weekly_minutes": "0",
        },
    )
    assert response.status_code == 302, page_text(response)
    convention.refresh_from_db()
    assert convention.aid_end == datetime.date(2026, 3, 14)
    assert convention.renewal_count == 1 and convention.number.endswith("-01-0")


def test_renewal_beyond_the_limit_is_refused_and_writes_nothing(
    referent_client, my_signed_convention
):
    response = referent_client.post(
        reverse("conventions:amendment_create", args=[my_signed_convention.pk]),
        {
            "kind": "renewal",
            "effective_from": "2025-09-15",
            "new_aid_end": "2028-03-14",
            "new_planned_end": "2028-03-14",
            "employer_request_date": "2025-08-01",
            "evaluation_done": "on",
            "new_subsidised_weekly_minutes": "0",
            "new_contract_weekly_minutes": "0",
        },
    )
    assert response.status_code == 200
    assert cites("C5", page_text(response))
    my_signed_convention.refresh_from_db()
    assert my_signed_convention.renewal_count == 0
    assert not Amendment.objects.exists()


def test_amendment_on_an_ended_convention_is_refused(referent_client, my_signed_convention):
    response = referent_client.post(
        reverse("conventions:amendment_create", args=[my_signed_convention.pk]),
        {
            "kind": "modification",
            "effective_from": "2025-10-01",
            "new_subsidised_weekly_hours": "20",
            "new_subsidised_weekly_minutes": "0",
            "new_contract_weekly_minutes": "0",
        },
    )
    assert "a pris fin" in page_text(response)
    assert not Amendment.objects.exists()


# --- Suspensions and ruptures ----------------------------------------------------------------


def test_unpaid_suspension_lowers_the_aid_and_late_report_is_flagged(
    referent_client, my_signed_convention
):
    response = referent_client.post(
        reverse("conventions:suspension_create", args=[my_signed_convention.pk]),
        {
            "start": "2025-05-01",
            "end": "2025-05-10",
            "reason": "work_evaluation",
            "employer_report_date": "2025-05-20",
        },
    )
    assert response.status_code == 302
    suspension = Suspension.objects.get()
    assert suspension.reported_late  # rule F12: 7 days
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{suspension} enregistrée.",
        "L'employeur devait signaler la suspension au plus tard le 08/05/2025 "
        "(7 jours, règle F12).",
    ]
    page = page_text(referent_client.get(my_signed_convention.get_absolute_url()))
    assert "10 j de suspension sans rémunération" in page
    assert "hors délai" in page


def test_suspension_with_dates_reversed_is_refused(referent_client, my_signed_convention):
    response = referent_client.post(
        reverse("conventions:suspension_create", args=[my_signed_convention.pk]),
        {"start": "2025-05-10", "end": "2025-05-01", "reason": "work_evaluation"},
    )
    assert cites("C9", page_text(response))
    assert not Suspension.objects.exists()


def test_a_draft_is_not_suspended_c9(referent_client, my_convention):
    # Rule C9 suspends a running contract: the form refuses a convention not yet signed.
    data = {"start": "2025-05-01", "end": "2025-05-10", "reason": "work_evaluation"}
    form = SuspensionForm(data, convention=my_convention)
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Seule une convention signée peut être suspendue (règle C9)."
    ]
    response = referent_client.post(
        reverse("conventions:suspension_create", args=[my_convention.pk]), data
    )
    page = page_text(response)
    assert "Seule une convention signée peut être suspendue" in page and cites("C9", page)
    assert 'value="2025-05-10"' in page  # nothing typed is lost
    assert not Suspension.objects.exists()


def test_rupture_before_the_hire_is_refused(referent_client, my_signed_convention):
    response = referent_client.post(
        reverse("conventions:rupture_create", args=[my_signed_convention.pk]),
        {"last_day": "2025-03-01", "initiative": "employer", "reason": "Faute"},
    )
    assert "précède l'embauche" in page_text(response) and cites("F13", page_text(response))
    assert not Rupture.objects.exists()


def test_unlawful_employer_rupture_computes_the_repayment(referent_client, my_signed_convention):
    response = referent_client.post(
        reverse("conventions:rupture_create", args=[my_signed_convention.pk]),
        {
            "last_day": "2025-05-31",
            "initiative": "employer",
            "reason": "Fin de chantier",
            "employer_report_date": "2025-06-02",
        },
    )
    assert response.status_code == 302
    rupture = Rupture.objects.get()
    # March (17 days) 344.98 + April 629.09 + May 629.09, all repaid (rule F13).
    assert rupture.repayment_due == Decimal("1603.16")
    notice = page_text(
        referent_client.get(reverse("conventions:repayment_notice", args=[my_signed_convention.pk]))
    )
    assert "1 603,16 €" in notice.replace("\u202f", " ") and "règle F13" in notice
    # The tab's title is text, the PDF link is in the page (once), never in <title>.
    title = re.search(r"<title>(.*?)</title>", notice, re.S).group(1)
    assert "<" not in title and title.startswith("Ordre de reversement — Convention CIE")
    assert notice.count('href="?format=pdf"') == 1
    my_signed_convention.refresh_from_db()
    assert my_signed_convention.status == Convention.Status.RUPTURED


def test_lawful_rupture_repays_nothing(referent_client, my_signed_convention):
    referent_client.post(
        reverse("conventions:rupture_create", args=[my_signed_convention.pk]),
        {
            "last_day": "2025-05-31",
            "initiative": "employee",
            "employee_ground": "cdi",  # rule E5: the employee's ground for ending the CDD
            "reason": "CDI ailleurs",
        },
    )
    assert Rupture.objects.get().repayment_due == 0


def test_immersion_refused_in_a_cie(referent_client, my_signed_convention):
    response = referent_client.post(
        reverse("conventions:immersion_create", args=[my_signed_convention.pk]),
        {"start": "2025-04-01", "end": "2025-04-10"},
    )
    assert cites("C13", page_text(response))


# --- Simulator -------------------------------------------------------------------------------


def test_simulator_page_gives_the_schedule(client, referent_user):
    client.force_login(referent_user)  # every page needs a login
    response = client.get(
        reverse("conventions:simulator"),
        {"rate": "47", "hours": "26", "start": "2025-03-15", "end": "2025-09-14"},
    )
    page = page_text(response).replace("\u202f", " ")
    assert "344,98 €" in page and "3 784,00 €" in page


def test_simulator_page_refuses_a_rate_above_the_cap(client, referent_user):
    client.force_login(referent_user)  # every page needs a login
    response = client.get(
        reverse("conventions:simulator"),
        {"rate": "60", "hours": "26", "start": "2025-03-15", "end": "2025-09-14"},
    )
    assert cites("E6", page_text(response))


# --- The employer's report within 7 days (rule F12) -----------------------------------------


def test_employer_report_recorded_later_and_flagged_when_late(
    referent_client, my_signed_convention
):
    from tests.conventions.factories import SuspensionFactory

    suspension = SuspensionFactory(convention=my_signed_convention, employer_report_date=None)
    url = reverse("conventions:suspension_report", args=[my_signed_convention.pk, suspension.pk])
    # Began 01/05/2025: due by 01/05 + 7 days = 08/05/2025; reported 12/05 is late.
    response = referent_client.post(url, {"employer_report_date": "2025-05-12"}, follow=True)
    suspension.refresh_from_db()
    assert suspension.employer_report_date == datetime.date(2025, 5, 12)
    assert "hors délai" in page_text(response) and "08/05/2025" in page_text(response)


def test_employer_report_before_the_event_is_refused(referent_client, my_signed_convention):
    from tests.conventions.factories import RuptureFactory

    rupture = RuptureFactory(convention=my_signed_convention, employer_report_date=None)
    url = reverse("conventions:rupture_report", args=[my_signed_convention.pk])
    response = referent_client.post(url, {"employer_report_date": "2025-06-01"})
    assert response.status_code == 200
    assert cites("F12", page_text(response))
    rupture.refresh_from_db()
    assert rupture.employer_report_date is None
    # In time: reported 3 days after the last day (30/06/2025).
    response = referent_client.post(url, {"employer_report_date": "2025-07-03"}, follow=True)
    assert "dans le délai" in page_text(response)


def test_employer_report_of_another_conventions_suspension_is_404(
    referent_client, territory, my_signed_convention
):
    from tests.conventions.factories import SuspensionFactory

    foreign = SuspensionFactory(convention__territory=territory)
    url = reverse("conventions:suspension_report", args=[my_signed_convention.pk, foreign.pk])
    assert referent_client.get(url).status_code == 404


def test_the_employee_list_is_searched_without_javascript(
    referent_client, territory, my_beneficiary
):
    """The wizard's « Salarié »: a GET search narrows the list (a person found alone is
    chosen); the POST still accepts any person the user may see."""
    operator = my_beneficiary.operator
    other = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=my_beneficiary.referent,
        last_name="Zimmermann",
    )  # fmt: skip
    url = reverse("conventions:create")
    page = page_text(referent_client.get(url, {"salarie": "zimmer"}))
    assert 'role="search"' in page
    assert "1 personne correspond à « zimmer »" in page
    employees = page.split('name="beneficiary"')[1].split("</select>")[0]
    assert f'<option value="{other.pk}" selected>' in employees
    assert f'<option value="{my_beneficiary.pk}"' not in employees
    page = page_text(referent_client.get(url))
    employees = page.split('name="beneficiary"')[1].split("</select>")[0]
    assert f'<option value="{my_beneficiary.pk}"' in employees
    assert f'<option value="{other.pk}"' in employees


def employer_options(page: str) -> str:
    return page.split('name="employer"')[1].split("</select>")[0]


def test_the_employer_list_is_searched_without_javascript(
    referent_client, territory, my_beneficiary
):
    """The wizard's « Employeur »: a GET search by name or SIRET narrows the list to the
    employers the user may see (one found alone is chosen), the person's search is kept."""
    bakery = factories.EmployerFactory(territory=territory, name="Boulangerie Kléber")
    garage = factories.EmployerFactory(territory=territory, name="Garage de l'Ill")
    elsewhere = factories.EmployerFactory(
        name="Boulangerie Kléber", territory=factories.TerritoryFactory(code="68")
    )  # another département: not visible to the referent
    url = reverse("conventions:create")
    page = page_text(referent_client.get(url, {"recherche_employeur": "kleber", "salarie": "x"}))
    assert "1 employeur correspond à « kleber » : il est choisi" in page
    options = employer_options(page)
    assert f'<option value="{bakery.pk}" selected>Boulangerie Kléber — SIRET {bakery.siret}' in (
        options
    )
    assert f'value="{garage.pk}"' not in options
    assert f'value="{elsewhere.pk}"' not in options
    # The other search box keeps this search (and this one keeps the person's).
    assert '<input type="hidden" name="recherche_employeur" value="kleber">' in page
    assert '<input type="hidden" name="salarie" value="x">' in page
    # By SIRET; and « Toute la liste » again shows every employer of the département.
    page = page_text(referent_client.get(url, {"recherche_employeur": garage.siret}))
    assert "1 employeur correspond à" in page
    assert f'<option value="{garage.pk}" selected>' in employer_options(page)
    options = employer_options(page_text(referent_client.get(url)))
    assert f'value="{bakery.pk}"' in options and f'value="{garage.pk}"' in options
    assert f'value="{elsewhere.pk}"' not in options


def test_the_employer_search_counts_and_survives_odd_input(referent_client, territory):
    for name in ("Garage Nord", "Garage Sud"):
        factories.EmployerFactory(territory=territory, name=name)
    url = reverse("conventions:create")
    page = page_text(referent_client.get(url, {"recherche_employeur": "garage"}))
    assert "2 employeurs correspondent à « garage » : choisissez" in page
    assert '" selected>' not in employer_options(page).replace('value="" selected>', "")
    for odd in ("{count}", "zzz", "%", "'; --"):
        response = referent_client.get(url, {"recherche_employeur": odd})
        assert response.status_code == 200
        assert f"Aucun employeur ne correspond à « {odd} »." in page_text(response)


def test_an_employer_the_user_may_not_see_is_refused_in_french(
    referent_client, territory, my_beneficiary
):
    """The narrowed list is only a help: the POST is checked against the visible employers,
    whatever the search."""
    elsewhere = factories.EmployerFactory(
        name="Boulangerie Kléber", territory=factories.TerritoryFactory(code="68")
    )
    response = referent_client.post(
        reverse("conventions:create") + "?recherche_employeur=kleber",
        {
            "sector": "CIE",
            "prescribed_for_departement": "on",
            "beneficiary": my_beneficiary.pk,
            "employer": elsewhere.pk,
        },
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not Convention.objects.exists()
