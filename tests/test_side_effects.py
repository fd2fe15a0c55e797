"""One way to carry side effects (docs/decisions.md, "One path for side effects"): a change
that touches other facts goes through a function of its app's ``services.py``; no business
effect hides in ``save()``, ``delete()`` or a model signal. These tests keep it so.

Allowed, and why:
- the audit trail's signals (``tremplin/accounts/audit.py``): infrastructure, recording every
  write of the registered models whoever makes it, not a business effect;
- the conventions' signals that move on the generation of the agent's kept readings
  (``tremplin/conventions/apps.py``, ``web.kept``), and the professional support's that move
  on a team's, for its coordinator (``tremplin/professional/team_facts.py``), and the
  registry's for the kept count of the people a user sees (``tremplin/registry/counts.py``):
  a cache's invalidation, no fact written;
- ``save()`` overrides that only fill a column of the row itself (a search key, a default
  date) and the audit log refusing changes (append-only).
"""

import ast
from pathlib import Path

from tremplin.web import hooks

PACKAGE = Path(__file__).resolve().parent.parent / "tremplin"

MODEL_SIGNALS = {"pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed", "post_init"}
# The audit trail, and the invalidation of kept copies (``web.kept``): infrastructure.
SIGNALS_ALLOWED = {
    "accounts/audit.py",
    "conventions/apps.py",
    "professional/team_facts.py",
    "registry/counts.py",
}

# (module, class) whose save()/delete() is allowed, with what it does.
OVERRIDES_ALLOWED = {
    ("registry/models.py", "Beneficiary", "save"): "its search key",
    ("registry/models.py", "Employer", "save"): "its search key",
    ("conventions/models.py", "Convention", "save"): "its search key",
    ("companies/models.py", "JobOffer", "save"): "its search key",
    ("support/models.py", "SupportEpisode", "save"): "its start date defaults to the hire's",
    ("accounts/models.py", "AuditEntry", "save"): "refuses changes (append-only)",
    ("accounts/models.py", "AuditEntry", "delete"): "refuses deletions (append-only)",
    ("accounts/models.py", "AuditEntryQuerySet", "delete"): "refuses deletions (append-only)",
}


def python_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, path.relative_to(PACKAGE).as_posix()


def test_no_model_signal_carries_a_business_effect():
    found = []
    for path, name in python_files():
        if name in SIGNALS_ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("signals"):
                names = {alias.name for alias in node.names} & MODEL_SIGNALS
                if names and (node.module or "").startswith("django.db"):
                    found.append(f"{name}:{node.lineno} imports {', '.join(sorted(names))}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in MODEL_SIGNALS
                and ast.unparse(node.value).endswith("signals")
            ):
                found.append(f"{name}:{node.lineno} uses {ast.unparse(node)}")
    assert not found, "A model signal outside the audit trail:\n" + "\n".join(found)


def test_save_and_delete_are_overridden_only_for_the_row_itself():
    found = []
    for path, name in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
            bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in cls.bases}
            if not any(base in ("Model", "QuerySet", "Acknowledgement") for base in bases):
                continue  # a form's save() writes its own row (its page's tests check it)
            for method in cls.body:
                if (
                    isinstance(method, ast.FunctionDef)
                    and method.name in ("save", "delete")
                    and (name, cls.name, method.name) not in OVERRIDES_ALLOWED
                ):
                    found.append(f"{name}: {cls.name}.{method.name}()")
    assert not found, "save()/delete() overridden with a possible side effect:\n" + "\n".join(found)


def test_every_app_changing_several_facts_has_its_services_module():
    for app in (
        "accounts",
        "conventions",
        "support",
        "professional",
        "progress",
        "companies",
        "invitations",
    ):
        assert (PACKAGE / app / "services.py").exists(), app
    assert (PACKAGE / "outcomes" / "services.py").exists()


def test_the_hooks_listeners_are_the_documented_ones():
    # Registered by the apps' ready(); docs/decisions.md and web/hooks.py list them.
    assert hooks.listeners(hooks.RUPTURE_CHANGED) == ["support.deadlines", "outcomes.exits"]
    assert hooks.listeners(hooks.EPISODE_CHANGED) == ["professional.cadence", "outcomes.exits"]
    assert hooks.listeners(hooks.MEETING_CHANGED) == ["professional.cadence"]
    assert hooks.listeners(hooks.DEADLINES_CHANGED) == ["outcomes.facts"]
