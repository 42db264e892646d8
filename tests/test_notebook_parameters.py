"""Notebooks run offline with a different model in their parameters cell (issue 11, item 2).

A student who sets ``ENGLISH_MODEL = "bert-base-uncased"`` offline loads a stand-in; the notebook must
notice it on the object it loaded (``lectureutils.models.is_standin``), not from a list of names fixed at
``setup()``. Each test edits the parameters cell of a temporary copy and executes it with nbclient in fast mode.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def parameters_cell(notebook) -> nbformat.NotebookNode:
    """The code cell that follows the "## Parameters" heading."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("## Parameters"):
            following = [later for later in notebook.cells[index + 1:] if later.cell_type == "code"]
            return following[0]
    raise LookupError("no '## Parameters' section")


def with_parameters(notebook, **values) -> None:
    """Set ``NAME = repr(value)`` in the parameters cell; every NAME must already be assigned there."""
    cell = parameters_cell(notebook)
    for name, value in values.items():
        pattern = re.compile(rf"^{name} = .*$", flags=re.MULTILINE)
        if not pattern.search(cell.source):
            raise LookupError(f"{name} is not set in the parameters cell:\n{cell.source}")
        cell.source = pattern.sub(f"{name} = {value!r}", cell.source, count=1)


def run_notebook(name: str, workdir: Path, then_run: str = "", **values) -> nbformat.NotebookNode:
    """Execute a copy of notebooks/``name`` with changed parameters (and ``then_run``, code appended as a last
    cell), in ``workdir``; return it executed."""
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    with_parameters(notebook, **values)
    if then_run:
        notebook.cells.append(nbformat.v4.new_code_cell(then_run))
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return notebook


def stream_text(notebook, stream: str) -> str:
    """Everything the executed ``notebook``'s code cells wrote to ``stream`` ("stdout" or "stderr")."""
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("name") == stream
    )


@pytest.fixture
def offline_fast(monkeypatch):
    monkeypatch.setenv("LECTUREUTILS_FAST", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")


def test_with_parameters_changes_only_the_named_assignment():
    notebook = nbformat.read(NOTEBOOKS / "01_bert_embeddings.ipynb", as_version=4)
    before = parameters_cell(notebook).source
    with_parameters(notebook, ENGLISH_MODEL="bert-base-uncased")
    after = parameters_cell(notebook).source
    assert 'ENGLISH_MODEL = \'bert-base-uncased\'' in after
    assert before.splitlines()[1:] == after.splitlines()[1:]
    with pytest.raises(LookupError, match="NOT_A_PARAMETER"):
        with_parameters(notebook, NOT_A_PARAMETER=1)


def test_01_runs_offline_with_bert_base_uncased(offline_fast, tmp_path):
    executed = run_notebook("01_bert_embeddings.ipynb", tmp_path, ENGLISH_MODEL="bert-base-uncased",
                            then_run="from lectureutils.models import is_standin\n"
                                     "print(f'model: {model.name_or_path}, stand-in {is_standin(model)}')")
    stdout = stream_text(executed, "stdout")
    # the banner names the stand-ins; the model the lesson's from_pretrained loaded is one, and says so on the object
    assert "bert-base-uncased" in stdout.split("stand-ins:")[1].splitlines()[0]
    assert "model: bert-base-uncased, stand-in True" in stdout
    assert stream_text(executed, "stderr") == ""


def test_05_runs_offline_with_another_korean_model(offline_fast, tmp_path):
    """05 with klue/bert-base instead of beomi/kcbert-base (owner of 05: helper "tasks")."""
    executed = run_notebook("05_document_classification.ipynb", tmp_path, MODEL="klue/bert-base")
    assert "klue/bert-base: OFFLINE STAND-IN" in stream_text(executed, "stdout")
    assert stream_text(executed, "stderr") == ""


def test_05_with_a_checkpoint_evaluates_it_without_training(offline_fast, tmp_path):
    """05 with CHECKPOINT (a model fine-tuned before class): evaluation, inference and the web page run on it and
    nothing is trained; the curves say they are skipped (issue 26, item 5)."""
    from types import SimpleNamespace

    from lectureutils.classification.spec import SPEC
    from lectureutils.models import load_tokenizer

    folder = tmp_path / "fine-tuned before class"
    SPEC.load_model(SimpleNamespace(model="beomi/kcbert-base"), None).save_pretrained(folder)
    load_tokenizer("beomi/kcbert-base").save_pretrained(folder)
    executed = run_notebook("05_document_classification.ipynb", tmp_path, CHECKPOINT=str(folder))
    printed = stream_text(executed, "stdout")
    assert "fine-tuned before class, so no training here" in printed
    assert "(skipped: CHECKPOINT given)" in printed and "'loss'" not in printed
    assert stream_text(executed, "stderr") == ""
