"""Tests for the task runner, python -m lectureutils.finetune: its options, a registered task's spec, a tiny run
of a made-up task through every hook, and classification in one process and under torchrun with two."""

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from lectureutils import finetune
from lectureutils.classification import inference_fn, load_classifier
from lectureutils.tasks import TASKS, TaskEntry

ROOT = Path(__file__).resolve().parent.parent
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle")
SHARED = {"task", "model", "output", "processes", "distributed", "precision", "steps", "train_loss", "train_seconds"}


def summary_line(output: str) -> dict:
    """The run's summary: the last printed line, one JSON object."""
    return json.loads(output.strip().splitlines()[-1])


def assert_safe_checkpoint(folder: Path):
    names = sorted(path.name for path in folder.iterdir())
    assert "model.safetensors" in names and "config.json" in names and "tokenizer.json" in names, names
    assert not [name for name in names if name.endswith(PICKLE_SUFFIXES)], names
    model, tokenizer = load_classifier(folder)
    result = inference_fn("이 핸드폰 배터리 수명이 정말 길다", model, tokenizer)
    assert result["prediction"] in ("긍정 (positive)", "부정 (negative)")
    return json.loads((folder / "training_args.json").read_text(encoding="utf-8"))


# --- options -------------------------------------------------------------------------------------------------


def test_every_registered_task_has_a_spec_and_its_settings_are_the_defaults():
    parser = finetune.build_parser()
    assert set(TASKS) == {"classification", "qa", "nli", "ner", "generation"}
    for name, entry in TASKS.items():
        spec = finetune.task_spec(name)
        assert spec.settings.__name__ == f"{entry.package}.settings" and spec.description
        hyper = spec.settings.HYPER_PARAMETERS
        args = parser.parse_args([name, "--output", "out"])
        assert args.task == name and args.model == spec.settings.MODEL
        assert (args.learning_rate, args.batch_size, args.epochs, args.max_length, args.seed, args.max_steps,
                args.warmup_ratio, args.weight_decay) == (
            hyper.learning_rate, hyper.batch_size, hyper.epochs, hyper.max_length, hyper.seed, hyper.max_steps,
            hyper.warmup_ratio, hyper.weight_decay)
    with pytest.raises(KeyError, match="the tasks are"):
        finetune.task_spec("translation")


def test_each_task_keeps_its_own_options():
    parse = finetune.parse_arguments
    qa = parse(["qa", "--output", "x", "--doc-stride", "24", "--max-query-length", "16", "--max-answer-length", "20",
                "--no-eval", "--max-seq-length", "96"])
    assert (qa.doc_stride, qa.max_query_length, qa.max_answer_length, qa.no_eval, qa.hyper.max_length) == (24, 16, 20, True, 96)
    nli = parse(["nli", "--output", "x", "--sample", "--dev-file", "d.json", "--train-file", "t.json",
                 "--truncation", "only_first", "--hypothesis-only"])
    assert nli.sample and nli.dev_file == Path("d.json") and nli.train_file == Path("t.json")
    assert nli.truncation == "only_first" and nli.hypothesis_only
    ner = parse(["ner", "--output", "x", "--train-file", "t.tsv", "--dev-file", "d.tsv"])
    assert ner.train_file == Path("t.tsv") and not ner.sample and ner.batch_size == 32 and ner.max_length == 128
    generation = parse(["generation", "--output", "x", "--batching", "grouped", "--block-size", "256"])
    assert (generation.batching, generation.block_size, generation.hyper.epochs) == ("grouped", 256, 1)
    classification = parse(["classification", "--output", "x", "--test-file", "t.txt", "--train-file", "r.txt",
                            "--sample"])
    assert classification.test_file == Path("t.txt") and classification.sample
    for task, foreign in [("classification", "--dev-file"), ("qa", "--train-file"),
                          ("nli", "--doc-stride"), ("ner", "--batching")]:
        with pytest.raises(SystemExit):
            parse([task, "--output", "x", foreign, "1"])


def test_limits_and_hyper_parameters_from_the_shared_options(capsys):
    args = finetune.parse_arguments(["classification", "--output", "x", "--limit", "5", "--eval-limit", "2",
                                     "--learning-rate", "1e-3", "--seed", "11", "--max-steps", "4"])
    assert (args.train_limit, args.eval_limit) == (5, 2)
    assert (args.hyper.learning_rate, args.hyper.seed, args.hyper.max_steps) == (1e-3, 11, 4)
    assert args.hyper.batch_size == 32  # the rest from the task's settings
    assert finetune.parse_arguments(["nli", "--output", "x", "--dev-limit", "3"]).eval_limit == 3
    with pytest.raises(SystemExit) as exit_info:
        finetune.parse_arguments(["classification", "--output", "x", "--limit", "0"])
    assert exit_info.value.code == 2 and "--limit must be at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        finetune.parse_arguments(["classification", "--output", "x", "--learning-rate", "0"])
    assert "learning_rate must be positive" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        finetune.main(["classification"])  # --output is required
    assert exit_info.value.code == 2


def test_other_ranks_print_nothing(monkeypatch, capsys):
    from lectureutils.training import main_process_output

    monkeypatch.setenv("RANK", "1")
    with main_process_output():
        print("from rank 1")
    monkeypatch.setenv("RANK", "0")
    with main_process_output():
        print("from rank 0")
    assert capsys.readouterr().out == "from rank 0\n"


# --- a made-up task through every hook ----------------------------------------------------------------------


@pytest.fixture
def fake_task(monkeypatch):
    """A task that exists only in this test: one registry entry and a spec module, nothing else."""
    import pandas as pd

    from lectureutils.classification import settings
    from lectureutils.classification.spec import SPEC as classification
    from lectureutils.classification.metrics import compute_metrics

    calls = {"read": [], "baseline": None}

    def read(split, path, args):
        calls["read"].append((split, path, args.flavour))
        good = ["정말 재밌다 최고", "배우 연기 좋다 강추"] if split == "train" else ["최고의 영화"]
        bad = ["지루하고 별로", "돈 아깝다 최악"] if split == "train" else ["시간 낭비"]
        documents = [f"{text} {number}" for number in range(10) for text in (*good, *bad)]
        labels = [1] * len(good) + [0] * len(bad)
        return pd.DataFrame({"document": documents, "label": labels * 10})

    def baseline(trainer, tokenizer, examples, dataset, args):
        calls["baseline"] = trainer.state.global_step
        return {"before": 1.5}

    spec = finetune.TaskSpec(
        description="a made-up task", settings=settings, unit="lines", splits=("train", "held"), read=read,
        load_model=classification.load_model, encode=classification.encode, compute_metrics=compute_metrics,
        evaluate=finetune.trainer_scores("accuracy"), file_format="a made-up file",
        add_arguments=lambda group: group.add_argument("--flavour", default="plain"),
        check=lambda args: ["no bad flavours"] if args.flavour == "bad" else [],
        details=lambda args, train_dataset: {"flavour": args.flavour, "encoded": len(train_dataset)},
        baseline=baseline, reload="a made-up loader",
    )
    monkeypatch.setitem(sys.modules, "made_up_task.spec", types.SimpleNamespace(SPEC=spec))
    monkeypatch.setitem(TASKS, "made-up", TaskEntry("made_up_task", "05_document_classification", served=False))
    return calls


def test_a_made_up_task_needs_only_a_spec_and_a_registry_entry(fake_task, tmp_path, capsys):
    output = tmp_path / "made-up"
    code = finetune.main(["made-up", "--output", str(output), "--flavour", "sweet", "--train-file", "t.txt", "--held-file", "h.txt",
                          "--train-limit", "16", "--max-steps", "2", "--batch-size", "4", "--max-length", "16"])
    assert code == 0
    printed = capsys.readouterr().out
    summary = summary_line(printed)
    assert fake_task["read"] == [("train", Path("t.txt"), "sweet"), ("held", Path("h.txt"), "sweet")]
    assert fake_task["baseline"] == 0  # measured before the first step
    assert set(summary) == SHARED | {"train_lines", "held_lines", "flavour", "encoded", "before", "accuracy",
                                     "eval_loss"}
    assert summary["task"] == "made-up" and summary["train_lines"] == 16 and summary["held_lines"] == 20
    assert summary["encoded"] == 16 and summary["steps"] == 2 and summary["flavour"] == "sweet"
    assert 0.0 <= summary["accuracy"] <= 1.0 and summary["before"] == 1.5
    assert "training beomi/kcbert-base on 16 lines, evaluating on 20 (1 process(es)" in printed
    assert "2 steps in" in printed and ", accuracy " in printed and "(reload: a made-up loader)" in printed
    record = json.loads((output / "training_args.json").read_text(encoding="utf-8"))
    assert record["summary"] == summary and record["hyper_parameters"]["max_length"] == 16


def test_a_spec_refuses_options_that_do_not_fit(fake_task, tmp_path, capsys):
    assert finetune.main(["made-up", "--output", str(tmp_path), "--flavour", "bad"]) == 2
    assert "error: no bad flavours" in capsys.readouterr().err
    assert fake_task["read"] == [] and not (tmp_path / "model.safetensors").exists()


def test_an_empty_split_stops_the_run(fake_task, monkeypatch, tmp_path):
    spec = sys.modules["made_up_task.spec"].SPEC
    import dataclasses

    import pandas as pd

    empty = dataclasses.replace(spec, read=lambda split, path, args: pd.DataFrame({"document": [], "label": []}))
    monkeypatch.setitem(sys.modules, "made_up_task.spec", types.SimpleNamespace(SPEC=empty))
    with pytest.raises(ValueError, match="The train split has no lines"):
        finetune.main(["made-up", "--output", str(tmp_path)])


# --- classification, the reference task ---------------------------------------------------------------------


def test_classification_run_on_the_sample_and_reload(tmp_path, capsys):
    output = tmp_path / "nsmc"
    code = finetune.main(
        ["classification", "--output", str(output), "--max-steps", "3", "--batch-size", "8", "--learning-rate", "1e-4"]
    )
    assert code == 0
    printed = capsys.readouterr().out
    summary = summary_line(printed)
    assert set(summary) == SHARED | {"train_reviews", "test_reviews", "accuracy", "f1", "eval_loss"}
    assert summary["task"] == "classification" and summary["steps"] == 3 and summary["processes"] == 1
    assert summary["train_reviews"] >= 150 and summary["test_reviews"] >= 40  # the sample's two parts
    assert 0.0 <= summary["accuracy"] <= 1.0
    assert "OFFLINE STAND-IN" in printed and "offline mode: NSMC" in printed
    record = assert_safe_checkpoint(output)
    assert record["summary"] == summary
    assert record["hyper_parameters"]["learning_rate"] == 1e-4
    assert record["training_arguments"]["per_device_train_batch_size"] == 8
    assert record["training_arguments"]["train_sampling_strategy"] == "group_by_length"


def test_classification_run_on_given_files_with_a_limit(tmp_path, capsys):
    rows = ["id\tdocument\tlabel"]
    for number in range(40):
        good = number % 2
        rows.append(f"{1000 + number}\t{'정말 재밌다 최고' if good else '지루하고 별로'} {number}\t{good}")
    train = tmp_path / "train.txt"
    train.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code = finetune.main([
        "classification", "--output", str(tmp_path / "out"), "--train-file", str(train), "--test-file", str(train),
        "--limit", "16", "--max-steps", "2", "--batch-size", "4", "--max-length", "16", "--no-length-grouping",
    ])
    assert code == 0
    summary = summary_line(capsys.readouterr().out)
    assert summary["train_reviews"] == 16 and summary["test_reviews"] == 16
    record = assert_safe_checkpoint(tmp_path / "out")
    assert record["training_arguments"]["train_sampling_strategy"] == "random"
    assert record["hyper_parameters"]["max_length"] == 16


def test_train_file_needs_a_test_file(tmp_path, capsys):
    assert finetune.main(["classification", "--output", str(tmp_path), "--train-file", "x.txt"]) == 2
    assert "--test-file" in capsys.readouterr().err


def test_torchrun_with_two_cpu_processes(tmp_path):
    output = tmp_path / "ddp"
    env = {**os.environ, "LECTUREUTILS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    torchrun = Path(sys.executable).parent / "torchrun"
    command = [
        str(torchrun), "--nproc_per_node", "2", "-m", "lectureutils.finetune", "classification",
        "--output", str(output), "--max-steps", "3", "--batch-size", "8",
    ]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summaries = [line for line in run.stdout.splitlines() if line.startswith('{"task"')]
    assert len(summaries) == 1  # rank 0 alone prints
    summary = json.loads(summaries[0])
    assert summary["processes"] == 2 and summary["distributed"] == "MULTI_CPU"
    assert summary["steps"] == 3
    assert summary["test_reviews"] >= 40
    assert 0.5 < summary["train_loss"] < 0.9  # about ln 2: not multiplied by the number of processes
    assert run.stdout.count("offline mode: NSMC 'train'") == 1
    record = assert_safe_checkpoint(output)
    assert record["summary"]["processes"] == 2


def test_the_classification_command_starts_from_the_lectures_settings():
    """Moved from notebook 05's section 11 (issue 26): the command line's defaults are the lecture's."""
    args = finetune.parse_arguments(["classification", "--output", "checkpoints/nsmc"])
    assert args.model == "beomi/kcbert-base"
    assert (args.hyper.learning_rate, args.hyper.batch_size, args.hyper.epochs, args.hyper.max_length,
            args.hyper.seed) == (5e-5, 32, 3, 128, 7)
    assert (args.train_limit, args.eval_limit) == (None, None)
    assert {"classification", "qa"} <= set(TASKS)
