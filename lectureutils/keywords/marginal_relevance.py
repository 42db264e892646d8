"""Maximal Marginal Relevance, vectorised (notebook 04_keyword_extraction, §4).

Same keywords as the lecture's ``mmr`` loop (``lectureutils.keywords.reference.lecture_mmr``)
without its candidate-by-candidate similarity matrix.
"""

from __future__ import annotations

import numpy as np

from .similarity import _SCALE, _on_grid, _prepare

__all__ = ["mmr"]


def mmr(doc_embedding, candidate_embeddings, words, top_n: int, diversity: float) -> list[str]:
    """Maximal Marginal Relevance: pick keywords one at a time, each maximising
    ``(1 - diversity) * similarity to the document - diversity * (largest similarity
    to a keyword already picked)``.

    Taught in notebooks/04_keyword_extraction.ipynb, §4 "Maximal Marginal Relevance"
    (the lecture's ``mmr``). Arguments as in the lecture: ``doc_embedding`` of shape (d,)
    or (1, d), ``candidate_embeddings`` (n, d), ``words`` (n strings; duplicates: the first
    occurrence is kept), ``top_n`` (>= 1; clipped to the number of candidates) and
    ``diversity`` between 0 (plain cosine ranking) and 1 (only diversity counts).

    Same result as the lecture's loop; ties go to the candidate that comes first in
    ``words`` (as ``np.argmax`` over the lecture's ``candidates_idx``). Keywords come back
    in the order they were picked, the most document-similar first, as in the lecture.
    No candidates give ``[]``. Costs O(n * d * top_n) and O(n) memory, instead of the
    lecture's n-by-n similarity matrix.
    """
    if not 0.0 <= diversity <= 1.0:
        raise ValueError(f"diversity must be between 0 and 1, got diversity={diversity}.")
    doc, candidates, words, top_n = _prepare(doc_embedding, candidate_embeddings, words, top_n)
    if not words:
        return []
    relevance = _on_grid(candidates @ doc[0]) / _SCALE
    picked = [int(np.argmax(relevance))]
    available = np.ones(len(words), dtype=bool)
    available[picked[0]] = False
    # Largest similarity of every candidate to the keywords picked so far.
    redundancy = _on_grid(candidates @ candidates[picked[0]]) / _SCALE
    for _ in range(top_n - 1):
        score = (1 - diversity) * relevance - diversity * redundancy
        score[~available] = -np.inf
        pick = int(np.argmax(score))
        picked.append(pick)
        available[pick] = False
        similarity = _on_grid(candidates @ candidates[pick]) / _SCALE
        np.maximum(redundancy, similarity, out=redundancy)
    return [words[index] for index in picked]
