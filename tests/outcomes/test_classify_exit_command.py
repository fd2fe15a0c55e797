"""``tremplin classify-exit``: JSON in, a French sentence or JSON out, French errors with
exit code 2 (rules A3, A4, P1, P10 through tremplin.rules.outcomes)."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

# In-employment support from 3 March 2025 (end of the 6 months: 2 September 2025), measured
# on 30 September: 3 June-2 September and 3 September-2 December are two CDDs of 3 months
# at 20 h and 17.5 h, both at least half of 35 h, together 6 months: positive A4 (b).
TWO_CDDS = {
    "programme": "in_employment",
    "support_start": "2025-03-03",
    "evaluation_date": "2025-09-30",
    "situations": [
        {"kind": "cdd", "start": "2025-06-03", "end": "2025-09-02", "weekly_hours": 20},
        {"kind": "cdd", "start": "2025-09-03", "end": "2025-12-02", "weekly_hours": 17.5},
    ],
}


def run(*arguments, stdin_text=None, monkeypatch=None):
    if stdin_text is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin_text))
    out = io.StringIO()
    call_command("classify_exit", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def input_file(tmp_path):
    def write(data):
        path = tmp_path / "situations.json"
        path.write_text(json.dumps(data) if not isinstance(data, str) else data, "utf-8")
        return str(path)

    return write


def test_json_output_gives_category_positive_rule_and_explanation(input_file):
    output = json.loads(run("--input", input_file(TWO_CDDS), "--format", "json"))
    assert output["category"] == "durable_cdd"
    assert output["positive"] is True
    assert output["rule"] == "A4 b"
    assert output["deciding_situations"] == [1, 2]
    assert output["indicators"] == {"durable_placement": True}
    assert output["explanation"].startswith("Sortie positive (règle A4 b) : CDD n°1")


def test_text_output_is_a_french_sentence(input_file):
    output = run("--input", input_file(TWO_CDDS))
    assert output.startswith("Accompagnement dans l'emploi (CUI-CIE), sortie évaluée le 30/09/2025")
    assert "(positive)" in output
    assert "totalisent 6 mois" in output


def test_input_dash_reads_stdin(monkeypatch):
    # A CDI at 17 h is under half of 35 h (17.5 h): not positive.
    data = {
        "programme": "in_employment",
        "support_start": "2025-03-03",
        "evaluation_date": "2025-09-30",
        "situations": [{"kind": "cdi", "start": "2025-09-03", "weekly_hours": 17}],
    }
    output = json.loads(
        run(
            "--input", "-", "--format", "json", stdin_text=json.dumps(data), monkeypatch=monkeypatch
        )
    )
    assert (output["positive"], output["rule"], output["category"]) == (False, "A4", "not_durable")


def test_professional_programme_reports_both_p10_indicators(input_file):
    data = {
        "programme": "professional",
        "support_start": "2025-03-03",
        "support_end": "2025-09-02",
        "evaluation_date": "2025-09-30",
        "situations": [{"kind": "training", "start": "2025-05-05", "end": "2025-12-19"}],
    }
    output = json.loads(run("--input", input_file(data), "--format", "json"))
    assert output["category"] == "return_to_activity"
    assert output["indicators"] == {"return_to_activity": True, "exit_linked_to_employment": False}


def test_contradictory_situations_are_a_french_error_with_exit_code_2(input_file):
    data = dict(TWO_CDDS)
    data["situations"] = [
        {"kind": "cdi", "start": "2025-09-03", "weekly_hours": 35},
        {"kind": "cdd", "start": "2025-09-10", "end": "2026-03-09", "weekly_hours": 35},
        {"kind": "inactivity", "start": "2025-09-15", "end": "2025-09-20"},
    ]
    with pytest.raises(CommandError) as raised:
        run("--input", input_file(data))
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert message.startswith("Impossible de classer la sortie :")
    assert "70 h par semaine" in message
    assert "une personne inactive ne peut pas être en même temps" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "n'est pas du JSON valide (ligne 1, colonne 2)"),
        ("[1, 2]", "Un objet JSON est attendu"),
        (
            json.dumps({**TWO_CDDS, "evaluation_date": "2025-02-01"}),
            "précède le début de l'accompagnement",
        ),
    ],
)
def test_bad_input_is_a_clear_french_error(input_file, content, expected):
    with pytest.raises(CommandError) as raised:
        run("--input", input_file(content))
    assert raised.value.returncode == 2
    assert expected in str(raised.value)


def test_missing_file_is_a_french_error(tmp_path):
    with pytest.raises(CommandError, match="n'existe pas") as raised:
        run("--input", str(tmp_path / "absent.json"))
    assert raised.value.returncode == 2


def test_console_command_exits_with_2_on_bad_input():
    # The real `tremplin` entry point: dashes in the name, stdin, exit status, stderr.
    completed = subprocess.run(
        [sys.executable, "-m", "tremplin.cli", "classify-exit", "--input", "-"],
        input='{"programme": "in_work"}',
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "Le programme « in_work » est inconnu" in completed.stderr
