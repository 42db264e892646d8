"""Checkers for notebook 11_gpt_finetuning's exercises (Exercises section)."""

from __future__ import annotations

from ..i18n import _
from ._common import checker, function_hint


@checker("11.1")
def encode_special(answer, special_tokenizer, special_model, tokenizer, ignore_index=-100) -> str | None:
    """11_gpt_finetuning, exercise 1: control codes as new special tokens <pos>/<neg>, embeddings resized, the code
    left out of the loss."""
    if hint := function_hint(answer, "encode_special(review, sentiment)"):
        return hint
    pos_id = special_tokenizer.convert_tokens_to_ids("<pos>")
    if len(special_tokenizer) != len(tokenizer) + 2 or pos_id < len(tokenizer):
        return _("add exactly two special tokens, <pos> and <neg>, to special_tokenizer (add_special_tokens).")
    if special_model.get_input_embeddings().num_embeddings < len(special_tokenizer):
        return _("the new tokens need embedding rows: special_model.resize_token_embeddings(len(special_tokenizer)).")
    encoded = answer("정말 재밌다", "positive")
    if encoded["input_ids"][0] != pos_id:
        return _("a positive review starts with the <pos> token's id.")
    if encoded["labels"][0] != ignore_index:
        return _("the control code is the condition, not text to learn: its label is -100 (IGNORE_INDEX).")
    if encoded["labels"][1:] != encoded["input_ids"][1:] or encoded["input_ids"][-1] != tokenizer.eos_token_id:
        return _("after the code, the labels are the review's ids and the EOS, as in encode_by_hand.")
    return None


@checker("11.2")
def real_control(answer, judge_accuracy) -> str | None:
    """11_gpt_finetuning, exercise 2: the judge's control accuracy on real reviews equals its accuracy."""
    if not isinstance(answer, dict) or set(answer) != {"positive", "negative", "overall"}:
        return _("use control_accuracy(...): it returns positive, negative and overall (got {answer!r})."
                 ).format(answer=answer)
    if abs(answer["overall"] - judge_accuracy) >= 1e-9:
        if answer["overall"] == 1.0:
            return _("the prediction must be the judge's verdict on the reviews, not their own labels.")
        return _("condition: the real reviews' own sentiment; prediction: judge(test_frame.document.tolist()).")
    return None


@checker("11.3")
def first_fit_decreasing(answer, lengths, block_size, next_fit_blocks) -> str | None:
    """11_gpt_finetuning, exercise 3: first-fit decreasing packing: every example once, no block over size."""
    if hint := function_hint(answer, "first_fit_decreasing(lengths, block_size)"):
        return hint
    packing = answer(lengths, block_size)
    if sorted(index for block in packing for index in block) != list(range(len(lengths))):
        return _("every example index must be in exactly one block.")
    if any(sum(lengths[index] for index in block) > block_size for block in packing):
        return _("a block holds more than block_size tokens: put an example only where it fits.")
    if len(packing) > next_fit_blocks:
        return _("{count} blocks, more than next fit's {next_fit}: sort the examples longest first and try every "
                 "open block before opening a new one.").format(count=len(packing), next_fit=next_fit_blocks)
    print(_("{count} blocks instead of {next_fit}").format(count=len(packing), next_fit=next_fit_blocks))
    return None
