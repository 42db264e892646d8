"""Notebook 01_bert_embeddings, section 7: the timing line names the model and says when it is a stand-in.

Moved out of the notebook's check cells (issue 26, item 1): a timing line is not the lesson. The test reads the
line's f-string from the notebook (never executing the notebook) and evaluates it with a stand-in and a real model.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_bert_embeddings.ipynb"


def timing_line_expression() -> str:
    """The expression the notebook assigns to ``timing_line``."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    [source] = [source for source in sources if "timing_line =" in source and "perf_counter" in source]
    tree = ast.parse(source)
    [value] = [node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
               and any(isinstance(target, ast.Name) and target.id == "timing_line" for target in node.targets)]
    return ast.unparse(value)


def timing_line(model, name: str) -> str:
    import time
    from types import SimpleNamespace

    from lectureutils.models import standin_label

    scope = {"ENGLISH_MODEL": name, "session": SimpleNamespace(device="cpu"), "time": time,
             "start": time.perf_counter(), "standin_label": standin_label, "model": model}
    return eval(timing_line_expression(), scope)


def test_the_line_is_one_f_string_with_the_model_first_and_the_stand_in_label_last():
    expression = ast.parse(timing_line_expression(), mode="eval").body
    assert isinstance(expression, ast.JoinedStr)
    first, last = expression.values[0], expression.values[-1]
    assert isinstance(first, ast.FormattedValue) and ast.unparse(first.value) == "ENGLISH_MODEL"
    assert isinstance(last, ast.FormattedValue) and ast.unparse(last.value) == "standin_label(model)"


@pytest.mark.parametrize("name", ["bert-large-uncased", "sentence-transformers/all-MiniLM-L6-v2"])
def test_the_line_names_the_model_and_says_when_it_is_a_stand_in(name):
    from transformers import BertModel

    from lectureutils.models import is_standin, load_model, standin_label

    model = load_model(BertModel, name)  # offline: a stand-in for bert-large, the packaged real MiniLM
    line = timing_line(model, name)
    assert line.startswith(name) and line.endswith(standin_label(model))
    assert ("offline stand-in" in line) == is_standin(model) == (name == "bert-large-uncased")
    assert " ms for a batch of 8 short sentences" in line
