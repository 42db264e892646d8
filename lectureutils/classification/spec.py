"""``python -m lectureutils.finetune classification``: what notebook 05's fine-tuning adds to the task runner.

Taught in notebooks/05_document_classification.ipynb (§11, "The same training from the command line").

    python -m lectureutils.finetune classification --output checkpoints/nsmc
    python -m lectureutils.finetune classification --output /tmp/nsmc --max-steps 40 --limit 2000

The folder holds ``model.safetensors``, the config, the tokenizer and ``training_args.json`` (with the summary):
reload it with ``lectureutils.classification.load_classifier(folder)``.
"""

from __future__ import annotations

from ..finetune import TaskSpec, trainer_scores
from . import settings
from .metrics import compute_metrics

__all__ = ["SPEC"]


def read(split: str, path, args):
    """One NSMC split: ``path`` (``--train-file``/``--test-file``) if given, else ``load_nsmc`` (05 §11)."""
    from .corpus import load_nsmc, read_nsmc

    return read_nsmc(path) if path is not None else load_nsmc(split)


def load_model(args, tokenizer):
    """kcbert with a new 2-way head (05 §4)."""
    from .inference import load_pretrained_classifier

    return load_pretrained_classifier(args.model)


def encode(frame, tokenizer, args, split: str):
    """Reviews to token ids, cut at ``--max-length`` (05 §3)."""
    from .features import tokenize_dataset

    return tokenize_dataset(frame, tokenizer, args.hyper.max_length)


def check(args) -> list[str]:
    """Given files come in pairs (05 §11)."""
    if (args.train_file is None) != (args.test_file is None):
        return ["give both --train-file and --test-file, or neither."]
    return []


SPEC = TaskSpec(
    description="NSMC sentiment classification (notebook 05)",
    settings=settings,
    unit="reviews",
    splits=("train", "test"),
    read=read,
    load_model=load_model,
    encode=encode,
    compute_metrics=compute_metrics,
    evaluate=trainer_scores("accuracy", "f1"),
    file_format="an NSMC-format file (id, document, label)",
    check=check,
    reload="lectureutils.classification.load_classifier(folder)",
)
