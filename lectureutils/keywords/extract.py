"""Keywords for many documents at once (notebook 04_keyword_extraction, deep dive C).

Candidates per document, one batched ``model.encode`` call for the documents and one for every
distinct candidate, then the lecture's cosine ranking, Max Sum Similarity or MMR per document.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .candidates import candidates_per_document
from .marginal_relevance import mmr
from .max_sum import max_sum_similarity
from .similarity import _prepare, _rank_by_document

__all__ = ["METHODS", "extract_keywords", "cosine_top_n"]

METHODS = ("mmr", "max_sum", "cosine")


def extract_keywords(
    docs: Sequence[str],
    model,
    *,
    method: str = "mmr",
    top_n: int = 5,
    ngram_range=(1, 1),
    stop_words="english",
    candidates=None,
    diversity: float = 0.5,
    nr_candidates: int = 20,
    batch_size: int = 32,
) -> list[list[str]]:
    """Keywords for every document in ``docs``: one list of keyword strings per document.

    Taught in notebooks/04_keyword_extraction.ipynb, deep dive C "Many documents at once".

    - ``model``: anything with the ``SentenceTransformer.encode`` interface (e.g.
      ``lectureutils.models.load_sentence_transformer("all-MiniLM-L6-v2")``).
    - ``method``: ``"mmr"`` (``mmr`` with ``diversity``), ``"max_sum"``
      (``max_sum_similarity`` with ``nr_candidates``) or ``"cosine"`` (the ``top_n``
      candidates most similar to the document).
    - Candidates: by default ``document_candidates(doc, ngram_range, stop_words)`` per
      document. Or pass ``candidates``: one list of strings used for every document, or a
      list of lists, one per document (e.g. ``[korean_candidates(d) for d in docs]``).
      Given candidates are used as they are (not checked against the text).

    The documents are embedded with one ``model.encode`` call and every distinct candidate
    of all documents with one more (each string once), both with ``batch_size``.

    Keywords come back in the lecture's order for each method: ``"cosine"`` from the least
    to the most document-similar of the ``top_n`` (the lecture's ``argsort()[-top_n:]``),
    ``"max_sum"`` as ``max_sum_similarity``, ``"mmr"`` in the order picked (most similar
    first). A document without candidates (empty, only stop words, shorter than the
    n-gram) gets ``[]``; ``top_n`` above the number of candidates gives all of them.
    Errors: ``top_n < 1``, ``nr_candidates < top_n`` (for ``"max_sum"``), ``diversity``
    outside [0, 1] (for ``"mmr"``) or an unknown method raise ValueError before any work.
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
    """The lecture's basic KeyBERT: the ``top_n`` most document-similar candidates,
    least similar first (``distances.argsort()[0][-top_n:]``, stable).

    Taught in notebooks/04_keyword_extraction.ipynb, §2 "Embeddings and the basic KeyBERT".
    """
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
