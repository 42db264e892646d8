"""Sentence-pair classification: natural language inference on KLUE-NLI (notebooks/09_sentence_pair_classification.ipynb).

The task's parts, as every fine-tuning task has them: ``corpus`` (published files, labels, strict reader,
offline sample), ``features`` (pairs to token ids), ``metrics`` (accuracy, macro F1, confusion matrix, per
source), ``inference`` (safetensors-only loading, ``nli_fn``/``predict_batch``), ``settings`` (the
lecture's model and hyper-parameters) and ``spec`` (what ``python -m lectureutils.finetune nli`` adds to the task
runner). Nothing heavy is imported until a function is called.
"""

from .corpus import (
    ID2LABEL,
    KLUE_NLI,
    KOREAN_LABELS,
    LABEL2ID,
    LABELS,
    label_ids,
    load_klue_nli,
    read_klue_nli,
)
from .features import encode_pairs, pair_lengths
from .inference import check_pair, load_nli_model, load_pretrained_nli, nli_fn, predict_batch
from .metrics import accuracy_by_source, compute_metrics, confusion, plot_confusion_matrix, scores

__all__ = [
    "LABELS", "ID2LABEL", "LABEL2ID", "KOREAN_LABELS", "KLUE_NLI", "label_ids", "read_klue_nli", "load_klue_nli",
    "encode_pairs", "pair_lengths",
    "scores", "compute_metrics", "confusion", "accuracy_by_source", "plot_confusion_matrix",
    "load_pretrained_nli", "load_nli_model", "check_pair", "predict_batch", "nli_fn",
]
