"""Checkers for notebook 02_masked_language_model's exercises (Exercises section)."""

from __future__ import annotations

import re

from ..i18n import N_, _
from ._common import checker, judgement, whole_number

MLM_PROBABILITY = 0.15


def _numbers(text: str) -> set[int]:
    """Whole numbers written in ``text``: "2,400", "2400", "2 400" and "2.400" all give 2400."""
    return {int(re.sub(r"[,. ]", "", found)) for found in re.findall(r"\d{1,3}(?:[,. ]\d{3})+|\d+", text)}


def _masked_count(answer: str) -> str | None:
    """The number first: 15 % of 20,000 are chosen and 80 % of those become [MASK]."""
    chosen = round(20_000 * MLM_PROBABILITY)
    numbers = _numbers(answer)
    if round(chosen * 0.8) in numbers:
        return None
    if chosen in numbers:
        return _("{chosen:,} are *chosen*; only 80 % of the chosen become [MASK] (10 % random, 10 % unchanged): say "
                 "how many become [MASK].").format(chosen=chosen)
    if numbers & {round(chosen * 0.1), round(chosen * 0.2)}:
        return _("the 10 % and 10 % are the ones that do *not* become [MASK]; the [MASK] share is 80 %.")
    return _("give the number: BERT chooses {share:.0%} of the tokens and replaces 80 % of the chosen by [MASK] "
             "(section 7).").format(share=MLM_PROBABILITY)


judgement(
    "02.1", "02_masked_language_model, exercise 1 (judgement): how many of 20,000 tokens become [MASK], and advice "
    "on an all-[MASK] recipe ([MASK] never appears in fine-tuning).",
    points={
        N_("What goes wrong if every chosen token is [MASK] — what does the model see later, when it is fine-tuned "
           "or used?"): (
            "fine-tun", "finetun", "파인튜닝", "미세 조정", "미세조정", "never see", "never appear", "not appear",
            "does not appear", "doesn't appear", "no [mask]", "without [mask]", "mismatch", "불일치", "real token",
            "실제 토큰", "later", "나중", "등장하지", "나타나지"),
        N_("What do you advise the colleague, and why?"): (
            "keep", "recipe", "80/10/10", "유지", "권", "recommend", "advise", "suggest", "tell", "should", "그대로",
            "레시피", "default", "agree", "fine", "말하", "제안"),
    },
    model_answer=N_(
        "About 2,400 tokens become [MASK]: BERT chooses 15 % of the 20,000 tokens (3,000) for prediction, and 80 % "
        "of the chosen (2,400) are replaced by [MASK]; 300 become a random token and 300 stay unchanged. I would "
        "advise my colleague to keep the 80/10/10 recipe (it is the collator's default, so it costs nothing). "
        "[MASK] never appears when the model is used later: in fine-tuning and in service every input token is "
        "real. If every chosen token were [MASK], the model would learn to predict only at [MASK] positions and to "
        "trust every other token as it is; with 10 % random and 10 % unchanged tokens it cannot tell which tokens "
        "are real, so it learns a good vector for every token in its context, which is what fine-tuning uses. The "
        "gain is small but it is free; some later studies found all-[MASK] works nearly as well, so I would not "
        "fight hard over it, but I would not drop it to save a line of code."),
    first=_masked_count,
)


@checker("02.2")
def probe_input(answer, tokenizer, probe) -> str | None:
    """02_masked_language_model, exercise 2: (number of ids, position of the mask) for a probe (the morning one)."""
    ids = tokenizer(probe)["input_ids"]
    if not isinstance(answer, tuple) or len(answer) != 2:
        return _("answer both: the number of ids and the mask's position (got {answer!r}).").format(answer=answer)
    if hint := whole_number(answer[0]) or whole_number(answer[1]):
        return hint
    length, position = answer
    if length != len(ids):
        if length == len(ids) - 2:
            return _("count [CLS] and [SEP] too: print the probe's tokenizer(...)['input_ids'].")
        return _("print the probe's tokenizer(...)['input_ids'] and count.")
    if not 0 <= position < len(ids) or ids[position] != tokenizer.mask_token_id:
        if 0 <= position - 1 < len(ids) and ids[position - 1] == tokenizer.mask_token_id:
            return _("positions count from 0 ([CLS] is position 0).")
        return _("find tokenizer.mask_token_id in the ids (positions count from 0, [CLS] is 0).")
    return None


@checker("02.3")
def my_probe(answer, tokenizer, fill, label="") -> str | None:
    """02_masked_language_model, exercise 3: a probe with exactly one mask token, filled by the pipeline."""
    if not isinstance(answer, str):
        return _("write the probe as a string with tokenizer.mask_token in it (got {answer!r}).").format(answer=answer)
    count = tokenizer.tokenize(answer).count(tokenizer.mask_token)
    if count != 1:
        return _("the probe has {count} mask tokens; use tokenizer.mask_token exactly once (typing [MASK] by hand is "
                 "only right for BERT's spelling).").format(count=count)
    best = fill(answer, top_k=1)[0]
    print(f"{answer} -> {best['token_str']} ({best['score']:.3f}){label}")
    return None
