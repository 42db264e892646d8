"""Checkers for notebook 04_keyword_extraction's exercises (Exercises section)."""

from __future__ import annotations

import math

import numpy as np

from ._common import checker

__all__ = ["combinations_25_6", "second_at_diversity_1", "changed_keywords"]


@checker("04.1")
def combinations_25_6(answer) -> str | None:
    """04_keyword_extraction, exercise 1: the Max Sum loop scores every 6 of the 25 candidates, C(25, 6)."""
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        return f"give a whole number (got {answer!r})."
    if answer == math.comb(25, 6):
        return None
    if answer == math.perm(25, 6):
        return "that counts ordered choices; itertools.combinations ignores order (divide by 6!)."
    if answer == 25 ** 6:
        return "that allows repeats and order; itertools.combinations picks 6 different candidates, order ignored."
    if answer == math.comb(25, 5) or answer == math.comb(20, 6):
        return "check the numbers: nr_candidates=25 and top_n=6."
    return "the loop is itertools.combinations(range(nr_candidates), top_n); math.comb counts those."


@checker("04.2")
def second_at_diversity_1(answer, doc_embedding, candidate_embeddings, candidates) -> str | None:
    """04_keyword_extraction, exercise 2: with diversity 1 the second keyword is the candidate least similar to
    the first (the document term has weight 0)."""
    from ..keywords import mmr

    first, second = mmr(doc_embedding, candidate_embeddings, list(candidates), 2, 1.0)
    if not isinstance(answer, str) or answer not in set(candidates):
        return f"give one of the candidate strings from `candidates` (got {answer!r})."
    if answer == second:
        return None
    if answer == first:
        return f"{first!r} is the first keyword (the most document-similar); the exercise asks for the second."
    return ("with diversity 1 the score is -(largest similarity to the keywords picked so far): the second keyword "
            f"is the candidate least similar to {first!r}; look at cosine_similarity(candidate_embeddings) in its row.")


@checker("04.3")
def changed_keywords(answer, truncated_embedding, korean_candidate_embeddings, korean_candidate_words,
                     korean_mmr_07, top_n=5) -> str | None:
    """04_keyword_extraction, exercise 3: how many of the five Korean MMR (0.7) keywords change when the article is
    embedded in one (truncated) piece instead of in parts."""
    from ..keywords import mmr

    truncated = mmr(truncated_embedding, korean_candidate_embeddings, list(korean_candidate_words), top_n, 0.7)
    expected = len(set(korean_mmr_07) - set(truncated))
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)) or not 0 <= answer <= top_n:
        return f"give a whole number from 0 to {top_n} (got {answer!r})."
    if answer == expected:
        return None
    if answer == top_n - expected:
        return "that is how many stay the same; the exercise asks how many change."
    return ("run mmr(truncated_embedding, korean_candidate_embeddings, korean_candidate_words, TOP_N, 0.7) and count "
            "the keywords of korean_mmr_07 missing from it (order does not matter).")
