"""Google Colab: the repository's one address, every notebook's badge and setup cell, Drive checkpoints.

Taught in every notebook's Setup cell (see notebooks/05_document_classification.ipynb, "Setup"). The
repository lives in one place, :data:`REPOSITORY`; every notebook's Open-in-Colab badge and the Colab
lines of its setup cell are made from it. A fork runs

    python -m lectureutils.colab --repo OWNER/NAME

which rewrites :data:`REPOSITORY` here, the badge and setup cell of every notebook, the badges of README.md and
README.ko.md, and rebuilds the Korean edition (``notebooks/ko/`` is generated: ``lectureutils.i18n`` takes its badges
from :func:`badge_url` and its setup cells from the English notebooks); ``--check`` only reports notebooks and READMEs
that disagree, both editions (the tests run it). The setup cell can be run twice: the second run
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

__all__ = ["REPOSITORY", "CLONE_DIR", "EDITIONS", "READMES", "badge_url", "edition_of", "colab_lines",
           "notebook_problems", "rewrite_notebook", "readme_problems", "rewrite_readme", "rebuild_editions",
           "drive_folder", "last_checkpoint", "check_same_run", "main"]

REPOSITORY = "bert-gpt-lectures/bert-gpt-lectures"
CLONE_DIR = "/content/bert-gpt-lectures"
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EDITIONS = ("ko",)  # the generated editions, notebooks/<language>/ (lectureutils.i18n; make ko)
READMES = {"README.md": "", "README.ko.md": "ko"}  # each README's badges open that edition's notebooks
BADGE = re.compile(r"https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/blob/main/notebooks/"
                   r"(?:(?P<language>[a-z]{2})/)?(?P<name>[^/\s)]+\.ipynb)")
COLAB_BLOCK = re.compile(r'^if "google\.colab" in sys\.modules:.*\n(?:[ \t]+\S.*(?:\n|\Z))*', re.MULTILINE)


def badge_url(notebook: str, repository: str | None = None, language: str = "") -> str:
    """The Open-in-Colab address of ``notebook`` (a file name) in ``repository`` (default :data:`REPOSITORY`), in
    the English edition or the ``language`` one, ``notebooks/<language>/`` (every notebook's title, both editions)."""
    folder = f"notebooks/{language}/" if language else "notebooks/"
    return f"https://colab.research.google.com/github/{repository or REPOSITORY}/blob/main/{folder}{notebook}"


def edition_of(path: str | Path) -> str:
    """The language of a notebook's edition: "ko" for ``notebooks/ko/*.ipynb``, "" for the English one
    (every notebook)."""
    return Path(path).parent.name if Path(path).parent.name in EDITIONS else ""


def colab_lines(repository: str | None = None) -> str:
    """The Colab block of every setup cell: clone or update, install with a recent peft (every notebook, Setup)."""
    from .session import MIN_PEFT

    repository = repository or REPOSITORY

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


def notebook_problems(path: str | Path, repository: str | None = None) -> list[str]:
    """What in a notebook disagrees with :data:`REPOSITORY` and the canonical setup cell (every notebook; a Korean
    one's badge opens ``notebooks/ko/``)."""
    path = Path(path)
    language = edition_of(path)
    name = f"{language}/{path.name}" if language else path.name
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    title = "".join(cells[0]["source"])
    problems = []
    wanted = badge_url(path.name, repository, language)
    if [match.group(0) for match in BADGE.finditer(title)] != [wanted]:
        problems.append(f"{name}: the title's Colab badge should link to {wanted}")
    index = setup_cell_index(cells)
    if index is None:
        return problems + [f"{name}: no setup cell calling lectureutils.setup("]
    block = COLAB_BLOCK.search("".join(cells[index]["source"]))
    if block is None or block.group(0).rstrip("\n") + "\n" != colab_lines(repository):
        problems.append(f"{name}: the setup cell's Colab lines differ from lectureutils.colab.colab_lines()")
    if problems and language:
        problems.append(f"{name}: notebooks/{language}/ is generated: run `make {language}` "
                        f"(python -m lectureutils.i18n build {language}), never edit it by hand")
    return problems


def rewrite_notebook(path: str | Path, repository: str | None = None) -> bool:
    """Rewrite a notebook's badge and Colab lines for ``repository``; True when the file changed (every notebook).
    English notebooks only: a generated edition's are rebuilt (:func:`rebuild_editions`)."""
    import nbformat

    path = Path(path)
    if edition_of(path):
        raise ValueError(f"{path}: notebooks/{edition_of(path)}/ is generated from the English notebooks: "
                         f"rewrite those, then run `make {edition_of(path)}`")
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


def readme_problems(path: str | Path, repository: str | None = None,
                    notebooks: list[str] | None = None) -> list[str]:
    """What in a README's Colab badges disagrees with :data:`REPOSITORY`: each must open its edition's notebook
    (README.md the English, README.ko.md ``notebooks/ko/``), and there is one for every notebook (``notebooks``:
    the file names; default the English notebooks')."""
    path = Path(path)
    language = READMES.get(path.name, "")
    text = path.read_text(encoding="utf-8")
    problems = [f"{path.name}: a Colab badge should link to {badge_url(match.group('name'), repository, language)}, "
                f"not {match.group(0)}" for match in BADGE.finditer(text)
                if match.group(0) != badge_url(match.group("name"), repository, language)]
    names = notebooks if notebooks is not None else [p.name for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]
    found = {match.group("name") for match in BADGE.finditer(text)}
    problems += [f"{path.name}: no Colab badge for {name}" for name in names if name not in found]
    return problems


def rewrite_readme(path: str | Path, repository: str | None = None) -> bool:
    """Point a README's Colab badges at ``repository`` (its edition's notebooks); True when the file changed
    (every notebook's row)."""
    path = Path(path)
    language = READMES.get(path.name, "")
    text = path.read_text(encoding="utf-8")
    rewritten = BADGE.sub(lambda match: badge_url(match.group("name"), repository, language), text)
    if rewritten == text:
        return False
    path.write_text(rewritten, encoding="utf-8")
    return True


def rebuild_editions(folder: Path = NOTEBOOKS, root: Path | None = None) -> dict[str, int]:
    """What ``make ko`` does, for every edition: refresh the catalogues (a badge that only changed its repository
    keeps its translation) and build ``notebooks/<language>/``, whose badges come from :func:`badge_url` and whose
    setup cells are the English ones (after ``--repo``); language -> notebooks changed (every notebook)."""
    from .i18n.build import build_all
    from .i18n.catalogue import I18N, english_notebooks, refresh

    root = root or I18N
    changed = {}
    for language in EDITIONS:
        notebooks = english_notebooks(folder)
        for notebook in notebooks:
            refresh(notebook, language, root)
        report = build_all(language, folder=folder, root=root, notebooks=notebooks)
        changed[language] = sum(not current for _, current in report.values())
    return changed


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
    """``python -m lectureutils.colab --repo OWNER/NAME`` (rewrite) or ``--check`` (report) (every notebook, both
    editions, the READMEs)."""
    global REPOSITORY
    parser = argparse.ArgumentParser(prog="python -m lectureutils.colab", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", help="OWNER/NAME of the GitHub repository the badges and setup cells point to")
    parser.add_argument("--check", action="store_true", help="only report notebooks that disagree")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="default: every notebook in notebooks/ and notebooks/ko/, and README.md, README.ko.md")
    args = parser.parse_args(argv)
    everything = not args.notebooks
    english = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    editions = [] if not everything else [path for language in EDITIONS
                                          for path in sorted((NOTEBOOKS / language).glob("[0-9][0-9]_*.ipynb"))]
    readmes = [] if not everything else [ROOT / name for name in READMES if (ROOT / name).exists()]
    if args.check:
        problems = [problem for path in english + editions for problem in notebook_problems(path)]
        problems += [problem for path in readmes for problem in readme_problems(path)]
        checked = f"{len(english) + len(editions)} notebooks" + (f" and {len(readmes)} READMEs" if readmes else "")
        print("\n".join(problems) or f"{checked} agree with {REPOSITORY}")
        return 1 if problems else 0
    repository = args.repo or REPOSITORY
    if not re.fullmatch(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", repository):
        parser.error(f"--repo must look like OWNER/NAME, not {repository!r}")
    generated = [str(path) for path in english if edition_of(path)]
    if generated:
        parser.error(f"{', '.join(generated)}: generated (make ko); name the English notebooks")
    if repository != REPOSITORY:
        module = Path(__file__)
        module.write_text(module.read_text(encoding="utf-8").replace(
            f'REPOSITORY = "{REPOSITORY}"', f'REPOSITORY = "{repository}"', 1), encoding="utf-8")
        REPOSITORY = repository  # what the Korean build reads below
    changed = [path.name for path in english if rewrite_notebook(path, repository)]
    print(f"{len(changed)} of {len(english)} notebooks rewritten for {repository}")
    if everything:
        rewritten = [path.name for path in readmes if rewrite_readme(path, repository)]
        print(f"READMEs rewritten: {', '.join(rewritten) or 'none'}")
        for language, count in rebuild_editions().items():
            print(f"notebooks/{language}/: catalogues refreshed, {count} notebooks rebuilt (make {language})")
    elif EDITIONS:
        print(f"only the notebooks named were rewritten: run `make {' '.join(EDITIONS)}` to rebuild "
              f"{', '.join(f'notebooks/{language}/' for language in EDITIONS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
