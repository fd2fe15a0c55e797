"""The outcomes and indicators' journey in a real browser: a coordinator opens the dashboard, filters a period,
clicks a rate and lands on the people behind it, exports them to XLSX and opens the file."""

import datetime
import re
from decimal import Decimal

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import assert_accessible
from tests.outcomes.factories import SituationFactory
from tests.support.factories import InEmploymentEpisodeFactory


def ended_support(operator, referent, last_name):
    """tests/support/factories.py's CUI in CDD, 03/03/2025-02/09/2025, ended on its term."""
    beneficiary = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent, last_name=last_name
    )
    InEmploymentEpisodeFactory(beneficiary=beneficiary, ended_on=datetime.date(2025, 9, 2))
    SituationFactory(
        beneficiary=beneficiary,
        kind="subsidised_contract",
        start=datetime.date(2025, 3, 3),
        end=datetime.date(2025, 9, 2),
        weekly_hours=Decimal(26),
        supported_contract=True,
    )
    return beneficiary


def test_a_coordinator_goes_from_a_rate_to_the_people_and_their_xlsx(
    page, operator, referent_user, tmp_path
):
    coordinator = factories.coordinator(operator)
    # Durable: a CDD of 24 h for 6 months right after the support (A4 b). Not durable: a
    # job search. Durable placement: 1 of 2 = 50 %.
    durable = ended_support(operator, referent_user, "Kieffer")
    SituationFactory(
        beneficiary=durable,
        cdd=True,
        start=datetime.date(2025, 9, 3),
        end=datetime.date(2026, 3, 2),
    )
    other = ended_support(operator, referent_user, "Hoffmann")
    SituationFactory(beneficiary=other, start=datetime.date(2025, 9, 3))

    log_in(page, coordinator)
    page.goto("/sorties/indicateurs/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Indicateurs et cibles des conventions"
    )
    page.get_by_label(re.compile(r"^Du\b")).fill("2025-01-01")
    page.get_by_label(re.compile(r"^Au\b")).fill("2025-12-31")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("p", has_text="du 01/01/2025 au 31/12/2025").first).to_be_visible()
    assert_accessible(page, "Le tableau de bord des indicateurs")

    rate = page.get_by_role("link", name=re.compile(r"^50 % : voir"))
    expect(rate).to_be_visible()
    rate.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Sorties en placement pérenne")
    expect(page.get_by_role("link", name=re.compile(r"^KIEFFER"))).to_be_visible()
    expect(page.get_by_text("HOFFMANN")).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter en XLSX").click()
    path = tmp_path / "personnes.xlsx"
    download_info.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Dossier", "Nom", "Prénoms")
    assert [(row[0], row[1].upper()) for row in rows[1:]] == [(durable.pk, "KIEFFER")]
