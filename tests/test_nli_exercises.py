"""Notebook 09's exercises: answer cells and self-checks in the house shape, and the solutions (kept apart in
solutions/09_sentence_pair_classification.py) pass the checkers while wrong answers get a hint."""

import json
from pathlib import Path

import pytest

from lectureutils import exercises
from lectureutils.exercise_checks import CHECKERS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "09_sentence_pair_classification.ipynb"
IDS = ["09.1", "09.2", "09.3"]


@pytest.fixture(scope="module")
def context():
    from lectureutils.data import load_klue_nli
    from lectureutils.nli import NLI_ID2LABEL as ID2LABEL

    return {"09.1": {"id2label": ID2LABEL}, "09.2": {"train_frame": load_klue_nli("train", sample=True)},
            "09.3": {"dev_frame": load_klue_nli("dev", sample=True)}}


def test_the_notebook_has_answer_cells_and_self_checks_for_each_exercise():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert exercises.exercise_ids(notebook) == IDS
    sources = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    for exercise_id in IDS:
        assert any(f'exercises.check("{exercise_id}"' in source for source in sources), exercise_id


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_solution_passes_and_the_placeholder_is_not_answered(exercise_id, context, capsys):
    blocks = exercises.solution_blocks(exercises.solutions_file(exercise_id))
    scope: dict = {}
    exec(blocks[exercise_id], scope)
    answer = scope[{"09.1": "to_names", "09.2": "has_negation", "09.3": "swap"}[exercise_id]]
    assert CHECKERS[exercise_id](answer, **context[exercise_id]) is None

    def placeholder(*args):
        ...

    assert exercises.is_placeholder(placeholder)


@pytest.mark.parametrize("exercise_id, wrong", [
    ("09.1", "def to_names(ids, id2label):\n    return [('entailment', 'neutral', 'contradiction')[i] for i in ids]\n"),
    ("09.2", "def has_negation(text):\n    return '않' in text\n"),
    ("09.3", "def swap(frame):\n    frame['premise'], frame['hypothesis'] = frame['hypothesis'], frame['premise']\n    return frame\n"),
])
def test_a_wrong_answer_gets_a_hint(exercise_id, wrong, context):
    scope: dict = {}
    exec(wrong, scope)
    answer = next(value for name, value in scope.items() if callable(value) and not name.startswith("__"))
    frames = {name: value.copy() if hasattr(value, "copy") else value for name, value in context[exercise_id].items()}
    hint = CHECKERS[exercise_id](answer, **frames)
    assert isinstance(hint, str) and hint
