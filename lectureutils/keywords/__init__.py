"""KeyBERT from scratch (notebook 04): the steps the notebook builds by hand, exact, fast and safe on awkward input.

``candidates`` (§1), ``max_sum`` (§3, solved exactly by branch-and-bound), ``marginal_relevance`` (§4, vectorised),
``korean`` and ``long_text`` (§5), ``extract`` (many documents at once), ``reference`` (the lecture's own loops,
verbatim), ``similarity`` (the shared exact-similarity rules).
"""

from .candidates import candidates_per_document, document_candidates
from .extract import METHODS, cosine_top_n, extract_keywords
from .korean import ANALYZERS, java_available, korean_candidates, korean_nouns
from .long_text import encode_in_parts, split_for_encoder
from .marginal_relevance import mmr
from .max_sum import max_sum_similarity

__all__ = ["max_sum_similarity", "mmr", "document_candidates", "candidates_per_document", "extract_keywords",
           "cosine_top_n", "METHODS", "java_available", "korean_nouns", "korean_candidates", "ANALYZERS",
           "split_for_encoder", "encode_in_parts"]
