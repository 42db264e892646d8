"""Checkers for notebook 08_pretraining_from_scratch's exercises (Exercises section)."""

from __future__ import annotations

import math

from ..i18n import _
from ._common import checker, compare, number


@checker("08.1")
def uniform_mlm_loss(answer, vocab_size, untrained_loss=None) -> str | None:
    """08_pretraining_from_scratch, exercise 1: a uniform guess over V tokens has cross-entropy log(V)."""
    other_base = _("cross-entropy uses the natural logarithm (math.log).")
    hint = compare(answer, math.log(vocab_size), [
        (math.log2(vocab_size), other_base), (math.log10(vocab_size), other_base),
        (vocab_size, _("that is the perplexity; the loss is its logarithm.")),
    ], _("each token gets probability 1/V (V = VOCAB_SIZE = {size}); the loss is -log(1/V).").format(size=vocab_size),
        kind=number, tolerance=0.01)
    if hint is None and untrained_loss is not None:
        print(_("(the untrained model's loss was {loss:.2f})").format(loss=untrained_loss))
    return hint


@checker("08.2")
def unchanged_of_4000(answer, mask_probability=0.15) -> str | None:
    """08_pretraining_from_scratch, exercise 2: 15 % chosen, 10 % of those left unchanged."""
    chosen = round(4000 * mask_probability)
    return compare(answer, round(chosen * 0.1), [
        (chosen, _("that many are chosen; of the chosen, 80 % become [MASK], 10 % random, 10 % stay unchanged.")),
        (round(chosen * 0.8), _("that many become [MASK]; the unchanged share of the chosen is 10 %.")),
    ], _("{share:.0%} of the 4,000 are chosen, and 10 % of the chosen stay as they are.").format(
        share=mask_probability), kind=number, tolerance=0.5)
