"""Checkers for notebook 12_from_gpt_to_chatgpt's exercises (Exercises section)."""

from __future__ import annotations

import math

from ..i18n import _
from ._common import checker, compare, function_hint, number


@checker("12.1")
def lora_rank_four(answer, lora_matrices, r16_count, full_count) -> str | None:
    """12_from_gpt_to_chatgpt, exercise 1: LoRA's trainable parameters at r=4 = Σ 4·(d_in + d_out)."""
    return compare(answer, sum(4 * (d_in + d_out) for _name, d_in, d_out, _rank in lora_matrices), [
        (r16_count, _("that is the count at r=16 (the notebook's LORA_RANK): build the adapter with LoraConfig(r=4, "
                      "...).")),
        (full_count, _("that is every parameter of the model (full fine-tuning); count only what requires_grad after "
                       "get_peft_model.")),
        (sum(4 * d_in * d_out for _name, d_in, d_out, _rank in lora_matrices),
         _("r·d_in·d_out is not LoRA's cost: A is r × d_in and B is d_out × r, so r·(d_in + d_out) per matrix.")),
    ], _("count the parameters with requires_grad of get_peft_model(<a copy of the model>, LoraConfig(r=4, ...))."),
        kind=number)


@checker("12.2")
def at_most_ten_words(answer) -> str | None:
    """12_from_gpt_to_chatgpt, exercise 2: a checker for "answer in at most ten words"."""
    if hint := function_hint(answer, "at_most_ten_words(text) -> True or False"):
        return hint
    cases = {"BERT는 양방향 인코더입니다.": True, "one two three four five six seven eight nine ten": True,
             "one two three four five six seven eight nine ten eleven": False, "  spaces   around   words  ": True,
             "1. a\n2. b\n3. c": True}
    for text, expected in cases.items():
        if bool(answer(text)) != expected:
            return _("at_most_ten_words({text!r}) should be {expected}: words are separated by any whitespace "
                     "(text.split()), and ten words are still allowed.").format(text=text, expected=expected)
    return None


@checker("12.3")
def dpo_loss_by_hand(answer) -> str | None:
    """12_from_gpt_to_chatgpt, exercise 3: DPO's loss for one pair, -log σ(β·(policy margin − reference margin))."""
    if hint := function_hint(answer, "dpo_loss(policy_margin, reference_margin, beta)"):
        return hint
    for policy, reference, beta in [(0.0, 0.0, 0.1), (2.0, 0.5, 0.1), (-1.0, 1.0, 0.5), (30.0, -10.0, 1.0)]:
        z = beta * (policy - reference)
        expected = math.log1p(math.exp(-z)) if z > -30 else -z  # -log sigmoid(z), computed stably
        got = float(answer(policy, reference, beta))
        if not math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9):
            if math.isclose(got, math.log1p(math.exp(-(policy - reference))), rel_tol=1e-6):
                return _("β scales the difference of margins before the sigmoid: z = beta * (policy − reference).")
            if math.isclose(got, -expected, rel_tol=1e-6):
                return _("the loss is the negative log-sigmoid: it is at least 0 and falls as the policy's margin "
                         "grows.")
            return _("dpo_loss({policy}, {reference}, {beta}) should be {expected:.6f}, got {got:.6f}: "
                     "-log σ(β·(policy_margin − reference_margin)), e.g. -torch.nn.functional.logsigmoid(...)."
                     ).format(policy=policy, reference=reference, beta=beta, expected=expected, got=got)
    return None
