"""Checkers for notebook 06_question_answering's exercises (Exercises section)."""

from __future__ import annotations

import math

from ._common import checker, whole_number

__all__ = ["longest_guaranteed_answer", "windows_needed"]


@checker("06.1")
def longest_guaranteed_answer(answer) -> str | None:
    """06_question_answering, exercise 1: the longest answer always whole in some window: room - doc_stride + 1."""
    hint = whole_number(answer)
    if hint:
        return hint
    room = 300 - 64 - 3
    if answer == room - 128 + 1:
        return None
    if answer == room - 128:
        return "almost: an answer of room - doc_stride + 1 tokens still fits in the overlap (count the ends)."
    if answer == room:
        return "only an answer that lies inside the overlap of two neighbouring windows is always whole."
    return "a window holds 300 - 64 - 3 passage tokens; the next one starts doc_stride (128) tokens later."


@checker("06.2")
def windows_needed(answer) -> str | None:
    """06_question_answering, exercise 2: windows for 500 passage tokens, 128/64/32 settings, 20-token question."""
    hint = whole_number(answer)
    if hint:
        return hint
    per_window = 128 - 20 - 3
    if answer == 1 + math.ceil((500 - per_window) / 64):
        return None
    if answer == math.ceil(500 / per_window):
        return "windows overlap: each starts 64 tokens (doc_stride) after the previous one, not after its end."
    return f"each window holds {per_window} passage tokens (128 - 20 - 3) and the next starts 64 tokens later."
