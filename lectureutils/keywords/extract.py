"""Keywords for many documents at once (notebook 04, deep dive C): two batched ``encode`` calls, then the lecture's
ranking per document."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .candidates import candidates_per_document
from .marginal_relevance import mmr
from .max_sum import max_sum_similarity
from .similarity import _prepare, _rank_by_document

__all__ = ["METHODS", "extract_keywords", "cosine_top_n"]

METHODS = ("mmr", "max_sum", "cosine")


def extract_keywords(docs: Sequence[str], model, *, method: str = "mmr", top_n: int = 5, ngram_range=(1, 1),
                     stop_words="english", candidates=None, diversity: float = 0.5, nr_candidates: int = 20,
                     batch_size: int = 32) -> list[list[str]]:
    """One keyword list per document of ``docs`` (notebook 04, deep dive C "Many documents at once").

    ``model`` has ``SentenceTransformer.encode``; ``method`` is ``"mmr"`` (with ``diversity``), ``"max_sum"`` (with
    ``nr_candidates``) or ``"cosine"``, each returning the lecture's order. ``candidates``: as
    ``candidates_per_document``. A document without candidates gets ``[]``; bad arguments raise before any work.
    """
    if isinstance(docs, str):
        raise TypeError("docs must be a list of documents; for one document use extract_keywords([doc], model)[0].")
    docs = list(docs)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got method={method!r}.")
    if top_n <= 0:
        raise ValueError(f"top_n must be at least 1, got top_n={top_n}.")
    if method == "max_sum" and nr_candidates < top_n:
        raise ValueError(
            f"nr_candidates ({nr_candidates}) must be at least top_n ({top_n}): "
            "Max Sum picks top_n keywords out of the nr_candidates best candidates."
        )
    if method == "mmr" and not 0.0 <= diversity <= 1.0:
        raise ValueError(f"diversity must be between 0 and 1, got diversity={diversity}.")

    per_doc = candidates_per_document(docs, candidates, ngram_range, stop_words)
    with_candidates = [i for i, words in enumerate(per_doc) if words]
    if not with_candidates:
        return [[] for _ in docs]

    vocabulary = list(dict.fromkeys(word for i in with_candidates for word in per_doc[i]))
    row_of = {word: row for row, word in enumerate(vocabulary)}
    word_embeddings = _encode(model, vocabulary, batch_size)
    doc_embeddings = _encode(model, [docs[i] for i in with_candidates], batch_size)

    results = [[] for _ in docs]
    for doc_embedding, i in zip(doc_embeddings, with_candidates):
        words = per_doc[i]
        embeddings = word_embeddings[[row_of[word] for word in words]]
        if method == "mmr":
            results[i] = mmr(doc_embedding, embeddings, words, top_n, diversity)
        elif method == "max_sum":
            results[i] = max_sum_similarity(doc_embedding, embeddings, words, top_n, nr_candidates)
        else:
            results[i] = cosine_top_n(doc_embedding, embeddings, words, top_n)
    return results


def cosine_top_n(doc_embedding, candidate_embeddings, words, top_n: int) -> list[str]:
    """The lecture's basic KeyBERT: the ``top_n`` most document-similar candidates, least similar first
    (``distances.argsort()[0][-top_n:]``, stable) (04, §2 "Embeddings and the basic KeyBERT")."""
    doc, candidates, words, top_n = _prepare(doc_embedding, candidate_embeddings, words, top_n)
    if not words:
        return []
    return [words[i] for i in _rank_by_document(doc, candidates)[-top_n:]]


def _encode(model, texts: list[str], batch_size: int) -> np.ndarray:
    embeddings = model.encode(texts, batch_size=batch_size, show_progress_bar=False, convert_to_numpy=True)
    embeddings = np.asarray(embeddings, dtype=np.float64)
    if embeddings.ndim != 2 or embeddings.shape[0] != len(texts):
        raise ValueError(
            f"model.encode returned shape {embeddings.shape} for {len(texts)} texts; expected one row per text."
        )
    return embeddings
