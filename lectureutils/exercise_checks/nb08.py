"""Checkers for notebook 08_pretraining_from_scratch's exercises (Exercises section)."""

from __future__ import annotations

import math

from ._common import checker, number

__all__ = ["uniform_mlm_loss", "unchanged_of_4000"]


@checker("08.1")
def uniform_mlm_loss(answer, vocab_size, untrained_loss=None) -> str | None:
    """08_pretraining_from_scratch, exercise 1: a uniform guess over V tokens has cross-entropy log(V)."""
    hint = number(answer)
    if hint:
        return hint
    if abs(answer - math.log(vocab_size)) < 0.01:
        if untrained_loss is not None:
            print(f"(the untrained model's loss was {untrained_loss:.2f})")
        return None
    if abs(answer - math.log2(vocab_size)) < 0.01 or abs(answer - math.log10(vocab_size)) < 0.01:
        return "cross-entropy uses the natural logarithm (math.log)."
    if round(answer) == vocab_size:
        return "that is the perplexity; the loss is its logarithm."
    return f"each token gets probability 1/V (V = VOCAB_SIZE = {vocab_size}); the loss is -log(1/V)."


@checker("08.2")
def unchanged_of_4000(answer, mask_probability=0.15) -> str | None:
    """08_pretraining_from_scratch, exercise 2: 15 % chosen, 10 % of those left unchanged."""
    hint = number(answer)
    if hint:
        return hint
    chosen = 4000 * mask_probability
    if round(answer) == round(chosen * 0.1):
        return None
    if round(answer) == round(chosen):
        return "that many are chosen; of the chosen, 80 % become [MASK], 10 % random, 10 % stay unchanged."
    if round(answer) == round(chosen * 0.8):
        return "that many become [MASK]; the unchanged share of the chosen is 10 %."
    return f"{mask_probability:.0%} of the 4,000 are chosen, and 10 % of the chosen stay as they are."
