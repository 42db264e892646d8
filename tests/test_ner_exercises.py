"""The exercises of notebook 10: the solutions, kept apart from the notebook, pass its self-check cells."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "10_named_entity_recognition.ipynb"

SOLUTIONS = {
    1: '''
from collections import Counter

def type_counts_of(rows):
    return Counter(tag[2:] for row in rows for tag in row["tags"] if tag.startswith("B-"))
''',
    2: '''
def char_accuracy(rows, predicted):
    pairs = [(gold, guess) for row, tags in zip(rows, predicted)
             for char, gold, guess in zip(row["chars"], row["tags"], tags) if char != " "]
    return sum(gold == guess for gold, guess in pairs) / len(pairs)
''',
    3: '''
def mask(text, entities, kinds=("PS",)):
    chars = list(text)
    for entity in entities:
        if entity["type"] in kinds:
            chars[entity["start"]:entity["end"]] = "＊" * (entity["end"] - entity["start"])
    return "".join(chars)
''',
}
WRONG = {
    1: "def type_counts_of(rows):\n    return Counter(t[2:] for row in rows for t in row['tags'] if t != 'O')\n",
    2: "def char_accuracy(rows, predicted):\n    pairs = [(g, p) for row, tags in zip(rows, predicted) for g, p in zip(row['tags'], tags)]\n"
       "    return sum(g == p for g, p in pairs) / len(pairs)\n",
    3: "def mask(text, entities, kinds=('PS',)):\n    for e in entities:\n        text = text.replace(e['text'], '＊')\n    return text\n",
}


def self_check(number: int) -> str:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    [check] = [source for source in sources if source.startswith(f"# Self-check for exercise {number}\n")]
    assert any(source.startswith(f"# Exercise {number}: your answer") for source in sources)
    return check


@pytest.fixture(scope="module")
def namespace():
    from collections import Counter

    from lectureutils.data import load_klue_ner
    from lectureutils.ner import bio_spans, klue_ner_scores

    train_rows, dev_rows = load_klue_ner("train", sample=True), load_klue_ner("dev", sample=True)
    train_entities = [(row["text"][s:e], kind) for row in train_rows for s, e, kind in bio_spans(row["tags"])]
    return {"Counter": Counter, "klue_ner_scores": klue_ner_scores, "train_rows": train_rows, "dev_rows": dev_rows,
            "train_entities": train_entities}


@pytest.mark.parametrize("number", sorted(SOLUTIONS))
def test_the_solution_passes_the_self_check(number, namespace, capsys):
    scope = dict(namespace)
    exec(SOLUTIONS[number], scope)
    exec(self_check(number), scope)
    assert f"exercise {number} passed" in capsys.readouterr().out


@pytest.mark.parametrize("number", sorted(SOLUTIONS))
def test_a_wrong_answer_fails_the_self_check(number, namespace):
    scope = dict(namespace)
    exec(WRONG[number], scope)
    with pytest.raises(AssertionError):
        exec(self_check(number), scope)
