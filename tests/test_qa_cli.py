"""``python -m lectureutils.finetune qa`` (lectureutils.qa.spec): tiny runs that train, evaluate, save and store their
window settings; and the notebook's run sizes (lectureutils.qa.settings.RUNS)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lectureutils import finetune, qa

ROOT = Path(__file__).resolve().parent.parent


def cli_arguments(output, *extra):
    return finetune.parse_arguments(
        ["qa", "--model", "beomi/kcbert-base", "--output", str(output), "--max-steps", "3", "--batch-size", "4",
         "--train-limit", "12", "--dev-limit", "6", *extra])


def test_defaults_are_the_lectures_windows():
    from lectureutils.qa import settings

    args = cli_arguments("out")
    assert args.max_length == 128 and args.doc_stride == 64 and args.max_query_length == 32
    assert args.hyper == settings.HYPER_PARAMETERS.with_changes(max_steps=3, batch_size=4)
    assert args.eval_limit == 6 and not args.no_eval
    assert not finetune.task_spec("qa").group_by_length(args)  # windows are nearly all the same length


def test_the_run_trains_saves_evaluates_and_stores_its_windows(tmp_path, capsys):
    args = cli_arguments(tmp_path / "model", "--max-seq-length", "64", "--doc-stride", "24")
    summary = finetune.run(finetune.task_spec("qa"), args)
    assert summary["train_questions"] == 12 and summary["dev_questions"] == 6
    assert summary["train_windows"] >= 12 and summary["steps"] == 3
    assert summary["windows"] == {"max_seq_length": 64, "doc_stride": 24, "max_query_length": 32}
    assert 0 <= summary["exact_match"] <= summary["f1"] <= 100
    assert f"on 12 questions ({summary['train_windows']:,} training examples)" in capsys.readouterr().out
    files = {path.name for path in (tmp_path / "model").iterdir()}
    assert "model.safetensors" in files and "training_args.bin" not in files
    record = json.loads((tmp_path / "model" / "training_args.json").read_text(encoding="utf-8"))
    assert record["summary"] == summary and record["training_arguments"]["train_sampling_strategy"] == "random"
    model, tokenizer = qa.load_qa_model(tmp_path / "model")
    assert qa.window_settings(model) == {"max_seq_length": 64, "doc_stride": 24, "max_query_length": 32}
    result = qa.answer("숭례문이 축성된 연도는?", "숭례문은 1396년에 축성하였다.", model, tokenizer)
    assert result["answer"]


def test_no_eval_skips_the_dev_split(tmp_path, capsys):
    assert finetune.main(["qa", "--output", str(tmp_path / "m"), "--max-steps", "1", "--batch-size", "4",
                          "--train-limit", "4", "--no-eval"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert "dev_questions" not in summary and "f1" not in summary and summary["steps"] == 1


def test_run_sizes_quick_class_full(monkeypatch):
    from lectureutils.qa import settings
    from lectureutils.training import Limits

    monkeypatch.setattr("lectureutils.models.is_standin", lambda name: name == "beomi/kcbert-base")
    lecture = settings.HYPER_PARAMETERS
    assert settings.RUNS.for_run("quick", "a-real/model") == (lecture.with_changes(batch_size=8, max_steps=40),
                                                              Limits(sample=True))
    assert settings.RUNS.for_run("class", "a-real/model") == (lecture.with_changes(epochs=1),
                                                              Limits(sample=False, train=12_000))
    for size in ("quick", "class", "full"):
        assert settings.RUNS.for_run(size, "beomi/kcbert-base")[0].learning_rate == 3e-4


def test_finetune_qa_command(tmp_path):
    command = [sys.executable, "-m", "lectureutils.finetune", "qa", "--model", "beomi/kcbert-base",
               "--output", str(tmp_path / "cli"), "--max-steps", "2", "--batch-size", "4", "--train-limit", "8",
               "--dev-limit", "4"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "cli" / "config.json").exists()
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["task"] == "qa" and summary["steps"] == 2 and summary["dev_questions"] == 4 and "f1" in summary
