"""The lecture's own Max Sum Similarity and MMR loops, verbatim but for ``words`` as an argument (notebook 04,
§3 and §4): tests check the notebook's copies and the fast versions against them; benchmarks/keywords.py times them.
"""

from __future__ import annotations

import itertools

__all__ = ["lecture_max_sum_sim", "lecture_mmr"]


def lecture_max_sum_sim(doc_embedding, candidate_embeddings, words, top_n, nr_candidates, argsort_kind=None):
    """The lecture's exhaustive Max Sum Similarity (04, §3 "Max Sum Similarity"); ``argsort_kind="stable"`` gives
    the fast version's tie rule, None numpy's default, as in the lecture."""
    import numpy as np
    from sklearn.metrics.pairwise import cosine_similarity

    distances = cosine_similarity(doc_embedding, candidate_embeddings)
    distances_candidates = cosine_similarity(candidate_embeddings, candidate_embeddings)
    words_idx = list(distances.argsort(kind=argsort_kind)[0][-nr_candidates:])
    words_vals = [words[index] for index in words_idx]
    distances_candidates = distances_candidates[np.ix_(words_idx, words_idx)]
    min_sim = np.inf
    candidate = None
    for combination in itertools.combinations(range(len(words_idx)), top_n):
        sim = sum([distances_candidates[i][j] for i in combination for j in combination if i != j])
        if sim < min_sim:
            candidate = combination
            min_sim = sim
    return [words_vals[idx] for idx in candidate]


def lecture_mmr(doc_embedding, candidate_embeddings, words, top_n, diversity):
    """The lecture's Maximal Marginal Relevance loop (04, §4 "Maximal Marginal Relevance")."""
    import numpy as np
    from sklearn.metrics.pairwise import cosine_similarity

    word_doc_similarity = cosine_similarity(candidate_embeddings, doc_embedding)
    word_similarity = cosine_similarity(candidate_embeddings)
    keywords_idx = [np.argmax(word_doc_similarity)]
    candidates_idx = [i for i in range(len(words)) if i != keywords_idx[0]]
    for _ in range(top_n - 1):
        candidate_similarities = word_doc_similarity[candidates_idx, :]
        target_similarities = np.max(word_similarity[candidates_idx][:, keywords_idx], axis=1)
        mmr = (1 - diversity) * candidate_similarities - diversity * target_similarities.reshape(-1, 1)
        mmr_idx = candidates_idx[np.argmax(mmr)]
        keywords_idx.append(mmr_idx)
        candidates_idx.remove(mmr_idx)
    return [words[idx] for idx in keywords_idx]
