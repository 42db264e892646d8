"""Document classification (NSMC movie-review sentiment), taught in notebooks/05_document_classification.ipynb.

One task, the same parts as every task (CONTRIBUTING.md, "Adding a task"):

- ``corpus``: NSMC's published files, strict reader and offline sample (§1);
- ``features``: reviews to token ids for the ``Trainer`` (§3);
- ``metrics``: accuracy and F1, softmax (§6);
- ``inference``: labels, loading (safetensors only), the lecture's ``inference_fn`` and ``predict_batch`` (§4, §9, §10);
- ``settings``: the lecture's model and hyper-parameters (Parameters);
- ``spec``: what ``python -m lectureutils.finetune classification`` adds to the task runner (§11).

Labels follow NSMC: 0 = negative (부정), 1 = positive (긍정).
"""

from .corpus import NSMC, load_nsmc, read_nsmc
from .features import tokenize_dataset
from .inference import (
    FIELDS,
    ID2LABEL,
    KOREAN_LABELS,
    LABEL2ID,
    NEGATIVE,
    POSITIVE,
    PREDICTION_NAMES,
    check_sentence,
    format_result,
    inference_fn,
    is_hub_id,
    load_classifier,
    load_pretrained_classifier,
    positive_probabilities,
    predict_batch,
    prediction_name,
)
from .metrics import compute_metrics, softmax

__all__ = [
    "NSMC", "load_nsmc", "read_nsmc",
    "tokenize_dataset",
    "FIELDS", "ID2LABEL", "KOREAN_LABELS", "LABEL2ID", "NEGATIVE", "POSITIVE", "PREDICTION_NAMES",
    "check_sentence", "format_result", "inference_fn", "is_hub_id", "load_classifier", "load_pretrained_classifier",
    "positive_probabilities", "predict_batch", "prediction_name",
    "compute_metrics", "softmax",
]
