"""Keyword extraction with sentence embeddings: KeyBERT from scratch (notebook 04_keyword_extraction).

The notebook builds every step by hand (candidates with ``CountVectorizer``, cosine ranking, the
itertools Max Sum Similarity loop, the MMR loop, Korean nouns with Okt); this package holds versions
of the same steps that are exact, fast and safe on awkward input, and the notebook shows that both
agree. One module per step:

- ``candidates``: ``document_candidates`` (§1), ``candidates_per_document``;
- ``max_sum``: ``max_sum_similarity``, the lecture's Max Sum Similarity solved exactly by
  branch-and-bound (§3, and deep dive A "Max Sum without trying every combination");
- ``marginal_relevance``: ``mmr``, the lecture's MMR loop, vectorised (§4);
- ``korean``: ``korean_nouns`` / ``korean_candidates`` with Okt (Java) or Kiwi (§5);
- ``long_text``: ``split_for_encoder`` / ``encode_in_parts`` for documents longer than the encoder
  reads (§5);
- ``extract``: ``extract_keywords`` for many documents at once (deep dive C "Many documents at once");
- ``reference``: the lecture's own loops, verbatim (the notebook's copies are tested against them);
- ``similarity``: the shared exact-similarity conventions (integer grid, stable ranking).
"""

from .candidates import candidates_per_document, document_candidates
from .extract import METHODS, cosine_top_n, extract_keywords
from .korean import ANALYZERS, java_available, korean_candidates, korean_nouns
from .long_text import encode_in_parts, split_for_encoder
from .marginal_relevance import mmr
from .max_sum import max_sum_similarity

__all__ = [
    "max_sum_similarity",
    "mmr",
    "document_candidates",
    "candidates_per_document",
    "extract_keywords",
    "cosine_top_n",
    "METHODS",
    "java_available",
    "korean_nouns",
    "korean_candidates",
    "ANALYZERS",
    "split_for_encoder",
    "encode_in_parts",
]
