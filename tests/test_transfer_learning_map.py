"""Notebook 00_transfer_learning_map: the map names notebooks that exist (its exercises: tests/test_exercises.py).

These are the notebook's repository checks, moved out of its check cells (issue 26, item 1): whether a file
exists is not the lesson. The notebook is read as JSON, never executed here."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "00_transfer_learning_map.ipynb"


def code_cells() -> list[str]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


# The exercises: checkers in lectureutils/exercise_checks/nb00.py, solutions in solutions/00_transfer_learning_map.py,
# both tested by tests/test_exercises.py and by make test (solve mode).


def test_the_map_names_the_lecture_order_and_existing_notebooks():
    source = "\n".join(code_cells())
    transfer = re.findall(r'"BERT"|"GPT"', source.split("TRANSFER_MODELS = [", 1)[1].split("]\n", 1)[0])
    assert transfer == ['"BERT"'] * 4 + ['"GPT"']
    named = set(re.findall(r'"(\d\d_[a-z_]+)"', source))
    assert {"05_document_classification", "09_sentence_pair_classification", "10_named_entity_recognition",
            "06_question_answering", "11_gpt_finetuning"} <= named
    for notebook in named:
        assert (ROOT / "notebooks" / f"{notebook}.ipynb").is_file(), f"{notebook} is on the map but missing"


def markdown_cells() -> list[str]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]


def test_the_usable_areas_name_existing_notebooks():
    source = "\n".join(code_cells()).split("USABLE_AREAS = [", 1)[1].split("]\n", 1)[0]
    named = re.findall(r'"(\d\d_[a-z_]+)"', source)
    assert [name[:2] for name in named] == ["09", "04", "05", "10", "06"]
    for notebook in named:
        assert (ROOT / "notebooks" / f"{notebook}.ipynb").is_file(), f"{notebook} is a usable area's notebook but missing"


def test_the_upstream_notebook_numbers_exist():
    source = "\n".join(code_cells()).split("UPSTREAM = [", 1)[1].split("]\n", 1)[0]
    numbers = set(re.findall(r'"(\d\d)"', source))
    assert numbers == {"02", "03", "07", "08"}
    for number in numbers:
        assert sorted((ROOT / "notebooks").glob(f"{number}_*.ipynb")), f"no notebook {number}"


def test_every_notebook_link_in_the_prose_exists():
    links = set(re.findall(r"\]\((\d\d_[a-z_]+\.ipynb)\)", "\n".join(markdown_cells())))
    assert len(links) >= 10  # the course map, the characteristics table and the sources link most notebooks
    for link in links:
        assert (ROOT / "notebooks" / link).is_file(), f"a link to {link}, which does not exist"
