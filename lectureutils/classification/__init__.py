"""Document classification (NSMC movie-review sentiment), taught in notebooks/05_document_classification.ipynb.

The parts of every task (CONTRIBUTING.md, "Adding a task"): ``corpus`` (§1), ``features`` (§3), ``metrics`` (§6),
``inference`` (§9, §10), ``settings`` (Parameters) and ``spec`` (the command line, §11).
"""

from .corpus import NSMC, load_nsmc, read_nsmc
from .features import tokenize_dataset
from .inference import (NEGATIVE, POSITIVE, SENTIMENT_ID2LABEL, SENTIMENT_LABEL2ID, SENTIMENT_LABELS, format_result,
                        inference_fn, load_classifier, positive_probabilities, predict_batch)
from .metrics import compute_metrics, softmax

__all__ = [
    "NSMC", "load_nsmc", "read_nsmc", "tokenize_dataset",
    "NEGATIVE", "POSITIVE", "SENTIMENT_LABELS", "SENTIMENT_ID2LABEL", "SENTIMENT_LABEL2ID", "format_result",
    "inference_fn", "load_classifier", "positive_probabilities", "predict_batch", "compute_metrics", "softmax",
]
