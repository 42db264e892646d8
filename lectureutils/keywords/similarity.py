"""Similarities on an exact grid, shared by every keyword method (notebook 04, §2-§4).

Cosine similarities are rounded to a 2**-32 grid and held as integers, so sums are exact and ties are broken by the
documented rule, never by float noise. Candidates rank as the lecture's ``distances.argsort()[0]``, stably;
duplicate words keep their first occurrence; ``top_n`` is clipped to the number of candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Helpers shared by the modules of lectureutils.keywords only; nothing here is public.
__all__: list[str] = []

# Similarities are stored as round(similarity * _SCALE) in int64 (see the module docstring).
_SCALE = 2.0**32


def _as_2d(array, name: str) -> np.ndarray:
    """``array`` as a float64 matrix; a single vector of shape (d,) becomes (1, d)."""
    matrix = np.asarray(array, dtype=np.float64)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2:
        raise ValueError(f"{name} must have shape (d,) or (n, d), got shape {matrix.shape}.")
    return matrix


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1; all-zero rows stay zero (cosine 0, as in scikit-learn)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    return matrix / norms


def _on_grid(similarity: np.ndarray) -> np.ndarray:
    """Similarities rounded to the 2**-32 grid, as int64 multiples of 2**-32."""
    return np.rint(similarity * _SCALE).astype(np.int64)


def _prepare(doc_embedding, candidate_embeddings, words, top_n: int):
    """Check the common arguments, drop duplicate words, and return
    ``(unit document vector (1, d), unit candidate matrix (n, d), words, top_n clipped to n)``."""
    if isinstance(words, str):
        raise TypeError("words must be a list of candidate strings, not one string.")
    words = list(words)
    if top_n <= 0:
        raise ValueError(f"top_n must be at least 1, got top_n={top_n}.")
    doc = _as_2d(doc_embedding, "doc_embedding")
    if doc.shape[0] != 1:
        raise ValueError(f"doc_embedding must be one vector of shape (d,) or (1, d), got shape {doc.shape}.")
    if len(words) == 0:
        return doc, np.zeros((0, doc.shape[1])), [], 0
    candidates = _as_2d(candidate_embeddings, "candidate_embeddings")
    if candidates.shape[0] != len(words):
        raise ValueError(
            f"candidate_embeddings has {candidates.shape[0]} rows but there are {len(words)} words; "
            "they must match one to one."
        )
    if candidates.shape[1] != doc.shape[1]:
        raise ValueError(
            f"doc_embedding has dimension {doc.shape[1]} but candidate_embeddings has {candidates.shape[1]}."
        )
    first = _first_occurrences(words)
    if len(first) < len(words):
        words = [words[i] for i in first]
        candidates = candidates[first]
    return _unit_rows(doc), _unit_rows(candidates), words, min(top_n, len(words))


def _first_occurrences(words: Sequence[str]) -> list[int]:
    """Indices of the first occurrence of every distinct word, in input order."""
    seen = set()
    keep = []
    for index, word in enumerate(words):
        if word not in seen:
            seen.add(word)
            keep.append(index)
    return keep


def _rank_by_document(doc: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Candidate indices from least to most similar to the document (the lecture's
    ``distances.argsort()[0]``), stable: equal similarities keep the input order."""
    similarity = _on_grid(candidates @ doc[0])
    return np.argsort(similarity, kind="stable")
