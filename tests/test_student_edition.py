"""The student edition's reading path, counted (issue 26): checks out of the lesson, offline plumbing out of the prose.

A check cell is a code cell tagged ``check``, collapsed (Colab: a ``#@title Check: ...`` form cell with
``cellView: form``; JupyterLab: ``source_hidden``), at most one per ``## `` section. Everything else a student reads
holds almost no check code: ``assert`` lines outside check cells are at most 5 % of a notebook's code lines. The
prose names the offline stand-ins at most twice (README and the setup banner explain offline mode once).

Run as a script, it prints the figures of every notebook: ``python tests/test_student_edition.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
MAX_VISIBLE_CHECK_SHARE = 0.05
MAX_STANDIN_MENTIONS = 2
STANDIN_WORD = re.compile(r"stand-?ins?\b", re.IGNORECASE)
CHECK_SCAFFOLDING = re.compile(r"^\s*(assert\b|print\(.*checks? passed)")


def lines_of(cell: dict) -> list[str]:
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return source.splitlines()


def is_check(cell: dict) -> bool:
    return cell["cell_type"] == "code" and "check" in cell.get("metadata", {}).get("tags", [])


def figures(path: Path) -> dict:
    """Code lines, visible check lines, check cells per section, stand-in mentions in the prose, of one notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = visible_checks = standins = 0
    checks_per_section: dict[str, int] = {}
    section = "(title)"
    badly_formed = []
    for index, cell in enumerate(cells):
        lines = lines_of(cell)
        if cell["cell_type"] == "markdown":
            heading = next((line for line in lines if line.startswith("## ")), None)
            section = heading or section
            standins += len(STANDIN_WORD.findall("\n".join(lines)))
            if lines and lines[0].startswith("### Check"):
                badly_formed.append(f"cell {index}: a '### Check' heading (the check cell carries its title)")
            continue
        if cell["cell_type"] != "code":
            continue
        meaningful = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
        code += len(meaningful)
        if is_check(cell):
            checks_per_section[section] = checks_per_section.get(section, 0) + 1
            metadata = cell["metadata"]
            if not (lines and lines[0].startswith("#@title Check: ") and metadata.get("cellView") == "form"
                    and metadata.get("jupyter", {}).get("source_hidden") is True):
                badly_formed.append(f"cell {index}: a check cell must start '#@title Check: ' and be collapsed")
        else:
            visible_checks += sum(bool(CHECK_SCAFFOLDING.match(line)) for line in meaningful)
    return {"code lines": code, "visible check lines": visible_checks, "stand-in mentions": standins,
            "sections with several checks": sorted(name for name, count in checks_per_section.items() if count > 1),
            "check cells": sum(checks_per_section.values()), "badly formed": badly_formed}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem[:2])
def test_checks_are_out_of_the_reading_path(path):
    found = figures(path)
    assert found["check cells"] > 0, f"{path.name}: no check cell (the checks are the notebook's tests)"
    assert not found["badly formed"], found["badly formed"]
    assert not found["sections with several checks"], f"{path.name}: one check per section"
    share = found["visible check lines"] / found["code lines"]
    assert share <= MAX_VISIBLE_CHECK_SHARE, (
        f"{path.name}: {found['visible check lines']} of {found['code lines']} visible code lines are checks "
        f"({share:.0%}); move them into the section's check cell")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem[:2])
def test_the_prose_names_the_offline_stand_ins_at_most_twice(path):
    assert figures(path)["stand-in mentions"] <= MAX_STANDIN_MENTIONS, path.name


def test_the_counter_sees_what_it_counts(tmp_path):
    cell = {"cell_type": "code", "metadata": {}, "source": ["x = 1\n", "assert x == 1\n", "print('checks passed')"]}
    check = {"cell_type": "code", "source": "#@title Check: x\nassert x",
             "metadata": {"tags": ["check"], "cellView": "form", "jupyter": {"source_hidden": True}}}
    prose = {"cell_type": "markdown", "metadata": {}, "source": "## 1. A\nThe stand-in and its standins."}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": [prose, cell, check, dict(check, metadata={"tags": ["check"]})]}))
    found = figures(path)
    assert found["code lines"] == 5 and found["visible check lines"] == 2 and found["stand-in mentions"] == 2
    assert found["sections with several checks"] == ["## 1. A"] and len(found["badly formed"]) == 1


if __name__ == "__main__":
    for notebook in NOTEBOOKS:
        row = figures(notebook)
        print(f"{notebook.stem[:2]}  code {row['code lines']:4d}  visible checks {row['visible check lines']:3d} "
              f"({row['visible check lines'] / row['code lines']:5.1%})  check cells {row['check cells']:2d}  "
              f"stand-in words {row['stand-in mentions']:2d}  badly formed {len(row['badly formed'])}")
