"""Checkers for notebook 05_document_classification's exercises (Exercises section)."""

from __future__ import annotations

import math

from ..i18n import N_, _
from ._common import checker, judgement, whole_number

LENGTHS = [12, 30, 7, 51]


def _two_whole_numbers(answer, names: str) -> str | None:
    if not isinstance(answer, tuple) or len(answer) != 2:
        return _("answer both ({names}) (got {answer!r}).").format(names=names, answer=answer)
    return whole_number(answer[0]) or whole_number(answer[1])


@checker("05.1")
def padding_by_hand(answer) -> str | None:
    """05_document_classification, exercise 1: padding tokens with dynamic padding and with padding to 128."""
    if hint := _two_whole_numbers(answer, "dynamic_padding_tokens, fixed_padding_tokens"):
        return hint
    dynamic, fixed = answer
    if dynamic != max(LENGTHS) * len(LENGTHS) - sum(LENGTHS):
        if dynamic == max(LENGTHS) * len(LENGTHS):
            return _("that counts every token of the padded batch; subtract the real tokens.")
        return _("dynamic padding pads every review to the longest of its batch (51 tokens).")
    if fixed != 128 * len(LENGTHS) - sum(LENGTHS):
        return _("padding to 128: 4 rows of 128 tokens, minus the real ones.")
    return None


@checker("05.2")
def evaluation_points(answer) -> str | None:
    """05_document_classification, exercise 2: optimizer steps of the full run and eval_steps for 10 points."""
    if hint := _two_whole_numbers(answer, "full_run_steps, full_run_eval_steps"):
        return hint
    steps, eval_steps = answer
    if steps != math.ceil(150_000 / 32) * 3:
        if steps == 150_000 // 32 * 3:
            return _("the last, smaller batch of each epoch is a step too: round the batches per epoch up.")
        if steps == math.ceil(150_000 / 32):
            return _("that is one epoch; the full run has 3.")
        return _("batches per epoch (150,000 / 32, rounded up) times 3 epochs.")
    if eval_steps != steps // 10:
        return _("the steps divided by the 10 evaluation points, rounded down.")
    return None


judgement(
    "05.3", "05_document_classification, exercise 3 (judgement): choose TF-IDF, feature extraction or fine-tuning "
    "for a stated budget from the notebook's table and say why.",
    points={
        N_("Which method do you choose?"): (
            "tf-idf", "tfidf", "feature extraction", "frozen", "fine-tun", "finetun", "logistic", "특징 추출",
            "파인튜닝", "미세 조정", "미세조정"),
        N_("What accuracy do you expect, from the notebook's table or the quoted figures?"): (
            "accura", "%", "percent", "f1", "정확도", "퍼센트"),
        N_("What does it cost in time and hardware?"): (
            "time", "minute", "hour", "second", "gpu", "cpu", "laptop", "cost", "budget", "afternoon", "시간", "분",
            "비용", "예산", "노트북"),
        N_("How would you check the choice on the shop's own reviews?"): (
            "held-out", "held out", "hold out", "test", "validat", "check", "evaluat", "confusion", "mistake", "검증",
            "테스트", "평가", "확인", "오분류"),
    },
    model_answer=N_(
        "I would start with TF-IDF over character n-grams and logistic regression. On a laptop without a GPU it "
        "trains on 3,000 reviews in seconds, and section 7's table shows it is a strong baseline (on real NSMC "
        "such baselines typically land in the low-to-mid 80s in per cent, against about 90 % for a fine-tuned "
        "KcBERT). Fine-tuning BERT on a CPU would take hours for a few points more, and a wrong label costs the "
        "shop little, so those points are not worth an afternoon. Feature extraction with a frozen KcBERT is the "
        "middle way if TF-IDF is not good enough: computing the vectors of 3,000 short reviews takes minutes on a "
        "CPU, but the table shows it is usually below fine-tuning and not always above TF-IDF. To check the choice "
        "I would hold out a quarter of the labelled reviews, measure accuracy and the confusion matrix there, and "
        "read the most confident mistakes (section 8) to see whether they matter for the shop; with a GPU later, "
        "fine-tuning is the upgrade."),
)
