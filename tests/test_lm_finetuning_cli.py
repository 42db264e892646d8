"""``python -m lectureutils.finetune generation`` (notebook 11 §7; lectureutils.lm_finetuning.spec): a tiny run on
the stand-in, saved and reloaded."""

import json

import pytest

from lectureutils import finetune
from lectureutils.lm_finetuning import settings


def test_registered_with_defaults_from_the_settings():
    assert finetune.TASKS["generation"].package == "lectureutils.lm_finetuning"
    args = finetune.parse_arguments(["generation", "--output", "x"])
    assert args.model == settings.MODEL == "skt/kogpt2-base-v2"
    assert args.hyper == settings.HYPER_PARAMETERS and args.hyper.epochs == 1
    assert args.batching == "packed" and args.block_size == settings.BLOCK_SIZE
    assert not args.sample and args.train_file is None and args.test_file is None


@pytest.mark.parametrize("options, message", [
    (["--block-size", "64"], "--block-size (64) must be at least --max-length (128)"),
    (["--train-file", "a.txt"], "give both --train-file and --test-file"),
    (["--batching", "grouped", "--no-length-grouping"], "--batching grouped contradicts --no-length-grouping"),
])
def test_bad_options_exit_with_2(tmp_path, capsys, options, message):
    assert finetune.main(["generation", "--output", str(tmp_path), *options]) == 2
    assert f"error: {message}" in capsys.readouterr().err


def test_packing_only_the_training_reviews():
    from lectureutils.lm_finetuning import load_reviews, spec
    from lectureutils.models import load_tokenizer

    tokenizer = load_tokenizer(settings.MODEL)
    frame = load_reviews("train", sample=True, limit=24)
    args = finetune.parse_arguments(["generation", "--output", "x", "--max-length", "32", "--block-size", "64"])
    blocks = spec.encode(frame, tokenizer, args, "train")
    reviews = spec.encode(frame, tokenizer, args, "test")
    assert len(reviews) == 24 and len(blocks) < 24
    assert all(len(block["input_ids"]) == 64 for block in blocks)
    assert sum(len(review["input_ids"]) for review in reviews) <= 64 * len(blocks)
    grouped = finetune.parse_arguments(["generation", "--output", "x", "--batching", "grouped"])
    assert len(spec.encode(frame, tokenizer, grouped, "train")) == 24 and spec.SPEC.group_by_length(grouped)
    assert not spec.SPEC.group_by_length(args)


@pytest.mark.parametrize("batching", ["packed", "grouped"])
def test_tiny_run_saves_safetensors_that_reload(tmp_path, capsys, batching):
    from lectureutils.lm_finetuning import generate_review, load_generator
    from lectureutils.models import is_standin

    output = tmp_path / "generator"
    status = finetune.main(["generation", "--output", str(output), "--max-steps", "2", "--limit", "24",
                            "--batch-size", "4", "--learning-rate", "1e-3", "--batching", batching])
    assert status == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["task"] == "generation" and summary["steps"] == 2 and summary["batching"] == batching
    assert summary["train_reviews"] == 24 and summary["test_reviews"] == 24
    assert summary["perplexity_before"] > 0 and summary["perplexity_after"] > 0
    assert set(summary["samples"]) == {"positive", "negative"}
    files = sorted(path.name for path in output.iterdir())
    assert "model.safetensors" in files and "training_args.json" in files
    assert not [name for name in files if name.endswith((".bin", ".pt", ".pth", ".pkl"))]
    record = json.loads((output / "training_args.json").read_text(encoding="utf-8"))
    assert record["training_arguments"]["train_sampling_strategy"] == ("group_by_length" if batching == "grouped" else "random")
    model, tokenizer = load_generator(output)
    assert is_standin(model)  # fine-tuned from the offline stand-in, and it says so
    assert isinstance(generate_review("긍정", model, tokenizer, max_new_tokens=5), str)
