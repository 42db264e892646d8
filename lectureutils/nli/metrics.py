"""Scores for NLI: accuracy and macro F1, the 3x3 confusion matrix, accuracy per source.

Taught in notebooks/09_sentence_pair_classification.ipynb (§3 "Fine-tuning", §4 "Hypothesis-only baseline").
KLUE reports accuracy for NLI (KLUE-BERT-base: 81.63 on dev); macro F1 is added because it shows a
model that ignores one label even when accuracy looks fine.
"""

from __future__ import annotations

from .corpus import NLI_LABELS

__all__ = ["compute_metrics", "scores", "confusion", "accuracy_by_source", "plot_confusion_matrix"]


def scores(labels, predictions) -> dict:
    """``{"accuracy", "macro_f1"}`` from label ids and predicted ids (09 §3)."""
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "accuracy": float(accuracy_score(labels, predictions)),
        "macro_f1": float(f1_score(labels, predictions, labels=list(range(len(NLI_LABELS))), average="macro", zero_division=0)),
    }


def compute_metrics(eval_prediction) -> dict:
    """Accuracy and macro F1 from the Trainer's ``EvalPrediction`` (logits, label ids) (09 §3)."""
    import numpy as np

    logits = eval_prediction.predictions
    if isinstance(logits, tuple):
        logits = logits[0]
    return scores(eval_prediction.label_ids, np.asarray(logits).argmax(axis=-1))


def confusion(labels, predictions):
    """The 3x3 confusion matrix (rows: true label, columns: predicted, in :data:`NLI_LABELS` order) (09 §3)."""
    from sklearn.metrics import confusion_matrix

    return confusion_matrix(labels, predictions, labels=list(range(len(NLI_LABELS))))


def accuracy_by_source(sources, labels, predictions):
    """A DataFrame with one row per source: ``pairs`` and ``accuracy``, plus an ``all`` row (09 §3)."""
    import pandas as pd

    sources, labels, predictions = list(sources), list(labels), list(predictions)
    if not len(sources) == len(labels) == len(predictions):
        raise ValueError(f"sources, labels and predictions differ in length: {len(sources)}, {len(labels)}, {len(predictions)}.")
    frame = pd.DataFrame({"source": sources, "correct": [int(a == b) for a, b in zip(labels, predictions)]})
    table = frame.groupby("source")["correct"].agg(pairs="size", accuracy="mean").sort_index()
    table.loc["all"] = [len(frame), frame["correct"].mean()]
    table["pairs"] = table["pairs"].astype(int)
    return table


def plot_confusion_matrix(matrix, title: str = "", ax=None):
    """Draw a 3x3 confusion matrix with counts in the cells; returns the figure (09 §3)."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(4.8, 4.2))
    else:
        fig = ax.figure
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(NLI_LABELS)), NLI_LABELS, rotation=20)
    ax.set_yticks(range(len(NLI_LABELS)), NLI_LABELS)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true (gold_label)")
    high = max(int(matrix.max()), 1)
    for row in range(len(NLI_LABELS)):
        for column in range(len(NLI_LABELS)):
            value = int(matrix[row][column])
            ax.text(column, row, str(value), ha="center", va="center", color="white" if value > high / 2 else "black")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
