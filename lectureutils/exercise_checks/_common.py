"""The checkers' registry and the helpers they share (every notebook's Exercises). ``lectureutils.exercises``
reads :data:`CHECKERS`; nothing here imports it, so there is no circle."""

from __future__ import annotations

import numbers
from typing import Callable

from ..i18n import _

__all__ = ["CHECKERS", "MODEL_ANSWERS", "checker", "judgement", "whole_number", "number", "function_hint",
           "compare"]

#: Exercise id ("NN.k") -> its checker, filled by the ``@checker`` decorators of this package's modules.
CHECKERS: dict[str, Callable] = {}
#: Exercise id -> the model answer (English; shown translated) of an exercise that asks for judgement.
MODEL_ANSWERS: dict[str, str] = {}


def checker(exercise_id: str):
    """Register ``function(answer, **context) -> None | hint`` as the checker of one exercise."""
    def register(function):
        CHECKERS[exercise_id] = function
        return function
    return register


def whole_number(answer) -> str | None:
    """A hint unless the answer is a whole number."""
    whole = isinstance(answer, numbers.Integral) or (isinstance(answer, float) and answer.is_integer())
    if isinstance(answer, bool) or not whole:
        return _("give a whole number (got {answer!r}).").format(answer=answer)
    return None


def number(answer) -> str | None:
    """A hint unless the answer is a number."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return _("give a number (got {answer!r}).").format(answer=answer)
    return None


def function_hint(answer, signature: str) -> str | None:
    """A hint unless the answer is a function (the exercises that ask for one)."""
    if callable(answer):
        return None
    return _("define a function {signature} (got {answer!r}).").format(signature=signature, answer=answer)


def compare(answer, expected, wrong: list[tuple[float, str]], otherwise: str, kind=whole_number,
            tolerance: float = 0) -> str | None:
    """None when ``answer`` is ``expected`` (within ``tolerance``); else the hint of the first typical wrong value
    it matches (a misconception), else ``otherwise``. ``kind`` checks the answer's type first."""
    if hint := kind(answer):
        return hint
    if abs(answer - expected) <= tolerance:
        return None
    return next((hint for value, hint in wrong if abs(answer - value) <= tolerance), otherwise)


def judgement(exercise_id: str, doc: str, points: dict[str, tuple[str, ...]], model_answer: str,
              min_words: int = 25, first: Callable | None = None):
    """Register the checker of an exercise that asks for judgement, where more than one answer is right.

    The answer is the student's text. ``points`` maps each question a good answer addresses (English, marked
    ``N_``; the hint when missing) to words, English or Korean, any of which shows the answer addresses it; every
    reasoned answer that covers them passes. ``first(text)`` may return a misconception's hint before the
    checklist. ``exercises.model_answer(exercise_id)`` shows ``model_answer``.
    """
    MODEL_ANSWERS[exercise_id] = model_answer

    def check_written_answer(answer, **context) -> str | None:  # context: what the self-check cell passes
        if not isinstance(answer, str):
            return _("write your answer as text, in a few sentences (got {kind}).").format(kind=type(answer).__name__)
        if first and (hint := first(answer)):
            return hint
        text = answer.lower()
        if len(text.split()) < min_words and len(text.replace(" ", "")) < 3 * min_words:
            return _("say a little more: a reasoned answer takes a few sentences (about {count} words).").format(
                count=min_words)
        missing = [_(question) for question, words in points.items() if not any(w.lower() in text for w in words)]
        if missing:
            return _("a good answer also says: {questions} (exercises.model_answer(\"{id}\") shows one answer.)"
                     ).format(questions=" ".join(missing), id=exercise_id)
        return None

    check_written_answer.__doc__ = doc
    return checker(exercise_id)(check_written_answer)
