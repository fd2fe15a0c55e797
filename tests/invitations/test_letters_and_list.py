"""The letters waiting to be printed: their own page (paginated, with their total), one PDF
of them all made by a job (one letter per sheet, the operator's address on each), then
noted printed — only those the PDF held. The invitations' list shows its total and pages."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests import factories
from tests.invitations.factories import operator_with_address, planned, running_support
from tests.web.job_helpers import job_file
from tremplin.invitations import services
from tremplin.invitations.models import SentMessage

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def letters_for(referent, count):
    return [
        services.invite_to_meeting(planned(running_support(referent), days=5 + n), ["letter"])
        for n in range(count)
    ]


def test_one_pdf_holds_every_letter_waiting_one_per_sheet(client, referent_user, operator):
    operator_with_address(operator)
    invitations = letters_for(referent_user, 3)
    theirs = letters_for(factories.referent(operator), 1)[0]  # out of the scope
    # A name no generated person bears (Faker's French names repeat: CI once met a LOUIS
    # among the user's own letters), so finding it can only mean the letter leaked.
    theirs.beneficiary.last_name = "Horsdeportée"
    theirs.beneficiary.save(update_fields=["last_name"])
    client.force_login(referent_user)
    page = client.get(reverse("invitations:letters"))
    assert "Télécharger les 3 courriers en un PDF" in text(page)
    assert "Noter ces 3 courriers comme imprimés et postés" in text(page)
    assert str(theirs.beneficiary) not in text(page)
    up_to = page.context["up_to"]
    response = client.get(reverse("invitations:letters_pdf"), {"jusqu": up_to})
    pdf = PdfReader(io.BytesIO(job_file(client, response).content))  # made by a job
    pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) == 3  # one sheet per letter
    for invitation, sheet in zip(invitations, pages, strict=True):
        assert invitation.beneficiary.last_name.upper() in sheet
        assert "12 rue du Jeu-des-Enfants" in sheet and "Objet : invitation" in sheet
    assert theirs.beneficiary.last_name.upper() not in "".join(pages)
    # Nothing is noted printed by making the PDF: the user says so once posted.
    assert SentMessage.objects.filter(status="to_print").count() == 4


def test_noting_them_printed_spares_the_letters_prepared_since(client, referent_user):
    letters_for(referent_user, 2)
    client.force_login(referent_user)
    up_to = client.get(reverse("invitations:letters")).context["up_to"]
    later = letters_for(referent_user, 1)[0]  # prepared after the PDF was made
    response = client.post(reverse("invitations:mark_letters_printed"), {"jusqu": up_to})
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "2 courriers notés comme imprimés et postés." in page
    waiting = SentMessage.objects.filter(status="to_print")
    assert [m.invitation for m in waiting] == [later]
    assert SentMessage.objects.filter(status="printed").count() == 2
    assert "1 courrier en attente" in page and "Noter ce courrier comme imprimé et posté" in page
    assert "Télécharger le courrier en PDF" in page


def test_someone_else_s_letters_are_never_noted_printed(client, referent_user, operator):
    theirs = letters_for(factories.referent(operator), 1)[0]
    mine = letters_for(referent_user, 1)[0]
    client.force_login(referent_user)
    up_to = SentMessage.objects.order_by("-pk").first().pk
    client.post(reverse("invitations:mark_letters_printed"), {"jusqu": up_to})
    assert SentMessage.objects.get(invitation=theirs).status == "to_print"
    assert SentMessage.objects.get(invitation=mine).status == "printed"


def test_no_letter_waiting_says_so(client, referent_user):
    client.force_login(referent_user)
    assert "Aucun courrier n'attend d'être imprimé." in text(
        client.get(reverse("invitations:letters"))
    )
    response = client.get(reverse("invitations:letters_pdf"), follow=True)
    assert "Aucun courrier n&#x27;attend d&#x27;être imprimé." in text(response)


def test_the_letters_page_by_page_with_their_total(client, referent_user, settings):
    settings.TREMPLIN_PAGE_SIZE = 2
    letters_for(referent_user, 3)
    client.force_login(referent_user)
    first = text(client.get(reverse("invitations:letters")))
    assert "3 courriers en attente, 1 à 2 ci-dessous" in first and "Page 1 sur 2" in first
    second = text(client.get(reverse("invitations:letters"), {"page": 2}))
    assert "3 courriers en attente, 3 à 3 ci-dessous" in second
    listing = text(client.get(reverse("invitations:list")))
    assert "3 courriers en attente d'impression." in listing


def test_the_invitations_list_shows_its_total_and_pages(client, referent_user, settings):
    settings.TREMPLIN_PAGE_SIZE = 2
    client.force_login(referent_user)
    assert "Aucune invitation dans cette liste." in text(client.get(reverse("invitations:list")))
    services.invite_to_meeting(planned(running_support(referent_user)), ["email"])
    assert "1 invitation</caption>" in text(client.get(reverse("invitations:list")))
    for _ in range(2):
        services.invite_to_meeting(planned(running_support(referent_user)), ["email"])
    first = client.get(reverse("invitations:list"))
    assert "3 invitations, 1 à 2 ci-dessous" in text(first)
    assert len(first.context["page"].object_list) == 2
    second = client.get(reverse("invitations:list"), {"etat": "a-venir", "page": 2})
    assert len(second.context["page"].object_list) == 1
    assert "3 invitations, 3 à 3 ci-dessous" in text(second)
