"""Candidate keywords of a document, as the lecture's ``CountVectorizer`` lists them (notebook 04, §1)."""

from __future__ import annotations

__all__ = ["document_candidates", "candidates_per_document"]


def document_candidates(doc: str, ngram_range=(1, 1), stop_words="english") -> list[str]:
    """The distinct n-grams ``CountVectorizer(ngram_range=..., stop_words=...)`` finds in ``doc``, alphabetically;
    ``[]`` where it would raise "empty vocabulary" (04, §1 "Candidate keywords")."""
    from sklearn.feature_extraction.text import CountVectorizer

    analyzer = CountVectorizer(ngram_range=tuple(ngram_range), stop_words=stop_words).build_analyzer()
    return sorted(set(analyzer(doc)))


def candidates_per_document(docs, candidates, ngram_range=(1, 1), stop_words="english") -> list[list[str]]:
    """One deduplicated candidate list per document: ``document_candidates`` when ``candidates`` is None, else one
    list for all documents or one list each (notebook 04, deep dive C)."""
    if candidates is None:
        return [document_candidates(doc, ngram_range, stop_words) for doc in docs]
    if isinstance(candidates, str):
        raise TypeError("candidates must be a list of strings or a list of lists of strings, not one string.")
    candidates = list(candidates)
    if all(isinstance(word, str) for word in candidates):
        shared = list(dict.fromkeys(candidates))
        return [shared for _ in docs]
    if len(candidates) != len(docs):
        raise ValueError(
            f"candidates has {len(candidates)} lists but there are {len(docs)} documents; "
            "pass one list per document, or one list of strings for all of them."
        )
    per_doc = []
    for words in candidates:
        if isinstance(words, str):
            raise TypeError("each document's candidates must be a list of strings, not one string.")
        per_doc.append(list(dict.fromkeys(words)))
    return per_doc
