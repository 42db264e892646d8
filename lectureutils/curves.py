"""The curves of a fine-tuning run: how often to evaluate (05 §5) and the loss and metric per step (05 §6)."""

from __future__ import annotations

import math

__all__ = ["training_steps", "evaluation_interval", "log_history", "plot_training_curves"]


def training_steps(num_examples: int, hyper, processes: int = 1) -> int:
    """How many optimizer steps a run takes: ``max_steps``, or the batches of all epochs (05 §5)."""
    if hyper.max_steps > 0:
        return hyper.max_steps
    per_epoch = math.ceil(num_examples / (hyper.batch_size * max(1, processes)))
    return max(1, math.ceil(per_epoch * hyper.epochs))


def evaluation_interval(num_examples: int, hyper, points: int = 10, processes: int = 1) -> int:
    """Steps between two evaluations so that a run has ``points`` of them (at least 5) on its curve (05 §5)."""
    return max(1, training_steps(num_examples, hyper, processes) // max(5, points))


def log_history(trainer_or_history):
    """A Trainer's (or its ``state.log_history``'s) training loss and evaluation metrics per step, two DataFrames
    (05 §6)."""
    import pandas as pd

    history = getattr(getattr(trainer_or_history, "state", None), "log_history", trainer_or_history)
    train_rows = [row for row in history if "loss" in row and "eval_loss" not in row]
    eval_rows = [row for row in history if "eval_loss" in row]
    train = pd.DataFrame(train_rows, columns=["step", "epoch", "loss", "learning_rate", "grad_norm"])
    evaluation = pd.DataFrame(eval_rows)
    if evaluation.empty:
        evaluation = pd.DataFrame(columns=["step", "epoch", "eval_loss"])
    return train.reset_index(drop=True), evaluation.reset_index(drop=True)


def plot_training_curves(trainer_or_history, metric: str = "eval_accuracy", reference: float | None = None,
                         reference_label: str = "baseline", title: str = ""):
    """Training and validation loss per step, and a validation ``metric`` with an optional ``reference`` line (a
    baseline's accuracy) (05 §6)."""
    import matplotlib.pyplot as plt

    train, evaluation = log_history(trainer_or_history)
    fig, (loss_ax, metric_ax) = plt.subplots(1, 2, figsize=(12, 4))
    loss_ax.plot(train["step"], train["loss"], label="training loss", color="tab:blue")
    if not evaluation.empty:
        loss_ax.plot(evaluation["step"], evaluation["eval_loss"], "o-", label="validation loss", color="tab:orange")
    loss_ax.set_xlabel("step")
    loss_ax.set_ylabel("cross-entropy loss")
    loss_ax.legend()
    loss_ax.set_title("loss")
    if not evaluation.empty and metric in evaluation:
        metric_ax.plot(evaluation["step"], evaluation[metric], "o-", color="tab:green", label=f"validation {metric.removeprefix('eval_')}")
    if reference is not None:
        metric_ax.axhline(reference, color="grey", linestyle="--", label=reference_label)
    metric_ax.set_xlabel("step")
    metric_ax.set_ylabel(metric.removeprefix("eval_"))
    metric_ax.set_ylim(0.0, 1.02)
    metric_ax.legend(loc="lower right")
    metric_ax.set_title(f"validation {metric.removeprefix('eval_')}")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
