"""Checkers for notebook 12_from_gpt_to_chatgpt's exercises (Exercises section)."""

from __future__ import annotations

import math

from ._common import checker

__all__ = ["lora_rank_four", "at_most_ten_words", "dpo_loss_by_hand"]


@checker("12.1")
def lora_rank_four(answer, lora_matrices, r16_count, full_count) -> str | None:
    """12_from_gpt_to_chatgpt, exercise 1: LoRA's trainable parameters at r=4 = Σ 4·(d_in + d_out)."""
    expected = sum(4 * (d_in + d_out) for _, d_in, d_out, _ in lora_matrices)
    if not isinstance(answer, (int, float)) or isinstance(answer, bool):
        return f"the answer is a number of parameters (got {answer!r})."
    if answer == expected:
        return None
    if answer == r16_count:
        return "that is the count at r=16 (the notebook's LORA_RANK): build the adapter with LoraConfig(r=4, ...)."
    if answer == full_count:
        return "that is every parameter of the model (full fine-tuning); count only what requires_grad after get_peft_model."
    if answer == sum(4 * d_in * d_out for _, d_in, d_out, _ in lora_matrices):
        return "r·d_in·d_out is not LoRA's cost: A is r × d_in and B is d_out × r, so r·(d_in + d_out) per matrix."
    return "count the parameters with requires_grad of get_peft_model(<a copy of the model>, LoraConfig(r=4, ...))."


@checker("12.2")
def at_most_ten_words(answer) -> str | None:
    """12_from_gpt_to_chatgpt, exercise 2: a checker for "answer in at most ten words"."""
    if not callable(answer):
        return f"define a function at_most_ten_words(text) that returns True or False (got {answer!r})."
    cases = {
        "BERT는 양방향 인코더입니다.": True,
        "one two three four five six seven eight nine ten": True,
        "one two three four five six seven eight nine ten eleven": False,
        "  spaces   around   words  ": True,
        "1. a\n2. b\n3. c": True,
    }
    for text, expected in cases.items():
        if bool(answer(text)) != expected:
            return (f"at_most_ten_words({text!r}) should be {expected}: words are separated by any whitespace "
                    "(text.split()), and ten words are still allowed.")
    return None


@checker("12.3")
def dpo_loss_by_hand(answer) -> str | None:
    """12_from_gpt_to_chatgpt, exercise 3: DPO's loss for one pair, -log σ(β·(policy margin − reference margin))."""
    if not callable(answer):
        return f"define a function dpo_loss(policy_margin, reference_margin, beta) (got {answer!r})."
    for policy, reference, beta in [(0.0, 0.0, 0.1), (2.0, 0.5, 0.1), (-1.0, 1.0, 0.5), (30.0, -10.0, 1.0)]:
        z = beta * (policy - reference)
        expected = math.log1p(math.exp(-z)) if z > -30 else -z  # -log sigmoid(z), computed stably
        got = float(answer(policy, reference, beta))
        if not math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9):
            if math.isclose(got, math.log1p(math.exp(-(policy - reference))), rel_tol=1e-6):
                return "β scales the difference of margins before the sigmoid: z = beta * (policy − reference)."
            if math.isclose(got, -expected, rel_tol=1e-6):
                return "the loss is the negative log-sigmoid: it is at least 0 and falls as the policy's margin grows."
            return (f"dpo_loss({policy}, {reference}, {beta}) should be {expected:.6f}, got {got:.6f}: "
                    "-log σ(β·(policy_margin − reference_margin)), e.g. -torch.nn.functional.logsigmoid(...).")
    return None
