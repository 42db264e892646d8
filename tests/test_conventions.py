"""The house rules of CONTRIBUTING.md ("A notebook, cell by cell", "lectureutils"), checked on the source
(no module is imported).

- every module of lectureutils has ``__all__``;
- every public function (named in ``__all__``) has a docstring that names the notebook teaching it
  (a number such as ``05`` in a recognisable form, a notebook file name, or "every notebook");
- no module is longer than MAX_LINES;
- only lectureutils/env.py reads the LECTUREUTILS_* environment variables;
- every notebook follows the skeleton: title ``# NN · ``, Colab badge, "What you will learn", run time,
  a Setup cell calling ``lectureutils.setup(`` whose Colab install asks for ``peft>=0.18``, a Parameters section, numbered sections ``## N.`` each
  with a check cell (``#@title Check: `` and an ``assert``) before the next numbered section, a ``## Summary``.

Exceptions are listed below, each with its reason; nothing else is excused.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lectureutils"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "static" not in p.relative_to(PACKAGE).parts)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_LINES = 300

# ---- exceptions (path relative to lectureutils/ -> reason) -------------------------------------------
MODULES_WITHOUT_ALL: dict[str, str] = {
    "__main__.py": "a command-line entry point, nothing to import",
    **{f"exercise_checks/nb{number:02d}.py": "registers its notebook's checkers with @checker, nothing to import"
       for number in range(13)},
}
LONG_MODULES: dict[str, str] = {}
SELF_CHECK = "the self-check machinery behind every notebook's Exercises section, taught by none"
SOLVE_MODE = "make solutions and make test's solve mode, not a lesson"
FUNCTIONS_WITHOUT_NOTEBOOK: dict[str, str] = {  # "module.py:function" -> reason
    **{f"exercise_checks/_common.py:{name}": SELF_CHECK
       for name in ("checker", "whole_number", "number", "function_hint", "compare", "judgement")},
    **{f"exercises.py:{name}": SELF_CHECK for name in ("is_placeholder", "results", "statuses", "reset")},
    **{f"exercises.py:{name}": SOLVE_MODE
       for name in ("solved", "solutions_file", "solution_blocks", "answer_name", "exercise_ids", "solve", "main")},
    "i18n.py:N_": "marks a module constant for translation where it is shown; used by the package, not a lesson",
}
ENV_READERS: dict[str, str] = {
    "env.py": "the one owner of the environment",
}
SECTIONS_WITHOUT_CHECK: dict[str, str] = {}  # "NN:section number" -> reason

# A notebook reference: "05_document_classification", "notebook 05", "notebooks 05, 06", "(05, §2)",
# "(05 §1" / "05 §1", "(01, ...)", "(setup, every notebook)".
NOTEBOOK_REF = re.compile(
    r"\b(0\d|1[0-2])_[a-z][a-z_]*"
    r"|\bnotebooks?\s+(0\d|1[0-2])\b"
    r"|[(\s](0\d|1[0-2])(,|\s?§|\))"
    r"|\bevery notebook\b"
)
ENV_VAR = re.compile(r"^LECTUREUTILS_[A-Z0-9_]+$")


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def exported_names(tree: ast.Module) -> set[str] | None:
    """Names listed in ``__all__`` (string literals in any assignment to it), or None without ``__all__``."""
    names, found = set(), False
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets, value = [node.target], node.value
        if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
            found = True
            if value is not None:
                names |= {n.value for n in ast.walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return names if found else None


@pytest.mark.parametrize("path", MODULES, ids=relative)
def test_every_module_has_all(path):
    if relative(path) in MODULES_WITHOUT_ALL or path.name in MODULES_WITHOUT_ALL:
        return
    assert exported_names(parse(path)) is not None, f"lectureutils/{relative(path)} has no __all__"


@pytest.mark.parametrize("path", MODULES, ids=relative)
def test_public_functions_name_their_notebook(path):
    tree = parse(path)
    public = exported_names(tree) or set()
    missing = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in public:
            key = f"{relative(path)}:{node.name}"
            docstring = ast.get_docstring(node) or ""
            if key not in FUNCTIONS_WITHOUT_NOTEBOOK and not NOTEBOOK_REF.search(docstring):
                missing.append(node.name)
    assert not missing, (
        f"lectureutils/{relative(path)}: the docstrings of {missing} do not name the notebook that teaches them "
        "(e.g. '(09_sentence_pair_classification, §2)')"
    )


@pytest.mark.parametrize("path", MODULES, ids=relative)
def test_modules_are_short(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if relative(path) in LONG_MODULES:
        return
    assert lines <= MAX_LINES, f"lectureutils/{relative(path)} has {lines} lines (at most {MAX_LINES}): split it"


@pytest.mark.parametrize("path", MODULES, ids=relative)
def test_only_env_reads_the_environment_variables(path):
    if relative(path) in ENV_READERS:
        return
    names = sorted({
        node.value for node in ast.walk(parse(path))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and ENV_VAR.match(node.value)
    })
    assert not names, f"lectureutils/{relative(path)} reads {names}: ask lectureutils.env (or take an argument)"


def test_the_exceptions_name_existing_things():
    paths = {relative(p) for p in MODULES} | {p.name for p in MODULES}
    for table in (MODULES_WITHOUT_ALL, LONG_MODULES, ENV_READERS):
        for key, reason in table.items():
            assert key in paths and reason.strip(), key
    for key, reason in FUNCTIONS_WITHOUT_NOTEBOOK.items():
        assert key.split(":")[0] in paths and reason.strip(), key


def test_the_notebook_reference_pattern():
    for good in ["(09_sentence_pair_classification, §2)", "notebook 05", "(05 §1, 06 §1)", "(01, Setup)",
                 "Taught in notebooks 05, 06.", "(setup, every notebook)", "see 07 §3"]:
        assert NOTEBOOK_REF.search(good), good
    for bad in ["Return the sum.", "uses 512 tokens", "version 1.0", "at 05:30", "top 10 results"]:
        assert not NOTEBOOK_REF.search(bad), bad


# ---- notebooks ------------------------------------------------------------------------------------------

def cells(path: Path) -> list[tuple[str, str]]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [(cell["cell_type"], "".join(cell["source"])) for cell in notebook["cells"]]


def skeleton_problems(path: Path) -> list[str]:
    number = path.name[:2]
    content = cells(path)
    problems = []
    kind, title = content[0]
    if not (kind == "markdown" and title.startswith(f"# {number} · ")):
        problems.append(f"the first cell must be the title '# {number} · ...'")
    if not re.search(rf"colab-badge\.svg\)\]\(https://colab\.research\.google\.com/github/\S+/{re.escape(path.name)}\)", title):
        problems.append("no Open-in-Colab badge linking to this file in the title cell")
    if "What you will learn" not in title:
        problems.append("no 'What you will learn' in the title cell")
    if not re.search(r"\bRun time\b", title, re.IGNORECASE):
        problems.append("no run time in the title cell")

    headings = [(i, line) for i, (kind, text) in enumerate(content) if kind == "markdown"
                for line in text.splitlines() if line.startswith("#")]

    def first(prefix: str) -> int | None:
        return next((i for i, line in headings if line.startswith(prefix)), None)

    setup = first("## Setup")
    if setup is None:
        problems.append("no '## Setup' section")
    elif not any(kind == "code" and "lectureutils.setup(" in text for kind, text in content[setup:setup + 3]):
        problems.append("the Setup section has no code cell calling lectureutils.setup(")
    else:
        from lectureutils.session import MIN_PEFT

        cell = next(text for kind, text in content[setup:setup + 3] if kind == "code" and "lectureutils.setup(" in text)
        install = next((line for line in cell.splitlines() if "pip install" in line), "")
        if f'"peft>={MIN_PEFT}"' not in install:
            problems.append(f'the Colab install line does not ask for "peft>={MIN_PEFT}" (Colab\'s older peft breaks '
                            "transformers v5, issue 19.2)")
    parameters = first("## Parameters")
    if parameters is None:
        problems.append("no '## Parameters' section")
    elif not any(kind == "code" for kind, _ in content[parameters:parameters + 3]):
        problems.append("the Parameters section has no code cell")
    summary = first("## Summary")
    if summary is None:
        problems.append("no '## Summary' section")

    numbered = [(i, int(m.group(1)), line) for i, line in headings if (m := re.match(r"## (\d+)\. ", line))]
    if [n for _, n, _ in numbered] != list(range(1, len(numbered) + 1)):
        problems.append(f"numbered sections are not 1, 2, 3...: {[n for _, n, _ in numbered]}")
    ends = [i for i, _, _ in numbered[1:]] + [summary if summary is not None else len(content)]
    for (start, n, line), end in zip(numbered, ends):
        if f"{number}:{n}" in SECTIONS_WITHOUT_CHECK:
            continue
        has_check = any(kind == "code" and text.startswith("#@title Check: ")
                        and re.search(r"^\s*assert\b", text, re.MULTILINE) for kind, text in content[start:end])
        if not has_check:
            problems.append(f"section '{line[3:].strip()[:50]}' has no check cell ('#@title Check: ' and an assert)")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_follows_the_skeleton(path):
    problems = skeleton_problems(path)
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def test_the_section_exceptions_name_existing_notebooks():
    numbers = {path.name[:2] for path in NOTEBOOKS}
    for key, reason in SECTIONS_WITHOUT_CHECK.items():
        assert key.split(":")[0] in numbers and reason.strip(), key
