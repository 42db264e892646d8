"""Checkers for notebook 05_document_classification's exercises (Exercises section)."""

from __future__ import annotations

import math

from ._common import checker, whole_number

__all__ = ["padding_by_hand", "evaluation_points"]
LENGTHS = [12, 30, 7, 51]


def _pair(answer, names):
    if not isinstance(answer, tuple) or len(answer) != 2:
        return f"answer both ({', '.join(names)}) (got {answer!r})."
    for value in answer:
        hint = whole_number(value)
        if hint:
            return hint
    return None


@checker("05.1")
def padding_by_hand(answer) -> str | None:
    """05_document_classification, exercise 1: padding tokens with dynamic padding and with padding to 128."""
    hint = _pair(answer, ["dynamic_padding_tokens", "fixed_padding_tokens"])
    if hint:
        return hint
    dynamic, fixed = answer
    if dynamic != max(LENGTHS) * len(LENGTHS) - sum(LENGTHS):
        if dynamic == max(LENGTHS) * len(LENGTHS):
            return "that counts every token of the padded batch; subtract the real tokens."
        return "dynamic padding pads every review to the longest of its batch (51 tokens)."
    if fixed != 128 * len(LENGTHS) - sum(LENGTHS):
        return "padding to 128: 4 rows of 128 tokens, minus the real ones."
    return None


@checker("05.2")
def evaluation_points(answer) -> str | None:
    """05_document_classification, exercise 2: optimizer steps of the full run and eval_steps for 10 points."""
    hint = _pair(answer, ["full_run_steps", "full_run_eval_steps"])
    if hint:
        return hint
    steps, eval_steps = answer
    expected = math.ceil(150_000 / 32) * 3
    if steps != expected:
        if steps == 150_000 // 32 * 3:
            return "the last, smaller batch of each epoch is a step too: round the batches per epoch up."
        if steps == math.ceil(150_000 / 32):
            return "that is one epoch; the full run has 3."
        return "batches per epoch (150,000 / 32, rounded up) times 3 epochs."
    if eval_steps != steps // 10:
        return "the steps divided by the 10 evaluation points, rounded down."
    return None
