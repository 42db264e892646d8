"""The checkers' registry and the small helpers they share (lectureutils.exercise_checks; every notebook's
Exercises). ``lectureutils.exercises`` reads :data:`CHECKERS`; nothing here imports it, so there is no circle."""

from __future__ import annotations

import numbers
from typing import Callable

__all__ = ["CHECKERS", "MODEL_ANSWERS", "checker", "judgement", "whole_number", "number"]

#: Exercise id ("NN.k") -> its checker, filled by the ``@checker`` decorators of this package's modules.
CHECKERS: dict[str, Callable] = {}
#: Exercise id -> the model answer of an exercise that asks for judgement (shown by ``exercises.model_answer``).
MODEL_ANSWERS: dict[str, str] = {}


def checker(exercise_id: str):
    """Register ``function(answer, **context) -> None | str`` as the checker of one exercise: it returns None for
    a correct answer, else the hint to print (every notebook's Exercises section)."""
    def register(function):
        CHECKERS[exercise_id] = function
        return function
    return register


def whole_number(answer) -> str | None:
    """A hint unless the answer is a whole number (every notebook's Exercises)."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
        if isinstance(answer, float) and answer.is_integer():
            return None
        return f"give a whole number (got {answer!r})."
    return None


def number(answer) -> str | None:
    """A hint unless the answer is a number (every notebook's Exercises)."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return f"give a number (got {answer!r})."
    return None


def judgement(exercise_id: str, points: dict[str, tuple[str, ...]], model_answer: str, min_words: int = 25):
    """Register the checker of an exercise that asks for judgement (choose, interpret, explain), where more than
    one answer is right (every notebook's Exercises section).

    The answer is the student's own text. ``points`` is the checklist of what a good answer mentions: each
    point's question (shown as the hint when missing) maps to words, English or Korean, any of which shows the
    answer addresses it. Every reasoned answer that covers the points passes, whatever it chooses;
    ``exercises.model_answer(exercise_id)`` shows one good answer on request.
    """
    MODEL_ANSWERS[exercise_id] = model_answer

    def check_written_answer(answer) -> str | None:
        if not isinstance(answer, str):
            return f"write your answer as text, in a few sentences (got {type(answer).__name__})."
        text = answer.lower()
        if len(text.split()) < min_words and len(text.replace(" ", "")) < 3 * min_words:
            return f"say a little more: a reasoned answer takes a few sentences (about {min_words} words)."
        missing = [question for question, words in points.items() if not any(word.lower() in text for word in words)]
        if missing:
            return ("a good answer also says: " + " ".join(missing)
                    + f" (exercises.model_answer(\"{exercise_id}\") shows one answer.)")
        return None

    return checker(exercise_id)(check_written_answer)
