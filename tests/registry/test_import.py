"""Import of a list of people: mapping, every kind of rejected cell, the three matching
keys, idempotent re-upload, dry run, the command's JSON contract and the API."""

import datetime
import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests import factories
from tremplin.accounts.models import AuditEntry
from tremplin.registry import services
from tremplin.registry.imports import columns
from tremplin.registry.imports.engine import ImportOptions
from tremplin.registry.models import Beneficiary, BeneficiaryImport, ImportMapping

from .import_helpers import nir_of, person_row, write_list

pytestmark = pytest.mark.django_db


def run(path, referent, *extra) -> dict:
    out = io.StringIO()
    call_command(
        "import_beneficiaries", str(path), "--referent", referent.email, "--format", "json",
        *extra, stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


def errors_of(result, row=1) -> dict[str, str]:
    rejected = {r["row"]: r for r in result["rejected"]}
    return {e["column"]: e["message"] for e in rejected[row]["errors"]}


# --- Mapping ---------------------------------------------------------------------------------


def test_headers_are_recognised_without_case_accents_or_punctuation():
    headers = ["NOM", "Prenom", "DATE_DE_NAISSANCE", "sexe", "n° allocataire", "Courriel",
               "Date d'entree RSA", "Référent", "Remarques"]  # fmt: skip
    mapping = columns.guess_mapping(headers)
    assert mapping == {
        "NOM": "last_name",
        "Prenom": "first_names",
        "DATE_DE_NAISSANCE": "birth_date",
        "sexe": "civility",
        "n° allocataire": "rsa_number",
        "Courriel": "email",
        "Date d'entree RSA": "rsa_start_date",
        "Référent": "referent",
        "Remarques": None,
    }


def test_a_mapping_file_renames_and_ignores_columns():
    headers = ["NOM_USAGE", "PRENOM", "DNAIS", "Courriel"]
    mapping = columns.mapping_from_toml(
        '[colonnes]\n"NOM_USAGE" = "nom"\n"DNAIS" = "date de naissance"\n"Courriel" = ""\n',
        headers,
    )
    assert mapping == {
        "NOM_USAGE": "last_name",
        "PRENOM": "first_names",
        "DNAIS": "birth_date",
        "Courriel": None,
    }


def test_a_mapping_without_name_or_birth_date_is_refused_in_french():
    with pytest.raises(columns.MappingError) as error:
        columns.check_mapping(["Nom", "Ville"], {"Nom": "last_name", "Ville": "city"})
    assert "« prénom », « date de naissance »" in error.value.messages[0]
    with pytest.raises(columns.MappingError) as error:
        columns.check_mapping(
            ["A", "B", "C", "D"],
            {"A": "last_name", "B": "last_name", "C": "first_names", "D": "birth_date"},
        )
    assert "remplissent toutes deux « nom »" in error.value.messages[0]


# --- Creation and the file formats -----------------------------------------------------------


def test_a_list_creates_files_with_the_referent_and_is_audited(tmp_path, referent_user, operator):
    path = write_list(tmp_path / "liste.csv", [person_row()])
    result = run(path, referent_user)
    assert result == {"rows": 1, "created": 1, "updated": 0, "unchanged": 0, "rejected": []}
    person = Beneficiary.objects.get()
    assert (person.last_name, person.first_names, person.civility) == ("Schmitt", "Léa", "MME")
    assert person.referent == referent_user and person.operator == operator
    assert person.nir == nir_of("femme", datetime.date(1986, 4, 17))
    assert person.rsa_number == "1234567" and person.rsa_payer == "CAF"
    assert person.phone == "06 12 34 56 78" and person.receives_rsa
    assert person.name_key == "schmitt|lea"
    assert person.birth_place == ""  # the rest waits for a convention
    entry = AuditEntry.objects.get(action="create", object_id=str(person.pk))
    assert entry.object_type == "registry.beneficiary"


@pytest.mark.parametrize("delimiter,bom", [(";", True), (",", False)])
def test_csv_with_or_without_bom_and_either_delimiter(tmp_path, referent_user, delimiter, bom):
    path = write_list(tmp_path / "liste.csv", [person_row()], delimiter=delimiter, bom=bom)
    assert run(path, referent_user)["created"] == 1


def test_xlsx_with_real_dates(tmp_path, referent_user):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Prénom", "Date de naissance", "Sexe"])
    sheet.append(["Weber", "Paul", datetime.datetime(1975, 2, 3), "Homme"])
    workbook.save(tmp_path / "liste.xlsx")
    result = run(tmp_path / "liste.xlsx", referent_user)
    assert result["created"] == 1
    assert Beneficiary.objects.get().birth_date == datetime.date(1975, 2, 3)


def test_the_sex_may_come_from_the_nir(tmp_path, referent_user):
    row = person_row()
    del row["Sexe"]
    run(write_list(tmp_path / "liste.csv", [row]), referent_user)
    assert Beneficiary.objects.get().civility == "MME"


# --- Each kind of rejected cell --------------------------------------------------------------

BORN = datetime.date(1986, 4, 17)


@pytest.mark.parametrize(
    "changes,column,fragment",
    [
        ({"NIR": nir_of("femme", BORN)[:13] + "00"}, "NIR", "La clé du NIR"),
        ({"NIR": "2860467"}, "NIR", "15 caractères"),
        ({"Sexe": "M"}, "Sexe", "Le 1er chiffre du NIR (2) désigne un·e femme"),
        ({"Sexe": "X"}, "Sexe", "Le sexe « X » n'est pas reconnu"),
        ({"Date de naissance": "31/02/1986"}, "Date de naissance", "n'est pas une date"),
        ({"Date de naissance": "17/04/2099", "NIR": ""}, "Date de naissance", "dans le futur"),
        ({"Date de naissance": "17/04/1987"}, "Date de naissance", "naissance en 86"),
        ({"Code postal": "75011"}, "Code postal", ""),
        ({"Code postal": "6700"}, "Code postal", ""),
        ({"Téléphone": "12"}, "Téléphone", "n'est pas valide"),
        ({"Courriel": "lea@"}, "Courriel", ""),
        ({"Numéro allocataire": "12AB"}, "Numéro allocataire", "de 5 à 13 chiffres"),
        ({"Date d'entrée RSA": "01/01/2099"}, "Date d'entrée RSA", "dans le futur"),
        ({"Nom": ""}, "Nom", ""),
        (
            {"Organisme payeur": "XYZ"},
            "Organisme payeur",
            "L'organisme payeur « XYZ » n'est pas reconnu : écrivez CAF ou MSA.",
        ),
    ],
)
def test_each_wrong_cell_rejects_the_row_with_a_french_message_on_its_column(
    tmp_path, referent_user, changes, column, fragment
):
    path = write_list(tmp_path / "liste.csv", [person_row(**changes)])
    result = run(path, referent_user)
    assert result["rows"] == 1 and result["created"] == 0
    messages = errors_of(result, 1)
    assert column in messages, messages
    assert fragment in messages[column]
    # One message per cell: never a generic one followed by a second saying the same.
    assert [e["column"] for e in result["rejected"][0]["errors"]].count(column) == 1
    assert Beneficiary.objects.count() == 0


def test_the_payer_is_read_whatever_its_case(tmp_path, referent_user):
    path = write_list(tmp_path / "liste.csv", [{**person_row(), "Organisme payeur": " msa "}])
    assert run(path, referent_user)["created"] == 1
    assert Beneficiary.objects.get().rsa_payer == "MSA"


def test_a_row_without_a_sex_or_nir_cannot_create_a_file(tmp_path, referent_user):
    row = person_row(NIR="")
    row.pop("Sexe")
    result = run(write_list(tmp_path / "liste.csv", [row]), referent_user)
    assert "Le sexe est nécessaire pour créer le dossier" in errors_of(result)["sexe"]


def test_an_unknown_referent_is_refused(tmp_path, referent_user):
    path = write_list(tmp_path / "liste.csv", [{**person_row(), "Référent": "x@y.fr"}])
    result = run(path, referent_user)
    assert "n'est pas l'adresse d'un·e référent·e" in errors_of(result)["Référent"]


# --- The three matching keys -----------------------------------------------------------------


@pytest.fixture
def known(territory, operator, referent_user):
    return factories.BeneficiaryFactory(
        territory=territory,
        operator=operator,
        referent=referent_user,
        civility="MME",
        last_name="Schmitt",
        first_names="Léa",
        birth_date=BORN,
        phone="",
        email="",
        identifiers=False,
    )


def test_matched_by_nir_an_update_fills_only_the_mapped_columns(tmp_path, referent_user, known):
    known.nir = nir_of("femme", BORN)
    known.city = "Illkirch-Graffenstaden"
    known.postal_code = "67400"
    known.save()
    path = write_list(
        tmp_path / "liste.csv",
        [{"Nom": "SCHMITT", "Prénom": "Lea", "Date de naissance": "17/04/1986",
          "NIR": nir_of("femme", BORN), "Téléphone": "0612345678", "Code postal": ""}],
    )  # fmt: skip
    result = run(path, referent_user)
    assert result["updated"] == 1 and result["created"] == 0
    known.refresh_from_db()
    assert known.phone == "06 12 34 56 78"  # filled
    assert known.last_name == "SCHMITT"  # changed: a mapped column
    assert known.postal_code == "67400"  # an empty cell erases nothing
    assert known.city == "Illkirch-Graffenstaden"  # not mapped: untouched
    entry = AuditEntry.objects.filter(action="update", object_id=str(known.pk)).latest("id")
    assert entry.changes["phone"] == ["", "06 12 34 56 78"]


def test_matched_by_allocation_number(tmp_path, referent_user, known):
    known.set_rsa_number("CAF", "7654321")
    known.save()
    path = write_list(
        tmp_path / "liste.csv",
        [person_row(Nom="Schmitt-Koenig", **{"Numéro allocataire": "7654321"}, NIR="")],
    )
    result = run(path, referent_user)
    assert result["updated"] == 1
    known.refresh_from_db()
    assert known.last_name == "Schmitt-Koenig"


def test_matched_by_name_and_birth_date_ignoring_accents_and_case(tmp_path, referent_user, known):
    path = write_list(tmp_path / "liste.csv", [person_row(Nom="SCHMITT", Prénom="lea", NIR="")])
    result = run(path, referent_user)
    assert result["updated"] == 1 and Beneficiary.objects.count() == 1


def test_an_ambiguous_match_is_rejected_with_the_candidates(
    tmp_path, referent_user, known, territory, operator
):
    other = factories.BeneficiaryFactory(
        territory=territory, operator=operator, last_name="Schmitt", first_names="Léa",
        birth_date=BORN, identifiers=False,
    )  # fmt: skip
    path = write_list(tmp_path / "liste.csv", [person_row(NIR="", **{"Numéro allocataire": ""})])
    result = run(path, referent_user)
    message = errors_of(result)["Nom"]
    assert "2 dossiers portent ce nom et cette date de naissance" in message
    assert f"n° {known.pk}" in message and f"n° {other.pk}" in message


def test_a_file_outside_the_scope_is_not_revealed(
    tmp_path, territory, other_operator, coordinator_user
):
    hidden = factories.BeneficiaryFactory(
        territory=territory, operator=other_operator, last_name="Schmitt", first_names="Léa",
        birth_date=BORN, identifiers=False,
    )  # fmt: skip
    path = write_list(tmp_path / "liste.csv", [person_row(NIR="", **{"Numéro allocataire": ""})])
    with open(path, "rb") as stream:
        result = services.import_file(
            stream,
            ImportOptions(
                operator=coordinator_user.memberships.get().organisation, user=coordinator_user
            ),
        ).as_dict()
    message = errors_of(result)["Nom"]
    assert "hors de votre périmètre" in message and str(hidden.pk) not in message


def test_two_rows_for_one_person_reject_the_second(tmp_path, referent_user):
    path = write_list(tmp_path / "liste.csv", [person_row(), person_row(Téléphone="")])
    result = run(path, referent_user)
    assert result["created"] == 1
    assert "La ligne 1 désigne déjà cette personne" in errors_of(result, 2)["Nom"]


def test_homonyms_with_different_nirs_are_two_people(tmp_path, referent_user):
    born = datetime.date(1986, 4, 17)
    rows = [
        person_row(NIR=nir_of("femme", born, seed=1), **{"Numéro allocataire": "1111111"}),
        person_row(NIR=nir_of("femme", born, seed=2), **{"Numéro allocataire": "2222222"}),
    ]
    assert run(write_list(tmp_path / "liste.csv", rows), referent_user)["created"] == 2


# --- Idempotence, dry run --------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(tmp_path, referent_user):
    rows = [person_row(), person_row(Nom="Meyer", Prénom="Jean", Sexe="M",
                                     NIR=nir_of("homme", BORN, seed=3),
                                     **{"Numéro allocataire": "7777777"})]  # fmt: skip
    path = write_list(tmp_path / "liste.csv", rows)
    assert run(path, referent_user)["created"] == 2
    entries = AuditEntry.objects.count()
    second = run(path, referent_user)
    assert second == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2, "rejected": []}
    assert Beneficiary.objects.count() == 2
    assert AuditEntry.objects.count() == entries + 1  # only the import's summary


def test_the_dry_run_writes_nothing(tmp_path, referent_user):
    path = write_list(tmp_path / "liste.csv", [person_row()])
    result = run(path, referent_user, "--dry-run")
    assert result["created"] == 1
    assert Beneficiary.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="registry.beneficiary").exists()


# --- The command's contract ------------------------------------------------------------------


def test_the_json_contract_keys_and_row_numbers(tmp_path, referent_user):
    other = person_row(Nom="Meyer", Sexe="?", NIR="", **{"Numéro allocataire": "7777777"})
    path = write_list(tmp_path / "liste.csv", [person_row(), other])
    result = run(path, referent_user)
    assert list(result) == ["rows", "created", "updated", "unchanged", "rejected"]
    assert result["rejected"] == [
        {
            "row": 2,
            "errors": [
                {"column": "Sexe", "message": result["rejected"][0]["errors"][0]["message"]}
            ],
        }
    ]


def test_the_text_summary_in_french(tmp_path, referent_user):
    path = write_list(tmp_path / "liste.csv", [person_row()])
    out = io.StringIO()
    call_command("import_beneficiaries", str(path), "--referent", referent_user.email, stdout=out)
    assert out.getvalue().startswith("1 ligne : 1 créé, 0 mis à jour, 0 inchangé, 0 rejeté.")


@pytest.mark.parametrize(
    "arguments,fragment",
    [
        ([], "Indiquez --referent COURRIEL"),
        (["--referent", "personne@nulle.part"], "n'est l'adresse d'aucun·e référent·e"),
        (["--referent", "{referent}", "--mapping", "absent.toml"], "n'existe pas"),
    ],
)
def test_bad_arguments_are_refused_in_french_with_exit_code_2(
    tmp_path, referent_user, arguments, fragment
):
    path = write_list(tmp_path / "liste.csv", [person_row()])
    arguments = [a.replace("{referent}", referent_user.email) for a in arguments]
    with pytest.raises(CommandError) as error:
        call_command("import_beneficiaries", str(path), *arguments)
    assert error.value.returncode == 2
    assert fragment in str(error.value)


def test_an_unreadable_file_is_refused(tmp_path, referent_user):
    path = tmp_path / "liste.csv"
    path.write_bytes("Nom;Prénom\n".encode("latin-1") + "Hélène;Zoé\n".encode("latin-1"))
    with pytest.raises(CommandError) as error:
        call_command("import_beneficiaries", str(path), "--referent", referent_user.email)
    assert error.value.returncode == 2 and "UTF-8" in str(error.value)


@pytest.mark.django_db(transaction=True)
def test_the_console_command_exits_2_with_a_french_message(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "tremplin.cli", "import-beneficiaries", "--format", "xml"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert (
        "arguments obligatoires manquants" in completed.stderr
        or "valeur non autorisée" in completed.stderr
    )
    assert "Traceback" not in completed.stderr


# --- The pages: columns, the operator's saved mapping, the rejected rows -------------------

OWN_HEADERS = ["Patronyme", "Prénom", "Né(e) le", "Sexe", "Commune", "Observations"]
CHOSEN = {
    "Patronyme": "last_name",
    "Prénom": "first_names",
    "Né(e) le": "birth_date",
    "Sexe": "civility",
    "Commune": None,  # recognised (« commune »), ignored on purpose
    "Observations": None,
}


def own_list(path, headers=OWN_HEADERS, name="Schmitt"):
    values = [name, "Léa", "17/04/1986", "F", "Strasbourg", "à rappeler"]
    return write_list(path, [dict(zip(headers, values, strict=True))], headers=headers)


def upload(client, path, operator, referent) -> BeneficiaryImport:
    with path.open("rb") as handle:
        response = client.post(
            reverse("registry:import_start"),
            {"file": handle, "operator": operator.pk, "referent": referent.pk, "rsa_payer": "CAF"},
        )
    beneficiary_import = BeneficiaryImport.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_mapping", args=[beneficiary_import.pk])
    return beneficiary_import


def mapping_post(mapping: dict, *, remember: bool) -> dict:
    data = {f"col_{i}": mapping.get(header) or "" for i, header in enumerate(OWN_HEADERS)}
    return {**data, "remember": "on"} if remember else data


def test_the_columns_page_maps_and_remembers_the_operators_columns_for_its_next_list(
    tmp_path, client, coordinator_user, referent_user, operator
):
    client.force_login(coordinator_user)
    first = upload(client, own_list(tmp_path / "a.csv"), operator, referent_user)
    # Recognised headers only: « Patronyme » and « Né(e) le » are not.
    assert first.mapping["Patronyme"] is None and first.mapping["Commune"] == "city"
    url = reverse("registry:import_mapping", args=[first.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Patronyme" in page.content.decode() and "Strasbourg" in page.content.decode()

    response = client.post(url, mapping_post(CHOSEN, remember=True))
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    first.refresh_from_db()
    assert first.mapping == CHOSEN
    assert first.state == BeneficiaryImport.State.PREVIEWED
    assert (first.rows, first.created, first.rejected) == (1, 1, 0)
    saved = ImportMapping.objects.get(operator=operator)
    assert saved.columns == CHOSEN and saved.updated_by == coordinator_user
    assert Beneficiary.objects.count() == 0  # a preview writes no file

    # The next list of the operator, headers in other cases and without accents: the saved
    # columns are proposed, the ignored « Commune » stays ignored.
    headers = ["PATRONYME", "prenom", "ne(e) le", "sexe", "COMMUNE", "observations"]
    second = upload(client, own_list(tmp_path / "b.csv", headers, "Weber"), operator, referent_user)
    assert second.mapping == dict(zip(headers, CHOSEN.values(), strict=True))
    page = client.get(reverse("registry:import_mapping", args=[second.pk]))
    assert "colonnes retenues pour Association Passerelle" in page.content.decode()
    assert page.context["form"]["col_0"].initial == "last_name"
    assert page.context["form"]["col_4"].initial == ""


def test_without_remembering_the_operators_columns_are_not_saved(
    tmp_path, client, coordinator_user, referent_user, operator
):
    client.force_login(coordinator_user)
    first = upload(client, own_list(tmp_path / "a.csv"), operator, referent_user)
    url = reverse("registry:import_mapping", args=[first.pk])
    assert client.post(url, mapping_post(CHOSEN, remember=False)).status_code == 302
    assert not ImportMapping.objects.exists()
    second = upload(client, own_list(tmp_path / "b.csv"), operator, referent_user)
    assert second.mapping["Patronyme"] is None and second.mapping["Commune"] == "city"


def test_the_columns_page_refuses_a_mapping_without_the_name_in_french(
    tmp_path, client, coordinator_user, referent_user, operator
):
    client.force_login(coordinator_user)
    beneficiary_import = upload(client, own_list(tmp_path / "a.csv"), operator, referent_user)
    url = reverse("registry:import_mapping", args=[beneficiary_import.pk])
    response = client.post(url, mapping_post({**CHOSEN, "Patronyme": None}, remember=True))
    assert response.status_code == 200
    assert "Indiquez la colonne de chacun de ces champs" in response.content.decode()
    assert "« nom »" in response.content.decode()
    beneficiary_import.refresh_from_db()
    assert beneficiary_import.state == BeneficiaryImport.State.UPLOADED
    assert not ImportMapping.objects.exists()


def test_the_rejected_rows_download_as_xlsx_with_row_column_and_message(
    tmp_path, client, coordinator_user, referent_user, operator, other_operator
):
    rows = [
        person_row(),
        person_row(
            Nom="Weber", NIR=nir_of("femme", BORN)[:13] + "00", Téléphone="12",
            **{"Numéro allocataire": "7654321"},
        ),
        person_row(Nom="Muller", Sexe="X", NIR="", **{"Numéro allocataire": "7654322"}),
    ]  # fmt: skip
    client.force_login(coordinator_user)
    path = write_list(tmp_path / "liste.csv", rows)
    beneficiary_import = upload(client, path, operator, referent_user)
    url = reverse("registry:import_mapping", args=[beneficiary_import.pk])
    # By the headers' order: a JSON object's keys come back in another order on PostgreSQL.
    mapping = beneficiary_import.mapping
    data = {f"col_{i}": mapping.get(h) or "" for i, h in enumerate(beneficiary_import.headers)}
    assert client.post(url, data).status_code == 302
    report = reverse("registry:import_rejected_report", args=[beneficiary_import.pk])
    response = client.get(report)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'filename="lignes-rejetees-import-{beneficiary_import.pk}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    lines = [tuple(cells) for cells in sheet.iter_rows(values_only=True)]
    assert lines[0] == ("Ligne", "Personne", "Colonne", "Message")
    found = {(number, column): message for number, _person, column, message in lines[1:]}
    assert set(found) == {(2, "NIR"), (2, "Téléphone"), (3, "Sexe")}  # row 1 is not rejected
    assert found[(2, "NIR")].startswith("La clé du NIR")
    assert "n'est pas valide" in found[(2, "Téléphone")]
    assert found[(3, "Sexe")].startswith("Le sexe « X » n'est pas reconnu")
    assert lines[1][1].startswith("WEBER Léa")
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, object_id=str(beneficiary_import.pk)
    ).exists()
    client.force_login(factories.coordinator(other_operator))
    assert client.get(report).status_code == 404


# --- The API ---------------------------------------------------------------------------------


def test_the_api_imports_with_the_same_json(tmp_path, client, coordinator_user, referent_user):
    from tremplin.accounts.models import ApiToken

    _, key = ApiToken.issue(coordinator_user, "tests")
    other = person_row(Nom="Meyer", Sexe="?", NIR="", **{"Numéro allocataire": "7777777"})
    path = write_list(tmp_path / "liste.csv", [person_row(), other])
    with path.open("rb") as upload:
        response = client.post(
            "/api/v1/imports/beneficiaries",
            {"file": upload, "referent": referent_user.email, "dry_run": "true"},
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rows"] == 2 and body["created"] == 1 and body["rejected"][0]["row"] == 2
    assert Beneficiary.objects.count() == 0  # dry run
    with path.open("rb") as upload:
        response = client.post(
            "/api/v1/imports/beneficiaries", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {key}"
        )
    assert response.json()["created"] == 1 and Beneficiary.objects.count() == 1


def test_the_api_refuses_a_referent_and_a_bad_file(
    tmp_path, client, referent_user, coordinator_user
):
    from tremplin.accounts.models import ApiToken

    _, key = ApiToken.issue(referent_user, "tests")
    path = write_list(tmp_path / "liste.csv", [person_row()])
    with path.open("rb") as upload:
        response = client.post(
            "/api/v1/imports/beneficiaries", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {key}"
        )
    assert response.status_code == 403 and "réservé aux coordinateurs" in response.json()["detail"]
    _, key = ApiToken.issue(coordinator_user, "tests")
    bad = tmp_path / "vide.csv"
    bad.write_bytes(b"")
    with bad.open("rb") as upload:
        response = client.post(
            "/api/v1/imports/beneficiaries", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {key}"
        )
    assert response.status_code in (422, 400)
