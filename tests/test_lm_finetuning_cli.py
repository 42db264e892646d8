"""``python -m lectureutils.finetune generation`` (notebook 11 §7): a tiny run on the stand-in, saved and reloaded."""

import json

import pytest

from lectureutils import finetune
from lectureutils.lm_finetuning import cli


def test_registered_with_defaults_from_the_task():
    assert finetune.TASKS["generation"] == "lectureutils.lm_finetuning.cli"
    args = finetune.build_parser().parse_args(["generation", "--output", "x"])
    assert args.model == cli.MODEL == "skt/kogpt2-base-v2"
    assert args.learning_rate == cli.HYPER_PARAMETERS.learning_rate
    assert args.batch_size == cli.HYPER_PARAMETERS.batch_size
    assert args.epochs == cli.HYPER_PARAMETERS.epochs
    assert args.batching == "packed" and args.block_size == cli.BLOCK_SIZE


@pytest.mark.parametrize("options", [["--block-size", "64"], ["--train-file", "a.txt"],
                                     ["--batching", "grouped", "--no-length-grouping"]])
def test_bad_options_exit_with_2(tmp_path, capsys, options):
    assert finetune.main(["generation", "--output", str(tmp_path), *options]) == 2
    assert "error:" in capsys.readouterr().err


@pytest.mark.parametrize("batching", ["packed", "grouped"])
def test_tiny_run_saves_safetensors_that_reload(tmp_path, capsys, batching):
    from lectureutils.lm_finetuning import generate_review, load_generator
    from lectureutils.models import is_standin

    output = tmp_path / "generator"
    status = finetune.main(["generation", "--output", str(output), "--max-steps", "2", "--limit", "24",
                            "--batch-size", "4", "--learning-rate", "1e-3", "--batching", batching])
    assert status == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["steps"] == 2 and summary["batching"] == batching
    assert summary["train_reviews"] == 24
    assert summary["perplexity_before"] > 0 and summary["perplexity_after"] > 0
    assert set(summary["samples"]) == {"positive", "negative"}
    files = sorted(path.name for path in output.iterdir())
    assert "model.safetensors" in files and "training_args.json" in files
    assert not [name for name in files if name.endswith((".bin", ".pt", ".pth", ".pkl"))]
    model, tokenizer = load_generator(output)
    assert is_standin(model)  # fine-tuned from the offline stand-in, and it says so
    assert isinstance(generate_review("긍정", model, tokenizer, max_new_tokens=5), str)
