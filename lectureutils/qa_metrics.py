"""KorQuAD 1.0 exact match and F1: the same names as :mod:`lectureutils.qa.metrics`, where they live.

Taught in notebooks/06_question_answering.ipynb (§6). Kept so that ``from lectureutils.qa_metrics import
korquad_metrics`` keeps working.
"""

from .qa.metrics import (  # noqa: F401
    KORQUAD_EXTRA_PUNCTUATION,
    answer_characters,
    as_text_list,
    exact_match_score,
    f1_score,
    gold_answers,
    korquad_metrics,
    max_over_ground_truths,
    normalize_answer,
)

__all__ = ["KORQUAD_EXTRA_PUNCTUATION", "normalize_answer", "answer_characters", "exact_match_score", "f1_score",
           "max_over_ground_truths", "gold_answers", "as_text_list", "korquad_metrics"]
