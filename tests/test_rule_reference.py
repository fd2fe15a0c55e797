"""The rules' reference in docs/ follows the code.

- every rule code the code and the tests cite (« règle C8 », ``# rule A14``, ``rule="P9"``)
  is defined in ``docs/rules/`` (one ``### C8 — …`` entry per rule);
- every path a page of ``docs/`` names (``tremplin/rules/aid.py::decide_rate``,
  ``tests/rules/test_aid.py``) exists, and so does every ``::name`` in it, so that the
  reference moves with the modules;
- no tracked file contains a path of a build machine.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
RULES = DOCS / "rules"
THIS_FILE = Path(__file__).resolve()

# --- Finding the citations of rule codes ------------------------------------------------------

# A rule code: a family letter and a number (A1…A14, C1…C13, E1…E12, F1…F15, P1…P10; the
# pattern allows 1–15 so that a code the reference lacks is still found and reported).
CODE = r"[ACEFP](?:1[0-5]|[1-9])(?![\w])"
# A4's sub-cases: "A4 b", "A4 (b)".
SUB = r"(?:\s?\(?[a-e]\)?(?![\w]))?"
SEPARATOR = r"(?:\s*[,/;–—-]\s*|\s+(?:et|and|or|ou|to|à)\s+|\s*…\s*)"
CODE_LIST = re.compile(rf"(?<![\w#.-])({CODE}{SUB}(?:{SEPARATOR}{CODE}{SUB})*)")
CODE_IN_LIST = re.compile(CODE)
# What may come just before a code that cites a rule: "règle", "rules", "citing", an opening
# parenthesis, a comment's #, a docstring, a quote (``rule="P9"``), a table cell, "; ".
BEFORE = re.compile(
    r"(?:\b(?:[Rr][èe]gles?|[Rr]ules?|RULES?|citing|cites?|cit[ée]e?s?|citant|under|sous|the|of"
    r"|serves|pour|selon|sortie)\s*(?:\(|:)?\s*|[(\[#]\s*|\"\"\"|[\"'«]\s?|<td>|;\s)$"
)
# What may come just after: a closing parenthesis, a colon, a quote, the end of the line, a
# parenthesis that explains, a verb of citation.
AFTER = re.compile(r"^(?:\s*[)\]:\"'»]|</td>|\s\(|\s;|\s*[;.]?\s*$|\s(?:says|lists|gives)\b)")
# A quoted code followed by prose is a quoted word, not a rule ("A9" no domaine: a ROME
# prefix); followed by an operator or punctuation it is a value (rule="P9", "P5" in ...).
QUOTED_WORD = re.compile(r"^[\"']\s+(?!(?:in|and|or|if|else|not|is|for)\b)[a-zà-ÿ]")
# "A4" as a paper size (CSS of the PDFs, a test measuring a page) is not rule A4.
PAPER = re.compile(
    r"(?:size:\s*|points,\s*|format\s+|paper\s+|papier\s+)A4\b|\bA4\s+(?:paper|page|sheet|papier)\b"
)
SUB_CASE = re.compile(r"\d\s?\(?[a-e]\)?$")


def citations_in_line(line: str) -> list[str]:
    """The rule codes a line cites, in order (a list "A11–A14" gives its two ends)."""
    line = PAPER.sub(lambda m: " " * len(m.group(0)), line)
    found = []
    for match in CODE_LIST.finditer(line):
        text = match.group(1)
        codes = CODE_IN_LIST.findall(text)
        before, after = line[: match.start(1)], line[match.end(1) :]
        quoted_before = re.search(r"[\"']$", before)
        if quoted_before and len(codes) == 1 and QUOTED_WORD.match(after):
            continue
        if (
            len(codes) > 1
            or SUB_CASE.search(text)
            or BEFORE.search(before[-40:])
            or AFTER.match(after)
        ):
            found.extend(codes)
    return found


def cited_sources() -> Iterator[Path]:
    """The files whose rule citations the reference must define."""
    patterns = [
        (REPO / "tremplin", "*.py"),
        (REPO / "tremplin", "*.html"),
        (REPO / "tremplin" / "rules" / "data", "*"),
        (REPO / "tests", "*.py"),
    ]
    seen = set()
    for root, pattern in patterns:
        for path in sorted(root.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts and path not in seen:
                seen.add(path)
                if path.resolve() != THIS_FILE:
                    yield path


def all_citations() -> list[tuple[str, int, str]]:
    """(file relative to the repository, line number, code) of every citation."""
    citations = []
    for path in cited_sources():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for code in citations_in_line(line):
                citations.append((path.relative_to(REPO).as_posix(), number, code))
    return citations


# --- Reading the reference ---------------------------------------------------------------------

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
RULE_HEADING = re.compile(rf"^###\s+({CODE})\s+—\s+\S")
FENCE = re.compile(r"^\s*(```|~~~)")
FIELDS = ("- Seed:", "- Implemented:", "- Tested:")


def _lines_outside_fences(path: Path) -> Iterator[tuple[int, str]]:
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def rule_entries() -> dict[str, tuple[str, int, str]]:
    """Per defined code: (file, line of its heading, text of its entry)."""
    entries: dict[str, tuple[str, int, str]] = {}
    duplicates = []
    for path in sorted(RULES.glob("*.md")):
        if path.name == "README.md":
            continue
        current = None
        for number, line in _lines_outside_fences(path):
            heading = HEADING.match(line)
            if heading:
                rule = RULE_HEADING.match(line)
                if rule:
                    code = rule.group(1)
                    if code in entries:
                        duplicates.append(f"{path.name}:{number}: {code} is defined twice")
                    current = code
                    entries[code] = (path.relative_to(REPO).as_posix(), number, "")
                else:
                    current = None
                continue
            if current is not None:
                file, start, text = entries[current]
                entries[current] = (file, start, text + line + "\n")
    assert not duplicates, "\n".join(duplicates)
    return entries


PATH_SPAN = re.compile(r"`([^`]+)`")
REPO_PATH = re.compile(r"^(?:tremplin|tests|bench|docs)/[\w./*-]*(?:::[\w.]+)?$")


def named_paths() -> list[tuple[str, int, str]]:
    """(doc file, line, `path[::name]`) of every repository path the docs name."""
    named = []
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in PATH_SPAN.finditer(text):
            span = match.group(1)
            line = text.count("\n", 0, match.start()) + 1
            cut = "\n" in span and re.match(r"(?:tremplin|tests|bench|docs)/", span.strip())
            if cut or REPO_PATH.match(span):
                named.append((path.relative_to(REPO).as_posix(), line, span))
    return named


def _defines(source: str, name: str) -> bool:
    """Whether a Python module defines ``name`` (def, class, assignment, field)."""
    pattern = rf"^\s*(?:async\s+def|def|class)\s+{re.escape(name)}\b|^\s*{re.escape(name)}\s*(?::[^=\n]*)?="
    return re.search(pattern, source, re.MULTILINE) is not None


def path_problem(span: str) -> str | None:
    if "\n" in span:
        return "a path cut across two lines (keep it on one line)"
    relative, _, names = span.partition("::")
    if any(ch in relative for ch in "*?["):
        if not list(REPO.glob(relative)):
            return "matches no file"
        return None
    target = REPO / relative
    if not target.exists():
        return "does not exist"
    if names:
        if target.suffix != ".py":
            return "names a member (::) of a file that is not a Python module"
        source = target.read_text(encoding="utf-8")
        missing = [part for part in names.split(".") if not _defines(source, part)]
        if missing:
            return f"defines no {', '.join(missing)}"
    return None


# --- The tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        ("    # rule C12: the tutor follows three employees at most", ["C12"]),
        ('            "Bloquant — règle C8"', ["C8"]),
        ("    # Rules A11–A14: the deliverables", ["A11", "A14"]),
        (
            '"""The aid month by month (rules E6, F5, F6, F10, F12)."""',
            ["E6", "F5", "F6", "F10", "F12"],
        ),
        ('    assert output["rule"] == "A4 b"', ["A4"]),
        ('        rule="P9",', ["P9"]),
        ("<h2>Offres ouvertes qui correspondent (P7)</h2>", ["P7"]),
        ("  # 48 hours later, A14", ["A14"]),
        ("  @page { size: A4; margin: 2cm; }", []),
        ("    # The appended letter is the last page, blank (595 x 842 points, A4).", []),
        ('    rome_code = "K2204"  # nettoyage de locaux', []),
        ("  color: #E6E6E6; background: #A1B2C3;", []),
        ('    naf_code = "88.99C"', []),
        ("    # cerfa n° 14818*01, Tableau 2 code 41", []),
        ('    # "Z" is no grand domaine and "A9" no domaine: a prefix', []),
        ("    sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'", []),
    ],
)
def test_the_collector_finds_rule_citations_and_nothing_else(line, codes):
    assert citations_in_line(line) == codes


def test_the_code_cites_rules_the_reference_defines():
    citations = all_citations()
    # The collector must see the code's citations at all (a broken pattern finds nothing).
    assert len({code for _, _, code in citations}) > 30
    defined = rule_entries()
    undefined = [
        f"{file}:{line}: cites rule {code}, which docs/rules/ does not define"
        for file, line, code in citations
        if code not in defined
    ]
    assert not undefined, "\n".join(undefined)


def test_every_rule_of_the_reference_has_its_seed_implementation_and_tests():
    entries = rule_entries()
    assert entries, "docs/rules/ defines no rule"
    incomplete = [
        f"{file}:{line}: {code} lacks {', '.join(f for f in FIELDS if f not in text)}"
        for code, (file, line, text) in sorted(entries.items())
        if any(field not in text for field in FIELDS)
    ]
    assert not incomplete, "\n".join(incomplete)


def test_every_path_the_docs_name_exists():
    named = named_paths()
    assert named, "docs/ names no path of the repository"
    problems = [
        f"{file}:{line}: `{span}` {problem}"
        for file, line, span in named
        if (problem := path_problem(span))
    ]
    assert not problems, "\n".join(problems)


LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


def test_the_links_between_the_docs_resolve():
    broken = []
    for page in [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for match in LINK.finditer(text):
            target = match.group(1)
            if re.match(r"[a-z]+:", target):
                continue  # an address outside the repository
            if not (page.parent / target).exists():
                line = text.count("\n", 0, match.start()) + 1
                broken.append(f"{page.relative_to(REPO).as_posix()}:{line}: {target}")
    assert not broken, "broken links:\n" + "\n".join(broken)


def _tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.fail("git ls-files failed: the tracked files cannot be listed")
    return [REPO / name for name in listed.decode().split("\0") if name]


MACHINE_PATH = re.compile(rb"/(?:work|farm)/")


def test_no_tracked_file_contains_a_path_of_a_build_machine():
    found = []
    for path in _tracked_files():
        if path.resolve() == THIS_FILE or not path.is_file():
            continue
        for number, line in enumerate(path.read_bytes().splitlines(), start=1):
            if MACHINE_PATH.search(line):
                found.append(f"{path.relative_to(REPO).as_posix()}:{number}")
    assert not found, "paths of a build machine in: " + ", ".join(found)
