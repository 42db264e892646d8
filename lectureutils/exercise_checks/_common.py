"""The checkers' registry and the small helpers they share (lectureutils.exercise_checks; every notebook's
Exercises). ``lectureutils.exercises`` reads :data:`CHECKERS`; nothing here imports it, so there is no circle."""

from __future__ import annotations

import numbers
from typing import Callable

__all__ = ["CHECKERS", "checker", "whole_number", "number"]

#: Exercise id ("NN.k") -> its checker, filled by the ``@checker`` decorators of this package's modules.
CHECKERS: dict[str, Callable] = {}


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
