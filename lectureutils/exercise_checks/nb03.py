"""Checkers for notebook 03_next_sentence_prediction's exercises (Exercises section)."""

from __future__ import annotations

import math

from ._common import checker, number, whole_number

__all__ = ["segment_b_tokens", "p_is_next"]


@checker("03.1")
def segment_b_tokens(answer, tokenizer, prompt, next_sentence) -> str | None:
    """03_next_sentence_prediction, exercise 1: segment B is B's word pieces plus the [SEP] that closes it."""
    hint = whole_number(answer)
    if hint:
        return hint
    pieces = len(tokenizer.tokenize(next_sentence))
    if answer == pieces + 1:
        return None
    if answer == pieces:
        return "the [SEP] that closes sentence B belongs to segment B too."
    if answer == pieces + 2:
        return "[CLS] and the first [SEP] belong to segment A (token_type_ids 0)."
    return "count tokenizer.tokenize(NEXT_SENTENCE), then add the [SEP] at the end of B."


@checker("03.2")
def p_is_next(answer) -> str | None:
    """03_next_sentence_prediction, exercise 2: softmax of [2, -1] at index 0, e^2 / (e^2 + e^-1)."""
    hint = number(answer)
    if hint:
        return hint
    expected = math.exp(2.0) / (math.exp(2.0) + math.exp(-1.0))
    if abs(answer - expected) < 1e-6:
        return None
    if abs(answer - (1 - expected)) < 1e-6:
        return "that is P(NotNext), index 1; IsNext is index 0."
    if 0.95 < answer / expected < 1.05:
        return "close: keep more decimals (compute it with math.exp, do not round)."
    return "softmax: e^z0 / (e^z0 + e^z1) with z = [2.0, -1.0]."
