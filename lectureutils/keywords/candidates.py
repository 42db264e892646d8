"""Candidate keywords of a document (notebook 04_keyword_extraction, §1).

The lecture lists candidates with scikit-learn's ``CountVectorizer``; these functions do the same
and give ``[]`` instead of an "empty vocabulary" error when a document has nothing to offer.
"""

from __future__ import annotations

__all__ = ["document_candidates", "candidates_per_document"]


def document_candidates(doc: str, ngram_range=(1, 1), stop_words="english") -> list[str]:
    """The lecture's candidates for one document: the distinct n-grams that scikit-learn's
    ``CountVectorizer(ngram_range=..., stop_words=...)`` finds, in its (alphabetical)
    ``get_feature_names_out()`` order.

    Taught in notebooks/04_keyword_extraction.ipynb, §1 "Candidate keywords". Unlike
    ``CountVectorizer().fit([doc])`` it returns ``[]`` instead of raising "empty vocabulary"
    when there is nothing to extract: empty text, only stop words, or fewer words than the
    smallest n-gram. Bad arguments (e.g. an unknown ``stop_words`` name) still raise.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    analyzer = CountVectorizer(ngram_range=tuple(ngram_range), stop_words=stop_words).build_analyzer()
    return sorted(set(analyzer(doc)))


def candidates_per_document(docs, candidates, ngram_range=(1, 1), stop_words="english") -> list[list[str]]:
    """One deduplicated candidate list per document (first occurrence kept), as
    ``extract_keywords`` uses them (notebook 04_keyword_extraction, deep dive C "Many documents at once").

    ``candidates=None``: ``document_candidates`` of each document; one list of strings: that list
    for every document; a list of lists: one per document (their number must match).
    """
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
