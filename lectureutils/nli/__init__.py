"""Sentence-pair classification: natural language inference on KLUE-NLI (notebooks/09_sentence_pair_classification.ipynb).

The parts of every task (CONTRIBUTING.md, "Adding a task"): ``corpus``, ``features``, ``metrics``, ``inference``,
``settings`` and ``spec`` (``python -m lectureutils.finetune nli``).
"""

from .corpus import (KLUE_NLI, KOREAN_LABELS, NLI_ID2LABEL, NLI_LABEL2ID, NLI_LABELS, label_ids, load_klue_nli,
                     read_klue_nli)
from .features import encode_nli_pairs, pair_lengths
from .inference import check_pair, load_nli_model, nli_fn, predict_batch
from .metrics import accuracy_by_source, compute_metrics, confusion, plot_confusion_matrix, scores

__all__ = [
    "NLI_LABELS", "NLI_ID2LABEL", "NLI_LABEL2ID", "KOREAN_LABELS", "KLUE_NLI", "label_ids", "read_klue_nli",
    "load_klue_nli", "encode_nli_pairs", "pair_lengths", "scores", "compute_metrics", "confusion",
    "accuracy_by_source", "plot_confusion_matrix", "load_nli_model", "check_pair", "predict_batch", "nli_fn",
]
