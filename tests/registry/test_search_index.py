"""The search by name's trigram index (``registry.search_index``): the same people as a plain
``LIKE``, kept in step by the database on every write, rebuilt after a migration that would
have dropped its triggers."""

import pytest
from django.db import connection

from tests import factories
from tremplin.registry import search_index
from tremplin.registry.models import Beneficiary

pytestmark = pytest.mark.django_db

NAMES = [
    ("Dupont", "Jean"),
    ("Du Pont", "Anne-Marie"),
    ("Lefèvre-Martin", "Élodie"),
    ("N'Diaye", "Awa"),
    ("O'Brien", "Seán"),
    ("Pontier", 'Marc "Le Grand"'),
    ("Ng", "Li"),
]
WORDS = ["pont", "du", "ont", "elodie", "lefevre-m", "n'd", "sean", '"le', "ng", "li", "zzz"]


def people(territory):
    return [
        factories.BeneficiaryFactory(territory=territory, last_name=last, first_names=first)
        for last, first in NAMES
    ]


def plain_search(word):
    return set(Beneficiary.objects.filter(search_text__contains=word).values_list("pk", flat=True))


def test_the_index_finds_what_like_finds(territory):
    people(territory)
    for word in WORDS:
        found = set(Beneficiary.objects.search(word).values_list("pk", flat=True))
        assert found == plain_search(word), word
    assert Beneficiary.objects.search("pont jean").count() == 1


def test_each_database_has_its_index(territory):
    people(territory)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            assert search_index.sqlite_has_trigrams()
            assert search_index.uses_index(connection, "pont")
            assert not search_index.uses_index(connection, "du")  # no trigram: LIKE
            cursor.execute(f"SELECT count(*) FROM {search_index.TABLE}")
            assert cursor.fetchone()[0] == len(NAMES)
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                ["registry_beneficiary_search_trgm"],
            )
            assert "gin_trgm_ops" in cursor.fetchone()[0]


def test_the_index_follows_renames_bulk_updates_and_deletes(territory):
    dupont, *_ = people(territory)
    dupont.last_name = "Durand"
    dupont.save()
    assert not Beneficiary.objects.search("dupont").filter(pk=dupont.pk).exists()
    assert Beneficiary.objects.search("durand").get() == dupont
    Beneficiary.objects.filter(pk=dupont.pk).update(search_text="anonyme")
    assert not Beneficiary.objects.search("durand").exists()
    assert Beneficiary.objects.search("anonym").get() == dupont
    Beneficiary.objects.filter(pk=dupont.pk).delete()
    assert not Beneficiary.objects.search("anonym").exists()


def test_install_puts_back_dropped_triggers_and_reads_the_table_again(territory):
    if connection.vendor != "sqlite":
        assert search_index.install(connection) is False  # PostgreSQL: the migration's index
        return
    with connection.cursor() as cursor:
        for name in search_index.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")  # as a rebuild of the people's table does
    (dupont,) = [person for person in people(territory) if person.last_name == "Dupont"]
    assert not Beneficiary.objects.search("dupont").exists()  # not indexed without triggers
    assert search_index.install(connection) is True
    assert Beneficiary.objects.search("dupont").get() == dupont
