"""Exact match and F1 for KorQuAD 1.0, our own implementation of the official ``evaluate-v1.0.py`` logic.

Taught in notebooks/06_question_answering.ipynb (§6, "Evaluation: exact match and F1"). Unlike SQuAD: twelve
quote/bracket characters become spaces, articles are not removed, and F1 is over characters (spaces excluded).
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable, Mapping

__all__ = ["KORQUAD_EXTRA_PUNCTUATION", "normalize_answer", "answer_characters", "exact_match_score", "f1_score",
           "max_over_ground_truths", "gold_answers", "as_text_list", "korquad_metrics"]

#: Characters the official script replaces with a space before anything else.
KORQUAD_EXTRA_PUNCTUATION = ("'", '"', "《", "》", "<", ">", "〈", "〉", "(", ")", "‘", "’")
ASCII_PUNCTUATION = frozenset(string.punctuation)


def normalize_answer(text: str) -> str:
    """Normalise an answer as KorQuAD 1.0's ``normalize_answer`` does (06 §6; see the module docstring).

    >>> normalize_answer("  《토지》(소설) ")
    '토지 소설'
    """
    for character in KORQUAD_EXTRA_PUNCTUATION:  # official: re.sub(<char>, " ", text), one character at a time
        text = text.replace(character, " ")
    text = text.lower()
    text = "".join(character for character in text if character not in ASCII_PUNCTUATION)
    return " ".join(text.split())


def answer_characters(text: str) -> list[str]:
    """The characters F1 compares: the normalised answer without its whitespace (06 §6)."""
    return [character for piece in normalize_answer(text).split() for character in piece]


def exact_match_score(prediction: str, ground_truth: str) -> bool:
    """True when the two answers are equal after ``normalize_answer`` (06 §6)."""
    return normalize_answer(prediction) == normalize_answer(ground_truth)


def f1_score(prediction: str, ground_truth: str) -> float:
    """Character-level F1 (0 to 1) of two answers, as KorQuAD 1.0 computes it (06 §6)."""
    predicted = answer_characters(prediction)
    gold = answer_characters(ground_truth)
    common = Counter(predicted) & Counter(gold)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(predicted)
    recall = same / len(gold)
    return 2 * precision * recall / (precision + recall)


def max_over_ground_truths(metric, prediction: str, ground_truths: Iterable[str]) -> float:
    """The best score of ``prediction`` against any of the gold answers (06 §6)."""
    scores = [metric(prediction, truth) for truth in ground_truths]
    if not scores:
        raise ValueError("A question needs at least one gold answer.")
    return max(scores)


def gold_answers(references) -> dict[str, list[str]]:
    """``{question id: [gold answer texts]}`` from any of the shapes ``korquad_metrics`` accepts (06 §6)."""
    if isinstance(references, Mapping):
        return {str(key): as_text_list(value) for key, value in references.items()}
    golds = {}
    for example in references:
        golds[str(example["id"])] = as_text_list(example["answers"])
    return golds


def as_text_list(answers) -> list[str]:
    """One gold answer or a list of them (or a SQuAD ``answers`` dict) as a list of texts (06 §6)."""
    if isinstance(answers, str):
        return [answers]
    if isinstance(answers, Mapping):  # {"text": [...], "answer_start": [...]} as in datasets
        return list(answers["text"])
    return [answer["text"] if isinstance(answer, Mapping) else answer for answer in answers]  # SQuAD JSON list


def korquad_metrics(predictions: Mapping[str, str], references) -> dict[str, float]:
    """``{"exact_match": ..., "f1": ...}`` in percent over all questions of ``references`` (06 §6).

    ``references``: examples with ``id`` and ``answers``, or a mapping id -> gold text(s). A question
    without a prediction scores 0, as in the official script.
    """
    golds = gold_answers(references)
    if not golds:
        raise ValueError("No questions to evaluate.")
    exact_match = f1 = 0.0
    for question_id, truths in golds.items():
        if question_id not in predictions:
            continue
        prediction = predictions[question_id]
        exact_match += max_over_ground_truths(exact_match_score, prediction, truths)
        f1 += max_over_ground_truths(f1_score, prediction, truths)
    return {"exact_match": 100.0 * exact_match / len(golds), "f1": 100.0 * f1 / len(golds)}
