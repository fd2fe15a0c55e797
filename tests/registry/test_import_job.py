"""A long list is imported by the job queue's worker (docs/decisions.md, 26): the confirm
button sends to the job's page, whose progress bar ends on a link to the import's result."""

import datetime

import pytest
from django.core.files import File
from django.urls import reverse

from tests.registry.import_helpers import nir_of, person_row, write_list
from tremplin.accounts.models import AuditEntry
from tremplin.registry import services
from tremplin.registry.models import Beneficiary, BeneficiaryImport
from tremplin.web import jobs
from tremplin.web.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def previewed(tmp_path, coordinator_user, referent_user, operator):
    rows = [
        person_row(
            Nom=name,
            NIR=nir_of("femme", datetime.date(1986, 4, 17), seed=number),
            **{"Numéro allocataire": f"765432{number}"},
        )
        for number, name in enumerate(["Schmitt", "Muller", "Weber"], start=1)
    ]
    path = write_list(tmp_path / "liste.csv", rows)
    with path.open("rb") as handle:
        beneficiary_import = services.start_import(
            user=coordinator_user,
            upload=File(handle, name="liste.csv"),
            operator=operator,
            referent=referent_user,
            rsa_payer="CAF",
        )
    services.preview_import(beneficiary_import)
    assert beneficiary_import.rows == 3
    return beneficiary_import


def confirm(client, beneficiary_import):
    return client.post(reverse("registry:import_confirm", args=[beneficiary_import.pk]))


def test_a_long_list_is_imported_by_a_job(client, coordinator_user, previewed, settings):
    settings.TREMPLIN_IMPORT_JOB_ROWS = 2
    client.force_login(coordinator_user)
    response = confirm(client, previewed)
    job = Job.objects.get()
    assert response["Location"] == reverse("web:job", args=[job.pk])
    assert (job.kind, job.status, job.params) == (
        Job.Kind.IMPORT,
        Job.Status.DONE,
        {"import": previewed.pk},
    )
    assert job.title == "Import de « liste.csv »"
    page = client.get(response["Location"]).content.decode()
    assert "Voir le résultat" in page and previewed.get_absolute_url() in page
    previewed.refresh_from_db()
    assert previewed.state == BeneficiaryImport.State.DONE
    assert Beneficiary.objects.filter(last_name__in=["Schmitt", "Muller", "Weber"]).count() == 3
    created = AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, object_type="registry.beneficiary"
    )
    assert {(e.actor, e.source) for e in created} == {(coordinator_user, "tâche")}


def test_a_short_list_is_imported_in_the_request(client, coordinator_user, previewed):
    client.force_login(coordinator_user)
    response = confirm(client, previewed)
    assert response["Location"] == previewed.get_absolute_url()
    assert not Job.objects.exists()
    previewed.refresh_from_db()
    assert previewed.state == BeneficiaryImport.State.DONE


def test_an_import_no_longer_visible_is_refused_in_french(
    coordinator_user, previewed, other_operator
):
    from tests import factories

    stranger = factories.coordinator(other_operator)
    job = Job.objects.create(
        owner=stranger,
        kind=Job.Kind.IMPORT,
        title="Import",
        path="/x/",
        params={"import": previewed.pk},
    )
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "n'est plus accessible" in job.error and "rien n'a été importé" in job.error
    previewed.refresh_from_db()
    assert previewed.state == BeneficiaryImport.State.PREVIEWED
