"""Maximal Marginal Relevance, vectorised: the lecture's keywords without its n-by-n matrix (notebook 04, §4)."""

from __future__ import annotations

import numpy as np

from .similarity import _SCALE, _on_grid, _prepare

__all__ = ["mmr"]


def mmr(doc_embedding, candidate_embeddings, words, top_n: int, diversity: float) -> list[str]:
    """The lecture's ``mmr``: keywords picked one at a time, each maximising ``(1 - diversity) * similarity to the
    document - diversity * largest similarity to one picked``, ties to the first in ``words``; the lecture's
    arguments and order, O(n) memory (04, §4 "Maximal Marginal Relevance")."""
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
