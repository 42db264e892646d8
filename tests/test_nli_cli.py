"""Tests for ``python -m lectureutils.finetune nli`` (lectureutils.nli.spec): a tiny run on the sample with the stand-in."""

import json

import pytest

from lectureutils import finetune
from lectureutils.models import is_standin
from lectureutils.nli import NLI_LABELS, load_nli_model, nli_fn
from lectureutils.nli.corpus import NLI_ID2LABEL

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle")


def summary_of(output: str) -> dict:
    [line] = [line for line in output.splitlines() if line.startswith('{"task": "nli"')]
    return json.loads(line)


def test_nli_is_registered_with_the_lectures_settings():
    from lectureutils.nli import settings, spec

    assert finetune.TASKS["nli"].package == "lectureutils.nli" and finetune.task_spec("nli") is spec.SPEC
    assert settings.MODEL == "klue/bert-base" and settings.HYPER_PARAMETERS.learning_rate == 5e-5
    assert spec.SPEC.settings is settings and spec.SPEC.unit == "pairs" and spec.SPEC.splits == ("train", "dev")
    assert "nli" in finetune.build_parser().format_help()


def test_a_tiny_run_on_the_sample_saves_a_model_that_answers_with_names(tmp_path, capsys):
    output = tmp_path / "nli"
    code = finetune.main(["nli", "--output", str(output), "--max-steps", "3", "--batch-size", "8",
                          "--learning-rate", "1e-4", "--sample"])
    assert code == 0
    printed = capsys.readouterr().out
    summary = summary_of(printed)
    assert summary["task"] == "nli" and summary["precision"] == "fp32"
    assert summary["steps"] == 3 and summary["processes"] == 1 and not summary["hypothesis_only"]
    assert summary["train_pairs"] >= 200 and summary["dev_pairs"] >= 45  # the sample's two parts
    assert 0.0 <= summary["accuracy"] <= 1.0 and 0.0 <= summary["macro_f1"] <= 1.0
    assert "comes from the sample" in printed and "OFFLINE STAND-IN" in printed
    names = sorted(path.name for path in output.iterdir())
    assert "model.safetensors" in names and "config.json" in names and "tokenizer.json" in names, names
    assert not [name for name in names if name.endswith(PICKLE_SUFFIXES)], names
    record = json.loads((output / "training_args.json").read_text(encoding="utf-8"))
    assert record["summary"] == summary and record["hyper_parameters"]["learning_rate"] == 1e-4
    config = json.loads((output / "config.json").read_text(encoding="utf-8"))
    assert config["id2label"] == {str(index): name for index, name in NLI_ID2LABEL.items()}
    model, tokenizer = load_nli_model(output)
    answer = nli_fn("숙소는 역에서 가깝다.", "역까지 걸어갈 수 있다.", model, tokenizer)
    assert answer["label"] in NLI_LABELS and set(answer["probabilities"]) == set(NLI_LABELS)
    assert is_standin(model) and is_standin(output)  # the stand-in mark survives fine-tuning


def test_hypothesis_only_run_on_given_files_with_a_limit(tmp_path, capsys):
    rows = []
    for number in range(24):
        label = ("entailment", "neutral", "contradiction")[number % 3]
        rows.append({"guid": f"klue-nli-v1_train_{number:05d}", "genre": "airbnb", "premise": f"숙소가 깨끗했다 {number}",
                     "hypothesis": "숙소가 더러웠다" if label == "contradiction" else "숙소가 좋았다", "gold_label": label,
                     "author": label, "label2": label, "label3": label, "label4": label, "label5": label})
    path = tmp_path / "pairs.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    code = finetune.main(["nli", "--output", str(tmp_path / "out"), "--train-file", str(path), "--dev-file", str(path),
                          "--limit", "12", "--max-steps", "2", "--batch-size", "4", "--max-length", "16",
                          "--hypothesis-only", "--no-length-grouping", "--truncation", "only_first"])
    assert code == 0
    summary = summary_of(capsys.readouterr().out)
    assert summary["train_pairs"] == 12 and summary["dev_pairs"] == 12 and summary["hypothesis_only"]
    record = json.loads((tmp_path / "out" / "training_args.json").read_text(encoding="utf-8"))
    assert record["hyper_parameters"]["max_length"] == 16
    saved = record["training_arguments"]
    assert saved.get("train_sampling_strategy", "random") == "random" and not saved.get("group_by_length", False)


def test_a_malformed_file_stops_the_run_naming_the_pair(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"guid": "x"}]), encoding="utf-8")
    from lectureutils.corpus import DataFormatError

    with pytest.raises(DataFormatError, match=r"bad.json, pair \[0\]: 'premise' is missing"):
        finetune.main(["nli", "--output", str(tmp_path / "out"), "--train-file", str(path), "--dev-file", str(path)])


def test_output_is_required():
    with pytest.raises(SystemExit) as exit_info:
        finetune.main(["nli"])
    assert exit_info.value.code == 2
