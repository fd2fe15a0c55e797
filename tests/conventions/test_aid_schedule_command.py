"""``tremplin aid-schedule``: the simulator's command line and its JSON contract."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

EXAMPLE = ["--rate", "47", "--hours", "26", "--start", "2025-03-15", "--end", "2025-09-14"]


# The command reads the SMIC the département entered (layered over the shipped series).
pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("aid_schedule", *args, stdout=out)
    return out.getvalue()


def test_json_contract_of_the_issue_example():
    data = json.loads(run(*EXAMPLE, "--suspension", "2025-05-01:2025-05-10", "--format", "json"))
    assert set(data) >= {"months", "total"}
    first = data["months"][0]
    # The issue's own example row; 344,98 € = 629,0856 × 17 / 31 (see tests/rules/test_aid.py).
    assert {
        k: first[k]
        for k in ("month", "days_covered", "days_in_month", "smic_hourly", "rate", "hours")
    } == {
        "month": "2025-03",
        "days_covered": 17,
        "days_in_month": 31,
        "smic_hourly": "11.88",
        "rate": "47",
        "hours": "26",
    }
    assert first["amount"] == "344.98"
    assert [m["month"] for m in data["months"]] == [f"2025-0{n}" for n in range(3, 10)]
    may = data["months"][2]
    # 21 days of 31 after the 10-day unpaid suspension: 629,0856 × 21 / 31 → 426,15 €.
    assert (may["days_covered"], may["amount"]) == (21, "426.15")
    # 344,98 + 629,09 + 426,15 + 3 × 629,09 + 293,57 = 3 581,06 €
    assert data["total"] == "3581.06"
    assert all(isinstance(m["amount"], str) for m in data["months"])


def test_readable_french_table_by_default():
    text = run(*EXAMPLE)
    assert "mars 2025" in text and "17/31" in text
    assert "3\u202f784,00 €" in text  # 344,98 + 5 × 629,09 + 293,57 = 3 784,00 €
    assert "Total" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--end", "2025-03-14"], "précède"),
        (["--rate", "48"], "E6"),
        (["--hours", "19"], "entre 20 et 35"),
        (["--hours", "36"], "entre 20 et 35"),
        (["--start", "2025-02-30"], "AAAA-MM-JJ"),
        (["--rate", "abc"], "n'est pas un nombre"),
        (["--suspension", "2025-05-01"], "DÉBUT:FIN"),
        (["--suspension", "2025-05-10:2025-05-01"], "précède"),
        (["--suspension", "2025-09-10:2025-09-20"], "sort de la période"),
        (["--start", "2009-03-15", "--end", "2009-09-14"], "avant le 01/01/2010"),
    ],
)
def test_bad_input_is_a_french_error_with_exit_code_2(args, message):
    arguments = dict(zip(EXAMPLE[::2], EXAMPLE[1::2], strict=True))
    extra = []
    for option, value in zip(args[::2], args[1::2], strict=True):
        if option in arguments:
            arguments[option] = value
        else:
            extra += [option, value]
    with pytest.raises(CommandError, match=message) as error:
        run(*[item for pair in arguments.items() for item in pair], *extra)
    assert error.value.returncode == 2


def test_console_script_exit_code_and_stderr():
    # The real command line, as a user types it: French message on stderr, exit status 2.
    script = Path(sys.executable).with_name("tremplin")
    if not script.exists():
        pytest.skip("the tremplin console script is not installed in this environment")
    result = subprocess.run(
        [str(script), "aid-schedule", *EXAMPLE[:1], "48", *EXAMPLE[2:]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "règle E6" in result.stderr
    assert result.stdout == ""
