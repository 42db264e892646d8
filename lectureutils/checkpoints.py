"""Reloading a fine-tuned checkpoint safely: one check shared by every task's loader.

Taught in notebooks/05_document_classification.ipynb (§9, saving and reloading) and used the same way by
06, 09, 10 and 11: a folder is loaded only if it holds ``config.json`` and safetensors weights; a pickled
``pytorch_model.bin`` is never loaded, because unpickling a file can run code.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["saved_model_folder"]


def saved_model_folder(directory: str | os.PathLike, task: str) -> Path:
    """``directory`` as a Path if it holds a safetensors checkpoint, else FileNotFoundError saying how to make one
    (05 §9; ``task`` is the ``python -m lectureutils.finetune`` subcommand that trains it)."""
    folder = Path(directory)
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder} is not a saved model (no config.json). Train one first, e.g. "
                                f"`python -m lectureutils.finetune {task} --output {folder}`.")
    if not any(folder.glob("*.safetensors")):
        pickled = [path.name for path in folder.glob("*.bin")]
        only = f" (only {', '.join(pickled)})" if pickled else ""
        raise FileNotFoundError(
            f"{folder} has no .safetensors weights{only}; only safetensors checkpoints are loaded. If you trust a "
            "pickled checkpoint, convert it once with `<ModelClass>.from_pretrained(folder).save_pretrained(folder)`."
        )
    return folder
