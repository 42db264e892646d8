"""Tests for lectureutils.verify.record and tools/verify.py (make verify-online): recording, the offline refusal, and the report writer fed
with recorded outputs (this machine has no route to the model hub, so the real run itself is not tested here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from lectureutils.verify import record
from tools import verify

# What a real online run recorded (shaped as the notebooks record it; values as real models give them).
RECORDED = {
    "01": {"01.tokens": ["i", "love", "paris"], "01.input_ids": [101, 1045, 2293, 3000, 102, 0, 0],
           "01.last_hidden_state_shape": [1, 7, 1024], "01.pooler_output_shape": [1, 1024]},
    "02": {"02.input_ids": [101, 4715, 2003, 1037, 2428, 4569, 103, 1012, 102],
           "02.fill_mask.soccer": [[" sport", 0.7621], ["game", 0.2034], ["thing", 0.0122], ["activity", 0.0019],
                                   ["field", 0.0013]],
           "02.fill_mask.avengers": [["movie", 0.18], ["show", 0.25], ["story", 0.11], ["series", 0.07],
                                     ["film", 0.07]],
           "02.fill_mask.korean": [["회사", 0.2], ["집", 0.1], ["공장", 0.05], ["학교", 0.04], ["서울", 0.01]]},
    "03": {"03.nsp.pizza": [0.9999971, 2.84e-06], "03.nsp.sky_label": 1, "03.nsp.korean_labels": [0, 0]},
    "05": {"05.test_accuracy": 0.874, "05.test_macro_f1": 0.873},
}


@pytest.fixture
def results(tmp_path, monkeypatch):
    folder = tmp_path / "results"
    monkeypatch.setenv("LECTUREUTILS_RESULTS", str(folder))
    return folder


def test_record_does_nothing_unless_asked(tmp_path, monkeypatch):
    monkeypatch.delenv("LECTUREUTILS_RESULTS", raising=False)
    monkeypatch.chdir(tmp_path)
    record("02.input_ids", [1, 2])
    assert list(tmp_path.iterdir()) == []


def test_record_merges_json_ready_values(results):
    import torch

    record("02.input_ids", torch.tensor([[101, 102]])[0])
    record("02.fill_mask.soccer", [("sport", np.float32(0.5))])
    record("05.accuracy", np.float64(0.75))
    assert json.loads((results / "02.json").read_text()) == {"02.input_ids": [101, 102],
                                                           "02.fill_mask.soccer": [["sport", 0.5]]}
    assert verify.load_results(results) == {"02.input_ids": [101, 102], "02.fill_mask.soccer": [["sport", 0.5]],
                                            "05.accuracy": 0.75}


def test_compare():
    lecture = verify.PUBLISHED["02"]["02.fill_mask.soccer"][1]
    assert verify.compare(lecture, RECORDED["02"]["02.fill_mask.soccer"]) == "same"
    assert verify.compare(lecture, [[t, 0.2] for t, _ in lecture]) == "same words, other scores"
    assert verify.compare(lecture, list(reversed(lecture))) == "same words, other order"
    assert verify.compare(lecture, [["x", 1.0]] + [list(p) for p in lecture[1:]]) == "differs (4 of 5 words shared)"
    assert verify.compare([0.99999714, 2.8381855e-06], [0.97, 0.03]) == "close"
    assert verify.compare([0.99999714, 2.8381855e-06], [0.4, 0.6]) == "differs"
    assert verify.compare([0, 1], [0, 1]) == "same" and verify.compare(1, 0) == "differs"
    assert verify.compare(1, None) == "not recorded"


def test_report_from_recorded_outputs(results, tmp_path):
    results.mkdir()
    for notebook, values in RECORDED.items():
        (results / f"{notebook}.json").write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "build" / "real_results.md"
    text = verify.write_report(results, target, failures={"06_question_answering": "CellExecutionError: boom"})
    assert target.read_text(encoding="utf-8") == text
    rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines() if line.startswith("| ")}
    assert rows["bert-large-uncased: Soccer is a really fun [MASK]."].endswith("| same |")
    assert "sport 0.762" in rows["bert-large-uncased: Soccer is a really fun [MASK]."]
    assert rows["bert-large-uncased: The Avengers is a really fun [MASK]."].endswith("| same words, other order |")
    assert rows["bert-large-uncased: I went to [MASK] this morning."].endswith("| — | not recorded |")
    assert rows["klue/bert-base: ...아침 [MASK]에 출근을 했다."].endswith("| differs (3 of 5 words shared) |")
    assert rows["bert-base-uncased: P(IsNext), P(NotNext), pizza pair"].endswith("| close |")
    assert rows["klue/bert-base: labels, World Cup pair and cinema pair"].endswith("| [0, 0] | differs |")
    assert rows["bert-large-uncased: ids, padded to 7"].endswith("| same |")
    assert "- `05.test_accuracy`: 0.874" in text and "- `05.test_macro_f1`: 0.873" in text
    assert "## Notebooks that failed" in text and "06_question_answering: CellExecutionError: boom" in text


def test_refuses_at_once_offline(tmp_path, monkeypatch):
    env = dict(os.environ, LECTUREUTILS_OFFLINE="1", LECTUREUTILS_RESULTS=str(tmp_path / "r"))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tools.verify", "run", "notebooks/00_transfer_learning_map.ipynb"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert time.perf_counter() - start < 30 and done.returncode == 2
    assert "offline (LECTUREUTILS_OFFLINE=1)" in done.stderr and "huggingface.co" in done.stderr
    assert not (tmp_path / "r").exists()

    # LECTUREUTILS_OFFLINE=0 (what make verify-online sets) still probes the hub
    monkeypatch.setenv("LECTUREUTILS_OFFLINE", "0")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(verify.env, "hub_reachable", lambda: False)
    assert "offline (no route to huggingface.co)" in verify.refusal()
    monkeypatch.setattr(verify.env, "hub_reachable", lambda: True)
    monkeypatch.delenv("LECTUREUTILS_RESULTS", raising=False)
    assert "no results folder" in verify.refusal()
    monkeypatch.setenv("LECTUREUTILS_RESULTS", str(tmp_path / "r"))
    assert verify.refusal() is None
