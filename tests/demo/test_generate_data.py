"""``tremplin generate-data``: département-scale rows with valid, unique identifiers."""

import io

import pytest
from django.core.management import CommandError, call_command

from tremplin.accounts.models import User
from tremplin.demo.management.commands.generate_data import BENCH_MAIL_DOMAIN
from tremplin.registry.models import Beneficiary, Employer
from tremplin.rules import identifiers

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_data", *args, stdout=out)
    return out.getvalue()


def test_generates_people_visible_to_an_admin_with_valid_identifiers():
    output = generate("--beneficiaries", "500", "--employers", "10", "--operators", "2")
    assert "500 / 500 bénéficiaires" in output

    admin = User.objects.get(email=f"admin@{BENCH_MAIL_DOMAIN}")
    people = list(Beneficiary.objects.visible_to(admin))
    assert len(people) == 500
    nirs = [person.nir for person in people]
    assert all(identifiers.normalize_nir(nir) == nir for nir in nirs)
    assert len(set(nirs)) == 500
    assert Beneficiary.objects.with_nir(nirs[0]).exists()
    assert all(person.search_text for person in people)

    employers = list(Employer.objects.all())
    assert len(employers) == 10
    assert all(identifiers.normalize_siret(e.siret) == e.siret for e in employers)

    # One referent per 60 people (rule P9), and a referent sees only their own.
    referent = User.objects.filter(email__startswith="referent").order_by("email").first()
    assert Beneficiary.objects.visible_to(referent).count() == 60
    assert User.objects.filter(email__startswith="referent").count() == 9


def test_a_second_run_adds_people_without_duplicate_identifiers():
    generate("--beneficiaries", "100", "--employers", "5", "--operators", "1")
    generate("--beneficiaries", "100", "--employers", "5", "--operators", "1")
    assert Beneficiary.objects.count() == 200
    digests = list(Beneficiary.objects.values_list("nir_digest", flat=True))
    assert len(set(digests)) == 200


def test_a_wrong_count_is_a_french_error():
    with pytest.raises(CommandError, match="au moins 1"):
        generate("--beneficiaries", "0")
