"""The ``generation`` subcommand (notebook 11 §7): a tiny run on the stand-in, saved and reloaded."""

import argparse
import json

import pytest

from lectureutils.lm_finetuning import cli


def parse(argv):
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_defaults_come_from_the_hyper_parameters():
    args = parse(["--output", "x"])
    assert args.learning_rate == cli.HYPER_PARAMETERS.learning_rate
    assert args.batch_size == cli.HYPER_PARAMETERS.batch_size
    assert args.max_length == cli.HYPER_PARAMETERS.max_length
    assert args.batching == "packed" and args.model == "skt/kogpt2-base-v2"


def test_bad_options_exit_with_2(tmp_path, capsys):
    assert cli.run(parse(["--output", str(tmp_path), "--limit", "0"])) == 2
    assert cli.run(parse(["--output", str(tmp_path), "--block-size", "64"])) == 2
    assert cli.run(parse(["--output", str(tmp_path), "--train-file", "a.txt"])) == 2
    assert "error:" in capsys.readouterr().err


@pytest.mark.parametrize("batching", ["packed", "grouped"])
def test_tiny_run_saves_safetensors_that_reload(tmp_path, capsys, batching):
    from lectureutils.lm_finetuning import generate_review, load_generator
    from lectureutils.models import is_standin

    output = tmp_path / "generator"
    status = cli.run(parse(["--output", str(output), "--max-steps", "2", "--limit", "24", "--batch-size", "4",
                            "--learning-rate", "1e-3", "--batching", batching]))
    assert status == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["steps"] == 2 and summary["batching"] == batching
    assert summary["perplexity_before"] > 0 and summary["perplexity_after"] > 0
    assert set(summary["samples"]) == {"positive", "negative"}
    files = sorted(path.name for path in output.iterdir())
    assert "model.safetensors" in files and "training_args.json" in files
    assert not [name for name in files if name.endswith((".bin", ".pt", ".pth", ".pkl"))]
    model, tokenizer = load_generator(output)
    assert is_standin(model)  # fine-tuned from the offline stand-in, and it says so
    assert isinstance(generate_review("긍정", model, tokenizer, max_new_tokens=5), str)
