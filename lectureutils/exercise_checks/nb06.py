"""Checkers for notebook 06_question_answering's exercises (Exercises section)."""

from __future__ import annotations

import math

from ..i18n import N_, _
from ._common import checker, compare, judgement


@checker("06.1")
def longest_guaranteed_answer(answer) -> str | None:
    """06_question_answering, exercise 1: the longest answer always whole in some window: room - doc_stride + 1."""
    room = 300 - 64 - 3
    return compare(answer, room - 128 + 1, [
        (room - 128, _("almost: an answer of room - doc_stride + 1 tokens still fits in the overlap (count the "
                       "ends).")),
        (room, _("only an answer that lies inside the overlap of two neighbouring windows is always whole.")),
    ], _("a window holds 300 - 64 - 3 passage tokens; the next one starts doc_stride (128) tokens later."))


@checker("06.2")
def windows_needed(answer) -> str | None:
    """06_question_answering, exercise 2: windows for 500 passage tokens, 128/64/32 settings, 20-token question."""
    per_window = 128 - 20 - 3
    return compare(answer, 1 + math.ceil((500 - per_window) / 64), [
        (math.ceil(500 / per_window), _("windows overlap: each starts 64 tokens (doc_stride) after the previous one, "
                                        "not after its end.")),
    ], _("each window holds {count} passage tokens (128 - 20 - 3) and the next starts 64 tokens later."
         ).format(count=per_window))


judgement(
    "06.3", "06_question_answering, exercise 3 (judgement): what the lecture's one-window inference and answer() do "
    "with a question whose answer lies past the first 128 tokens, and advice for long documents.",
    points={
        N_("What does the lecture's function read (one 128-token input: the rest of the passage is cut off)?"): (
            "128", "cut", "truncat", "first window", "one window", "single", "only the first", "beginning", "잘",
            "처음", "첫", "하나의", "한 번"),
        N_("What can it answer then (a wrong span, [CLS] or an empty answer)?"): (
            "[cls]", "cls", "empty", "wrong", "nothing", "no answer", "unrelated", "빈", "틀", "엉뚱", "오답", "없"),
        N_("What do answer()'s windows change?"): (
            "window", "stride", "overlap", "every part", "whole passage", "윈도", "슬라이딩", "겹"),
        N_("What could still go wrong with answer() (or what would you check before using it)?"): (
            "still", "long answer", "longer than", "guarantee", "another window", "distract", "similar", "not in the",
            "unanswer", "score", "check", "test", "evaluat", "여전히", "한계", "검증", "확인", "비슷", "다른 윈도"),
    },
    model_answer=N_(
        "The lecture's inference_fn builds one input of 128 tokens: [CLS], the question, [SEP] and only the first "
        "100 or so tokens of the passage; everything after that is cut off before the model sees it. When the "
        "answer lies further in, no model can point at it: a model trained with windows points at [CLS] (the "
        "function then answers '[CLS]'), or it picks a wrong span from the beginning, and because start and end "
        "are chosen separately the end can come before the start, which gives an empty answer. answer() cuts the "
        "passage into overlapping windows (128 tokens, a new one every 64), runs the model on every window and "
        "keeps the best valid span of all of them, so the answer past the first 128 tokens is found. For long "
        "product manuals I would tell the company to use the windowed answer(), never the one-window function. "
        "What can still go wrong: an answer longer than the windows guarantee (30 tokens) can be cut in every "
        "window; scores from different windows are compared directly, so a similar sentence elsewhere in the "
        "manual (another year, another model number) can win; and a question the manual does not answer still "
        "gets some span. I would test it on real questions about the manuals, with known answers, before use."),
)
