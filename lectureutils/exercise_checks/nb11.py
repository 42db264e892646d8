"""Checkers for notebook 11_gpt_finetuning's exercises (Exercises section)."""

from __future__ import annotations

from ._common import checker

__all__ = ["encode_special", "real_control", "first_fit_decreasing"]


@checker("11.1")
def encode_special(answer, special_tokenizer, special_model, tokenizer, ignore_index=-100) -> str | None:
    """11_gpt_finetuning, exercise 1: control codes as new special tokens <pos>/<neg>, embeddings resized, the code
    left out of the loss."""
    if not callable(answer):
        return f"define a function encode_special(review, sentiment) (got {answer!r})."
    pos_id = special_tokenizer.convert_tokens_to_ids("<pos>")
    if len(special_tokenizer) != len(tokenizer) + 2 or pos_id < len(tokenizer):
        return "add exactly two special tokens, <pos> and <neg>, to special_tokenizer (add_special_tokens)."
    if special_model.get_input_embeddings().num_embeddings < len(special_tokenizer):
        return "the new tokens need embedding rows: special_model.resize_token_embeddings(len(special_tokenizer))."
    encoded = answer("정말 재밌다", "positive")
    if encoded["input_ids"][0] != pos_id:
        return "a positive review starts with the <pos> token's id."
    if encoded["labels"][0] != ignore_index:
        return "the control code is the condition, not text to learn: its label is -100 (IGNORE_INDEX)."
    if encoded["labels"][1:] != encoded["input_ids"][1:] or encoded["input_ids"][-1] != tokenizer.eos_token_id:
        return "after the code, the labels are the review's ids and the EOS, as in encode_by_hand."
    return None


@checker("11.2")
def real_control(answer, judge_accuracy) -> str | None:
    """11_gpt_finetuning, exercise 2: the judge's control accuracy on real reviews equals its accuracy."""
    if not isinstance(answer, dict) or set(answer) != {"positive", "negative", "overall"}:
        return f"use control_accuracy(...): it returns positive, negative and overall (got {answer!r})."
    if abs(answer["overall"] - judge_accuracy) >= 1e-9:
        if answer["overall"] == 1.0:
            return "the prediction must be the judge's verdict on the reviews, not their own labels."
        return "condition: the real reviews' own sentiment; prediction: judge(test_frame.document.tolist())."
    return None


@checker("11.3")
def first_fit_decreasing(answer, lengths, block_size, next_fit_blocks) -> str | None:
    """11_gpt_finetuning, exercise 3: first-fit decreasing packing: every example once, no block over size."""
    if not callable(answer):
        return f"define a function first_fit_decreasing(lengths, block_size) (got {answer!r})."
    packing = answer(lengths, block_size)
    if sorted(index for block in packing for index in block) != list(range(len(lengths))):
        return "every example index must be in exactly one block."
    if any(sum(lengths[index] for index in block) > block_size for block in packing):
        return "a block holds more than block_size tokens: put an example only where it fits."
    if len(packing) > next_fit_blocks:
        return (f"{len(packing)} blocks, more than next fit's {next_fit_blocks}: sort the examples longest first "
                "and try every open block before opening a new one.")
    print(f"{len(packing)} blocks instead of {next_fit_blocks}")
    return None
