"""Small helpers the checkers share (lectureutils.exercise_checks; every notebook's Exercises)."""

from __future__ import annotations

import numbers

__all__ = ["whole_number", "number"]


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
