"""The registry's first journey, in a real browser: a referent creates a file, types a NIR
whose key is wrong, reads the French error, corrects it, saves, and finds the person again
in the list."""

import datetime
import random
import re

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import log_in
from tremplin.registry.models import Beneficiary
from tremplin.registry.synthetic import synthetic_nir
from tremplin.rules.identifiers import format_nir

BIRTH_DATE = datetime.date(1988, 9, 23)

# What the referent types, by label; the NIR is typed separately.
TEXT_FIELDS = {
    "Nom": "Kieffer",
    "Prénoms": "Odile Marthe",
    "Nom de naissance": "Hoffmann",
    "Date de naissance": BIRTH_DATE.isoformat(),
    "Commune de naissance": "Colmar",
    "Département de naissance": "68",
    "N°": "7",
    "Rue ou voie": "rue des Tanneurs",
    "Code postal": "67000",
    "Commune": "Strasbourg",
    "Adresse électronique": "odile.kieffer@exemple.fr",
    "Téléphone": "06 45 12 78 90",
    "N° d'allocataire RSA": "4567123",
    "Au RSA depuis le": "2019-02-01",
    "Mois de RMI ou d'API avant le RSA": "14",
}
SELECTS = {  # label: option value
    "Civilité": "MME",
    "Nationalité": "FR",
    "Organisme payeur du RSA": "CAF",
    "Niveau de formation (tableau 2)": "51",
    "Sans emploi depuis": "12_23",
    "Reconnu·e travailleur handicapé": "not_declared",
}
CHECKED = ["RSA financé par le département"]


def field(page: Page, label: str):
    """The control labelled ``label`` exactly (required fields add « (obligatoire) »)."""
    pattern = re.compile(rf"^{re.escape(label)}\s*\*?\s*(\(obligatoire\))?$")
    return page.get_by_label(pattern)


def nir_with_wrong_key() -> tuple[str, str]:
    """A NIR consistent with the typed identity, and the same NIR with its key changed."""
    nir = synthetic_nir(
        random.Random(2026), sex="femme", birth_date=BIRTH_DATE, birth_department="68"
    )
    key = int(nir[13:])
    return nir, f"{nir[:13]}{key % 97 + 1:02d}"


def test_referent_corrects_a_wrong_nir_key_then_finds_the_person(
    page: Page, referent_user, operator
):
    for last_name in ("Muller", "Meyer", "Klein"):
        factories.BeneficiaryFactory(
            territory=operator.territory,
            operator=operator,
            referent=referent_user,
            last_name=last_name,
        )
    valid_nir, wrong_nir = nir_with_wrong_key()
    heading = page.get_by_role("heading", level=1)

    log_in(page, referent_user)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Bénéficiaires"
    ).click()
    expect(heading).to_have_text("Bénéficiaires")
    page.get_by_role("link", name="Nouveau dossier").click()
    expect(heading).to_have_text("Nouveau bénéficiaire")

    # The referent's structure and the referent are filled in for them.
    expect(field(page, "Structure d'accompagnement")).to_have_value(str(operator.pk))
    expect(field(page, "Référent·e")).to_have_value(str(referent_user.pk))

    for label, value in SELECTS.items():
        field(page, label).select_option(value)
    for label, value in TEXT_FIELDS.items():
        field(page, label).fill(value)
    for label in CHECKED:
        field(page, label).check()
    nir = field(page, "NIR (numéro de sécurité sociale)")
    nir.fill(wrong_nir)
    page.get_by_role("button", name="Enregistrer").click()

    # The page comes back with the error, in French, naming the key.
    key_error = (
        f"La clé du NIR (2 derniers chiffres) vaut {wrong_nir[13:]} alors que les 13 premiers "
        f"chiffres donnent la clé {valid_nir[13:]}"
    )
    expect(heading).to_have_text("Nouveau bénéficiaire")
    summary = page.locator("#erreurs")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("Le formulaire contient 1 erreur :")
    expect(summary).to_contain_text(key_error)
    # Under the field, and tied to it so that a screen reader reads it with the field.
    nir_group = page.locator(".mb-3", has=page.locator("#id_nir"))
    expect(nir_group.locator(".invalid-feedback")).to_contain_text(key_error)
    expect(nir).to_have_attribute("aria-invalid", "true")
    expect(nir).to_have_accessible_description(re.compile(re.escape(key_error)))
    expect(page.get_by_role("alert").filter(has_text="Rien n'a été enregistré")).to_be_visible()
    # The summary's link takes the keyboard to the field.
    summary.get_by_role("link", name="NIR (numéro de sécurité sociale)").click()
    expect(nir).to_be_focused()

    # Nothing typed is lost, nothing is written.
    expect(nir).to_have_value(wrong_nir)
    for label, value in TEXT_FIELDS.items():
        expect(field(page, label), label).to_have_value(value)
    for label, value in SELECTS.items():
        expect(field(page, label), label).to_have_value(value)
    for label in CHECKED:
        expect(field(page, label), label).to_be_checked()
    assert not Beneficiary.objects.filter(last_name="Kieffer").exists()

    # Corrected as printed on the Vitale card (with spaces), the file is saved.
    nir.fill(format_nir(valid_nir))
    page.get_by_role("button", name="Enregistrer").click()

    # (The browser keeps the "#id_nir" of the summary's link across the redirect.)
    expect(page).to_have_url(re.compile(r"/repertoire/beneficiaires/\d+/(#id_nir)?$"))
    expect(heading).to_have_text("Mme KIEFFER Odile Marthe")
    expect(page.get_by_role("status")).to_contain_text(
        "Le dossier de KIEFFER Odile Marthe est créé."
    )
    created = Beneficiary.objects.get(last_name="Kieffer")
    identity = page.get_by_role("region", name="Identité")
    expect(identity).to_contain_text(created.nir_masked)  # the file shows it masked
    expect(identity).not_to_contain_text(format_nir(valid_nir))
    assert created.nir == valid_nir
    assert created.referent == referent_user
    assert created.birth_name == "Hoffmann"
    assert created.rsa_number == "4567123"

    # Back to the list: the person is found by name.
    page.get_by_role("navigation", name="Fil d'Ariane").get_by_role(
        "link", name="Bénéficiaires"
    ).click()
    expect(heading).to_have_text("Bénéficiaires")
    expect(page.get_by_role("table")).to_contain_text("4 bénéficiaires")
    search = page.get_by_role("searchbox", name="Rechercher un bénéficiaire")
    search.fill("kieffer odile")
    search.press("Enter")
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_have_text("1 bénéficiaire pour « kieffer odile »")
    expect(table.locator("tbody tr")).to_have_count(1)
    table.get_by_role("link", name="KIEFFER Odile Marthe").click()
    expect(page).to_have_url(created.get_absolute_url())
    expect(heading).to_have_text("Mme KIEFFER Odile Marthe")
