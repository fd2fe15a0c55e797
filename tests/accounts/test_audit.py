"""The audit log is append-only, in the ORM and in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests import factories
from tremplin.accounts import audit
from tremplin.accounts.models import AuditEntry
from tremplin.registry.models import Employer

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


def test_the_database_refuses_a_delete_behind_the_orm(entry, settings):
    # PostgreSQL: migration 0002's trigger; SQLite: migration 0003's.
    settings.TREMPLIN_AUDIT_PURGE_ALLOWED = False
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


class _Request:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_a_forged_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TREMPLIN_TRUSTED_PROXIES = 0
    assert audit.client_ip(_Request("203.0.113.5", "10.6.6.6")) == "203.0.113.5"


def test_behind_one_trusted_proxy_the_client_is_the_last_forwarded_address(settings):
    settings.TREMPLIN_TRUSTED_PROXIES = 1
    # The client wrote "10.6.6.6" itself; the proxy appended the address it saw.
    request = _Request("127.0.0.1", "10.6.6.6, 198.51.100.23")
    assert audit.client_ip(request) == "198.51.100.23"


def test_behind_two_trusted_proxies(settings):
    settings.TREMPLIN_TRUSTED_PROXIES = 2
    request = _Request("127.0.0.1", "10.6.6.6, 198.51.100.23, 192.0.2.10")
    assert audit.client_ip(request) == "198.51.100.23"
    # Fewer hops than proxies, or garbage: the peer's address.
    assert audit.client_ip(_Request("127.0.0.1", "198.51.100.23")) == "127.0.0.1"
    assert audit.client_ip(_Request("127.0.0.1", "x, <script>")) == "127.0.0.1"


def test_the_audit_log_records_the_trusted_address(client, settings, referent_user):
    settings.TREMPLIN_TRUSTED_PROXIES = 1
    client.post(
        "/compte/connexion/",
        {"username": referent_user.email, "password": factories.PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.6.6.6, 198.51.100.23",
    )
    assert AuditEntry.objects.get(action="login").ip_address == "198.51.100.23"


def test_a_row_read_then_changed_records_only_what_changed():
    """The values remembered when a row is read are those compared at its save."""
    pk = factories.EmployerFactory(name="Boulangerie Martin").pk
    employer = Employer.objects.get(pk=pk)
    before = AuditEntry.objects.count()
    employer.save()  # read, saved unchanged: nothing to record
    assert AuditEntry.objects.count() == before
    employer = Employer.objects.get(pk=pk)
    employer.name = "Boulangerie Martin et fils"
    employer.save()
    entry = AuditEntry.objects.get(action="update", object_id=str(pk))
    assert entry.changes == {"name": ["Boulangerie Martin", "Boulangerie Martin et fils"]}


def test_a_search_by_nir_is_logged_without_its_number(client, referent_user):
    """A NIR (here the seed-like 2 95 01 67 773 973, key 38) typed in the search box, with
    spaces or without, is masked in the log's path; a name stays readable."""
    client.force_login(referent_user)
    for typed in ("295016777397338", "2 95 01 67 773 973 38"):
        response = client.get("/repertoire/beneficiaires/", {"q": typed, "format": "csv"})
        assert response.status_code == 200
    client.get("/repertoire/beneficiaires/", {"q": "Dupont", "format": "csv"})
    paths = list(AuditEntry.objects.exclude(path="").values_list("path", flat=True))
    assert paths
    assert not [path for path in paths if "7739" in path or "773+973" in path]
    assert any("num%C3%A9ro+masqu%C3%A9" in path and "format=csv" in path for path in paths)
    assert any("q=Dupont" in path for path in paths)
