"""Masked language model plumbing for notebook 02: input checks ("When the input is wrong"), result tables and
charts ("Fill-mask with the pipeline"), and the tolerances of measured masking shares ("How MLM training data is
made"). The lesson itself (mask logits -> softmax -> top-k, the collator's 80/10/10) is written out in the notebook.
"""

from __future__ import annotations

import math
import re
import warnings

from .inputs import check_text, max_model_length

__all__ = ["require_mask_token", "prepare_masked_input", "fill_mask", "predictions_table", "top_k_chart",
           "format_probability", "binomial_tolerance", "masking_shares_chart"]

# Spellings of a mask token a student may type: "[MASK]" for a model whose mask is "<mask>", "[mask]", "[ MASK]"
MASK_LOOKALIKE = re.compile(r"\[\s*mask\s*\]|<\s*mask\s*>", re.IGNORECASE)


def require_mask_token(text, tokenizer) -> int:
    """How many mask tokens ``text`` holds, counted on the token ids; none: ValueError naming the right token and
    any look-alike found (02, "When the input is wrong")."""
    if not isinstance(text, str):
        raise TypeError(f"The masked text must be a string, not {type(text).__name__}.")
    mask_token = getattr(tokenizer, "mask_token", None)
    if mask_token is None or tokenizer.mask_token_id is None:
        raise ValueError(
            "This tokenizer has no mask token, so its model was not pre-trained to fill in blanks: "
            "use a masked language model such as BERT."
        )
    ids = tokenizer(text, add_special_tokens=False, truncation=False)["input_ids"]
    count = ids.count(tokenizer.mask_token_id)
    if count > 0:
        return count
    lookalikes = sorted(set(MASK_LOOKALIKE.findall(text)) - {mask_token})
    hint = ""
    if lookalikes:
        found = ", ".join(repr(token) for token in lookalikes)
        hint = f" The text has {found}, which this tokenizer reads as ordinary text."
    shown = text if len(text) <= 60 else text[:57] + "..."
    raise ValueError(
        f"No mask token in {shown!r}. This tokenizer's mask token is {mask_token!r}.{hint} "
        f"Build the text with tokenizer.mask_token, e.g. f\"I went to {{tokenizer.mask_token}} this morning.\""
    )


def prepare_masked_input(text, tokenizer, model=None, return_tensors: str = "pt"):
    """Masked text tokenized for ``model``: checked, and truncated with a warning if too long; ValueError when a
    mask would be cut off (02, "When the input is wrong")."""
    count = require_mask_token(text, tokenizer)
    limit = max_model_length(tokenizer, model)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_text(text, tokenizer, model, truncate=True, what="masked text")
    encoding = tokenizer(text, truncation=True, max_length=limit, return_tensors=return_tensors)
    kept = sum(int(token_id == tokenizer.mask_token_id) for token_id in _flat_ids(encoding["input_ids"]))
    if kept < count:
        raise ValueError(
            f"The text is longer than this model's maximum of {limit} tokens and {count - kept} of its "
            f"{count} {tokenizer.mask_token} token(s) lie beyond it: put the mask earlier or shorten the text."
        )
    for warning in caught:  # re-issue check_text's warning from here, so it points at the caller
        warnings.warn(str(warning.message), warning.category, stacklevel=2)
    return encoding


def fill_mask(fill_pipeline, text, top_k: int = 5, **kwargs):
    """``fill_pipeline(text, top_k=...)`` after ``prepare_masked_input``'s checks, over-long text truncated with a
    warning (02, "When the input is wrong")."""
    tokenizer = fill_pipeline.tokenizer
    model = fill_pipeline.model
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prepare_masked_input(text, tokenizer, model)
    for warning in caught:
        warnings.warn(str(warning.message), warning.category, stacklevel=2)
    limit = max_model_length(tokenizer, model)
    tokenizer_kwargs = {"truncation": True, "max_length": limit}
    return fill_pipeline(text, top_k=top_k, tokenizer_kwargs=tokenizer_kwargs, **kwargs)


def _flat_ids(ids) -> list[int]:
    """Token ids of one text as a flat list (from a list, a nested list or a tensor)."""
    if hasattr(ids, "tolist"):
        ids = ids.tolist()
    if ids and isinstance(ids[0], list):
        return [token for row in ids for token in row]
    return list(ids)


def predictions_table(results: dict):
    """Top-k predictions of several probes side by side: rows are ranks, columns (probe, token/score); ``results``
    maps a probe to the pipeline's list for one mask (02, "Fill-mask with the pipeline")."""
    import pandas as pd

    if not results:
        raise ValueError("No results to tabulate.")
    columns = {}
    for probe, predictions in results.items():
        _check_predictions(predictions, probe)
        columns[(probe, "token")] = [prediction["token_str"].strip() for prediction in predictions]
        columns[(probe, "score")] = [float(prediction["score"]) for prediction in predictions]
    depth = max(len(values) for values in columns.values())
    table = pd.DataFrame({key: pd.Series(values, dtype=object if key[1] == "token" else float) for key, values in columns.items()})
    table.index = pd.RangeIndex(1, depth + 1, name="rank")
    table.columns = pd.MultiIndex.from_tuples(table.columns, names=["probe", ""])
    return table


def _check_predictions(predictions, probe) -> None:
    if not isinstance(predictions, (list, tuple)) or not predictions:
        raise ValueError(f"{probe!r}: expected a non-empty list of predictions, got {predictions!r}.")
    if isinstance(predictions[0], (list, tuple)):
        raise ValueError(f"{probe!r} has several masks (a list per mask): pass one mask's list at a time.")
    for prediction in predictions:
        if "token_str" not in prediction or "score" not in prediction:
            raise ValueError(f"{probe!r}: each prediction needs 'token_str' and 'score', got {prediction!r}.")


def top_k_chart(predictions, title: str = "", ax=None, color: str = "tab:blue"):
    """Bar chart of one mask's top-k predictions, best at the top (02, "Fill-mask with the pipeline")."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    _check_predictions(predictions, title)
    tokens = [prediction["token_str"].strip() for prediction in predictions]
    scores = [float(prediction["score"]) for prediction in predictions]
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 0.45 * len(tokens) + 1))
    positions = list(range(len(tokens)))[::-1]
    ax.barh(positions, scores, color=color)
    ax.set_yticks(positions, tokens)
    for position, score in zip(positions, scores):
        ax.text(score, position, f" {format_probability(score)}", va="center", fontsize=8)
    ax.set_xlim(0, max(scores) * 1.3 if max(scores) > 0 else 1)
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.set_xlabel("probability")
    ax.set_title(title, fontsize=10)
    return ax


def format_probability(value: float) -> str:
    """0.762 -> "0.762"; 9.4e-05 -> "9.4e-05": a random stand-in's probabilities are tiny (02, §3)."""
    return f"{value:.3f}" if value >= 0.001 or value == 0 else f"{value:.1e}"


def binomial_tolerance(share: float, count: int, sigmas: float = 5.0) -> float:
    """How far a share measured on ``count`` trials may stray from ``share``: ``sigmas`` standard errors,
    sqrt(p (1 - p) / n). With 5 a correct rule fails under once in a million runs; 90/5/5 instead of 80/10/10 fails
    once there are a few thousand tokens (02, "How MLM training data is made")."""
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share must be between 0 and 1, not {share}.")
    if count <= 0:
        raise ValueError(f"Need at least one trial to measure a share, not {count}.")
    return sigmas * math.sqrt(share * (1.0 - share) / count)


def masking_shares_chart(rows, title: str = "", ax=None, legend: bool = True):
    """Measured shares beside the expected ones, tolerance as error bar; ``rows``: (label, measured, expected,
    tolerance) (02, "How MLM training data is made")."""
    import matplotlib.pyplot as plt
    import numpy as np

    if not rows:
        raise ValueError("Nothing to draw: rows is empty.")
    labels = [row[0] for row in rows]
    measured = np.array([row[1] for row in rows], dtype=float)
    expected = np.array([row[2] for row in rows], dtype=float)
    tolerance = np.array([row[3] for row in rows], dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.6 * len(rows) + 2, 3.5))
    positions = np.arange(len(rows))
    width = 0.38
    ax.bar(positions - width / 2, expected, width, color="lightgray", edgecolor="gray", label="expected")
    ax.bar(positions + width / 2, measured, width, yerr=tolerance, capsize=4, color="tab:orange", label="measured (± tolerance)")
    top = min(1.0, max(measured.max(), expected.max()) * 1.25 + 0.02)
    for position, value, error in zip(positions, measured, tolerance):
        ax.text(position + width / 2, value + error + 0.02 * top, f"{100 * value:.1f}%", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(positions, labels)
    ax.set_ylim(0, top)
    ax.set_ylabel("share")
    if legend:
        ax.legend(fontsize=8, loc="upper right")
    ax.set_title(title, fontsize=10)
    return ax
