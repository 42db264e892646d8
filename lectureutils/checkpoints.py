"""Reloading a fine-tuned checkpoint safely: one rule shared by every task's loader and the web service.

Taught in notebooks/05_document_classification.ipynb (§9, saving and reloading) and used the same way by 06, 09,
10 and 11: a folder is loaded only if it holds ``config.json`` and safetensors weights; a pickled
``pytorch_model.bin`` is never loaded, because unpickling a file can run code.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["is_hub_id", "saved_model_folder", "load_checkpoint"]


def is_hub_id(name) -> bool:
    """True for ``owner/name`` that is no folder here: a model on the Hugging Face Hub (05, Parameters)."""
    return not Path(str(name)).exists() and re.fullmatch(r"[\w.-]+/[\w.-]+", str(name)) is not None


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


def load_checkpoint(model_class, directory, task: str, device: str | None = None):
    """``(model, tokenizer)`` of a fine-tuned checkpoint, in evaluation mode, on ``device`` if given (05 §9).

    ``directory`` is a saved folder (checked by :func:`saved_model_folder`), or the Hub id of a fine-tuned model
    (a notebook's ``CHECKPOINT``), whose safetensors weights alone are downloaded.
    """
    from transformers import AutoTokenizer

    source = str(directory) if is_hub_id(directory) else str(saved_model_folder(directory, task))
    try:
        model = model_class.from_pretrained(source, use_safetensors=True)
    except OSError as error:
        raise FileNotFoundError(f"{source} is neither a saved model folder here nor a model on the Hugging Face Hub "
                                f"with safetensors weights ({error}).") from None
    tokenizer = AutoTokenizer.from_pretrained(source)
    if device is not None:
        model = model.to(device)
    return model.eval(), tokenizer
