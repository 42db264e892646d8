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
