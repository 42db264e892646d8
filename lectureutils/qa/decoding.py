"""From logits to an answer: the best valid span over all windows, mapped back to characters.

Taught in notebooks/06_question_answering.ipynb, §5 ("From logits to an answer") and §6 ("Evaluation").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..classification.metrics import softmax
from .features import rows_of

__all__ = ["MAX_ANSWER_LENGTH", "Span", "window_candidates", "best_spans", "postprocess_predictions",
           "prediction_texts"]

MAX_ANSWER_LENGTH = 30  # tokens, as in the lecture's package and BERT's run_squad.py


@dataclass(frozen=True)
class Span:
    """A candidate answer: ``context[start:end] == text``; ``score`` is p(start) * p(end) in its window (06 §5)."""

    text: str
    start: int
    end: int
    score: float
    window: int
    start_token: int
    end_token: int


def window_candidates(start_logits, end_logits, offsets, max_answer_length: int, keep: int):
    """The ``keep`` best (score, start token, end token) of one window, valid spans only (06 §5)."""
    import numpy as np

    length = len(offsets)
    if length == 0:
        return []
    start_probs = softmax(np.asarray(start_logits, dtype=np.float64)[:length])  # logits may be padded
    end_probs = softmax(np.asarray(end_logits, dtype=np.float64)[:length])
    inside = np.array([offset is not None for offset in offsets])
    widest = min(max_answer_length, length)
    starts = np.arange(length)[:, None]  # row: start token; column: span length - 1
    ends = starts + np.arange(widest)[None, :]
    in_window = ends < length
    ends = np.minimum(ends, length - 1)
    valid = in_window & inside[starts] & inside[ends]
    scores = np.where(valid, start_probs[starts] * end_probs[ends], -1.0).ravel()
    count = min(keep, int(valid.sum()))
    if count == 0:
        return []
    best = np.argpartition(-scores, count - 1)[:count]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(float(scores[i]), int(i // widest), int(i // widest + i % widest)) for i in best]


def best_spans(context: str, start_logits, end_logits, offsets, n_best: int = 1,
               max_answer_length: int = MAX_ANSWER_LENGTH) -> list[Span]:
    """The ``n_best`` best answer spans over all windows of one question, best first (06 §5).

    One entry per window in each argument (``offsets`` None outside the passage); a span found in two
    overlapping windows counts once, with the better score. Empty list when no window has a passage token.
    """
    if n_best < 1 or max_answer_length < 1:
        raise ValueError("n_best and max_answer_length must be at least 1.")
    found: dict[tuple[int, int], Span] = {}
    for window, (starts, ends, window_offsets) in enumerate(zip(start_logits, end_logits, offsets)):
        for score, start_token, end_token in window_candidates(starts, ends, window_offsets, max_answer_length,
                                                               keep=n_best + 20):
            start_char = window_offsets[start_token][0]
            end_char = window_offsets[end_token][1]
            key = (start_char, end_char)
            if key not in found or found[key].score < score:
                found[key] = Span(context[start_char:end_char], start_char, end_char, score, window, start_token,
                                  end_token)
    return sorted(found.values(), key=lambda span: -span.score)[:n_best]


def postprocess_predictions(examples, features, start_logits, end_logits, n_best: int = 1,
                            max_answer_length: int = MAX_ANSWER_LENGTH) -> dict[str, list[Span]]:
    """``{question id: n-best spans}`` per example (06 §6); ``features`` rows are in logit order."""
    windows_of = defaultdict(list)
    for index, example_id in enumerate(features["example_id"]):
        windows_of[example_id].append(index)
    offset_column = features["offset_mapping"]
    results = {}
    for example in rows_of(examples) if hasattr(examples, "keys") else examples:
        indices = windows_of.get(example["id"], [])
        offsets = [[tuple(o) if o is not None else None for o in offset_column[i]] for i in indices]
        results[example["id"]] = best_spans(
            example["context"],
            [start_logits[i] for i in indices],
            [end_logits[i] for i in indices],
            offsets,
            n_best=n_best,
            max_answer_length=max_answer_length,
        )
    return results


def prediction_texts(spans_by_id: dict[str, list[Span]]) -> dict[str, str]:
    """``{question id: best answer text}`` ("" when there was no valid span) (06 §6)."""
    return {question_id: spans[0].text if spans else "" for question_id, spans in spans_by_id.items()}
