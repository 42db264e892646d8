"""Classification metrics: accuracy and F1 for the ``Trainer``, softmax for probabilities (05 §6, "Evaluation")."""

from __future__ import annotations

from .inference import POSITIVE

__all__ = ["compute_metrics", "softmax"]


def compute_metrics(eval_prediction) -> dict:
    """Accuracy and F1 (positive class) from the Trainer's ``EvalPrediction`` (logits, labels) (05 §6)."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score

    logits, labels = eval_prediction.predictions, eval_prediction.label_ids
    if isinstance(logits, tuple):
        logits = logits[0]
    predictions = np.asarray(logits).argmax(axis=-1)
    return {
        "accuracy": float(accuracy_score(labels, predictions)),
        "f1": float(f1_score(labels, predictions, pos_label=POSITIVE, zero_division=0)),
    }


def softmax(logits):
    """Probabilities from logits along the last axis (numpy, numerically stable) (05 §6; 06 §5 per window)."""
    import numpy as np

    logits = np.asarray(logits, dtype=np.float64)
    exponentials = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)
