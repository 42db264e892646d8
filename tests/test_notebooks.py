"""Static checks on every notebook (nbval executes them; these check how they are stored)."""

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


@pytest.fixture(params=NOTEBOOKS, ids=lambda path: path.name)
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_there_is_a_notebook_per_lecture_step():
    numbers = [path.name[:2] for path in NOTEBOOKS]
    assert numbers == [f"{n:02d}" for n in range(13)], f"notebooks 00-12 in lecture order, found {numbers}"


def test_stored_without_outputs(notebook):
    path, content = notebook
    for cell in code_cells(content):
        assert cell.outputs == [], f"{path.name}: a cell has stored outputs; clear them before committing"
        assert cell.execution_count is None, f"{path.name}: a cell has an execution count"


def test_title_has_a_colab_badge_for_this_file(notebook):
    path, content = notebook
    first = content.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "colab.research.google.com/github/" in first.source and f"notebooks/{path.name}" in first.source


def test_first_code_cell_installs_only_on_colab_and_calls_setup(notebook):
    path, content = notebook
    setup = code_cells(content)[0].source
    assert '"google.colab" in sys.modules' in setup
    assert "lectureutils.setup(" in setup
    assert "torch" not in setup.replace("Colab's own torch", ""), f"{path.name}: never install torch in a notebook"


def test_has_check_cells_with_asserts(notebook):
    path, content = notebook
    checks = [cell for cell in code_cells(content) if "assert " in cell.source]
    assert len(checks) >= 3, f"{path.name}: every section needs a check cell with real asserts"


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert path.name in readme, f"README.md does not list {path.name}"
