"""Checkers for notebook 07_gpt_generation's exercises (Exercises section)."""

from __future__ import annotations

import math

from ._common import checker, judgement, number

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


decoding_for_product_descriptions = judgement(
    "07.3",
    points={
        "Which strategy and settings do you choose?": (
            "greedy", "beam", "top-k", "top_k", "top-p", "top_p", "nucleus", "sampl", "temperature",
            "탐욕", "그리디", "빔", "샘플링", "온도"),
        "How do you keep the text from repeating itself (greedy and beam search loop)?": (
            "repeat", "repetit", "loop", "no_repeat", "n-gram", "ngram", "반복"),
        "How do you balance variety against staying on the facts?": (
            "variety", "varied", "divers", "same", "dull", "boring", "fact", "accura", "on topic", "coheren",
            "다양", "정확", "사실", "일관", "지루", "똑같"),
        "What could still go wrong, and how would you catch it?": (
            "invent", "made up", "made-up", "hallucin", "wrong", "check", "review", "human", "person",
            "환각", "검토", "검수", "틀린", "잘못", "사람"),
    },
    model_answer=(
        "Top-p (nucleus) sampling with top_p=0.9 at a temperature of about 0.7, plus no_repeat_ngram_size=3 "
        "(or a repetition penalty of about 1.2). Greedy and beam search would give similar products almost the "
        "same description and tend to loop, repeating a phrase. Sampling at temperature 1 or above gives variety "
        "but drifts off the product and invents features. A lower temperature with top-p keeps the likely, "
        "on-topic words while still varying the wording, and blocking repeated n-grams stops the loops. I would "
        "fix the seed so that a description can be reproduced, and have a person review the descriptions before "
        "they go online: any of these strategies can still state a feature the product does not have (a made-up "
        "fact), because the model only continues text."),
)
decoding_for_product_descriptions.__doc__ = (
    "07_gpt_generation, exercise 3: choose decoding settings for a product-description generator and say why "
    "(a judgement: any reasoned answer that covers the points passes).")
