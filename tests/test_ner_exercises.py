"""Notebook 10's exercises: answer cells and self-checks in the house shape, and the solutions (kept apart in
solutions/10_named_entity_recognition.py) pass the checkers while wrong answers get a hint."""

import json
from pathlib import Path

import pytest

from lectureutils import exercises
from lectureutils.exercise_checks import CHECKERS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "10_named_entity_recognition.ipynb"
IDS = ["10.1", "10.2", "10.3"]
NAMES = {"10.1": "type_counts_of", "10.2": "char_accuracy", "10.3": "mask"}


@pytest.fixture(scope="module")
def context():
    from lectureutils.data import load_klue_ner
    from lectureutils.ner import bio_spans, klue_ner_scores

    train_rows, dev_rows = load_klue_ner("train", sample=True), load_klue_ner("dev", sample=True)
    train_entities = [(row["text"][s:e], kind) for row in train_rows for s, e, kind in bio_spans(row["tags"])]
    return {"10.1": {"train_rows": train_rows, "train_entities": train_entities},
            "10.2": {"dev_rows": dev_rows, "scores": klue_ner_scores}, "10.3": {}}


def test_the_notebook_has_answer_cells_and_self_checks_for_each_exercise():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert exercises.exercise_ids(notebook) == IDS
    sources = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    for exercise_id in IDS:
        assert any(f'exercises.check("{exercise_id}", {NAMES[exercise_id]}' in source for source in sources), exercise_id


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_solution_passes(exercise_id, context):
    blocks = exercises.solution_blocks(exercises.solutions_file(exercise_id))
    scope: dict = {}
    exec(blocks[exercise_id], scope)
    assert CHECKERS[exercise_id](scope[NAMES[exercise_id]], **context[exercise_id]) is None


@pytest.mark.parametrize("exercise_id, wrong", [
    ("10.1", "def type_counts_of(rows):\n    from collections import Counter\n"
             "    return Counter(t[2:] for row in rows for t in row['tags'] if t != 'O')\n"),
    ("10.2", "def char_accuracy(rows, predicted):\n"
             "    pairs = [(g, p) for row, tags in zip(rows, predicted) for g, p in zip(row['tags'], tags)]\n"
             "    return sum(g == p for g, p in pairs) / len(pairs)\n"),
    ("10.3", "def mask(text, entities, kinds=('PS',)):\n    for e in entities:\n"
             "        text = text.replace(e['text'], '＊')\n    return text\n"),
])
def test_a_wrong_answer_gets_a_hint(exercise_id, wrong, context):
    scope: dict = {}
    exec(wrong, scope)
    hint = CHECKERS[exercise_id](scope[NAMES[exercise_id]], **context[exercise_id])
    assert isinstance(hint, str) and hint
