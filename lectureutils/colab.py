"""Google Colab: the repository's one address, the Open-in-Colab badges made from it, Drive checkpoints.

Taught in every notebook's Setup cell (see notebooks/05_document_classification.ipynb, "Setup") and in 05 §5 (Drive
checkpoints, resuming after a disconnect). ``python -m tools.colab --repo OWNER/NAME`` rewrites :data:`REPOSITORY`
and every badge and setup cell made from it (maintainers).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import sys
from pathlib import Path

__all__ = ["REPOSITORY", "CLONE_DIR", "EDITIONS", "badge_url", "edition_of", "drive_folder", "last_checkpoint",
           "check_same_run"]

REPOSITORY = "bert-gpt-lectures/bert-gpt-lectures"
CLONE_DIR = "/content/bert-gpt-lectures"
EDITIONS = ("ko",)  # the generated editions, notebooks/<language>/ (tools/i18n; make ko)


def badge_url(notebook: str, repository: str | None = None, language: str = "") -> str:
    """The Open-in-Colab address of ``notebook`` (a file name) in ``repository`` (default :data:`REPOSITORY`), in
    the English edition or the ``language`` one, ``notebooks/<language>/`` (every notebook's title, both editions)."""
    folder = f"notebooks/{language}/" if language else "notebooks/"
    return f"https://colab.research.google.com/github/{repository or REPOSITORY}/blob/main/{folder}{notebook}"


def edition_of(path: str | Path) -> str:
    """The language of a notebook's edition: "ko" for ``notebooks/ko/*.ipynb``, "" for the English one
    (every notebook)."""
    return Path(path).parent.name if Path(path).parent.name in EDITIONS else ""


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


