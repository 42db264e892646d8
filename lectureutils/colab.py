"""Google Colab: the repository's one address, every notebook's badge and setup cell, Drive checkpoints.

Taught in every notebook's Setup cell (see notebooks/05_document_classification.ipynb, "Setup"). The
repository lives in one place, :data:`REPOSITORY`; every notebook's Open-in-Colab badge and the Colab
lines of its setup cell are made from it. A fork runs

    python -m lectureutils.colab --repo OWNER/NAME

which rewrites :data:`REPOSITORY` here and the badge and setup cell of every notebook; ``--check`` only
reports notebooks that disagree (the tests run it). The setup cell can be run twice: the second run
updates the existing clone instead of failing on it, and asks pip for a peft recent enough for
transformers v5 (Colab ships an older one, issue 19).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
from pathlib import Path

__all__ = ["REPOSITORY", "CLONE_DIR", "badge_url", "colab_lines", "notebook_problems", "rewrite_notebook",
           "drive_folder", "last_checkpoint", "check_same_run", "main"]

REPOSITORY = "bert-gpt-lectures/bert-gpt-lectures"
CLONE_DIR = "/content/bert-gpt-lectures"
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
BADGE = re.compile(r"https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/blob/main/notebooks/[^\s)]+\.ipynb")
COLAB_BLOCK = re.compile(r'^if "google\.colab" in sys\.modules:.*\n(?:[ \t]+\S.*(?:\n|\Z))*', re.MULTILINE)


def badge_url(notebook: str, repository: str = REPOSITORY) -> str:
    """The Open-in-Colab address of ``notebook`` (a file name) in ``repository`` (every notebook's title)."""
    return f"https://colab.research.google.com/github/{repository}/blob/main/notebooks/{notebook}"


def colab_lines(repository: str = REPOSITORY) -> str:
    """The Colab block of every setup cell: clone or update, install with a recent peft (every notebook, Setup)."""
    from .session import MIN_PEFT

    return (
        'if "google.colab" in sys.modules:  # on Colab: fetch or update the course helpers (Colab\'s own torch is kept)\n'
        f"    !if [ -d {CLONE_DIR} ]; then git -C {CLONE_DIR} pull --quiet; "
        f"else git clone --quiet --depth 1 https://github.com/{repository}.git {CLONE_DIR}; fi\n"
        f'    !pip install --quiet -e {CLONE_DIR} "peft>={MIN_PEFT}"\n'
        f'    sys.path.insert(0, "{CLONE_DIR}")\n'
    )


def setup_cell_index(cells: list) -> int | None:
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code" and "lectureutils.setup(" in "".join(cell["source"]):  # source: str or lines
            return index
    return None


def notebook_problems(path: str | Path, repository: str = REPOSITORY) -> list[str]:
    """What in a notebook disagrees with :data:`REPOSITORY` and the canonical setup cell (every notebook)."""
    path = Path(path)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    title = "".join(cells[0]["source"])
    problems = []
    if BADGE.findall(title) != [badge_url(path.name, repository)]:
        problems.append(f"{path.name}: the title's Colab badge should link to {badge_url(path.name, repository)}")
    index = setup_cell_index(cells)
    if index is None:
        return problems + [f"{path.name}: no setup cell calling lectureutils.setup("]
    block = COLAB_BLOCK.search("".join(cells[index]["source"]))
    if block is None or block.group(0).rstrip("\n") + "\n" != colab_lines(repository):
        problems.append(f"{path.name}: the setup cell's Colab lines differ from lectureutils.colab.colab_lines()")
    return problems


def rewrite_notebook(path: str | Path, repository: str = REPOSITORY) -> bool:
    """Rewrite a notebook's badge and Colab lines for ``repository``; True when the file changed (every notebook)."""
    import nbformat

    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    cells = notebook.cells
    before = [cells[0].source] + [cell.source for cell in cells]
    cells[0].source = BADGE.sub(badge_url(path.name, repository), cells[0].source)
    index = setup_cell_index(cells)
    if index is not None and COLAB_BLOCK.search(cells[index].source):
        cells[index].source = COLAB_BLOCK.sub(lambda _: colab_lines(repository), cells[index].source, count=1)
    if [cells[0].source] + [cell.source for cell in cells] == before:
        return False
    nbformat.write(notebook, path)
    return True


def drive_folder(name: str, use_drive: bool) -> Path:
    """Where a notebook keeps its checkpoints: Google Drive on Colab when asked (survives a disconnect), else outputs/.

    Taught in 05 §5 ("Fine-tuning with the Trainer"): with ``use_drive`` on Colab, Drive is mounted and the
    folder is ``MyDrive/bert-gpt-lectures/<name>``; anywhere else (or without ``use_drive``) it is ``outputs/<name>``.
    """
    if use_drive and "google.colab" in sys.modules:
        from google.colab import drive  # only exists on Colab

        drive.mount("/content/drive")
        folder = Path("/content/drive/MyDrive/bert-gpt-lectures") / name
    else:
        folder = Path("outputs") / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def last_checkpoint(folder: str | Path, arguments=None) -> str | None:
    """The ``checkpoint-N`` folder to pass to ``trainer.train(resume_from_checkpoint=...)``, or None (05 §5).

    The newest complete checkpoint a Trainer left in ``folder`` (one whose saving a disconnect cut off is
    skipped). Given the run's ``TrainingArguments``, a checkpoint of another run (another batch size,
    number of steps or epochs) is refused with a ValueError instead of being continued silently. A finished run resumes without training further
    when it ended on a whole epoch; one that stopped inside an epoch (``max_steps``) would be trained one
    step past ``max_steps`` by transformers, so its checkpoints are removed and the run starts over.
    """
    folder = Path(folder)
    checkpoints = [path for path in folder.glob("checkpoint-*")
                   if re.fullmatch(r"checkpoint-\d+", path.name) and path.is_dir()]
    complete = []
    for checkpoint in checkpoints:
        if (checkpoint / "trainer_state.json").is_file():  # written last: a save cut off by a disconnect has none
            complete.append(checkpoint)
        else:
            print(f"{checkpoint}: incomplete (saving was interrupted), skipped")
    if not complete:
        return None
    newest = max(complete, key=lambda checkpoint: int(checkpoint.name.split("-")[1]))
    state = json.loads((newest / "trainer_state.json").read_text(encoding="utf-8"))
    if arguments is not None:
        check_same_run(state, arguments, newest)
    if state["global_step"] < state["max_steps"]:
        print(f"resuming from {newest} (step {state['global_step']} of {state['max_steps']})")
        return str(newest)
    if state["epoch"] >= state["num_train_epochs"] - 1e-6:
        print(f"{newest}: that run finished (step {state['global_step']} of {state['max_steps']}); "
              "resuming loads it without training further")
        return str(newest)
    for checkpoint in checkpoints:
        shutil.rmtree(checkpoint)
    print(f"{newest}: that run finished inside an epoch, where resuming would train one step too many; "
          "starting over")
    return None


def check_same_run(state: dict, arguments, checkpoint: Path) -> None:
    """Refuse to resume a checkpoint saved with another batch size, number of steps or epochs (05 §5)."""
    wanted = {"batch size": arguments.per_device_train_batch_size * max(1, arguments.n_gpu)}
    saved = {"batch size": state["train_batch_size"]}
    if arguments.max_steps > 0:
        wanted["steps"], saved["steps"] = arguments.max_steps, state["max_steps"]
    else:
        wanted["epochs"], saved["epochs"] = math.ceil(arguments.num_train_epochs), state["num_train_epochs"]
    different = [f"{name} {saved[name]} there, {wanted[name]} now" for name in wanted if saved[name] != wanted[name]]
    if different:
        raise ValueError(f"{checkpoint} belongs to another run ({'; '.join(different)}). To start over, delete "
                         f"{checkpoint.parent} or choose another checkpoint folder.")


def main(argv=None) -> int:
    """``python -m lectureutils.colab --repo OWNER/NAME`` (rewrite) or ``--check`` (report) (every notebook)."""
    parser = argparse.ArgumentParser(prog="python -m lectureutils.colab", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", help="OWNER/NAME of the GitHub repository the badges and setup cells point to")
    parser.add_argument("--check", action="store_true", help="only report notebooks that disagree")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.check:
        problems = [problem for path in paths for problem in notebook_problems(path)]
        print("\n".join(problems) or f"{len(paths)} notebooks agree with {REPOSITORY}")
        return 1 if problems else 0
    repository = args.repo or REPOSITORY
    if not re.fullmatch(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", repository):
        parser.error(f"--repo must look like OWNER/NAME, not {repository!r}")
    if repository != REPOSITORY:
        module = Path(__file__)
        module.write_text(module.read_text(encoding="utf-8").replace(
            f'REPOSITORY = "{REPOSITORY}"', f'REPOSITORY = "{repository}"', 1), encoding="utf-8")
    changed = [path.name for path in paths if rewrite_notebook(path, repository)]
    print(f"{len(changed)} of {len(paths)} notebooks rewritten for {repository}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
