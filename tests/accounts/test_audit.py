"""The audit log is append-only, in the ORM and in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests import factories
from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit.record(AuditEntry.Action.EXPORT, object_type="registry.beneficiary")


def test_an_entry_cannot_be_saved_twice(entry):
    entry.object_repr = "falsifié"
    with pytest.raises(PermissionError):
        entry.save()


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(object_repr="falsifié")


def test_the_database_refuses_an_update_behind_the_orm(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_auditentry SET object_repr = %s WHERE id = %s", ["falsifié", entry.pk]
        )
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == ""


def test_commands_are_recorded_without_a_user():
    employer = factories.EmployerFactory()
    created = AuditEntry.objects.get(action="create", object_id=str(employer.pk))
    assert created.actor is None
    assert created.source == "commande"
    assert created.object_type == "registry.employer"


def test_deletion_is_recorded():
    tutor = factories.TutorFactory()
    pk = tutor.pk
    tutor.delete()
    assert AuditEntry.objects.filter(action="delete", object_id=str(pk)).exists()


def test_saving_without_change_records_nothing():
    employer = factories.EmployerFactory()
    before = AuditEntry.objects.count()
    employer.save()
    assert AuditEntry.objects.count() == before


def test_admin_browses_and_filters_the_log(client, admin_user, referent_user):
    audit.record(AuditEntry.Action.EXPORT, object_type="registry.employer", object_id="42")
    client.force_login(admin_user)
    page = client.get("/compte/journal/", {"action": "export", "object_id": "42"})
    assert page.status_code == 200
    assert [e.object_id for e in page.context["page_obj"]] == ["42"]


def test_log_is_refused_to_a_referent(client, referent_user):
    client.force_login(referent_user)
    assert client.get("/compte/journal/").status_code == 403


def test_inverted_dates_are_explained(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/compte/journal/", {"since": "2026-02-01", "until": "2026-01-01"})
    assert "inversez-les" in page.content.decode()
