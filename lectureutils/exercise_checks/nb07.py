"""Checkers for notebook 07_gpt_generation's exercises (Exercises section)."""

from __future__ import annotations

import math

from ..i18n import N_, _
from ._common import checker, compare, judgement, number


@checker("07.1")
def p_first_under_top_k(answer, top) -> str | None:
    """07_gpt_generation, exercise 1: top-k renormalises: the favourite's probability over the top-k's total."""
    values = [float(value) for value in top.values]
    return compare(answer, values[0] / sum(values), [
        (values[0], _("that is its probability before top-k; top-k keeps the k best and renormalises them to sum to "
                      "1.")),
    ], _("divide the favourite's probability by the sum of the k kept probabilities (top.values)."), kind=number,
        tolerance=1e-4)


@checker("07.2")
def uniform_perplexity(answer, vocab_size) -> str | None:
    """07_gpt_generation, exercise 2: a uniform model's perplexity is exp(-log(1/V)) = V."""
    return compare(answer, vocab_size, [
        (math.log(vocab_size), _("that is the loss (cross-entropy); perplexity is exp of it.")),
    ], _("every token has probability 1/V (V = config.vocab_size = {size}); perplexity = exp(-log(1/V))."
         ).format(size=vocab_size), kind=number, tolerance=0.5)


judgement(
    "07.3", "07_gpt_generation, exercise 3 (judgement): choose decoding settings for a product-description generator "
    "and say why.",
    points={
        N_("Which strategy and settings do you choose?"): (
            "greedy", "beam", "top-k", "top_k", "top-p", "top_p", "nucleus", "sampl", "temperature", "탐욕", "그리디",
            "빔", "샘플링", "온도"),
        N_("How do you keep the text from repeating itself (greedy and beam search loop)?"): (
            "repeat", "repetit", "loop", "no_repeat", "n-gram", "ngram", "반복"),
        N_("How do you balance variety against staying on the facts?"): (
            "variety", "varied", "divers", "same", "dull", "boring", "fact", "accura", "on topic", "coheren", "다양",
            "정확", "사실", "일관", "지루", "똑같"),
        N_("What could still go wrong, and how would you catch it?"): (
            "invent", "made up", "made-up", "hallucin", "wrong", "check", "review", "human", "person", "환각", "검토",
            "검수", "틀린", "잘못", "사람"),
    },
    model_answer=N_(
        "Top-p (nucleus) sampling with top_p=0.9 at a temperature of about 0.7, plus no_repeat_ngram_size=3 (or a "
        "repetition penalty of about 1.2). Greedy and beam search would give similar products almost the same "
        "description and tend to loop, repeating a phrase. Sampling at temperature 1 or above gives variety but "
        "drifts off the product and invents features. A lower temperature with top-p keeps the likely, on-topic "
        "words while still varying the wording, and blocking repeated n-grams stops the loops. I would fix the "
        "seed so that a description can be reproduced, and have a person review the descriptions before they go "
        "online: any of these strategies can still state a feature the product does not have (a made-up fact), "
        "because the model only continues text."),
)
