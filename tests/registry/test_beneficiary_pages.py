"""Beneficiary pages: creation with checked identifiers, duplicates, list without N+1."""

import datetime
import html
import random
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tremplin.accounts.models import AuditEntry
from tremplin.registry.models import Beneficiary
from tremplin.registry.synthetic import synthetic_nir

pytestmark = pytest.mark.django_db

BIRTH_DATE = datetime.date(1986, 4, 17)


def valid_nir(seed=1, sex="femme", birth_date=BIRTH_DATE, department="67"):
    return synthetic_nir(
        random.Random(seed), sex=sex, birth_date=birth_date, birth_department=department
    )


def form_data(territory, operator, referent, **overrides):
    data = {
        "territory": territory.pk,
        "operator": operator.pk,
        "referent": referent.pk,
        "civility": "MME",
        "last_name": "Muller",
        "first_names": "Léa Marie",
        "birth_name": "",
        "nir": valid_nir(),
        "birth_date": BIRTH_DATE.isoformat(),
        "birth_place": "Strasbourg",
        "birth_department": "67",
        "nationality": "FR",
        "street_number": "4",
        "street": "rue des Orfèvres",
        "postal_code": "67000",
        "city": "Strasbourg",
        "email": "lea.muller@exemple.fr",
        "phone": "06 12 34 56 78",
        "rsa_number": "1234567",
        "rsa_payer": "CAF",
        "education_level": "51",
        "unemployed_for": "24plus",
        "receives_rsa": "on",
        "rsa_start_date": "2009-06-01",
        "earlier_rmi_api_months": "10",
        "disabled_worker": "not_declared",
    }
    data.update(overrides)
    return data


@pytest.fixture
def logged_referent(client, referent_user):
    client.force_login(referent_user)
    return client


def test_referent_creates_a_beneficiary(logged_referent, territory, operator, referent_user):
    response = logged_referent.post(
        reverse("registry:beneficiary_create"), form_data(territory, operator, referent_user)
    )
    beneficiary = Beneficiary.objects.get()
    assert response.status_code == 302
    assert response["Location"] == beneficiary.get_absolute_url()
    assert beneficiary.nir == valid_nir()
    assert beneficiary.rsa_number == "1234567"
    # Rule F3: RSA since June 2009 plus 10 months of RMI is far beyond 24 months today.
    assert beneficiary.minimum_income_for == "24plus"
    # Encrypted at rest: the NIR is nowhere in the row in clear.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_beneficiary")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert valid_nir() not in row and "1234567" not in row


def test_wrong_nir_key_is_explained_and_nothing_is_saved(
    logged_referent, territory, operator, referent_user
):
    nir = valid_nir()
    wrong_key = f"{(int(nir[13:]) + 1) % 97:02d}"
    response = logged_referent.post(
        reverse("registry:beneficiary_create"),
        form_data(territory, operator, referent_user, nir=nir[:13] + wrong_key),
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"La clé du NIR (2 derniers chiffres) vaut {wrong_key}" in page
    assert f"donnent la clé {nir[13:]}" in page
    assert 'value="rue des Orfèvres"' in page  # what was typed is kept
    assert Beneficiary.objects.count() == 0
    assert not AuditEntry.objects.filter(action="create").exists()


def test_nir_contradicting_the_birth_date_is_refused(
    logged_referent, territory, operator, referent_user
):
    response = logged_referent.post(
        reverse("registry:beneficiary_create"),
        form_data(territory, operator, referent_user, birth_date="1987-04-17"),
    )
    assert "Le NIR indique une naissance en 86" in html.unescape(response.content.decode())
    assert Beneficiary.objects.count() == 0


def test_birth_date_in_the_future_is_refused(logged_referent, territory, operator, referent_user):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = logged_referent.post(
        reverse("registry:beneficiary_create"),
        form_data(territory, operator, referent_user, birth_date=tomorrow.isoformat(), nir=""),
    )
    assert "est dans le futur" in html.unescape(response.content.decode())
    assert Beneficiary.objects.count() == 0


def test_postal_code_outside_the_department_is_refused(
    logged_referent, territory, operator, referent_user
):
    response = logged_referent.post(
        reverse("registry:beneficiary_create"),
        form_data(territory, operator, referent_user, postal_code="68100", city="Mulhouse"),
    )
    assert "appartient au département 68" in html.unescape(response.content.decode())


def test_duplicate_nir_links_to_the_existing_file(
    logged_referent, territory, operator, referent_user
):
    existing = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )
    response = logged_referent.post(
        reverse("registry:beneficiary_create"),
        form_data(
            territory,
            operator,
            referent_user,
            nir=existing.nir,
            birth_date=existing.birth_date.isoformat(),
            civility=existing.civility,
            rsa_number="7654321",
        ),
    )
    page = html.unescape(response.content.decode())
    assert "Ce NIR est déjà enregistré" in page
    assert f'href="{existing.get_absolute_url()}"' in page
    assert Beneficiary.objects.count() == 1


def test_duplicate_outside_scope_does_not_leak_the_file(
    logged_referent, territory, operator, other_operator, referent_user
):
    hidden = factories.BeneficiaryFactory(territory=territory, operator=other_operator)
    response = logged_referent.post(
        reverse("registry:beneficiary_create"),
        form_data(
            territory,
            operator,
            referent_user,
            nir=hidden.nir,
            birth_date=hidden.birth_date.isoformat(),
        ),
    )
    page = html.unescape(response.content.decode())
    assert "suivi par une autre structure" in page
    assert hidden.get_absolute_url() not in page


def test_duplicate_rsa_number_is_refused(logged_referent, territory, operator, referent_user):
    existing = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )
    response = logged_referent.post(
        reverse("registry:beneficiary_create"),
        form_data(territory, operator, referent_user, rsa_number=existing.rsa_number),
    )
    assert "Ce numéro d'allocataire est déjà enregistré" in html.unescape(response.content.decode())


def test_referent_must_belong_to_the_chosen_operator(
    logged_referent, territory, other_operator, referent_user, admin_user, client
):
    client.force_login(admin_user)
    response = client.post(
        reverse("registry:beneficiary_create"),
        form_data(territory, other_operator, referent_user),
    )
    assert "n'est pas référent·e de" in html.unescape(response.content.decode())


def test_update_records_the_changed_fields_with_identifiers_masked(
    logged_referent, territory, operator, referent_user
):
    beneficiary = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user, birth_date=BIRTH_DATE
    )
    data = form_data(
        territory,
        operator,
        referent_user,
        last_name=beneficiary.last_name,
        first_names=beneficiary.first_names,
        nir=valid_nir(seed=7),
        rsa_number=beneficiary.rsa_number,
        city="Strasbourg Cedex",
    )
    response = logged_referent.post(
        reverse("registry:beneficiary_update", args=[beneficiary.pk]), data
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(
        action="update", object_id=str(beneficiary.pk), actor=referent_user
    )
    assert entry.changes["city"] == ["Strasbourg", "Strasbourg Cedex"]
    assert entry.changes["nir"] == ["(masqué)", "(masqué)"]
    assert valid_nir(seed=7) not in str(entry.changes)
    assert entry.actor == referent_user


def test_viewing_a_file_is_audited(logged_referent, territory, operator, referent_user):
    beneficiary = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )
    logged_referent.get(beneficiary.get_absolute_url(), HTTP_USER_AGENT="Navigateur de test")
    entry = AuditEntry.objects.get(action="view")
    assert entry.object_id == str(beneficiary.pk)
    assert entry.actor_email == referent_user.email
    assert entry.user_agent == "Navigateur de test"
    assert entry.ip_address == "127.0.0.1"


def test_detail_shows_the_nir_masked(logged_referent, territory, operator, referent_user):
    beneficiary = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user
    )
    page = html.unescape(logged_referent.get(beneficiary.get_absolute_url()).content.decode())
    assert beneficiary.nir not in page
    assert beneficiary.nir_masked in page


class TestList:
    def list_queries(self, client, count, territory, operator, referent_user):
        factories.BeneficiaryFactory.create_batch(
            count, territory=territory, operator=operator, referent=referent_user
        )
        cache.clear()  # the referent filter's options, kept per user: measured cold each time
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("registry:beneficiary_list") + "?tri=referent")
        assert response.status_code == 200
        return len(queries)

    def test_query_count_does_not_grow_with_rows(
        self, logged_referent, territory, operator, referent_user, settings
    ):
        settings.TREMPLIN_PAGE_SIZE = 100
        five = self.list_queries(logged_referent, 5, territory, operator, referent_user)
        fifty = self.list_queries(logged_referent, 45, territory, operator, referent_user)
        assert five == fifty

    def test_the_rows_read_only_the_columns_the_page_shows(
        self, logged_referent, territory, operator, referent_user
    ):
        factories.BeneficiaryFactory(territory=territory, operator=operator, referent=referent_user)
        with CaptureQueriesContext(connection) as queries:
            page = logged_referent.get(reverse("registry:beneficiary_list"))
        assert page.status_code == 200
        rows = [q["sql"] for q in queries if 'FROM "registry_beneficiary"' in q["sql"]]
        rows = [sql for sql in rows if '"registry_beneficiary"."city"' in sql]
        assert len(rows) == 1, rows
        # The 60-odd columns of three tables are not read for six cells a row: neither the
        # encrypted identifiers nor the referent's password.
        assert "nir_ciphertext" not in rows[0]
        assert '"password"' not in rows[0]

    def test_search_by_name_ignores_accents_and_case(
        self, logged_referent, territory, operator, referent_user
    ):
        factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=referent_user, last_name="Hérault"
        )
        factories.BeneficiaryFactory(
            territory=territory, operator=operator, referent=referent_user, last_name="Martin"
        )
        page = logged_referent.get(reverse("registry:beneficiary_list") + "?q=herault")
        assert [b.last_name for b in page.context["object_list"]] == ["Hérault"]

    def test_search_by_exact_nir(self, logged_referent, territory, operator, referent_user):
        wanted, _ = factories.BeneficiaryFactory.create_batch(
            2, territory=territory, operator=operator, referent=referent_user
        )
        spaced = " ".join([wanted.nir[:1], wanted.nir[1:3], wanted.nir[3:]])
        page = logged_referent.get(reverse("registry:beneficiary_list"), {"q": spaced})
        assert list(page.context["object_list"]) == [wanted]

    def test_sorting_and_pagination(
        self, logged_referent, territory, operator, referent_user, settings
    ):
        settings.TREMPLIN_PAGE_SIZE = 2
        for name in ["Bernard", "Adam", "Caron"]:
            factories.BeneficiaryFactory(
                territory=territory, operator=operator, referent=referent_user, last_name=name
            )
        first = logged_referent.get(reverse("registry:beneficiary_list") + "?tri=-nom")
        assert [b.last_name for b in first.context["object_list"]] == ["Caron", "Bernard"]
        second = logged_referent.get(reverse("registry:beneficiary_list") + "?tri=-nom&page=2")
        assert [b.last_name for b in second.context["object_list"]] == ["Adam"]

    def test_unknown_sort_key_falls_back_to_name(
        self, logged_referent, territory, operator, referent_user
    ):
        response = logged_referent.get(reverse("registry:beneficiary_list") + "?tri=nir")
        assert response.status_code == 200
        assert response.context["sort_key"] == "nom"


def test_a_duplicate_saved_meanwhile_by_another_agent_is_a_form_error(
    logged_referent, territory, operator, referent_user
):
    """The form's duplicate check passed, then another agent saved the same NIR before our
    insert (simulated with a real pre_save receiver): the unique index refuses, the page says
    so in French, keeps what was typed, and the request's transaction stays usable."""
    from django.db.models.signals import pre_save

    data = form_data(territory, operator, referent_user, rsa_number="7654321")
    other_agent_saved = []

    def other_agent_saves_the_same_person(sender, instance, **kwargs):
        if not other_agent_saved and instance.pk is None:
            other_agent_saved.append(True)
            twin = factories.BeneficiaryFactory(territory=territory, operator=operator)
            twin.nir = instance.nir
            twin.save()

    pre_save.connect(other_agent_saves_the_same_person, sender=Beneficiary)
    try:
        response = logged_referent.post(reverse("registry:beneficiary_create"), data)
    finally:
        pre_save.disconnect(other_agent_saves_the_same_person, sender=Beneficiary)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "vient d'être enregistré pendant votre saisie" in page
    assert f'value="{data["last_name"]}"' in page
    # our insert was refused and the savepoint rolled back; the simulated twin, written inside
    # that same savepoint here (a real other agent commits in its own transaction), went too
    assert Beneficiary.objects.count() == 0
    assert logged_referent.get(reverse("registry:beneficiary_list")).status_code == 200


def test_the_home_s_recent_files_read_only_what_they_show(
    logged_referent, territory, operator, referent_user
):
    person = factories.BeneficiaryFactory(
        territory=territory, operator=operator, referent=referent_user, last_name="Récent"
    )
    with CaptureQueriesContext(connection) as queries:
        page = logged_referent.get(reverse("home"))
    assert page.status_code == 200
    recent = [
        q["sql"] for q in queries if 'ORDER BY "registry_beneficiary"."updated_at" DESC' in q["sql"]
    ]
    assert len(recent) == 1, recent
    # The name, the date and the référent shown; not the encrypted NIR nor a password's hash.
    assert "nir_ciphertext" not in recent[0]
    assert '"password"' not in recent[0]
    text = page.content.decode()
    assert f'href="{person.get_absolute_url()}">{person}</a>' in text
    assert referent_user.get_full_name() in text
    assert f"modifié le {person.updated_at.astimezone(ZoneInfo('Europe/Paris')):%d/%m/%Y}" in text
