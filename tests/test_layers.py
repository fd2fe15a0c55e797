"""The layers of pyproject.toml's import contracts hold, and `make lint` would catch a breach.

import-linter reads the code, not the running process: the breaches are written into a copy
of the package in a temporary folder, put first on the path of a separate process.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree_copy(tmp_path):
    shutil.copytree(
        ROOT / "tremplin", tmp_path / "tremplin", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_django_import_in_the_rules_breaks_the_lint(tree_copy):
    module = tree_copy / "tremplin" / "rules" / "calendar.py"
    module.write_text("import django.utils.timezone  # noqa\n" + module.read_text())
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "tremplin.rules.calendar -> django" in result.stdout


def test_an_upward_import_breaks_the_lint(tree_copy):
    # The registry sits below the supports: it may not know them.
    module = tree_copy / "tremplin" / "registry" / "forms.py"
    module.write_text("import tremplin.support.models  # noqa\n" + module.read_text())
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "tremplin.registry is not allowed to import tremplin.support" in result.stdout
