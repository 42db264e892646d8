"""Keyword extraction with sentence embeddings (KeyBERT from scratch).

Taught in notebooks/04_keyword_extraction.ipynb. The notebook builds every step by hand
(candidates with ``CountVectorizer``, cosine ranking, the itertools Max Sum Similarity
loop, the MMR loop, Korean nouns with Okt); this module holds versions of the same steps
that are exact, fast and safe on awkward input, and the notebook shows that both agree.

- ``max_sum_similarity``: the lecture's Max Sum Similarity, solved exactly by
  branch-and-bound instead of trying every combination (30 candidates, 10 keywords in
  well under a second, where the lecture's loop needs minutes).
- ``mmr``: the lecture's Maximal Marginal Relevance loop, vectorised.
- ``extract_keywords``: candidates, one batched ``model.encode`` call and one of the three
  methods, for many documents at once.
- ``korean_nouns`` / ``korean_candidates``: noun n-gram candidates for Korean text with
  konlpy's Okt (as in the lecture; needs Java) or Kiwi (``kiwipiepy``, pure pip).

Conventions shared by every function here:

- Similarities are cosine similarities computed in float64 and then rounded to a grid of
  2**-32 (about 2.3e-10) and held as integers. Sums of similarities are therefore exact
  and do not depend on the order of addition, so exact ties (for example duplicated
  embeddings) stay exact ties and are broken by the documented rule, never by float noise.
  Two values closer than the grid are treated as equal; real embeddings never get there.
- Candidates are ranked by similarity to the document like the lecture's
  ``distances.argsort()[0]`` (ascending), but with a stable sort, so equally similar
  candidates keep their input order.
- Keywords are returned in the order in which the lecture's code returns them (see each
  function).
- Duplicate candidate words are dropped; the first occurrence (and its embedding) is kept.
- No candidates give no keywords (``[]``); ``top_n`` larger than the number of candidates
  is clipped to it (all candidates are returned), no error and no warning.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Sequence

import numpy as np

__all__ = [
    "max_sum_similarity",
    "mmr",
    "document_candidates",
    "extract_keywords",
    "java_available",
    "korean_nouns",
    "korean_candidates",
]

# Similarities are stored as round(similarity * _SCALE) in int64 (see the module docstring).
_SCALE = 2.0**32

# Branch-and-bound stops splitting a node once it has at most this many completions left and
# scores all of them at once with numpy instead (see _min_sum_subset).
_ENUMERATE_AT_MOST = 128

METHODS = ("mmr", "max_sum", "cosine")


# ---------------------------------------------------------------------------
# Similarities
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Max Sum Similarity
# ---------------------------------------------------------------------------


def max_sum_similarity(doc_embedding, candidate_embeddings, words, top_n: int, nr_candidates: int) -> list[str]:
    """Max Sum Similarity: the ``top_n`` least mutually similar of the ``nr_candidates``
    candidates most similar to the document. Exact, like the lecture's itertools loop.

    Taught in notebooks/04_keyword_extraction.ipynb, section "Max Sum Similarity"
    (the lecture's ``max_sum_sim``). Arguments as in the lecture:

    - ``doc_embedding``: the document's embedding, shape (d,) or (1, d).
    - ``candidate_embeddings``: one row per word, shape (n, d).
    - ``words``: the n candidate strings (duplicates: the first occurrence is kept).
    - ``top_n``: how many keywords to return (>= 1; clipped to the number of candidates).
    - ``nr_candidates``: how many of the most document-similar candidates to choose from
      (>= top_n, else ValueError; clipped to the number of candidates).

    Result: the combination of ``top_n`` of those candidates with the smallest sum of
    pairwise cosine similarities, always the one the lecture's loop finds (similarities on
    the 2**-32 grid of the module docstring, so float noise decides nothing). Ties are broken
    like the lecture's loop (it keeps the first combination with ``sim < min_sim``): the
    first minimal combination in ``itertools.combinations`` order over the lecture's
    ``words_idx`` (candidates from least to most similar to the document, stable).
    Keywords come back in that ``words_idx`` order, i.e. the least document-similar first,
    exactly as the lecture's function returns them. No candidates give ``[]``.

    Instead of scoring every combination (C(30, 10) = 30 million for 30 candidates) it
    searches them with branch-and-bound and a proven lower bound; see ``_min_sum_subset``.
    """
    if top_n <= 0:
        raise ValueError(f"top_n must be at least 1, got top_n={top_n}.")
    if nr_candidates < top_n:
        raise ValueError(
            f"nr_candidates ({nr_candidates}) must be at least top_n ({top_n}): "
            "Max Sum picks top_n keywords out of the nr_candidates best candidates."
        )
    doc, candidates, words, top_n = _prepare(doc_embedding, candidate_embeddings, words, top_n)
    if not words:
        return []
    words_idx = _rank_by_document(doc, candidates)[-nr_candidates:]
    chosen = candidates[words_idx]
    pair_similarity = _on_grid(chosen @ chosen.T)
    # The lecture sums sim[i][j] over ordered pairs i != j, i.e. sim[i][j] + sim[j][i] per pair.
    weights = pair_similarity + pair_similarity.T
    np.fill_diagonal(weights, 0)
    best = _min_sum_subset(weights, top_n)
    return [words[words_idx[position]] for position in best]


def _combination_cost(weights: np.ndarray, combination) -> int:
    """Sum of ``weights`` over the unordered pairs of ``combination``."""
    index = np.asarray(combination)
    return int(weights[np.ix_(index, index)].sum() // 2)


def _greedy_upper_bound(weights: np.ndarray, k: int) -> tuple[int, tuple[int, ...]]:
    """A good (not necessarily optimal) combination and its cost, to start pruning early.

    Greedy from every start point (add the item that adds the least), then improve the best
    one by swapping one item in for one item out while that lowers the cost.
    """
    n = weights.shape[0]
    best_cost, best = None, None
    for start in range(n):
        chosen = [start]
        added = weights[start].copy()
        free = np.ones(n, dtype=bool)
        free[start] = False
        for _ in range(k - 1):
            candidates = np.flatnonzero(free)
            pick = candidates[np.argmin(added[candidates])]
            chosen.append(pick)
            added += weights[pick]
            free[pick] = False
        cost = _combination_cost(weights, chosen)
        if best_cost is None or cost < best_cost:
            best_cost, best = cost, sorted(chosen)
    improved = True
    while improved:
        improved = False
        inside = np.zeros(n, dtype=bool)
        inside[best] = True
        # Contribution of each item to the chosen set (excluding itself: diagonal is 0).
        link = weights[:, inside].sum(axis=1)
        for out in best:
            for into in np.flatnonzero(~inside):
                change = link[into] - weights[into, out] - link[out]
                if change < 0:
                    best = sorted([i for i in best if i != out] + [int(into)])
                    best_cost += int(change)
                    improved = True
                    break
            if improved:
                break
    return best_cost, tuple(int(i) for i in best)


def _smallest_row_sums(weights: np.ndarray, k: int) -> np.ndarray:
    """``table[p, t, l]`` = sum of the ``t`` smallest ``weights[l, m]`` over ``m >= p, m != l``
    (for t = 0 .. k-1). Entries that need more items than exist are huge (never used to prune)."""
    n = weights.shape[0]
    huge = np.int64(2**50)
    table = np.zeros((n + 1, k, n), dtype=np.int64)
    for p in range(n + 1):
        block = np.full((n, max(n - p, 0) + k), huge, dtype=np.int64)
        block[:, : n - p] = weights[:, p:]
        rows = np.arange(p, n)
        block[rows, rows - p] = huge  # m != l
        block.sort(axis=1)
        sums = np.cumsum(block[:, : k - 1], axis=1)
        table[p, 1:, :] = sums.T
    return table


@functools.lru_cache(maxsize=64)
def _combinations_table(m: int, r: int) -> np.ndarray:
    """All r-combinations of range(m), in itertools order, as an int array (rows)."""
    import itertools

    flat = np.fromiter(itertools.chain.from_iterable(itertools.combinations(range(m), r)), dtype=np.int64)
    return flat.reshape(-1, r)


def _min_sum_subset(weights: np.ndarray, k: int) -> tuple[int, ...]:
    """The first (in ``itertools.combinations(range(n), k)`` order) k-subset with the
    smallest sum of ``weights`` over its unordered pairs. ``weights``: symmetric int64.

    Combinations are compared by the key ``(cost, sorted tuple of items)``; the smallest
    key is the answer. Because itertools order is lexicographic order of the sorted
    tuples, this is exactly the combination an exhaustive ``sim < min_sim`` loop keeps.

    Branch-and-bound: items are visited in a good search order (the greedy combination
    first, then the items least similar to all others), which finds the optimum early and
    prunes most of the tree; the tie rule does not depend on that order because the key
    does not. A node is a chosen prefix ``C`` (cost ``c`` = sum over its pairs) that must be
    completed with ``r`` more items from the rest ``R`` of the search order. With ``g[l]`` the
    sum of ``weights[i, l]`` over ``i`` in ``C``, every completion ``T`` (``|T| = r``) costs

        c + sum_{l in T} g[l] + sum_{pairs {l, m} in T} w[l, m]
      = c + sum_{l in T} (g[l] + 1/2 * sum_{m in T, m != l} w[l, m])
     >= c + sum_{l in T} h[l],  h[l] = g[l] + 1/2 * (sum of the r-1 smallest w[l, m], m in R, m != l)
     >= c + (sum of the r smallest h[l] over l in R)  =: lower bound.

    (Line 2 counts every pair twice, half each time. Line 3: the r-1 partners of ``l`` in
    ``T`` are r-1 distinct items of ``R`` other than ``l``, so their weights sum to at least
    the r-1 smallest of row ``l``. Line 4: ``T`` is r items of ``R``. Signs of w don't matter.)
    The bound is kept doubled, in exact integers, and the smallest completion key is
    bounded by ``(ceil(bound), sorted(C + the r smallest items of R))``. A node is pruned
    when that key is not smaller than the best key found so far, so it cannot contain a
    smaller key. Nodes with few completions left are scored all at once with numpy.
    """
    n = weights.shape[0]
    if k >= n:
        return tuple(range(n))
    if k == 1:
        return (0,)  # every single item costs 0: the first one wins
    greedy_cost, greedy = _greedy_upper_bound(weights, k)
    row_sums = weights.sum(axis=1)
    rest = sorted((i for i in range(n) if i not in greedy), key=lambda i: (row_sums[i], i))
    order = np.array(list(greedy) + rest)  # search position -> item
    w = weights[np.ix_(order, order)]
    table = _smallest_row_sums(w, k)
    best = {"key": (greedy_cost, greedy)}

    def smallest_key(prefix, start, r):
        """(items of prefix + the r smallest items at positions >= start), sorted."""
        return tuple(sorted([int(order[p]) for p in prefix] + sorted(int(i) for i in order[start:])[:r]))

    def score_all(prefix, cost, g, start, r):
        # Every r-combination of the positions start.., at once; keep the smallest key.
        combos = _combinations_table(n - start, r) + start
        totals = cost + g[combos].sum(axis=1)
        for a in range(r):
            for b in range(a + 1, r):
                totals = totals + w[combos[:, a], combos[:, b]]
        lowest = int(totals.min())
        if lowest > best["key"][0]:
            return
        tied = np.array(prefix, dtype=np.int64)[None, :].repeat(int((totals == lowest).sum()), axis=0)
        items = np.sort(order[np.concatenate([tied, combos[totals == lowest]], axis=1)], axis=1)
        first = np.lexsort(items.T[::-1])[0]
        key = (lowest, tuple(int(i) for i in items[first]))
        if key < best["key"]:
            best["key"] = key

    def search(prefix, cost, g, start, r):
        if r == 1 or math.comb(n - start, r) <= _ENUMERATE_AT_MOST:
            score_all(prefix, cost, g, start, r)
            return
        # Bounds for all children at once: child j adds position j and leaves r-1 items to
        # choose from positions j+1.., with g + w[j] as its g.
        children = np.arange(start, n - r + 1)
        h2 = 2 * (g[None, :] + w[children]) + table[children + 1, r - 2, :]
        later = np.arange(n)[None, :] > children[:, None]
        h2 = np.where(later, h2, np.int64(2**60))
        bounds2 = 2 * (cost + g[children]) + np.partition(h2, r - 2, axis=1)[:, : r - 1].sum(axis=1)
        for row, j in enumerate(children):
            lower = (int(bounds2[row]) + 1) // 2  # costs are integers: ceil(bound)
            if lower > best["key"][0]:
                continue
            if lower == best["key"][0] and smallest_key(prefix + [j], j + 1, r - 1) >= best["key"][1]:
                continue
            search(prefix + [int(j)], int(cost + g[j]), g + w[j], int(j) + 1, r - 1)

    search([], 0, np.zeros(n, dtype=np.int64), 0, k)
    return best["key"][1]


# ---------------------------------------------------------------------------
# Maximal Marginal Relevance
# ---------------------------------------------------------------------------


def mmr(doc_embedding, candidate_embeddings, words, top_n: int, diversity: float) -> list[str]:
    """Maximal Marginal Relevance: pick keywords one at a time, each maximising
    ``(1 - diversity) * similarity to the document - diversity * (largest similarity
    to a keyword already picked)``.

    Taught in notebooks/04_keyword_extraction.ipynb, section "Maximal Marginal Relevance"
    (the lecture's ``mmr``). Arguments as in the lecture: ``doc_embedding`` of shape (d,)
    or (1, d), ``candidate_embeddings`` (n, d), ``words`` (n strings; duplicates: the first
    occurrence is kept), ``top_n`` (>= 1; clipped to the number of candidates) and
    ``diversity`` between 0 (plain cosine ranking) and 1 (only diversity counts).

    Same result as the lecture's loop; ties go to the candidate that comes first in
    ``words`` (as ``np.argmax`` over the lecture's ``candidates_idx``). Keywords come back
    in the order they were picked, the most document-similar first, as in the lecture.
    No candidates give ``[]``. Costs O(n * d * top_n) and O(n) memory, instead of the
    lecture's n-by-n similarity matrix.
    """
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


# ---------------------------------------------------------------------------
# Many documents at once
# ---------------------------------------------------------------------------


def document_candidates(doc: str, ngram_range=(1, 1), stop_words="english") -> list[str]:
    """The lecture's candidates for one document: the distinct n-grams that scikit-learn's
    ``CountVectorizer(ngram_range=..., stop_words=...)`` finds, in its (alphabetical)
    ``get_feature_names_out()`` order.

    Taught in notebooks/04_keyword_extraction.ipynb, section "Candidate keywords". Unlike
    ``CountVectorizer().fit([doc])`` it returns ``[]`` instead of raising "empty vocabulary"
    when there is nothing to extract: empty text, only stop words, or fewer words than the
    smallest n-gram. Bad arguments (e.g. an unknown ``stop_words`` name) still raise.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    analyzer = CountVectorizer(ngram_range=tuple(ngram_range), stop_words=stop_words).build_analyzer()
    return sorted(set(analyzer(doc)))


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

    Taught in notebooks/04_keyword_extraction.ipynb, section "Many documents at once".

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

    per_doc = _candidates_per_document(docs, candidates, ngram_range, stop_words)
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
            results[i] = _cosine_top_n(doc_embedding, embeddings, words, top_n)
    return results


def _cosine_top_n(doc_embedding, candidate_embeddings, words, top_n: int) -> list[str]:
    """The lecture's basic KeyBERT: the ``top_n`` most document-similar candidates,
    least similar first (``distances.argsort()[0][-top_n:]``, stable)."""
    doc, candidates, words, top_n = _prepare(doc_embedding, candidate_embeddings, words, top_n)
    if not words:
        return []
    return [words[i] for i in _rank_by_document(doc, candidates)[-top_n:]]


def _candidates_per_document(docs, candidates, ngram_range, stop_words) -> list[list[str]]:
    """One deduplicated candidate list per document (first occurrence kept)."""
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


def _encode(model, texts: list[str], batch_size: int) -> np.ndarray:
    embeddings = model.encode(texts, batch_size=batch_size, show_progress_bar=False, convert_to_numpy=True)
    embeddings = np.asarray(embeddings, dtype=np.float64)
    if embeddings.ndim != 2 or embeddings.shape[0] != len(texts):
        raise ValueError(
            f"model.encode returned shape {embeddings.shape} for {len(texts)} texts; expected one row per text."
        )
    return embeddings


# ---------------------------------------------------------------------------
# Korean candidates
# ---------------------------------------------------------------------------

_INSTALL_KONLPY = "pip install konlpy"
_INSTALL_JAVA = "apt-get install -y openjdk-17-jdk-headless   (in a notebook: !apt-get install -y openjdk-17-jdk-headless)"
_INSTALL_KIWI = "pip install kiwipiepy"
ANALYZERS = ("auto", "okt", "kiwi")

# Kiwi's noun tags: general nouns (NNG) and proper nouns (NNP), the content nouns that make
# keywords. Okt has a single tag, "Noun", which the lecture keeps.
_KIWI_NOUN_TAGS = ("NNG", "NNP")


def _konlpy_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("konlpy") is not None


def _kiwi_installed() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("kiwipiepy") is not None
    except ValueError:  # a module set to None in sys.modules
        return False


def java_available() -> bool:
    """Whether konlpy can find a Java runtime (JVM) to run Okt; starts nothing."""
    try:
        import jpype

        return bool(jpype.getDefaultJVMPath())
    except Exception:  # jpype missing, or JVMNotFoundException
        return False


def _choose_analyzer(analyzer: str) -> str:
    """``"okt"`` or ``"kiwi"``, or an error that says what to install."""
    if analyzer not in ANALYZERS:
        raise ValueError(f"analyzer must be one of {ANALYZERS}, got analyzer={analyzer!r}.")
    if analyzer == "okt":
        if not _konlpy_installed():
            raise ImportError(f"Okt comes with konlpy, which is not installed. Install it with: {_INSTALL_KONLPY}")
        if not java_available():
            raise RuntimeError(f"Okt (konlpy) needs a Java runtime, and none was found. Install one with: {_INSTALL_JAVA}")
        return "okt"
    if analyzer == "kiwi":
        if not _kiwi_installed():
            raise ImportError(f"Kiwi comes with kiwipiepy, which is not installed. Install it with: {_INSTALL_KIWI}")
        return "kiwi"
    # auto: Okt as in the lecture when it can run, else Kiwi.
    if _konlpy_installed() and java_available():
        return "okt"
    if _kiwi_installed():
        reason = "needs a Java runtime, which was not found" if _konlpy_installed() else "needs konlpy, which is not installed"
        warnings.warn(f"Okt {reason}; using Kiwi (kiwipiepy) for Korean nouns instead.", UserWarning, stacklevel=3)
        return "kiwi"
    raise ImportError(
        "No Korean morphological analyser is available. Install Kiwi with: "
        f"{_INSTALL_KIWI}   or Okt with: {_INSTALL_KONLPY} and Java: {_INSTALL_JAVA}"
    )


@functools.lru_cache(maxsize=1)
def _okt():
    from konlpy.tag import Okt

    return Okt()  # starts the JVM (seconds), once per process


@functools.lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()  # loads Kiwi's model (seconds), once per process


def korean_nouns(text: str, analyzer: str = "auto") -> list[str]:
    """The nouns of a Korean text, in text order (repeats kept).

    Taught in notebooks/04_keyword_extraction.ipynb, section "Korean keywords".
    ``analyzer="okt"`` uses konlpy's Okt as in the lecture (the words tagged ``"Noun"`` by
    ``Okt().pos``); it needs Java. ``analyzer="kiwi"`` uses Kiwi (kiwipiepy, pip only;
    words tagged NNG or NNP). ``"auto"`` (default) uses Okt when konlpy and a Java runtime
    are there, else Kiwi with a warning that says why. A requested analyser that is missing
    raises ImportError (package) or RuntimeError (Java) with the command that installs it.
    The two analysers split some words differently (Okt: 미세먼지, Kiwi: 미세 + 먼지).
    """
    chosen = _choose_analyzer(analyzer)
    if not text or not text.strip():
        return []
    if chosen == "okt":
        return [word for word, tag in _okt().pos(text) if tag == "Noun"]
    return [token.form for token in _kiwi().tokenize(text) if token.tag in _KIWI_NOUN_TAGS]


def korean_candidates(text: str, ngram_range=(2, 3), analyzer: str = "auto") -> list[str]:
    """Keyword candidates for a Korean text as in the lecture: the text is reduced to its
    nouns (``korean_nouns``), joined with spaces, and scikit-learn's ``CountVectorizer``
    with ``ngram_range`` (default (2, 3), the lecture's) lists the distinct noun n-grams,
    in alphabetical order. As in the lecture, one-syllable nouns are dropped by
    ``CountVectorizer``'s default token pattern. No nouns give ``[]``.

    Taught in notebooks/04_keyword_extraction.ipynb, section "Korean keywords".
    """
    nouns = korean_nouns(text, analyzer=analyzer)
    return document_candidates(" ".join(nouns), ngram_range=ngram_range, stop_words=None)
