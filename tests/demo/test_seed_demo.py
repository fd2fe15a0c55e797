"""``tremplin seed-demo``: a believable département, one account per role, deterministic."""

import datetime
import io

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests import factories
from tremplin.accounts.models import Membership, Role, User
from tremplin.demo.management.commands.seed_demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    delete_all_data,
)
from tremplin.registry.models import Beneficiary, Employer, Tutor
from tremplin.rules import identifiers

pytestmark = pytest.mark.django_db

REFERENCE_DATE = "2026-06-15"


def seed_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--date", REFERENCE_DATE, *args, stdout=out)
    return out.getvalue()


def people_snapshot() -> list[tuple]:
    return sorted(
        (b.last_name, b.first_names, b.birth_date, b.nir, b.rsa_number, b.referent.email)
        for b in Beneficiary.objects.select_related("referent")
    )


@pytest.fixture
def seeded():
    return seed_demo()


def test_every_role_has_an_account_that_logs_in_and_sees_people(seeded, client):
    assert {account.role for account in DEMO_ACCOUNTS} == set(Role.values)
    for account in DEMO_ACCOUNTS:
        assert account.email in seeded
        assert client.login(email=account.email, password=DEMO_PASSWORD), account.email
        response = client.get(reverse("registry:beneficiary_list"))
        assert response.status_code == 200
        assert response.context["paginator"].count > 0, account.email
        client.logout()
    assert DEMO_PASSWORD in seeded
    referents = Membership.objects.filter(role=Role.REFERENT)
    assert referents.count() == 6
    assert sorted({str(m.full_time_equivalent) for m in referents}) == ["0.50", "0.80", "1.00"]


def test_people_employers_and_tutors_are_believable_and_valid(seeded):
    people = list(Beneficiary.objects.all())
    assert 280 <= len(people) <= 320
    for person in people:
        assert identifiers.normalize_nir(person.nir) == person.nir
        sex = "homme" if person.civility == Beneficiary.Civility.MR else "femme"
        assert not identifiers.nir_inconsistencies(
            person.nir,
            birth_date=person.birth_date,
            sex=sex,
            birth_department=person.birth_department,
        ), person
        assert identifiers.postal_code_outside(person.postal_code, "67") is None
        if person.receives_rsa:
            assert identifiers.normalize_rsa_number(person.rsa_number) == person.rsa_number
            assert person.rsa_start_date <= datetime.date.fromisoformat(REFERENCE_DATE)
        assert person.search_text
        assert person.referent_id and person.operator_id
    assert len({person.nir for person in people}) == len(people)
    assert any(person.earlier_rmi_api_months for person in people)
    assert any(person.receives_aah for person in people)
    assert any(person.receives_ass for person in people)
    assert any(p.disabled_worker == Beneficiary.DisabledWorker.NOT_DECLARED for p in people)
    assert len({person.education_level for person in people}) >= 6

    employers = list(Employer.objects.all())
    assert len(employers) == 40
    for employer in employers:
        assert identifiers.normalize_siret(employer.siret) == employer.siret
        assert identifiers.normalize_naf(employer.naf_code) == employer.naf_code
    aci = [employer for employer in employers if employer.is_aci]
    assert len(aci) == 2 and all(employer.aci_annex_number for employer in aci)
    assert {Employer.Sector.MARKET, Employer.Sector.NON_MARKET} <= {e.sector for e in employers}
    tutors = list(Tutor.objects.all())
    assert all(1 <= Tutor.objects.filter(employer=e).count() <= 2 for e in employers)
    assert any(tutor.training_date for tutor in tutors)
    assert any(tutor.experience_years < 2 for tutor in tutors)


def test_second_run_changes_nothing_and_prints_the_accounts(seeded):
    counts = (User.objects.count(), Beneficiary.objects.count(), Employer.objects.count())
    output = seed_demo()
    assert "existent déjà" in output
    assert all(account.email in output for account in DEMO_ACCOUNTS)
    assert (User.objects.count(), Beneficiary.objects.count(), Employer.objects.count()) == counts


def test_same_seed_gives_the_same_people_another_seed_others(seeded):
    first = people_snapshot()
    seed_demo("--reset")
    assert people_snapshot() == first
    seed_demo("--reset", "--seed", "2")
    assert people_snapshot() != first


def test_reset_refuses_to_wipe_data_that_is_not_demo_data(seeded):
    factories.UserFactory(email="vraie.personne@cea-alsace.fr")
    with pytest.raises(CommandError, match="ne viennent pas de la démonstration"):
        seed_demo("--reset")
    assert User.objects.filter(email="vraie.personne@cea-alsace.fr").exists()
    seed_demo("--reset", "--force")
    assert not User.objects.filter(email="vraie.personne@cea-alsace.fr").exists()
    assert Beneficiary.objects.count() >= 280


def test_a_database_with_real_accounts_gets_no_demo_accounts_unless_forced():
    factories.UserFactory(email="vraie.personne@cea-alsace.fr")
    output = seed_demo()
    assert "aucune donnée de démonstration n'a été ajoutée" in output
    assert not User.objects.filter(email__endswith="@tremplin.demo").exists()
    seed_demo("--force")
    assert User.objects.filter(email__endswith="@tremplin.demo").count() == len(DEMO_ACCOUNTS)


def test_an_incomplete_demo_asks_for_reset(seeded):
    User.objects.filter(email=DEMO_ACCOUNTS[0].email).delete()
    with pytest.raises(CommandError, match="--reset"):
        seed_demo()


def test_the_reset_ends_the_sessions_in_the_cache_too_and_keeps_the_rest_of_it(
    client, referent_user
):
    client.force_login(referent_user)
    key = client.session.session_key
    assert cache.get(KEY_PREFIX + key) is not None  # read from the cache first (cached_db)
    cache.set("not-a-session", "kept")
    delete_all_data()
    assert cache.get(KEY_PREFIX + key) is None
    assert cache.get("not-a-session") == "kept"  # the cache may be the job queue's Redis too
