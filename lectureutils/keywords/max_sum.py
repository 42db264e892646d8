"""Max Sum Similarity solved exactly by branch-and-bound (notebook 04, §3): the lecture's keywords, order and tie
rule without scoring every combination (C(30, 10) = 30 million)."""

from __future__ import annotations

import functools
import math

import numpy as np

from .similarity import _on_grid, _prepare, _rank_by_document

__all__ = ["max_sum_similarity"]

# Branch-and-bound stops splitting a node once it has at most this many completions left and
# scores all of them at once with numpy instead (see _min_sum_subset).
_ENUMERATE_AT_MOST = 128


def max_sum_similarity(doc_embedding, candidate_embeddings, words, top_n: int, nr_candidates: int) -> list[str]:
    """The lecture's ``max_sum_sim``: the ``top_n`` least mutually similar of the ``nr_candidates`` candidates most
    similar to the document, exactly (04, §3 "Max Sum Similarity"; the search: deep dive A).

    The lecture's arguments; the first minimal combination in ``itertools.combinations`` order over the lecture's
    ``words_idx``, returned in that order (least document-similar first), as its loop keeps it.
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
    """A good (not necessarily optimal) combination and its cost, to start pruning early (greedy, then swaps)."""
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

    Branch-and-bound on the key ``(cost, sorted tuple of items)``: itertools order is lexicographic, so this is
    the combination an exhaustive ``sim < min_sim`` loop keeps. The lower bound (doubled, exact integers) is
    c + the r smallest h[l] over the rest, h[l] = g[l] + 1/2 * (the r-1 smallest w[l, m]).
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
