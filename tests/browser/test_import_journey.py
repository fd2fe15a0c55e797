"""Importing a list through the pages, in a real browser: a coordinator uploads a CSV,
checks the columns, reads the preview of every row (one rejected, with its reason), and
confirms."""

import datetime

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in
from tests.registry.import_helpers import nir_of, person_row, write_list
from tremplin.registry.models import Beneficiary


def test_coordinator_imports_a_list_through_the_pages(
    page: Page, operator, referent_user, tmp_path
):
    coordinator = factories.coordinator(operator)
    rows = [
        person_row(),
        person_row(Nom="Meyer", Prénom="Jean", Sexe="M",
                   NIR=nir_of("homme", datetime.date(1979, 5, 2), seed=4),
                   **{"Date de naissance": "02/05/1979", "Numéro allocataire": "7654321"}),
        person_row(Nom="Roth", Prénom="Inès", Sexe="F", NIR="", Téléphone="12",
                   **{"Numéro allocataire": "5555555"}),
    ]  # fmt: skip
    path = write_list(tmp_path / "liste-caf.csv", rows)
    heading = page.get_by_role("heading", level=1)

    log_in(page, coordinator)
    page.goto("/repertoire/beneficiaires/")
    page.get_by_role("link", name="Importer une liste").click()
    expect(heading).to_have_text("Importer une liste de bénéficiaires")
    page.get_by_label("Liste (CSV ou XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Enregistrer").click()

    expect(heading).to_have_text("Colonnes de « liste-caf.csv »")
    # The headers are recognised: « Téléphone » fills the phone.
    expect(page.get_by_label("Téléphone")).to_have_value("phone")
    page.get_by_role("button", name="Voir l'aperçu de chaque ligne").click()

    expect(heading).to_contain_text("Aperçu de l'import")
    expect(page.locator("#decompte")).to_contain_text("Créé : 2")
    expect(page.locator("#decompte")).to_contain_text("Rejeté : 1")
    rejected = page.locator("tr[data-row='3']")
    expect(rejected).to_contain_text("Téléphone")
    expect(rejected).to_contain_text("n'est pas valide")
    assert Beneficiary.objects.count() == 0  # nothing written before the confirmation

    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success")).first).to_contain_text(
        "Import terminé : 2 dossiers créés"
    )
    expect(heading).to_contain_text("Résultat de l'import")
    assert sorted(Beneficiary.objects.values_list("last_name", flat=True)) == ["Meyer", "Schmitt"]
