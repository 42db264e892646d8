"""Checkers for notebook 02_masked_language_model's exercises (Exercises section)."""

from __future__ import annotations

from ._common import checker, number, whole_number

__all__ = ["masked_of_20000", "soccer_input", "my_probe"]


@checker("02.1")
def masked_of_20000(answer, mlm_probability=0.15) -> str | None:
    """02_masked_language_model, exercise 1: 15 % of 20,000 are chosen, 80 % of those become [MASK]."""
    hint = number(answer)
    if hint:
        return hint
    chosen = 20_000 * mlm_probability
    if round(answer) == round(chosen * 0.8):
        return None
    if round(answer) == round(chosen):
        return "that many are *chosen*; only 80 % of the chosen become [MASK] (10 % random, 10 % unchanged)."
    if round(answer) in (round(chosen * 0.1), round(chosen * 0.2)):
        return "the 10 % and 10 % are the ones that do *not* become [MASK]; the [MASK] share is 80 %."
    return f"BERT chooses {mlm_probability:.0%} of the tokens and replaces 80 % of the chosen by [MASK] (section 7)."


@checker("02.2")
def soccer_input(answer, tokenizer, probe) -> str | None:
    """02_masked_language_model, exercise 2: (number of ids, position of the mask) for the soccer probe."""
    ids = tokenizer(probe)["input_ids"]
    if not isinstance(answer, tuple) or len(answer) != 2:
        return f"answer both: (soccer_length, soccer_mask_position) (got {answer!r})."
    length, position = answer
    for value in answer:
        hint = whole_number(value)
        if hint:
            return hint
    if length != len(ids):
        if length == len(ids) - 2:
            return "count [CLS] and [SEP] too: print tokenizer(SOCCER)['input_ids']."
        return "print tokenizer(SOCCER)['input_ids'] and count."
    if not 0 <= position < len(ids) or ids[position] != tokenizer.mask_token_id:
        if 0 <= position - 1 < len(ids) and ids[position - 1] == tokenizer.mask_token_id:
            return "positions count from 0 ([CLS] is position 0)."
        return "find tokenizer.mask_token_id in the ids (positions count from 0, [CLS] is 0)."
    return None


@checker("02.3")
def my_probe(answer, tokenizer, fill, label="") -> str | None:
    """02_masked_language_model, exercise 3: a probe with exactly one mask token, filled by the pipeline."""
    if not isinstance(answer, str):
        return f"write the probe as a string with tokenizer.mask_token in it (got {answer!r})."
    count = tokenizer.tokenize(answer).count(tokenizer.mask_token)
    if count != 1:
        return (f"the probe has {count} mask tokens; use tokenizer.mask_token exactly once (typing [MASK] by hand "
                "is only right for BERT's spelling).")
    best = fill(answer, top_k=1)[0]
    print(f"{answer} -> {best['token_str']} ({best['score']:.3f}){label}")
    return None
