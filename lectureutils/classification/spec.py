"""``python -m lectureutils.finetune classification``: what notebook 05's fine-tuning adds to the task runner (§11).

    python -m lectureutils.finetune classification --output /tmp/nsmc --max-steps 40 --limit 2000

Reload the folder with ``lectureutils.classification.load_classifier(folder)``.
"""

from __future__ import annotations

from ..finetune import TaskSpec, pretrained, reader, trainer_scores
from . import settings
from .corpus import load_nsmc, read_nsmc
from .inference import SENTIMENT_LABELS
from .metrics import compute_metrics

__all__ = ["SPEC"]


def encode(frame, tokenizer, args, split: str):
    """Reviews to token ids, cut at ``--max-length`` (05 §3)."""
    from .features import tokenize_dataset

    return tokenize_dataset(frame, tokenizer, args.hyper.max_length)


SPEC = TaskSpec(
    description="NSMC sentiment classification (notebook 05)",
    settings=settings,
    unit="reviews",
    splits=("train", "test"),
    read=reader(load_nsmc, read_nsmc),
    load_model=pretrained("AutoModelForSequenceClassification", SENTIMENT_LABELS),
    encode=encode,
    compute_metrics=compute_metrics,
    evaluate=trainer_scores("accuracy", "f1"),
    file_format="an NSMC-format file (id, document, label)",
    reload="lectureutils.classification.load_classifier(folder)",
)
