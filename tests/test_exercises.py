"""Tests for lectureutils.exercises: the self-checks and the solutions kept apart in solutions/.

- check() never raises in a student's run: placeholder -> "not answered yet", wrong -> a hint, right -> correct;
- every checker accepts its solution's kind of answer and rejects a typical wrong answer with a hint;
- every notebook's answer cells (metadata {"exercise": "NN.k"}) have a checker, a solution block and a self-check
  cell that calls check() with the same id;
- solve mode runs the solution block on a copy of the notebook's namespace and raises if it fails its check;
- the runner executes a small notebook in solve mode: all untouched answers "not answered", all solutions pass.
  (`make test` runs every notebook in solve mode through nbval, so the real notebooks are covered there.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lectureutils import exercises
from lectureutils.exercise_checks import CHECKERS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(autouse=True)
def student_mode(monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_SOLVE_EXERCISES", raising=False)  # make test exports it
    exercises.reset()
    yield
    exercises.reset()


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    from lectureutils.standins import packaged_minilm_path  # the real bert-base-uncased vocabulary

    return AutoTokenizer.from_pretrained(str(packaged_minilm_path()))


def keyword_context():
    """What notebook 04 has defined when its exercises come, on small random embeddings."""
    from lectureutils.keywords import mmr

    rng = np.random.default_rng(0)
    words = [f"명사 {i}" for i in range(15)]
    embeddings = rng.normal(size=(15, 8))
    return {
        "04.2": {"doc_embedding": rng.normal(size=(1, 8)), "candidate_embeddings": rng.normal(size=(12, 8)),
                 "candidates": [f"phrase {i}" for i in range(12)]},
        "04.3": {"truncated_embedding": rng.normal(size=(1, 8)), "korean_candidate_embeddings": embeddings,
                 "korean_candidate_words": words, "top_n": 5,
                 "korean_mmr_07": mmr(rng.normal(size=(1, 8)), embeddings, words, 5, 0.7)},
    }


def solution_answer(exercise_id: str, namespace: dict):
    block = exercises.solution_blocks(exercises.solutions_file(exercise_id))[exercise_id]
    scope = dict(namespace)
    exec(block, scope)
    return scope[exercises.answer_name(block)]


def cases(tokenizer):
    """(id, context, the namespace a solution needs, wrong answers) per exercise."""
    from lectureutils.keywords.reference import lecture_mmr

    keywords = keyword_context()
    return [
        ("00.1", {}, {}, ["05_document_classification", "10_named_entity_recognition.txt", 10]),
        ("00.2", {}, {}, ["09_sentence_pair_classification", "acceptability"]),
        ("00.3", {"tokenizer": tokenizer}, {"tokenizer": tokenizer}, [10, 5, 11, "9"]),
        ("04.1", {}, {}, [25 ** 6, 127_512_000, 177_101, "177100"]),
        ("04.2", keywords["04.2"], keywords["04.2"], ["phrase 99", "phrase 0", 3]),
        ("04.3", keywords["04.3"], keywords["04.3"] | {"mmr": lecture_mmr, "TOP_N": 5}, [6, -1]),
    ]


# Exercises whose checkers need no notebook state: (id, solution namespace, wrong answers)
SELF_CONTAINED = [
    ("03.2", {}, [0.047, 0.95, "0.95"]),
    ("05.1", {}, [(204, 412), (104, 512), (104,)]),
    ("05.2", {}, [(14_061, 1_406), (4_688, 468), (14_064, 1_407)]),
    ("06.1", {}, [105, 233, 106.5]),
    ("06.2", {}, [5, 9]),
    ("07.2", {"config": type("Config", (), {"vocab_size": 50_257})}, [10.8, 50_000]),
    ("08.2", {"MASK_PROBABILITY": 0.15}, [600, 480, 6]),
    ("10.3", {}, [lambda text, entities, kinds=("PS",): text]),
]
SELF_CONTAINED_CONTEXT = {"07.2": {"vocab_size": 50_257}, "08.2": {"mask_probability": 0.15}}


def test_self_contained_checkers(capsys):
    for exercise_id, namespace, wrongs in SELF_CONTAINED:
        context = SELF_CONTAINED_CONTEXT.get(exercise_id, {})
        block = exercises.solution_blocks(exercises.solutions_file(exercise_id))[exercise_id]
        scope = dict(namespace)
        exec(block, scope)
        names = {"05.1": ("dynamic_padding_tokens", "fixed_padding_tokens"),
                 "05.2": ("full_run_steps", "full_run_eval_steps")}.get(exercise_id)
        answer = tuple(scope[name] for name in names) if names else scope[exercises.answer_name(block)]
        assert exercises.check(exercise_id, answer, **context) is True, capsys.readouterr().out
        assert capsys.readouterr().out == f"Exercise {exercise_id}: correct\n"
        for wrong in wrongs:
            assert exercises.check(exercise_id, wrong, **context) is False
            out = capsys.readouterr().out
            assert out.startswith(f"Exercise {exercise_id}: not quite. ") and len(out) > 50, out


def test_tuple_and_function_placeholders(tmp_path, capsys):
    source = tmp_path / "answers.py"
    source.write_text("def to_names(ids, id2label):\n    ...  # return a list\n\n"
                      "def done(ids, id2label):\n    return [id2label[int(i)] for i in ids]\n", encoding="utf-8")
    import importlib.util

    spec = importlib.util.spec_from_file_location("answers", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert exercises.is_placeholder(module.to_names) and not exercises.is_placeholder(module.done)
    assert exercises.is_placeholder((None, None)) and not exercises.is_placeholder((1, None))
    assert exercises.check("09.1", module.to_names, id2label={0: "a"}) is False
    assert "not answered yet" in capsys.readouterr().out
    assert exercises.check("09.1", module.done, id2label={0: "entailment", 1: "neutral", 2: "contradiction"})
    assert exercises.check("05.1", (104, None)) is False
    assert "whole number" in capsys.readouterr().out


def test_placeholder_says_not_answered_and_never_raises(capsys):
    for placeholder in (None, ...):
        assert exercises.check("00.1", placeholder) is False
        assert capsys.readouterr().out == "Exercise 00.1: not answered yet\n"
    assert exercises.check("04.2", None) is False  # the context is not even needed
    assert exercises.results() == {"00.1": False, "04.2": False}
    assert exercises.statuses() == {"00.1": "not answered", "04.2": "not answered"}


def test_unknown_exercise_and_a_raising_checker_do_not_raise(capsys, tokenizer):
    assert exercises.check("99.1", 1) is False
    assert "no self-check is registered" in capsys.readouterr().out
    assert exercises.check("00.3", 9) is False  # the tokenizer context is missing: the checker raises
    out = capsys.readouterr().out
    assert out.startswith("Exercise 00.3: not quite.") and "TypeError" in out


def test_every_checker_accepts_the_solution_and_hints_at_wrong_answers(capsys, tokenizer):
    for exercise_id, context, namespace, wrongs in cases(tokenizer):
        answer = solution_answer(exercise_id, namespace)
        assert exercises.check(exercise_id, answer, **context) is True, capsys.readouterr().out
        assert capsys.readouterr().out == f"Exercise {exercise_id}: correct\n"
        for wrong in wrongs:
            assert exercises.check(exercise_id, wrong, **context) is False
            out = capsys.readouterr().out
            assert out.startswith(f"Exercise {exercise_id}: not quite. ") and len(out) > 50, out
    assert set(exercises.results()) == {case[0] for case in cases(tokenizer)}


def test_specific_hints(capsys, tokenizer):
    exercises.check("00.3", len(tokenizer.tokenize("Fine-tuning reuses pre-trained weights.")), tokenizer=tokenizer)
    assert "no prefix" in capsys.readouterr().out
    exercises.check("04.1", 127_512_000)
    assert "order" in capsys.readouterr().out
    exercises.check("00.1", "05_document_classification")
    assert "label per token" in capsys.readouterr().out


def notebook_exercises():
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        ids = exercises.exercise_ids({"cells": cells})
        if ids:
            yield path, cells, ids


def test_every_answer_cell_has_a_checker_a_solution_and_a_self_check():
    converted = list(notebook_exercises())
    assert {path.name[:2] for path, _, _ in converted} >= {"00", "04"}
    for path, cells, ids in converted:
        assert 2 <= len(ids) <= 3 and len(set(ids)) == len(ids), (path.name, ids)
        assert all(i.startswith(path.name[:2] + ".") for i in ids)
        blocks = exercises.solution_blocks(exercises.solutions_file(ids[0]))
        assert sorted(blocks) == sorted(ids), f"solutions/{path.stem}.py blocks {sorted(blocks)} != {ids}"
        sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
        for exercise_id in ids:
            assert exercise_id in CHECKERS, f"no checker registered for {exercise_id}"
            assert CHECKERS[exercise_id].__doc__.startswith(path.stem), exercise_id
            calls = [s for s in sources if re.search(rf'exercises\.check\("{re.escape(exercise_id)}", ', s)]
            assert len(calls) == 1, f"{path.name}: one self-check cell must call check({exercise_id!r}, ...)"
            [answer_cell] = [c for c in cells if c.get("metadata", {}).get("exercise") == exercise_id]
            assert re.search(r"= None\b|^\s+\.\.\.", "".join(answer_cell["source"]), re.M), "answer cells keep the placeholder"


def test_solve_mode_runs_the_solution_and_raises_when_it_fails(monkeypatch, capsys):
    monkeypatch.setenv("LECTUREUTILS_SOLVE_EXERCISES", "1")
    namespace = {"exercises": exercises}
    exec('combinations_25_6 = None\nexercises.check("04.1", combinations_25_6)', namespace)
    assert exercises.statuses() == {"04.1": "not answered"} and exercises.solved() == {"04.1": True}
    assert "solve mode: the solution in solutions/04_keyword_extraction.py passes" in capsys.readouterr().out
    assert "math" not in namespace  # the solution ran on a copy of the namespace
    with pytest.raises(AssertionError, match="must keep the placeholder"):
        exec('exercises.check("04.1", 177100)', namespace)
    monkeypatch.setitem(CHECKERS, "04.1", lambda answer: "always wrong")
    with pytest.raises(AssertionError, match="fails its check: always wrong"):
        exec('exercises.check("04.1", None)', namespace)


def test_solve_mode_evaluates_the_self_checks_answer_expression(monkeypatch, capsys):
    """In a notebook the self-check cell's source is in linecache: the answer expression (here a tuple of two
    names) is evaluated after the solution block ran."""
    import linecache

    monkeypatch.setenv("LECTUREUTILS_SOLVE_EXERCISES", "1")
    cell = 'exercises.check("05.1", (dynamic_padding_tokens, fixed_padding_tokens))\n'
    linecache.cache["<cell 69>"] = (len(cell), None, [cell], "<cell 69>")
    namespace = {"exercises": exercises, "dynamic_padding_tokens": None, "fixed_padding_tokens": None}
    exec(compile(cell, "<cell 69>", "exec"), namespace)
    assert exercises.solved() == {"05.1": True} and namespace["dynamic_padding_tokens"] is None


def test_answer_name_is_the_last_binding():
    assert exercises.answer_name("import math\nx = 1\ndef f():\n    pass\n") == "f"
    assert exercises.answer_name("first = 1\nanswer: int = first + 1\n") == "answer"
    with pytest.raises(ValueError):
        exercises.answer_name("print(1)\n")


def test_runner_on_a_small_notebook(tmp_path):
    """The runner on a three-exercise notebook shaped like the real ones (the real notebooks run in solve mode in
    make test's nbval run, so they are not executed a second time here)."""
    import nbformat

    cells = [nbformat.v4.new_markdown_cell("# 04 · Test"), nbformat.v4.new_markdown_cell("## Exercises")]
    for number, placeholder, call in [
        (1, "combinations_25_6 = None", 'exercises.check("04.1", combinations_25_6);'),
        (1, "", ""),
        (3, "dynamic_padding_tokens = None\nfixed_padding_tokens = None",
         'exercises.check("05.1", (dynamic_padding_tokens, fixed_padding_tokens));'),
        (4, "def to_names(ids, id2label):\n    ...  # return a list",
         'exercises.check("09.1", to_names, id2label={0: "entailment", 1: "neutral", 2: "contradiction"});'),
    ]:
        if not placeholder:
            continue
        answer = nbformat.v4.new_code_cell(f"# Exercise {number}: your answer\n{placeholder}")
        answer.metadata["exercise"] = call.split('"')[1]
        cells += [answer, nbformat.v4.new_code_cell(f"# Self-check for exercise {number}\n"
                                                    f"from lectureutils import exercises\n\n{call}")]
    path = tmp_path / "04_test.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    report = exercises.solve(path)
    assert report["ids"] == ["04.1", "05.1", "09.1"]
    assert report["statuses"] == dict.fromkeys(report["ids"], "not answered")
    assert report["solved"] == dict.fromkeys(report["ids"], True)
    assert exercises.main(["solve", str(path)]) == 0

    cells[2].source = cells[2].source.replace("None", "177100")  # an answer left in the stored notebook
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert exercises.main(["solve", str(path)]) == 1


def test_the_checkers_do_not_import_the_runner():
    """No import circle: lectureutils.exercises imports exercise_checks (its registry), never the other way."""
    code = "import sys, lectureutils.exercise_checks; assert 'lectureutils.exercises' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parent.parent)


def test_a_judgement_exercise_accepts_any_reasoned_answer_and_names_what_is_missing(capsys):
    from lectureutils.exercise_checks import CHECKERS, MODEL_ANSWERS, judgement

    judgement("99.9", "99_test, exercise 9 (judgement)",
              {"Which method do you pick?": ("tf-idf", "fine-tun", "파인튜닝"),
               "What does the budget allow?": ("budget", "cost", "예산", "비용")},
              "Fine-tuning: the budget allows an hour of GPU, and it is 10 points more accurate.", min_words=8)
    try:
        assert exercises.check("99.9", "TF-IDF, because the budget is tiny and it trains in seconds on a CPU.")
        assert exercises.check("99.9", "파인튜닝을 고른다. 예산이 GPU 한 시간을 허락하고, 정확도가 10점 높다.")
        assert not exercises.check("99.9", "Fine-tuning is best.")  # too short to be reasoned
        assert not exercises.check("99.9", "I would pick fine-tuning because it is clearly the most accurate one.")
        out = capsys.readouterr().out
        assert "What does the budget allow?" in out and "Which method" not in out.split("not quite")[-1]
        assert not exercises.check("99.9", 42)
        exercises.model_answer("99.9")
        assert "the budget allows an hour" in capsys.readouterr().out
        exercises.model_answer("99.8")
        assert "no model answer" in capsys.readouterr().out
    finally:
        CHECKERS.pop("99.9"), MODEL_ANSWERS.pop("99.9")


def test_exercise_messages_are_korean_under_language_ko_and_english_by_default(monkeypatch, capsys):
    """Hints, verdicts and model answers go through _(): English by default, Korean with setup(language="ko")."""
    monkeypatch.setenv("LECTUREUTILS_LANG", "en")
    exercises.check("05.1", (204, 412))  # the batch's every token counted: the misconception's own hint
    assert capsys.readouterr().out == ("Exercise 05.1: not quite. that counts every token of the padded batch; "
                                       "subtract the real tokens.\n")
    exercises.model_answer("05.3")
    assert "I would start with TF-IDF" in capsys.readouterr().out
    monkeypatch.setenv("LECTUREUTILS_LANG", "ko")  # what setup(language="ko") sets
    exercises.check("05.1", (204, 412))
    assert capsys.readouterr().out == ("연습문제 05.1: 아쉽지만 아직 아닙니다. 그것은 패딩된 배치의 모든 토큰 수입니다. "
                                       "실제 토큰을 빼세요.\n")
    exercises.check("00.2", "I would copy 09_sentence_pair_classification because it reads sentences.")
    out = capsys.readouterr().out
    assert "문장 쌍에 레이블 하나" in out and "gives" not in out  # the inserted phrase is translated too
    exercises.check("05.3", "TF-IDF with logistic regression, because it is cheap: it trains on a laptop CPU in a "
                            "few seconds, and section 7 shows about 80 % accuracy, close enough to the fine-tuned "
                            "model for a shop that loses little on a wrong label.")
    out = capsys.readouterr().out
    assert "좋은 답이라면 이것도 다룹니다" in out and "어떻게 확인하겠습니까" in out and "How would" not in out
    exercises.model_answer("05.3")
    assert "글자 n-gram TF-IDF와 로지스틱 회귀로 시작하겠습니다" in capsys.readouterr().out
