"""Notebook 00_transfer_learning_map: its exercise solutions (kept here, out of the notebook) pass its
self-check cells, wrong answers fail them, and the map names notebooks that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "00_transfer_learning_map.ipynb"


def code_cells() -> list[str]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


def run_self_check(number: int, namespace: dict, capsys) -> str:
    found = [source for source in code_cells() if source.startswith(f"# Self-check for exercise {number}")]
    assert len(found) == 1
    exec(compile(found[0], f"<notebook 00: self-check {number}>", "exec"), dict(namespace))
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    from lectureutils.standins import packaged_minilm_path  # the real bert-base-uncased vocabulary

    return AutoTokenizer.from_pretrained(str(packaged_minilm_path()))


def test_exercise_self_checks_accept_the_solutions(tokenizer, capsys):
    solutions = {
        1: ("brand_tagging_notebook", "10_named_entity_recognition", "05_document_classification"),
        2: ("acceptability_notebook", "05_document_classification", "09_sentence_pair_classification"),
        # fine - tuning reuse ##s pre - trained weights . -> 10 WordPieces, 9 examples
        3: ("next_token_count", len(tokenizer.tokenize("Fine-tuning reuses pre-trained weights.")) - 1, 10),
    }
    assert solutions[3][1] == 9
    state = {"tokenizer": tokenizer}
    for number, (name, answer, wrong) in solutions.items():
        assert "not answered yet" in run_self_check(number, state | {name: None}, capsys)
        assert f"Exercise {number}: correct" in run_self_check(number, state | {name: answer}, capsys)
        with pytest.raises(AssertionError):
            run_self_check(number, state | {name: wrong}, capsys)


def test_the_map_names_the_lecture_order_and_existing_notebooks():
    source = "\n".join(code_cells())
    transfer = re.findall(r'"BERT"|"GPT"', source.split("TRANSFER_MODELS = [", 1)[1].split("]\n", 1)[0])
    assert transfer == ['"BERT"'] * 4 + ['"GPT"']
    named = set(re.findall(r'"(\d\d_[a-z_]+)"', source))
    assert {"05_document_classification", "09_sentence_pair_classification", "10_named_entity_recognition",
            "06_question_answering", "11_gpt_finetuning"} <= named
    for notebook in named:
        assert (ROOT / "notebooks" / f"{notebook}.ipynb").is_file(), f"{notebook} is on the map but missing"
