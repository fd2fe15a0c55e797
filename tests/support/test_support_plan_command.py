"""``tremplin support-plan``: the JSON contract of the in-employment support, the French table, bad input."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

GOLDEN = [
    "--contract-start", "2025-03-03", "--trial-end", "2025-04-02",
    "--contract-type", "CDD", "--contract-end", "2025-09-02",
]  # fmt: skip


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("support_plan", *arguments, stdout=out)
    return out.getvalue()


def run_json(*arguments: str) -> dict:
    return json.loads(run(*arguments, "--format", "json"))


def test_json_contract_of_the_issue_example():
    # Worked by hand from 2025-03-03: trial review on the trial's last day (02/04); month 4 =
    # 03/06..02/07; month 5 = 03/07..02/08; certificate 1 month before 02/09 = 02/08; proofs
    # at hire + 3 and + 6 months.
    document = run_json(*GOLDEN)
    triples = [(d["code"], d["due"], d["rule"]) for d in document["deliverables"]]
    assert triples[0] == ("trial_review", "2025-04-02", "A11")
    assert sorted(triples) == sorted(
        [
            ("trial_review", "2025-04-02", "A11"),
            ("quarterly_proof_1", "2025-06-03", "E6"),
            ("synthesis_m4", "2025-07-02", "A12"),
            ("experience_certificate", "2025-08-02", "C10"),
            ("pathway_review_m5", "2025-08-02", "A12"),
            ("quarterly_proof_2", "2025-09-03", "E6"),
        ]
    )
    assert [d["due"] for d in document["deliverables"]] == sorted(
        d["due"] for d in document["deliverables"]
    )
    assert all(d["label"] for d in document["deliverables"])  # French labels, added keys
    assert [p["code"] for p in document["phases"]] == ["trial", "consolidation", "final_month"]
    assert document["hour_budget_hours"] == 12


def test_rupture_due_moment_is_an_iso_datetime_with_its_offset():
    # Known 10/06/2025 14:00 Paris (summer time): due 12/06 14:00+02:00; review 10/09/2025.
    document = run_json(*GOLDEN, "--rupture", "2025-06-10T14:00")
    by_code = {d["code"]: d for d in document["deliverables"]}
    assert by_code["rupture_notice"] == {
        **by_code["rupture_notice"],
        "due": "2025-06-12T14:00:00+02:00",
        "rule": "A14",
    }
    assert by_code["post_rupture_review"]["due"] == "2025-09-10"
    assert {d["code"] for d in document["dropped"]} == {"synthesis_m4", "pathway_review_m5"}
    assert document["phases"][-1]["code"] == "job_search"


def test_rupture_across_the_spring_change():
    document = run_json(*GOLDEN, "--rupture", "2025-03-29T10:00")
    notice = next(d for d in document["deliverables"] if d["code"] == "rupture_notice")
    assert notice["due"] == "2025-03-31T10:00:00+02:00"


def test_not_renewed_adds_the_review_three_months_after_the_end():
    document = run_json(*GOLDEN, "--not-renewed")
    review = next(d for d in document["deliverables"] if d["code"] == "non_renewal_review")
    assert (review["due"], review["rule"]) == ("2025-12-02", "A13")


def test_cdi_without_trial_end_uses_the_default():
    document = run_json("--contract-start", "2025-03-03", "--contract-type", "cdi")
    trial = document["deliverables"][0]
    assert (trial["code"], trial["due"]) == ("trial_review", "2025-05-02")  # 2 months - 1 day
    assert "L1221-19" in trial["note"]


def test_readable_french_table():
    text = run(*GOLDEN)
    assert "Livrables et échéances" in text
    assert "Synthèse du suivi" in text and "02/07/2025" in text
    assert "12 heures" in text
    assert not any(line != line.rstrip() for line in text.splitlines())


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (["--trial-end", "2025-03-01"], "précède le début du contrat"),
        (["--rupture", "2025-03-01T09:00"], "précéder l'embauche"),
        (["--contract-type", "CDX"], "Type de contrat inconnu"),
        (["--contract-start", "2025-02-30"], "n'est pas une date valide"),
        (["--contract-end", "02/09/2025"], "n'est pas une date valide"),
        (["--rupture", "2025-06-10"], "indiquez aussi l'heure"),
        (["--rupture", "2025-06-10T25:00"], "n'est pas une date et heure valide"),
        (["--format", "xml"], "choisissez table ou json"),
    ],
)
def test_bad_input_is_a_french_command_error_with_exit_code_2(arguments, fragment):
    # The later occurrence of an option overrides the golden one.
    with pytest.raises(CommandError, match=fragment) as raised:
        run(*GOLDEN, *arguments)
    assert raised.value.returncode == 2


def test_missing_required_options_are_reported_in_french():
    with pytest.raises(CommandError, match="--contract-start est obligatoire") as raised:
        run("--contract-type", "CDD")
    assert raised.value.returncode == 2
    with pytest.raises(CommandError, match="--contract-type est obligatoire"):
        run("--contract-start", "2025-03-03")


def test_command_line_exits_with_status_2_and_a_french_message():
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [sys.executable, str(root / "manage.py"), "support_plan", *GOLDEN, "--trial-end",
         "2025-03-01"],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )  # fmt: skip
    assert completed.returncode == 2
    assert "précède le début du contrat" in completed.stderr
