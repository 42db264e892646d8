"""Every notebook section a docstring of lectureutils names exists (CONTRIBUTING.md: "every public function's
docstring names the notebook and section that teaches it").

A section reference is a ``§K`` in a module, class or function docstring; its notebook is the nearest notebook
named before it in the same docstring (``05_document_classification``, ``notebooks/06_question_answering.ipynb``,
``notebook 04``, ``(05 §12``, ``(10, §4``), else the module docstring's. The notebook must exist
(``notebooks/NN_*.ipynb``, with that name when one is given) and hold a markdown heading ``## K.`` or ``## K ``.
Where the docstring also gives the section's title (``§3 "Max Sum Similarity"``, ``(§12 A web service for the
classifier)``), every word of it must be in that heading: a section renumbered or renamed is caught too.
"""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lectureutils"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "static" not in p.relative_to(PACKAGE).parts)

NOTEBOOK = re.compile(
    r"(?:\bnotebooks/|(?<![\w/]))(?P<name>(?P<number>\d\d)_[a-z][a-z0-9_]*)"  # (notebooks/)05_document_classification
    # (not checkpoints/11_kogpt2_nsmc)
    r"|\bnotebooks?\s+(?P<said>\d\d)\b"  # notebook 04, notebooks 05
    r"|(?<![\w.§])(?P<bare>\d\d),?\s*§"  # (05 §12, (10, §4
)
# §K, with the title that may follow: quoted (§3 "Max Sum", §6 ("Evaluation", §1, "The data") or, alone in
# parentheses, plain ((§12 A web service for the classifier)).
SECTION = re.compile(r'(?P<paren>\()?§\s?(?P<number>\d+)'
                     r'(?:[,:]?\s*\(?"(?P<quoted>[^"\n]+)"|(?(paren)\s+(?P<plain>[A-Z][^()§,;"\n]*)\)))?')
HEADING = re.compile(r"^##\s+(\d+)[.\s]\s*(.*)")


@cache
def notebook_sections(number: str) -> tuple[str, dict[str, str]] | None:
    """(file stem, section number -> heading title) of notebooks/<number>_*.ipynb, or None when there is none."""
    found = sorted((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    if not found:
        return None
    sections = {}
    for cell in json.loads(found[0].read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            sections.update(m.groups() for line in source.splitlines() if (m := HEADING.match(line)))
    return found[0].stem, sections


def words(title: str) -> set[str]:
    return set(re.findall(r"[\w'-]+", title.lower().replace("`", "")))


def docstrings(tree: ast.Module):
    """(line, text) of the module's docstring and of every class and function docstring in it."""
    for node in [tree, *ast.walk(tree)]:
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            text = ast.get_docstring(node, clean=False)
            if text:
                yield (node.body[0].lineno if isinstance(node, ast.Module) else node.lineno), text


def mentions(text: str) -> list[tuple[int, str, str | None]]:
    """(offset, notebook number, notebook name or None) of every notebook named in ``text``."""
    found = []
    for match in NOTEBOOK.finditer(text):
        number = match.group("number") or match.group("said") or match.group("bare")
        found.append((match.start(), number, match.group("name")))
    return found


def wrong_references(path: Path) -> list[str]:
    """Each section reference of ``path``'s docstrings that names no existing notebook section, explained."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_doc = ast.get_docstring(tree, clean=False) or ""
    module_default = mentions(module_doc)[0][1:] if mentions(module_doc) else None
    problems = []
    for line, text in docstrings(tree):
        named = mentions(text)
        for match in SECTION.finditer(text):
            before = [m for m in named if m[0] < match.start()]
            number, name = before[-1][1:] if before else (module_default or (None, None))
            where = f"{path.relative_to(ROOT)}:{line + text[:match.start()].count(chr(10))}"
            said = text[max(0, match.start() - 30):match.end()].replace("\n", " ").strip()
            if number is None:
                problems.append(f"{where}: {said!r} names no notebook")
                continue
            sections = notebook_sections(number)
            if sections is None:
                problems.append(f"{where}: {said!r}: there is no notebooks/{number}_*.ipynb")
                continue
            stem, numbers = sections
            if name is not None and name != stem:
                problems.append(f"{where}: {said!r}: the notebook is {stem}, not {name}")
            section, title = match.group("number"), match.group("quoted") or match.group("plain")
            if section not in numbers:
                problems.append(f"{where}: {said!r}: {stem} has no section {section} "
                                f"(its sections: {', '.join(sorted(numbers, key=int))})")
            elif title and not words(title) <= words(numbers[section]):
                problems.append(f"{where}: {said!r}: {stem} §{section} is {numbers[section]!r}"
                                + "".join(f", §{k} is {t!r}" for k, t in numbers.items() if words(title) <= words(t)))
    return problems


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_section_a_docstring_names_exists(path):
    problems = wrong_references(path)
    assert not problems, "\n".join(problems)


def test_the_references_are_found():
    """The test would pass vacuously if the patterns stopped matching: the package has such references."""
    references = sum(len(list(SECTION.finditer(text))) for path in MODULES
                     for _, text in docstrings(ast.parse(path.read_text(encoding="utf-8"))))
    assert references > 20
    stem, sections = notebook_sections("05")
    assert stem == "05_document_classification" and sections["12"].startswith("A web service")
    titles = [m.group("quoted") or m.group("plain") for m in SECTION.finditer(
        '(05 §12) §3 "Max Sum" §6 ("Evaluation") §1, "The data" (§12 A web service for it) (§1 GPT-2, §7 x)')]
    assert titles == [None, "Max Sum", "Evaluation", "The data", "A web service for it", None, None]
