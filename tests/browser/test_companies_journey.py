"""Company relations in a real browser (P7): a referent publishes an offer (refused first
without its employer, nothing typed lost), fills a person's job search and sees the offer
proposed with its reasons; the pages pass axe-core."""

from playwright.sync_api import expect

from tests import factories
from tests.browser.test_accessibility import assert_accessible


def test_offer_and_matching_journey(login, operator, referent_user):
    factories.EmployerFactory(territory=operator.territory, name="Nettoyage Alsacien")
    person = factories.BeneficiaryFactory(
        territory=operator.territory, operator=operator, referent=referent_user, last_name="Muller"
    )
    page = login(referent_user)
    page.get_by_role("link", name="Entreprises").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offres d'emploi")
    assert_accessible(page, "La liste des offres")

    page.get_by_role("link", name="Nouvelle offre").click()
    page.get_by_label("Intitulé du poste").fill("Agent d'entretien")
    page.get_by_label("Code ROME").fill("k2204")
    page.get_by_label("Code postal du lieu de travail").fill("67000")
    page.get_by_label("Commune du lieu de travail").fill("Strasbourg")
    page.get_by_label("Heures par semaine").fill("24")
    page.get_by_label("Type de contrat").select_option("cdd")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#erreurs a.rule-ref[href$='#regle-P7']")).to_have_count(1)
    expect(page.get_by_label("Intitulé du poste")).to_have_value("Agent d'entretien")

    page.get_by_label("Employeur").select_option(label="Nettoyage Alsacien")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agent d'entretien")
    expect(page.get_by_text("Aucune personne suivie ne recherche ce métier")).to_be_visible()

    page.goto(f"/entreprises/personnes/{person.pk}/")
    page.get_by_label("Métiers recherchés (codes ROME)").fill("K2204")
    page.get_by_label("Lieux recherchés").fill("67000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_be_visible()
    expect(page.get_by_text("Même métier (code ROME K2204)")).to_be_visible()
    assert_accessible(page, "La recherche d'emploi d'une personne")

    page.get_by_role("link", name="Agent d'entretien", exact=True).click()
    expect(page.get_by_role("link", name=str(person), exact=True)).to_be_visible()
    assert_accessible(page, "La page d'une offre")
