"""Tests for the command line: python -m lectureutils.finetune (one process and torchrun with two)."""

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from lectureutils import finetune
from lectureutils.classification import inference_fn, load_classifier

ROOT = Path(__file__).resolve().parent.parent
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle")


def summary_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{\"model\"")]


def assert_safe_checkpoint(folder: Path):
    names = sorted(path.name for path in folder.iterdir())
    assert "model.safetensors" in names and "config.json" in names and "tokenizer.json" in names, names
    assert not [name for name in names if name.endswith(PICKLE_SUFFIXES)], names
    model, tokenizer = load_classifier(folder)
    result = inference_fn("이 핸드폰 배터리 수명이 정말 길다", model, tokenizer)
    assert result["prediction"] in ("긍정 (positive)", "부정 (negative)")
    return json.loads((folder / "training_args.json").read_text(encoding="utf-8"))


def test_classification_run_on_the_sample_and_reload(tmp_path, capsys):
    output = tmp_path / "nsmc"
    code = finetune.main(
        ["classification", "--output", str(output), "--max-steps", "3", "--batch-size", "8", "--learning-rate", "1e-4"]
    )
    assert code == 0
    printed = capsys.readouterr().out
    [summary] = summary_lines(printed)
    assert summary["steps"] == 3 and summary["processes"] == 1
    assert summary["train_reviews"] >= 150 and summary["test_reviews"] >= 40  # the sample's two parts
    assert 0.0 <= summary["accuracy"] <= 1.0
    assert "OFFLINE STAND-IN" in printed and "offline mode: NSMC" in printed
    record = assert_safe_checkpoint(output)
    assert record["summary"] == summary
    assert record["hyper_parameters"]["learning_rate"] == 1e-4
    assert record["training_arguments"]["per_device_train_batch_size"] == 8


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
    [summary] = summary_lines(capsys.readouterr().out)
    assert summary["train_reviews"] == 16 and summary["test_reviews"] == 16
    record = assert_safe_checkpoint(tmp_path / "out")
    saved = record["training_arguments"]
    assert saved.get("train_sampling_strategy", "random") == "random" and not saved.get("group_by_length", False)
    assert record["hyper_parameters"]["max_length"] == 16


def test_train_file_needs_a_test_file(tmp_path, capsys):
    assert finetune.main(["classification", "--output", str(tmp_path), "--train-file", "x.txt"]) == 2
    assert "--test-file" in capsys.readouterr().err


def test_output_is_required():
    with pytest.raises(SystemExit) as exit_info:
        finetune.main(["classification"])
    assert exit_info.value.code == 2


def test_every_task_shares_one_argument_set_with_its_own_defaults():
    import importlib

    parser = finetune.build_parser()
    for name, module_name in finetune.TASKS.items():
        module = importlib.import_module(module_name)
        args = parser.parse_args([name, "--output", "out"])
        assert args.task == name and args.model == module.MODEL
        hyper = module.HYPER_PARAMETERS
        assert (args.learning_rate, args.batch_size, args.epochs, args.max_length, args.seed, args.max_steps) == (
            hyper.learning_rate, hyper.batch_size, hyper.epochs, hyper.max_length, hyper.seed, hyper.max_steps)
        assert callable(module.add_arguments) and callable(module.run) and module.DESCRIPTION
    assert set(finetune.TASKS) >= {"classification", "qa"}


def test_a_registered_task_is_run_with_its_hyper_parameters(monkeypatch, capsys):
    calls = {}
    fake = types.ModuleType("fake_task_cli")
    fake.DESCRIPTION, fake.MODEL = "a fake task", "some/model"
    from lectureutils.training import HyperParameters

    fake.HYPER_PARAMETERS = HyperParameters(batch_size=4, max_length=64)
    fake.add_arguments = lambda parser: parser.add_argument("--doc-stride", type=int, default=128)
    fake.run = lambda args: calls.update(stride=args.doc_stride, hyper=args.hyper, limits=(args.train_limit, args.eval_limit)) or 0
    monkeypatch.setitem(sys.modules, "fake_task_cli", fake)
    monkeypatch.setitem(finetune.TASKS, "fake", "fake_task_cli")
    assert finetune.main(["fake", "--output", "x", "--doc-stride", "64", "--limit", "5", "--eval-limit", "2"]) == 0
    assert calls["stride"] == 64 and calls["limits"] == (5, 2)
    assert calls["hyper"] == HyperParameters(batch_size=4, max_length=64)
    with pytest.raises(SystemExit):
        finetune.main(["fake", "--output", "x", "--limit", "0"])
    assert "--limit must be at least 1" in capsys.readouterr().err


def test_other_ranks_print_nothing(monkeypatch, capsys):
    from lectureutils.training import main_process_output

    monkeypatch.setenv("RANK", "1")
    with main_process_output():
        print("from rank 1")
    monkeypatch.setenv("RANK", "0")
    with main_process_output():
        print("from rank 0")
    assert capsys.readouterr().out == "from rank 0\n"


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
    [summary] = summary_lines(run.stdout)  # rank 0 alone prints
    assert summary["processes"] == 2 and summary["distributed"] == "MULTI_CPU"
    assert summary["steps"] == 3
    assert summary["test_reviews"] >= 40
    assert 0.5 < summary["train_loss"] < 0.9  # about ln 2: not multiplied by the number of processes
    assert run.stdout.count("offline mode: NSMC 'train'") == 1
    record = assert_safe_checkpoint(output)
    assert record["summary"]["processes"] == 2
