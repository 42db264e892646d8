"""``python -m lectureutils.finetune nli``: fine-tune a BERT on KLUE-NLI from the command line.

Taught in notebooks/09_sentence_pair_classification.ipynb (§6, "The same training from the command line").

    python -m lectureutils.finetune nli --output checkpoints/klue-nli
    python -m lectureutils.finetune nli --output /tmp/nli --max-steps 40 --limit 2000
    python -m lectureutils.finetune nli --output /tmp/nli-hyp --hypothesis-only   # the baseline of §4
    torchrun --nproc_per_node 2 -m lectureutils.finetune nli --output checkpoints/klue-nli

The shared options (model, output, epochs, batch size, limits, ...) come from ``lectureutils.finetune`` with
their defaults read from :data:`MODEL` and :data:`HYPER_PARAMETERS` (klue/bert-base; lr 5e-5, batch 32 per
process, 3 epochs, max length 128, seed 7); :func:`add_arguments` adds this task's own. Offline the model is a stand-in and the data the project's sample (unless
prefetched). Only rank 0 prints and saves; the folder holds safetensors weights, the config with
``id2label`` (so the model answers with label names), the tokenizer and ``training_args.json``.
Reload it with ``lectureutils.nli.load_nli_model(folder)``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..finetune import print_summary, start_run
from ..training import HyperParameters

__all__ = ["DESCRIPTION", "MODEL", "HYPER_PARAMETERS", "add_arguments", "read_split", "run", "train"]

DESCRIPTION = "KLUE-NLI natural language inference, sentence-pair classification (notebook 09)"
#: The model the notebook fine-tunes.
MODEL = "klue/bert-base"
#: The lecture's hyper-parameters: lr 5e-5, batch 32, 3 epochs, 128 tokens per pair, seed 7.
HYPER_PARAMETERS = HyperParameters()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This task's own options, after the shared ones of ``lectureutils.finetune`` (09 §6)."""
    parser.add_argument("--train-file", type=Path, help="a KLUE-NLI JSON file to train on (default: the train split)")
    parser.add_argument("--dev-file", type=Path, help="a KLUE-NLI JSON file to evaluate on (default: the dev split)")
    parser.add_argument("--sample", action="store_true", help="use the project's sample even online (a quick run)")
    parser.add_argument("--truncation", choices=("longest_first", "only_first"), default="longest_first",
                        help="how a pair longer than --max-length is cut (default: %(default)s)")
    parser.add_argument("--hypothesis-only", action="store_true", help="train on hypotheses alone (the baseline of 09 §4)")


def read_split(split: str, path, limit: int | None, seed: int, sample: bool = False):
    """One KLUE-NLI split as a DataFrame: ``path`` if given, else ``load_klue_nli`` (the sample offline),
    at most ``limit`` pairs, a seeded random subset (09 §6)."""
    from .corpus import load_klue_nli, read_klue_nli

    frame = read_klue_nli(path) if path is not None else load_klue_nli(split, sample=sample)
    if limit is not None and limit < len(frame):
        frame = frame.sample(n=limit, random_state=seed).reset_index(drop=True)
    return frame


def run(args) -> int:
    """Train, evaluate and save (the ``nli`` subcommand); print one JSON summary line; exit code (09 §6)."""
    return print_summary(train(args))


def train(args) -> dict:
    """The training run behind :func:`run`: returns the summary that is also saved (09 §6)."""

    from .. import training
    from ..models import load_tokenizer
    from .features import encode_pairs
    from .inference import load_pretrained_nli
    from .metrics import compute_metrics

    hyper = start_run(args)
    train_frame = read_split("train", args.train_file, args.train_limit, hyper.seed, args.sample)
    dev_frame = read_split("dev", args.dev_file, args.eval_limit, hyper.seed, args.sample)
    tokenizer = load_tokenizer(args.model)
    model = load_pretrained_nli(args.model)
    encode = dict(max_length=hyper.max_length, truncation=args.truncation, hypothesis_only=args.hypothesis_only)
    train_dataset = encode_pairs(train_frame, tokenizer, **encode)
    dev_dataset = encode_pairs(dev_frame, tokenizer, **encode)
    arguments = training.training_arguments(args.output, hyper, group_by_length=not args.no_length_grouping,
                                            evaluate_every=args.eval_steps)
    trainer = training.make_trainer(model, arguments, tokenizer, train_dataset, dev_dataset, compute_metrics)
    print(f"training {args.model} on {len(train_frame):,} pairs{' (hypotheses only)' if args.hypothesis_only else ''}, "
          f"evaluating on {len(dev_frame):,} ({arguments.world_size} process(es), device {arguments.device}, "
          f"{training.precision_name(arguments)})")
    start = time.perf_counter()
    result = trainer.train()
    seconds = time.perf_counter() - start
    metrics = trainer.evaluate()
    summary = {
        "task": "nli",
        "model": args.model,
        "output": str(args.output),
        "hypothesis_only": bool(args.hypothesis_only),
        "train_pairs": len(train_frame),
        "dev_pairs": len(dev_frame),
        "processes": arguments.world_size,
        "precision": training.precision_name(arguments),
        "steps": result.global_step,
        "train_loss": round(result.training_loss, 4),
        "train_seconds": round(seconds, 1),
        "accuracy": round(metrics["eval_accuracy"], 4),
        "macro_f1": round(metrics["eval_macro_f1"], 4),
        "eval_loss": round(metrics["eval_loss"], 4),
    }
    training.save_checkpoint(trainer, args.output, extra={"summary": summary, "hyper_parameters": hyper.as_dict()})
    print(f"accuracy {summary['accuracy']:.4f}, macro F1 {summary['macro_f1']:.4f} after {summary['steps']} steps "
          f"({seconds:.0f} s); saved to {args.output} (reload: lectureutils.nli.load_nli_model(folder))")
    return summary
