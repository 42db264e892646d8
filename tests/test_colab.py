"""Tests for lectureutils.colab: one repository address, badges and setup cells made from it, Drive folders."""

from pathlib import Path

import nbformat
import pytest

from lectureutils import colab

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
OLD_SETUP = '''import sys
if "google.colab" in sys.modules:  # on Colab: fetch the course helpers
    !git clone --quiet --depth 1 https://github.com/someone/old.git /content/bert-gpt-lectures
    !pip install --quiet -e /content/bert-gpt-lectures
    sys.path.insert(0, "/content/bert-gpt-lectures")

import lectureutils

session = lectureutils.setup()
'''


def make_notebook(folder: Path, name: str = "05_example.ipynb") -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(
            f"# 05 · Example\n\n[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"(https://colab.research.google.com/github/someone/old/blob/main/notebooks/{name})\n"),
        nbformat.v4.new_markdown_cell("## Setup"),
        nbformat.v4.new_code_cell(OLD_SETUP),
    ]
    path = folder / name
    nbformat.write(notebook, path)
    return path


def test_every_notebook_agrees_with_the_one_repository_address():
    problems = [problem for path in NOTEBOOKS for problem in colab.notebook_problems(path)]
    assert not problems, "run `python -m lectureutils.colab` to rewrite them:\n" + "\n".join(problems)


def test_rewrite_makes_badge_and_setup_cell_agree_and_keeps_the_rest(tmp_path):
    path = make_notebook(tmp_path)
    assert len(colab.notebook_problems(path)) == 2
    assert colab.rewrite_notebook(path) is True
    assert colab.notebook_problems(path) == []
    assert colab.rewrite_notebook(path) is False, "a second rewrite changes nothing"
    cells = nbformat.read(path, as_version=4).cells
    assert colab.badge_url(path.name) in cells[0].source
    setup = cells[2].source
    assert setup.startswith("import sys\n") and setup.endswith("session = lectureutils.setup()\n")
    assert "git -C /content/bert-gpt-lectures pull --quiet || git clone" in setup, "re-runnable: update, else clone"
    assert '"peft>=0.18"' in setup


def test_rewrite_for_another_repository_and_check_against_it(tmp_path):
    path = make_notebook(tmp_path)
    colab.rewrite_notebook(path, "fork-owner/lectures")
    assert colab.notebook_problems(path, "fork-owner/lectures") == []
    assert colab.notebook_problems(path) != []
    assert "github.com/fork-owner/lectures.git" in nbformat.read(path, as_version=4).cells[2].source


def test_command_line_check_and_bad_repository_name(tmp_path, capsys):
    path = make_notebook(tmp_path)
    assert colab.main(["--check", str(path)]) == 1
    with pytest.raises(SystemExit):
        colab.main(["--repo", "not a repo", str(path)])
    assert colab.main([str(path)]) == 0
    assert colab.main(["--check", str(path)]) == 0
    assert "agree" in capsys.readouterr().out


def test_drive_folder_off_colab_is_local_and_last_checkpoint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = colab.drive_folder("05_nsmc", use_drive=True)  # not on Colab: a local folder, no Drive
    assert folder == Path("outputs/05_nsmc") and folder.is_dir()
    assert colab.last_checkpoint(folder) is None
    (folder / "checkpoint-10").mkdir()
    (folder / "checkpoint-30").mkdir()
    assert colab.last_checkpoint(folder).endswith("checkpoint-30")
    assert colab.last_checkpoint(tmp_path / "missing") is None
