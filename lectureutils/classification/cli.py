"""``python -m lectureutils.finetune classification``: notebook 05's fine-tuning as a command-line job.

Taught in notebooks/05_document_classification.ipynb (§11, "The same training from the command line").

    python -m lectureutils.finetune classification --output checkpoints/nsmc
    python -m lectureutils.finetune classification --output /tmp/nsmc --max-steps 40 --limit 2000
    torchrun --nproc_per_node 2 -m lectureutils.finetune classification --output checkpoints/nsmc

The shared options (model, output, epochs, batch size, ...) come from ``lectureutils.finetune`` with their
defaults read from :data:`HYPER_PARAMETERS`; :func:`add_arguments` adds this task's own. The output folder
holds ``model.safetensors``, the config, the tokenizer and ``training_args.json`` (with the final metrics):
reload it with ``lectureutils.classification.load_classifier(folder)``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..finetune import print_summary, start_run
from ..training import HyperParameters

__all__ = ["DESCRIPTION", "MODEL", "HYPER_PARAMETERS", "add_arguments", "run", "read_split", "train_classifier"]

DESCRIPTION = "NSMC sentiment classification (notebook 05)"
#: The lecture's model.
MODEL = "beomi/kcbert-base"
#: The lecture's hyper-parameters (ratsnlp ``ClassificationTrainArguments``): lr 5e-5, batch 32, 3 epochs, 128 tokens.
HYPER_PARAMETERS = HyperParameters()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This task's own options, after the shared ones of ``lectureutils.finetune`` (05 §11)."""
    parser.add_argument("--train-file", type=Path, help="an NSMC-format file (id, document, label) to train on")
    parser.add_argument("--test-file", type=Path, help="an NSMC-format file to evaluate on")


def read_split(split: str, path: Path | None, limit: int | None, seed: int):
    """One NSMC split: ``path`` if given, else ``load_nsmc`` (the sample offline), at most ``limit`` reviews (05 §11)."""
    from ..training import take
    from .corpus import load_nsmc, read_nsmc

    frame = take(read_nsmc(path) if path is not None else load_nsmc(split), limit, seed)
    if frame.empty:
        raise ValueError(f"The {split} split has no reviews.")
    return frame


def run(args) -> int:
    """Train, evaluate and save a sentiment classifier; print one JSON summary line; exit code (05 §11)."""
    if (args.train_file is None) != (args.test_file is None):
        print("error: give both --train-file and --test-file, or neither.", file=sys.stderr)
        return 2
    return print_summary(train_classifier(args))


def train_classifier(args) -> dict:
    """The notebook's steps: read NSMC, tokenise, fine-tune with the Trainer, evaluate, save (05 §11)."""

    from .. import training
    from ..models import load_tokenizer
    from .features import tokenize_dataset
    from .inference import load_pretrained_classifier
    from .metrics import compute_metrics

    hyper = start_run(args)
    train_frame = read_split("train", args.train_file, args.train_limit, hyper.seed)
    test_frame = read_split("test", args.test_file, args.eval_limit, hyper.seed)
    tokenizer = load_tokenizer(args.model)
    model = load_pretrained_classifier(args.model)
    train_dataset = tokenize_dataset(train_frame, tokenizer, hyper.max_length)
    test_dataset = tokenize_dataset(test_frame, tokenizer, hyper.max_length)
    arguments = training.training_arguments(
        args.output, hyper, group_by_length=not args.no_length_grouping, evaluate_every=args.eval_steps,
    )
    trainer = training.make_trainer(model, arguments, tokenizer, train_dataset, test_dataset, compute_metrics)
    print(
        f"training {args.model} on {len(train_frame):,} reviews, evaluating on {len(test_frame):,} "
        f"({arguments.world_size} process(es), device {arguments.device}, {training.precision_name(arguments)})"
    )
    start = time.perf_counter()
    result = trainer.train()
    seconds = time.perf_counter() - start
    metrics = trainer.evaluate()
    summary = {
        "model": args.model,
        "output": str(args.output),
        "train_reviews": len(train_frame),
        "test_reviews": len(test_frame),
        "processes": arguments.world_size,
        "distributed": str(trainer.accelerator.distributed_type).split(".")[-1],
        "precision": training.precision_name(arguments),
        "steps": result.global_step,
        "train_loss": round(result.training_loss, 4),
        "train_seconds": round(seconds, 1),
        "accuracy": round(metrics["eval_accuracy"], 4),
        "f1": round(metrics["eval_f1"], 4),
        "eval_loss": round(metrics["eval_loss"], 4),
    }
    training.save_checkpoint(trainer, args.output, extra={"summary": summary, "hyper_parameters": hyper.as_dict()})
    print(
        f"accuracy {summary['accuracy']:.4f}, F1 {summary['f1']:.4f} after {summary['steps']} steps "
        f"({seconds:.0f} s); saved to {args.output} (reload: lectureutils.classification.load_classifier(folder))"
    )
    return summary
