"""``tremplin convention-check`` and ``POST /api/v1/conventions/check``: the
wizard's checks on a convention given as JSON, nothing saved, every rule the check can
report through both paths, bad input in French naming its key (exit 2, HTTP 422), and the
same findings as the wizard for the same convention."""

import copy
import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from ninja.testing import TestClient

from tests.conventions.factories import ConventionFactory
from tests.conventions.test_orders import order_data
from tests.rules.test_convention_check import EXAMPLE
from tremplin.accounts.models import AuditEntry
from tremplin.api.api import api as tremplin_api
from tremplin.conventions import services
from tremplin.conventions.management.commands.convention_check import INPUT_FORMAT
from tremplin.conventions.models import Convention

pytestmark = pytest.mark.django_db

api_client = TestClient(tremplin_api)

# The issue's example without its département: no order, hence no finding at all — each
# case below changes what makes one rule speak.
BASE = {key: value for key, value in EXAMPLE.items() if key != "department"}


def variant(*changes):
    data = copy.deepcopy(BASE)
    for path, value in changes:
        *sections, key = path.split(".")
        target = data
        for section in sections:
            target = target[section]
        if value is DELETE:
            target.pop(key, None)
        else:
            target[key] = value
    return data


DELETE = object()


def run_command(data, *arguments):
    out = io.StringIO()
    stdin = io.StringIO(json.dumps(data))
    old_stdin, sys.stdin = sys.stdin, stdin
    try:
        call_command("convention_check", "--input", "-", *arguments, stdout=out)
    finally:
        sys.stdin = old_stdin
    return out.getvalue()


def through_command(data) -> dict:
    return json.loads(run_command(data, "--format", "json"))


@pytest.fixture
def through_api(referent_user):
    def check(data) -> dict:
        response = api_client.post("/conventions/check", json=data, user=referent_user)
        assert response.status_code == 200, response.json()
        return response.json()

    return check


@pytest.fixture(params=["command", "api"])
def check(request, through_api):
    return through_command if request.param == "command" else through_api


def test_the_base_has_no_finding(check):
    assert check(BASE) == {"findings": [], "signable": True}


# Every rule the check can report, each from the words of its seed.
CASES = [
    # C3 (seed 001): « licenciement économique dans les 6 mois précédant la date d'embauche »
    # — 15/01/2026 is within the 6 months before 02/03/2026: a hire from 16/07/2026.
    ("C3", "blocking", [("employer.last_economic_dismissal_on", "2026-01-15")], "16/07/2026"),
    # C3: « être à jour des versements de mes cotisations et contributions sociales ».
    ("C3", "blocking", [("employer.late_social_contributions", True)], "cotisations"),
    # C5: « la durée de la convention ne peut excéder le terme du contrat » (aid to 02/09).
    ("C5", "blocking", [("aid.end", "2026-09-02")], "au-delà du terme du contrat"),
    # C5: the aid cannot start before the hire.
    ("C5", "blocking", [("aid.start", "2026-03-01")], "avant l'embauche"),
    # C7: « sa durée minimale est de 6 mois »: 02/03 to 31/08/2026 is one day short.
    ("C7", "blocking", [("contract.end", "2026-08-31"), ("aid.end", "2026-08-31")], "6 mois"),
    # C8: « d'une durée minimale de 20 heures » — 18 h at 33 years old, without ASS.
    (
        "C8",
        "blocking",
        [("contract.weekly_hours", 18), ("aid.weekly_hours", 18)],
        "portez-la à 20 heures",
    ),
    # C12: a tutor « justifiant d'une expérience professionnelle d'au moins deux ans ».
    ("C12", "blocking", [("tutor.experience_years", 1)], "2 ans d'expérience"),
    # C12: « il pourra suivre jusqu'à trois bénéficiaires ».
    ("C12", "blocking", [("tutor.employees_followed", 4)], "3 salariés"),
    # E1: the Bas-Rhin's 2026 order is demonstration data.
    ("E1", "warning", [("department", "67")], "démonstration"),
    # E1: the Rhône's newest order (seed 002) was valid through 2017 only.
    ("E1", "warning", [("department", "69")], "31/12/2017"),
    # E4: 15 h for an ASS beneficiary is lawful, but the order supports 20 to 35 h only.
    (
        "E4",
        "blocking",
        [
            ("department", "67"),
            ("beneficiary.ass", True),
            ("contract.weekly_hours", 15),
            ("aid.weekly_hours", 15),
        ],
        "plus strict",
    ),
    # E6: « sans pouvoir excéder 47 % du SMIC par heure travaillée ».
    ("E6", "blocking", [("aid.rate", "48")], "47 %"),
    # E6: « dans la limite de 12 mois » without an order: a CDI aided 12 months and 1 day.
    (
        "E6",
        "blocking",
        [("contract.type", "CDI"), ("contract.end", DELETE), ("aid.end", "2027-03-02")],
        "12 mois",
    ),
    # E9: « a minima SMIC »: 12,00 € an hour is below 12,02 € on 02/03/2026.
    ("E9", "blocking", [("contract.hourly_gross_wage", "12.00")], "12,02 €"),
    # E9: 12,10 € is above 12,02 €, but the SMIC rises to 12,31 € on 01/06/2026.
    ("E9", "warning", [("contract.hourly_gross_wage", 12.10)], "01/06/2026"),
    # E12: the order supports 20 to 35 hours a week: 19 h supported is below.
    ("E12", "blocking", [("department", "67"), ("aid.weekly_hours", 19)], "entre 20 et 35"),
    # E12: the order aids a CDI 12 months: to 02/03/2027 is one day too many.
    (
        "E12",
        "blocking",
        [
            ("department", "67"),
            ("contract.type", "CDI"),
            ("contract.end", DELETE),
            ("aid.end", "2027-03-02"),
        ],
        "12 mois",
    ),
    # F5: the supported hours may be lower than the contract's, never higher.
    ("F5", "blocking", [("aid.weekly_hours", 30)], "ne peut pas dépasser"),
    # F8: « pas d'embauche avant la signature »: signed on 05/03 for a hire on 02/03.
    ("F8", "blocking", [("signed_on", "2026-03-05")], "avant la signature"),
]


@pytest.mark.parametrize(
    ("rule", "severity", "changes", "words"),
    CASES,
    ids=[f"{rule}-{index}" for index, (rule, *_) in enumerate(CASES)],
)
def test_every_rule_the_check_reports(check, rule, severity, changes, words):
    result = check(variant(*changes))
    matching = [f for f in result["findings"] if f["rule"] == rule and f["severity"] == severity]
    assert matching, result
    assert words in matching[0]["message"]
    assert f"règle{'s' if '(règles' in matching[0]['message'] else ''}" in matching[0]["message"]
    assert result["signable"] is (not any(f["severity"] == "blocking" for f in result["findings"]))


def test_the_cases_cover_every_rule_the_input_can_raise():
    assert {rule for rule, *_ in CASES} == {
        "C3", "C5", "C7", "C8", "C12", "E1", "E4", "E6", "E9", "E12", "F5", "F8"
    }  # fmt: skip


def test_the_issues_example_through_both_paths(through_api):
    expected = {
        "findings": [
            {
                "rule": "E1",
                "severity": "warning",
                "message": "L'arrêté de démonstration Grand Est 2026 (données fictives) est une "
                "donnée de démonstration, pas un arrêté réel : saisissez l'arrêté préfectoral de "
                "la région sur la page des arrêtés avant de signer (règle E1).",
            }
        ],
        "signable": True,
    }
    assert through_command(EXAMPLE) == expected
    assert through_api(EXAMPLE) == expected


def test_an_order_entered_on_the_page_is_used_like_in_the_wizard(
    client, agent_user, territory, through_api
):
    client.force_login(agent_user)
    response = client.post(reverse("conventions:order_create"), order_data())
    assert response.status_code == 302
    result = through_api(EXAMPLE)
    # The real 2026 order replaces the demonstration one (no E1 warning any more), and its
    # own terms apply: it aids a CDD of at least 9 months only (rule E12).
    assert [(f["rule"], f["severity"]) for f in result["findings"]] == [("E12", "blocking")]
    assert "n° 26-001" in result["findings"][0]["message"]


# --- Bad input ----------------------------------------------------------------------------


BAD = [
    ({k: v for k, v in BASE.items() if k != "kind"}, "kind", "« kind » : clé obligatoire"),
    (variant(("contract.start", "2026-02-30")), "contract.start", "AAAA-MM-JJ"),
    (variant(("aid.rate", -47)), "aid.rate", "négatif"),
    (variant(("contract.weekly_hours", {})), "contract.weekly_hours", "pas un objet JSON"),
    (variant(("aid.prorata", True)), "aid.prorata", "clé inconnue"),
    # Dates outside the product's calendar (1900–2100, calendar.day_in_bounds): 9999-12-01
    # overflowed to year 10000 (C7's 6 months), 0001-01-01 to year 0 (C3's 6 months before).
    (
        variant(
            ("contract.start", "9999-12-01"),
            ("contract.end", "9999-12-31"),
            ("aid.start", DELETE),
            ("aid.end", DELETE),
        ),
        "contract.start",
        "entre le 01/01/1900 et le 31/12/2100",
    ),
    (
        variant(
            ("contract.start", "0001-01-01"),
            ("employer.last_economic_dismissal_on", "0001-01-01"),
            ("contract.end", DELETE),
            ("aid.start", DELETE),
            ("aid.end", DELETE),
        ),
        "employer.last_economic_dismissal_on",
        "hors des limites",
    ),
    (variant(("beneficiary.birth_date", "1899-12-31")), "beneficiary.birth_date", "1900"),
    # Numbers a convention never holds: 1e999999999 overflowed the decimal context when
    # written in French, 1e-999999999 has a billion decimals.
    (variant(("contract.weekly_hours", "1e999999999")), "contract.weekly_hours", "trop grand"),
    (variant(("aid.rate", 1e300)), "aid.rate", "inférieur à 1\u202f000\u202f000"),
    (variant(("aid.weekly_hours", "1e-999999999")), "aid.weekly_hours", "trop de décimales"),
]


@pytest.mark.parametrize(("data", "key", "words"), BAD)
def test_bad_input_exits_2_with_a_french_message_naming_the_key(data, key, words):
    with pytest.raises(CommandError) as raised:
        run_command(data, "--format", "json")
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert message.startswith("La convention ne peut pas être vérifiée :")
    assert f"« {key} »" in message and words in message


@pytest.mark.parametrize(("data", "key", "words"), BAD)
def test_bad_input_answers_422_with_the_same_message(referent_user, data, key, words):
    response = api_client.post("/conventions/check", json=data, user=referent_user)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    (message,) = body["errors"][key]
    assert words in message
    with pytest.raises(CommandError) as raised:
        run_command(data)
    assert f"- {message}" in str(raised.value)


def test_a_body_that_is_not_json_is_refused_alike(referent_user):
    response = api_client.post(
        "/conventions/check",
        data="{kind: CIE}",
        content_type="application/json",
        user=referent_user,
    )
    assert response.status_code == 422
    message = response.json()["errors"]["__all__"][0]
    assert message.startswith("Le texte reçu n'est pas du JSON valide (ligne 1, colonne 2)")
    sys_stdin = sys.stdin
    sys.stdin = io.StringIO("{kind: CIE}")
    try:
        with pytest.raises(CommandError, match="ligne 1, colonne 2") as raised:
            call_command("convention_check", "--input", "-")
    finally:
        sys.stdin = sys_stdin
    assert raised.value.returncode == 2


def test_a_bad_date_says_both_keys_and_nothing_overflows(referent_user):
    # Every bad key is named at once (the end too), the values as typed.
    data = variant(("contract.start", "9999-12-01"), ("contract.end", "9999-12-31"))
    response = api_client.post("/conventions/check", json=data, user=referent_user)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["contract.end"] == [
        "« contract.end » : le texte « 9999-12-31 » est hors des limites : saisissez une date "
        "entre le 01/01/1900 et le 31/12/2100."
    ]
    assert "contract.start" in errors


def test_the_bounds_themselves_are_accepted(check):
    # 31/12/2100 is within the calendar: a CDD ending then is read (and is too long, C5).
    result = check(variant(("contract.end", "2100-12-31")))
    assert [f["rule"] for f in result["findings"]] == ["C5"]
    assert check(variant(("aid.rate", "47.000000"))) == {"findings": [], "signable": True}


@pytest.mark.parametrize(
    "text",
    [
        '{"kind": "CIE", "aid": {"rate": ' + "4" * 5000 + "}}",  # json: int beyond 4,300 digits
        "[" * 100_000 + "]" * 100_000,  # json: recursion
    ],
    ids=["integer-of-5000-digits", "deep-nesting"],
)
def test_json_that_python_cannot_read_is_refused_not_crashed(referent_user, text):
    response = api_client.post(
        "/conventions/check", data=text, content_type="application/json", user=referent_user
    )
    assert response.status_code == 422
    (message,) = response.json()["errors"]["__all__"]
    assert "4 300 chiffres" in message
    completed = subprocess.run(
        [sys.executable, "-m", "tremplin.cli", "convention-check", "--input", "-"],
        input=text,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "4 300 chiffres" in completed.stderr and "Traceback" not in completed.stderr


def test_the_api_needs_authentication():
    assert api_client.post("/conventions/check", json=BASE).status_code == 401


def test_the_console_command_reads_stdin_and_exits_2_without_a_traceback():
    # The real `tremplin` entry point: dashes in the name, stdin, exit status, stderr.
    completed = subprocess.run(
        [sys.executable, "-m", "tremplin.cli", "convention-check", "--input", "-"],
        input='{"kind": "CIE", "contract": {"start": "2026-13-01"}}',
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "« contract.start »" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_input_file_and_text_output(tmp_path):
    path = tmp_path / "convention.json"
    path.write_text(json.dumps(variant(("tutor.experience_years", 1))), "utf-8")
    out = io.StringIO()
    call_command("convention_check", "--input", str(path), stdout=out)
    text = out.getvalue()
    assert text.startswith("Bloquant (C12) : Le tuteur doit justifier")
    assert text.rstrip().endswith(
        "1 point bloquant : la convention ne peut pas être signée en l'état."
    )
    with pytest.raises(CommandError, match="n'existe pas") as raised:
        call_command("convention_check", "--input", str(tmp_path / "absent.json"))
    assert raised.value.returncode == 2


def test_the_help_documents_the_contract():
    assert '"signable": false' in INPUT_FORMAT and '"hourly_gross_wage": "12.40"' in INPUT_FORMAT


def test_nothing_is_saved(through_api):
    conventions, audit = Convention.objects.count(), AuditEntry.objects.count()
    through_command(variant(("tutor.experience_years", 1)))
    through_api(variant(("tutor.experience_years", 1)))
    assert (Convention.objects.count(), AuditEntry.objects.count()) == (conventions, audit)


def test_the_openapi_document_describes_the_contract(client, referent_user):
    client.force_login(referent_user)  # the API's documentation needs a login
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/conventions/check"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["kind"]
    assert set(body["properties"]) == {
        "kind", "department", "signed_on", "beneficiary", "employer", "contract", "aid", "tutor"
    }  # fmt: skip
    assert set(operation["responses"]) >= {"200", "422"}


# --- The same convention, through the wizard and through the check ----------------------------


def as_check_input(convention: Convention, signed_on) -> dict:
    """The check's JSON of a convention of the database: the facts the JSON can carry."""
    beneficiary, tutor = convention.beneficiary, convention.tutor
    hours = convention.contract_weekly_hours
    return {
        "kind": convention.sector,
        "department": convention.territory.code,
        "signed_on": signed_on.isoformat(),
        "beneficiary": {
            "birth_date": beneficiary.birth_date.isoformat(),
            "rsa": convention.receives_rsa,
            "ass": convention.receives_ass,
            "disabled_worker": convention.disabled_worker == "yes",
        },
        "employer": {
            "last_economic_dismissal_on": convention.last_economic_dismissal.isoformat()
            if convention.last_economic_dismissal
            else None,
            "late_social_contributions": not convention.contributions_up_to_date,
        },
        "contract": {
            "type": convention.contract_type,
            "start": convention.hire_date.isoformat(),
            "end": convention.planned_end.isoformat() if convention.planned_end else None,
            "weekly_hours": str(hours),
        },
        "aid": {
            "start": convention.aid_start.isoformat(),
            "end": convention.aid_end.isoformat(),
            "rate": str(convention.prefect_rate_percent),
            "weekly_hours": str(convention.subsidised_hours),
        },
        "tutor": {
            "experience_years": tutor.experience_years,
            "employees_followed": services.tutor_employees_followed(convention),
        },
    }


@pytest.mark.parametrize(
    "changes",
    [
        # 2025: no order for the Grand Est; a dismissal, a novice tutor, a late signature.
        {
            "last_economic_dismissal": "2025-01-10",
            "tutor__experience_years": 1,
            "weekly_hours": 18,
            "subsidised_weekly_hours": 20,
        },
        # 2026: the demonstration order; 19 h supported, aid beyond the contract, 48 %.
        {
            "hire_date": "2026-03-02",
            "planned_end": "2026-09-01",
            "aid_start": "2026-03-02",
            "aid_end": "2026-09-30",
            "filing_date": "2026-02-01",
            "subsidised_weekly_hours": 19,
            "contributions_up_to_date": False,
        },
        # 2026: a TH aged 58 at the hire in CDI, 15 h a week (E4 against the order's 20 h),
        # aid for 30 months (the order aids a CDI 12 months).
        {
            "birth_date": "1967-06-01",
            "disabled_worker": "yes",
            "contract_type": "CDI",
            "planned_end": None,
            "hire_date": "2026-03-02",
            "aid_start": "2026-03-02",
            "aid_end": "2028-09-01",
            "filing_date": "2026-02-01",
            "weekly_hours": 15,
            "subsidised_weekly_hours": 15,
        },
    ],
)
def test_the_same_convention_gives_the_same_findings_through_the_wizard_and_the_check(
    territory, my_beneficiary, through_api, changes
):
    import datetime

    values = {
        key: datetime.date.fromisoformat(value)
        if isinstance(value, str) and "-" in value
        else value
        for key, value in changes.items()
    }
    if "birth_date" in values:
        my_beneficiary.birth_date = values.pop("birth_date")
        my_beneficiary.save()
    convention = ConventionFactory(territory=territory, beneficiary=my_beneficiary, **values)
    # The wizard's check of a draft, signed on 20/03/2025 (after a 2025 hire: F8 too).
    signed_on = datetime.date(2025, 3, 20)
    wizard = [
        {"rule": f.rule, "severity": f.severity, "message": f.message}
        for f in services.findings_of(convention, signature_date=signed_on)
    ]
    assert wizard  # each case has findings to compare
    data = as_check_input(convention, signed_on)
    assert through_command(data)["findings"] == wizard
    assert through_api(data)["findings"] == wizard


# --- Absent facts are not known, never false ---------------------------------------------------


def findings_of_rule(result, rule):
    return [(f["severity"], f["message"]) for f in result["findings"] if f["rule"] == rule]


@pytest.mark.parametrize(
    ("absent", "fact"),
    [
        ("beneficiary.ass", "le bénéfice de l'ASS"),
        ("beneficiary.birth_date", "l'âge du salarié à l'embauche"),
    ],
)
def test_short_hours_with_an_absent_exception_fact_is_a_warning_naming_it(check, absent, fact):
    # C8/E4: below 20 h is lawful for the 58+ and ASS beneficiaries; an absent fact may be one.
    result = check(
        variant(("contract.weekly_hours", 18), ("aid.weekly_hours", 18), (absent, DELETE))
    )
    ((severity, message),) = findings_of_rule(result, "C8")
    assert severity == "warning"
    assert f"faute de connaître {fact}" in message
    assert "portez-la à 20 heures au moins (règle C8)" in message
    assert result["signable"] is True


def test_short_hours_name_every_fact_not_known(check):
    result = check(
        variant(
            ("contract.weekly_hours", 18),
            ("aid.weekly_hours", 18),
            ("beneficiary.ass", None),  # null is absent too
            ("beneficiary.birth_date", DELETE),
        )
    )
    ((severity, message),) = findings_of_rule(result, "C8")
    assert severity == "warning"
    assert message == (
        "La durée hebdomadaire du contrat (18 h) est inférieure à 20 heures : c'est possible "
        "pour un salarié de 58 ans et plus à l'embauche ou un bénéficiaire de l'allocation de "
        "solidarité spécifique (ASS) (règle E4), ce qui ne peut être vérifié faute de connaître "
        "l'âge du salarié à l'embauche (date de naissance) et le bénéfice de l'ASS. Sinon, "
        "portez-la à 20 heures au moins (règle C8)."
    )


def test_short_hours_without_the_ass_but_with_no_known_age_still_warn(check):
    # The known facts rule the exception out only when both are known.
    result = check(
        variant(("contract.weekly_hours", 18), ("aid.weekly_hours", 18), ("contract.start", None),
                ("aid.start", None), ("aid.end", None), ("contract.end", None),
                ("contract.type", "CDI"))
    )  # fmt: skip
    # No hire nor aid start: the age at the hire is not known, though the birth date is.
    ((severity, message),) = findings_of_rule(result, "C8")
    assert severity == "warning" and "faute de connaître l'âge du salarié" in message


# A 36-month CDD (02/03/2026 to 01/03/2029), the aid still 6 months: beyond 24 months is
# only for C5's publics.
LONG_CDD = ("contract.end", "2029-03-01")


def test_a_long_cdd_for_a_known_person_outside_c5s_publics_is_blocking(check):
    result = check(variant(LONG_CDD))
    ((severity, message),) = findings_of_rule(result, "C5")
    assert severity == "blocking" and "limitée à 24 mois" in message
    assert message.startswith("La durée du CDD est limitée")
    assert result["signable"] is False


@pytest.mark.parametrize(
    ("absent", "public", "fact"),
    [
        ("beneficiary.disabled_worker", "un travailleur handicapé", "la reconnaissance de"),
        ("beneficiary.birth_date", "une personne de 58 ans et plus", "l'âge du salarié"),
    ],
)
def test_a_long_cdd_with_an_absent_derogation_fact_is_a_warning_naming_it(
    check, absent, public, fact
):
    result = check(variant(LONG_CDD, (absent, DELETE)))
    ((severity, message),) = findings_of_rule(result, "C5")
    assert severity == "warning"
    assert message.startswith("La durée du CDD dépasse 24 mois : c'est possible pour ")
    assert public in message and f"faute de connaître {fact}" in message
    assert "Sinon, fin au plus tard le 01/03/2028 (règles C5, C7, E3)." in message
    assert result["signable"] is True


def test_beyond_five_years_stays_blocking_whatever_is_not_known(check):
    result = check(variant(("contract.end", "2031-03-02"), ("beneficiary.disabled_worker", None)))
    ((severity, message),) = findings_of_rule(result, "C5")
    assert severity == "blocking" and "5 ans" in message


def test_a_long_aid_without_an_order_and_an_absent_fact_is_a_warning(check):
    # E6 without an order: 12 months, up to 60 for C5's publics (TH not known here).
    result = check(
        variant(LONG_CDD, ("aid.end", "2029-03-01"), ("beneficiary.disabled_worker", DELETE))
    )
    assert {(f["rule"], f["severity"]) for f in result["findings"]} == {
        ("C5", "warning"),
        ("E6", "warning"),
    }
    (e6,) = [f["message"] for f in result["findings"] if f["rule"] == "E6"]
    assert "Jusqu'à 60 mois pour un travailleur handicapé (règle C5)" in e6
    assert "faute de connaître la reconnaissance de travailleur handicapé" in e6
    assert result["signable"] is True
    # Known not to be TH: blocking again.
    known = check(variant(LONG_CDD, ("aid.end", "2029-03-01")))
    assert ("E6", "blocking") in {(f["rule"], f["severity"]) for f in known["findings"]}


# --- No order at all for the region (E1) -----------------------------------------------------


def test_no_order_at_all_for_the_region_is_said(check):
    # Paris (Île-de-France): no order is shipped nor entered for the region.
    result = check(variant(("department", "75")))
    assert result == {
        "findings": [
            {
                "rule": "E1",
                "severity": "warning",
                "message": "Aucun arrêté d'aide n'est connu pour la région Île-de-France à "
                "l'embauche du 02/03/2026 : le taux, la catégorie et les durées de l'aide ne "
                "peuvent pas être proposés. Les arrêtés sont fixés année par année (règle E1) : "
                "saisissez l'arrêté préfectoral de la région sur la page des arrêtés avant de "
                "signer.",
            }
        ],
        "signable": True,
    }
    # Before the region's first order (the Grand Est's demonstration one dates from 2026).
    before = check(variant(("department", "67"), ("signed_on", "2025-02-20"),
                           ("contract.start", "2025-03-02"),
                           ("contract.end", "2025-09-01"), ("aid.start", "2025-03-02"),
                           ("aid.end", "2025-09-01")))  # fmt: skip
    assert [(f["rule"], f["severity"]) for f in before["findings"]] == [("E1", "warning")]
    assert "région Grand Est à l'embauche du 02/03/2025" in before["findings"][0]["message"]
