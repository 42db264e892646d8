"""Checkers for notebook 07_gpt_generation's exercises (Exercises section)."""

from __future__ import annotations

import math

from ._common import checker, number

__all__ = ["p_first_under_top_k", "uniform_perplexity"]


@checker("07.1")
def p_first_under_top_k(answer, top) -> str | None:
    """07_gpt_generation, exercise 1: top-k renormalises: the favourite's probability over the top-k's total."""
    hint = number(answer)
    if hint:
        return hint
    values = [float(value) for value in top.values]
    expected = values[0] / sum(values)
    if abs(answer - expected) < 1e-4:
        return None
    if abs(answer - values[0]) < 1e-4:
        return "that is its probability before top-k; top-k keeps the k best and renormalises them to sum to 1."
    return "divide the favourite's probability by the sum of the k kept probabilities (top.values)."


@checker("07.2")
def uniform_perplexity(answer, vocab_size) -> str | None:
    """07_gpt_generation, exercise 2: a uniform model's perplexity is exp(-log(1/V)) = V."""
    hint = number(answer)
    if hint:
        return hint
    if round(answer) == vocab_size:
        return None
    if abs(answer - math.log(vocab_size)) < 0.01:
        return "that is the loss (cross-entropy); perplexity is exp of it."
    return f"every token has probability 1/V (V = config.vocab_size = {vocab_size}); perplexity = exp(-log(1/V))."
