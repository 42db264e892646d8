"""The exercises of notebook 09: the solutions, kept apart from the notebook, pass its self-check cells."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "09_sentence_pair_classification.ipynb"

SOLUTIONS = {
    1: '''
def to_names(ids, id2label):
    return [id2label[int(index)] for index in ids]
''',
    2: '''
import re

def has_negation(text):
    return re.search("않|없|못|아니", text) is not None
''',
    3: '''
def swap(frame):
    return frame.rename(columns={"premise": "hypothesis", "hypothesis": "premise"})[list(frame.columns)].copy()
''',
}


def self_check(number: int) -> str:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    [check] = [source for source in sources if source.startswith(f"# Self-check for exercise {number}\n")]
    assert any(source.startswith(f"# Exercise {number}: your answer") for source in sources)
    return check


@pytest.fixture(scope="module")
def namespace():
    from lectureutils.data import load_klue_nli
    from lectureutils.nli import ID2LABEL, LABELS

    return {"ID2LABEL": ID2LABEL, "LABELS": LABELS, "train_frame": load_klue_nli("train", sample=True),
            "dev_frame": load_klue_nli("dev", sample=True)}


@pytest.mark.parametrize("number", sorted(SOLUTIONS))
def test_the_solution_passes_the_self_check(number, namespace, capsys):
    scope = dict(namespace)
    exec(SOLUTIONS[number], scope)
    exec(self_check(number), scope)
    assert f"exercise {number} passed" in capsys.readouterr().out


@pytest.mark.parametrize("number", sorted(SOLUTIONS))
def test_a_wrong_answer_fails_the_self_check(number, namespace):
    wrong = {1: "def to_names(ids, id2label):\n    return [LABELS[i] for i in ids]\n",
             2: "def has_negation(text):\n    return '않' in text\n",
             3: "def swap(frame):\n    frame['premise'], frame['hypothesis'] = frame['hypothesis'], frame['premise']\n    return frame\n"}
    scope = dict(namespace, dev_frame=namespace["dev_frame"].copy())
    exec(wrong[number], scope)
    with pytest.raises(AssertionError):
        exec(self_check(number), scope)
