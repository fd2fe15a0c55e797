"""Duplicates found, and two files merged: every record referring to the person moved, by
introspection (``registry.merging.relations_to_person``)."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.companies.factories import (
    ApplicationFactory,
    CompanyEventFactory,
    ImmersionFactory,
    JobOfferFactory,
    JobSearchProfileFactory,
)
from tests.conventions.factories import ConventionFactory
from tests.outcomes.factories import SituationFactory
from tests.support.factories import InEmploymentEpisodeFactory, RuptureFactory
from tremplin.accounts.models import AuditEntry
from tremplin.professional.models import CollectiveAction, Invitation
from tremplin.registry import services
from tremplin.registry.duplicates import CLOSE_NIR, SAME_ALLOCATION, SAME_NAME, probable_duplicates
from tremplin.registry.merging import relations_to_person
from tremplin.registry.models import Beneficiary, BeneficiaryImport, ImportRow
from tremplin.registry.synthetic import synthetic_nir
from tremplin.rules.identifiers import normalize_nir

pytestmark = pytest.mark.django_db

BORN = datetime.date(1984, 9, 12)


def invitation(person):
    action = CollectiveAction.objects.create(
        operator=person.operator, kind="workshop", on=datetime.date(2025, 3, 3), theme="CV",
        place="Strasbourg",
    )  # fmt: skip
    return Invitation.objects.create(action=action, beneficiary=person)


def sent_invitation(person):
    """An invitation sent to the person (invitations app), here by letter to an action."""
    from tremplin.invitations.models import Invitation as SentInvitation

    action = CollectiveAction.objects.create(
        operator=person.operator, kind="workshop", on=datetime.date(2025, 3, 3), theme="CV",
        place="Strasbourg",
    )  # fmt: skip
    return SentInvitation.objects.create(action=action, beneficiary=person, by_letter=True)


def import_row(person):
    beneficiary_import = BeneficiaryImport.objects.create(
        created_by=factories.UserFactory(), operator=person.operator, original_name="liste.csv"
    )
    return ImportRow.objects.create(
        beneficiary_import=beneficiary_import, number=1, status="created", beneficiary=person
    )


def merged_file(person):
    other = factories.BeneficiaryFactory(territory=person.territory, identifiers=False)
    other.merged_into = person
    other.merged_at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    other.save()
    return other


def company_event(person):
    event = CompanyEventFactory(operator=person.operator)
    event.attendees.add(person)
    return event


# One maker per model that refers to a person. A new model referring to a person makes
# ``test_every_model_referring_to_a_person_is_moved`` fail until it has its maker here.
MAKERS = {
    "conventions.convention": lambda p: ConventionFactory(beneficiary=p, territory=p.territory),
    # A rupture of a contract signed outside Tremplin: one row, the person's (A14).
    "conventions.rupture": lambda p: RuptureFactory(
        episode=InEmploymentEpisodeFactory(beneficiary=p)
    ),
    "support.supportepisode": lambda p: InEmploymentEpisodeFactory(beneficiary=p),
    "professional.invitation": invitation,
    "invitations.invitation": sent_invitation,
    "companies.jobsearchprofile": lambda p: JobSearchProfileFactory(beneficiary=p),
    "companies.application": lambda p: ApplicationFactory(beneficiary=p),
    "companies.immersion": lambda p: ImmersionFactory(beneficiary=p),
    "companies.companyevent": company_event,
    "outcomes.situation": lambda p: SituationFactory(beneficiary=p),
    "registry.beneficiary": merged_file,
    "registry.importrow": import_row,
}


@pytest.fixture
def pair(territory, operator):
    kept = factories.BeneficiaryFactory(
        territory=territory, operator=operator, last_name="Ritter", first_names="Anne",
        birth_date=BORN, identifiers=False, phone="",
    )  # fmt: skip
    absorbed = factories.BeneficiaryFactory(
        territory=territory, operator=operator, last_name="RITTER", first_names="anne",
        birth_date=BORN, phone="03 53 01 00 01",
    )  # fmt: skip
    return kept, absorbed


def test_every_model_referring_to_a_person_is_moved(pair):
    kept, absorbed = pair
    relations = relations_to_person()
    labels = {relation.model._meta.label_lower for relation in relations}
    missing = labels - set(MAKERS)
    assert not missing, (
        f"{sorted(missing)} refer to a person: add a maker to MAKERS so that the merge's move "
        "of their rows is tested."
    )
    for label in sorted(labels):
        MAKERS[label](absorbed)
    counts = {r.model._meta.label_lower: r.rows_of(absorbed).count() for r in relations}
    assert all(counts.values()), counts
    kept, moved = services.merge_beneficiaries(kept, absorbed)
    for relation in relations:
        label = relation.model._meta.label_lower
        assert relation.rows_of(absorbed).count() == 0, label
        assert relation.rows_of(kept).count() >= counts[label], label
    assert moved == sum(counts.values())


def test_the_merge_keeps_a_pointer_and_chosen_values(pair, client, admin_user):
    kept, absorbed = pair
    nir = absorbed.nir
    services.merge_beneficiaries(kept, absorbed, choices={"last_name": "absorbed"})
    kept.refresh_from_db()
    absorbed = Beneficiary.with_merged.get(pk=absorbed.pk)
    assert absorbed.merged_into == kept and absorbed.nir_digest is None
    assert kept.nir == nir  # taken from the absorbed file, which had one
    assert kept.phone == "03 53 01 00 01"  # empty on the kept file
    assert kept.last_name == "RITTER"  # chosen
    assert not Beneficiary.objects.filter(pk=absorbed.pk).exists()  # leaves every list
    assert AuditEntry.objects.filter(object_id=str(kept.pk), changes__has_key="fusion").exists()
    client.force_login(admin_user)
    response = client.get(reverse("registry:beneficiary_detail", args=[absorbed.pk]))
    assert response.status_code == 302 and response["Location"] == kept.get_absolute_url()


def test_duplicate_records_are_dropped_not_doubled(pair):
    kept, absorbed = pair
    offer = JobOfferFactory()
    ApplicationFactory(beneficiary=kept, offer=offer)
    ApplicationFactory(beneficiary=absorbed, offer=offer)
    JobSearchProfileFactory(beneficiary=kept)
    JobSearchProfileFactory(beneficiary=absorbed)
    services.merge_beneficiaries(kept, absorbed)
    assert kept.applications.count() == 1
    assert kept.job_search_profile is not None


def test_two_open_supports_of_one_programme_refuse_the_merge(pair):
    kept, absorbed = pair
    InEmploymentEpisodeFactory(beneficiary=kept)
    InEmploymentEpisodeFactory(beneficiary=absorbed)
    with pytest.raises(services.MergeRefused) as error:
        services.merge_beneficiaries(kept, absorbed)
    assert "n'en suit qu'un à la fois" in error.value.messages[0]
    assert Beneficiary.objects.filter(pk=absorbed.pk).exists()


def test_only_an_administrator_merges(pair, client, coordinator_user, admin_user):
    kept, absorbed = pair
    url = reverse("registry:merge", args=[kept.pk, absorbed.pk])
    client.force_login(coordinator_user)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    assert "Fusionner le dossier n°" in page and 'name="choix_phone"' in page
    response = client.post(url, {"choix_last_name": "absorbed"})
    assert response.status_code == 302
    assert Beneficiary.objects.get(pk=kept.pk).last_name == "RITTER"


# --- The duplicate finder ----------------------------------------------------------------------


def test_the_finder_gives_each_reason(territory, operator):
    make = factories.BeneficiaryFactory
    a, b = (
        make(territory=territory, last_name="Élodie", first_names="Roth", birth_date=BORN),
        make(territory=territory, last_name="ELODIE", first_names="roth", birth_date=BORN),
    )
    c, d = (
        make(territory=territory, identifiers=False),
        make(territory=territory, identifiers=False),
    )
    c.set_rsa_number("CAF", "4444444")
    c.save()
    d.set_rsa_number("MSA", "4444444")
    d.save()
    # Two NIRs of one birth part whose serial numbers differ by one digit.
    base = synthetic_nir(
        __import__("random").Random(5), sex="femme", birth_date=BORN, birth_department="67"
    )
    from stdnum.fr import nir as stdnum_nir

    twin_body = base[:10] + ("1" if base[10] != "1" else "2") + base[11:13]
    e = make(territory=territory, civility="MME", birth_date=BORN, identifiers=False)
    f = make(territory=territory, civility="MME", birth_date=BORN, identifiers=False)
    e.nir = base
    e.save()
    f.nir = normalize_nir(twin_body + stdnum_nir.calc_check_digits(twin_body))
    f.save()
    pairs = {
        (p.first_id, p.second_id): p.reason for p in probable_duplicates(Beneficiary.objects.all())
    }
    assert pairs[(a.pk, b.pk)] == SAME_NAME
    assert pairs[(c.pk, d.pk)] == SAME_ALLOCATION
    assert pairs[(e.pk, f.pk)] == CLOSE_NIR


def test_the_finder_sends_a_bounded_number_of_queries(territory, django_assert_max_num_queries):
    for _ in range(30):
        factories.BeneficiaryFactory(
            territory=territory,
            last_name="Kern",
            first_names="Jo",
            birth_date=BORN,
            identifiers=False,  # 30 NIRs of one birth date could collide by chance
        )
    with django_assert_max_num_queries(6):
        pairs = probable_duplicates(Beneficiary.objects.all())
    assert len(pairs) == 30 * 29 // 2


def test_the_duplicates_page_lists_pairs_with_their_reason(pair, client, coordinator_user):
    client.force_login(coordinator_user)
    page = client.get(reverse("registry:duplicates")).content.decode()
    assert "Même nom et même date de naissance" in page and "1 paire de dossiers" in page
