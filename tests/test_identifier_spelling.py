"""Identifiers are English: the code spells « département » ``department``. The French
spelling ``departement`` stays only where it is a contract or stored data: the published JSON
keys, the database's column and constraint names, the audit log's keys (``CONTRACT_NAMES``),
and the stored value ``"departement"`` of a choice. French text writes « département »."""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tremplin"

FRENCH = re.compile("departement", re.IGNORECASE)
# A word of a string that names something in code (a field, a lookup, a key): it has a "_".
NAME_IN_TEXT = re.compile(r"\w*departement\w*", re.IGNORECASE)
CONTRACT_NAMES = frozenset(
    {
        "prescribed_for_departement",
        "departement_rate_percent",
        "departement_funds_alone",
        "convention_departement_rate_at_most_100",
    }
)
TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def identifiers(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node, node.id
        elif isinstance(node, ast.Attribute):
            yield node, node.attr
        elif isinstance(node, ast.arg | ast.keyword) and node.arg:  # not ``**kwargs``
            yield node, node.arg
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield node, node.name
        elif isinstance(node, ast.alias):
            yield node, node.name
            if node.asname:
                yield node, node.asname
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for word in NAME_IN_TEXT.findall(node.value):
                if "_" in word and word not in CONTRACT_NAMES:
                    yield node, word


def french_spellings() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = sorted((node.lineno, name) for node, name in identifiers(tree))
        for line, name in names:
            if FRENCH.search(name):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name}")
    for path in sorted(PACKAGE.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for tag in TEMPLATE_TAG.finditer(text):
            if FRENCH.search(tag.group()):
                line = text.count("\n", 0, tag.start()) + 1
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {tag.group()}")
    return found


def test_the_code_spells_department_in_english():
    assert french_spellings() == []


def test_the_check_sees_the_french_spelling(tmp_path, monkeypatch):
    package = tmp_path / "tremplin"
    (package / "templates").mkdir(parents=True)
    (package / "models.py").write_text(
        "from x import departements as all_of_them\n"
        "class Departement:\n"
        "    DEPARTEMENT = 'departement'  # a stored value: allowed\n"
        "    key = 'departement_rate_percent'  # a published key: allowed\n"
        "    help = 'Le département, en français'  # French text: allowed\n"
        "def f(departement_code, *, rate):\n"
        "    return g(prescribed_for_departement=1).departement_funds_alone\n"
        "label = f'{row.departement}'\n"
        "rows = qs.values('departement_rate_percent__gt')\n"
    )
    (package / "migrations").mkdir()
    (package / "migrations" / "0001_initial.py").write_text("departement_rate_percent = 1\n")
    (package / "templates" / "page.html").write_text(
        "<p>Le département</p>\n{% if c.departement_funds_alone %}oui{% endif %}\n"
    )
    monkeypatch.setattr(f"{__name__}.PACKAGE", package)
    assert french_spellings() == [
        "tremplin/models.py:1: departements",
        "tremplin/models.py:2: Departement",
        "tremplin/models.py:3: DEPARTEMENT",
        "tremplin/models.py:6: departement_code",
        "tremplin/models.py:7: departement_funds_alone",
        "tremplin/models.py:7: prescribed_for_departement",
        "tremplin/models.py:8: departement",
        "tremplin/models.py:9: departement_rate_percent__gt",
        "tremplin/templates/page.html:2: {% if c.departement_funds_alone %}",
    ]
