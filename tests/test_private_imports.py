"""No module of an app imports a private name (``_name``) of another app: what apps share
is public, and what every app needs lives in the ground layer (``tremplin.web``)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tremplin"


def module_of(path: Path) -> list[str]:
    parts = ["tremplin", *path.relative_to(PACKAGE).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_module(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module_of(path)
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def app_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def private_imports_across_apps() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        app = app_of(".".join(module_of(path)))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = imported_module(path, node)
            if not source.startswith("tremplin.") or app_of(source) == app:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(PACKAGE.parent)}: {source}.{alias.name}")
    return found


def test_no_app_imports_another_apps_private_names():
    assert private_imports_across_apps() == []


def test_the_check_sees_a_private_import(tmp_path, monkeypatch):
    app = tmp_path / "tremplin" / "outcomes"
    app.mkdir(parents=True)
    (app / "views.py").write_text("from tremplin.support.views.my_day import _secret\n")
    (app / "forms.py").write_text("from .checks import _own_helper\n")  # same app: allowed
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "tremplin")
    assert private_imports_across_apps() == [
        "tremplin/outcomes/views.py: tremplin.support.views.my_day._secret"
    ]
