"""The journey of the in-employment support, in a real browser: from a signed convention, a referent starts the
in-employment support, logs a meeting with its report and sees the hours gauge move, declares
a rupture with its supporting letter, sees the 48-hour deadline and the job-search phase,
then downloads the livret d'accompagnement and finds its pages."""

import re

from playwright.sync_api import Page, expect
from pypdf import PdfReader, PdfWriter

from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import assert_accessible
from tests.conventions.factories import ConventionFactory
from tremplin.support.models import SupportEpisode

REPORT = "Prise de poste au fournil ; horaires de nuit à aménager avec la tutrice."


def field(page: Page, label: str):
    """The control labelled ``label`` exactly (required fields add an asterisk)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?\s*(\(obligatoire\))?$"))


def one_page_pdf(path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as handle:
        writer.write(handle)


def test_from_a_signed_convention_to_the_livret(page: Page, referent_user, operator, tmp_path):
    beneficiary = factories.BeneficiaryFactory(
        territory=operator.territory,
        operator=operator,
        referent=referent_user,
        last_name="Schaller",
    )
    # Hired 15/03/2025 on a CDD to 14/09/2025 (tests/conventions/factories.py), signed.
    convention = ConventionFactory(
        territory=operator.territory, beneficiary=beneficiary, signed=True
    )
    heading = page.get_by_role("heading", level=1)
    log_in(page, referent_user)

    # 1. Start the support from the convention: the contract's dates come pre-filled.
    page.goto(convention.get_absolute_url())
    page.get_by_role("link", name="Accompagnement dans l'emploi").click()
    expect(field(page, "Début du contrat (embauche)")).to_have_value("2025-03-15")
    field(page, "Conseiller RSA (nom)").fill("Claire Muller")
    field(page, "Conseiller RSA (adresse électronique)").fill(
        "claire.muller@departement.example.fr"
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(heading).to_contain_text("Accompagnement dans l'emploi")
    episode = SupportEpisode.objects.get(convention=convention)
    gauge = page.locator("label[for=jauge-heures]")
    expect(gauge).to_contain_text("0 h sur 12 h")

    # 2. A meeting of 1 h 30 with its report: the gauge moves to 1 h 30 of 12 h (A5).
    assert_accessible(page, "A new support's page")
    page.get_by_role("link", name="Nouvelle rencontre").click()
    field(page, "Date et heure").fill("2025-03-20T10:00")
    field(page, "Durée (minutes)").fill("90")
    field(page, "Lieu").select_option("company")
    field(page, "Type de rencontre").select_option("with_employer")
    field(page, "Participants").fill("Le salarié, la tutrice")
    field(page, "Compte-rendu").fill(REPORT)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").or_(page.locator(".alert-success")).first).to_contain_text(
        "compte-rendu sont enregistrés"
    )
    expect(gauge).to_contain_text("1 h 30 sur 12 h")
    expect(page.locator("#jauge-heures")).to_have_attribute("value", "90")
    expect(page.get_by_text(REPORT)).to_be_visible()

    # 3. A rupture known on 10/06/2025 at 14:00, with the resignation letter attached.
    letter = tmp_path / "demission.pdf"
    one_page_pdf(letter)
    page.get_by_role("link", name="Déclarer une rupture").click()
    field(page, "Rupture connue le (date et heure, heure de Paris)").fill("2025-06-10T14:00")
    field(page, "À l'initiative de").select_option("employee")
    # Rule E5: the employee ends the CDD early for a CDI.
    page.get_by_label(re.compile("^Motif justifié par le salarié")).select_option("cdi")
    field(page, "Motif").fill("Démission pour un CDI dans une autre boulangerie.")
    page.get_by_label("Concertation préalable tenue").check()
    page.get_by_label(re.compile("^Pièce justificative")).set_input_files(str(letter))
    page.get_by_label("Titre de la pièce").fill("Lettre de démission")
    page.get_by_role("button", name="Enregistrer").click()

    # The 48 hours of A14 (Paris time) and the new phase: 3 months of job search from the
    # day after the rupture, 11/06/2025 to 10/09/2025.
    expect(page.locator(".alert-success")).to_contain_text("au plus tard le 12/06/2025 à 14:00")
    expect(page.locator(".alert-success a.rule-ref[href$='#regle-A14']")).not_to_have_count(0)
    expect(page.locator(".alert-success")).to_contain_text(
        "recherche active d'emploi du 11/06/2025 au 10/09/2025"
    )
    phases = page.get_by_role("table", name="Phases de l'accompagnement")
    expect(phases).to_contain_text("Accompagnement actif à la recherche d'emploi (3 mois)")
    deadlines = page.get_by_role("table", name="Livrables et échéances")
    expect(deadlines).to_contain_text("12/06/2025 à 14:00")
    expect(
        page.get_by_role("link", name=re.compile("^Pièce justificative.*Lettre de démission"))
    ).to_be_visible()
    assert_accessible(page, "The support page after a rupture")

    # 4. The livret: cover, contents and reports rendered, then the uploaded letter's page.
    # Made by a job (done at once here): its page says when it is ready, then the download.
    page.get_by_role("link", name="Livret complet en PDF").click()
    expect(page.get_by_role("status")).to_contain_text("Le fichier est prêt")
    assert_accessible(page, "The job's page, its file ready")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Télécharger livret-")).click()
    pdf = PdfReader(download_info.value.path())
    text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Livret d'accompagnement" in text
    assert "Sommaire" in text
    assert "horaires de nuit" in text
    assert "Lettre de démission" in text
    # The appended letter is the last page, blank (595 x 842 points, A4).
    last = pdf.pages[-1]
    assert (round(float(last.mediabox.width)), round(float(last.mediabox.height))) == (595, 842)
    assert not (last.extract_text() or "").strip()
    assert len(pdf.pages) >= 2
    assert episode.documents.count() == 1

    # 5. The referent's day on the home page: the support is there, and the page accessible.
    page.goto("/")
    expect(
        page.get_by_role("heading", name="Ma file de travail — mes accompagnements")
    ).to_be_visible()
    assert_accessible(page, "The home page with the referent's day")
