"""``python -m lectureutils.finetune nli``: fine-tune a BERT on KLUE-NLI from the command line.

Taught in notebooks/09_sentence_pair_classification.ipynb (§6, "The same training from the command line").

    python -m lectureutils.finetune nli --output checkpoints/klue-nli
    python -m lectureutils.finetune nli --output /tmp/nli --max-steps 40 --limit 2000
    python -m lectureutils.finetune nli --output /tmp/nli-hyp --hypothesis-only   # the baseline of §4
    torchrun --nproc_per_node 2 -m lectureutils.finetune nli --output checkpoints/klue-nli

Defaults: klue/bert-base with the lecture's hyper-parameters (lr 5e-5, batch 32 per process, 3 epochs,
max length 128, seed 7). Offline the model is a stand-in and the data the project's sample (unless
prefetched). Only rank 0 prints and saves; the folder holds safetensors weights, the config with
``id2label`` (so the model answers with label names), the tokenizer and ``training_args.json``.
Reload it with ``lectureutils.nli.load_nli_model(folder)``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

from ..training import HyperParameters

__all__ = ["MODEL", "HYPER_PARAMETERS", "add_arguments", "run", "train"]

MODEL = "klue/bert-base"
HYPER_PARAMETERS = HyperParameters()  # the lecture's: lr 5e-5, batch 32, 3 epochs, max length 128, seed 7


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``nli`` subcommand's options; defaults from :data:`HYPER_PARAMETERS` (09 §6)."""
    hyper = HYPER_PARAMETERS
    parser.add_argument("--model", default=MODEL, help="model name or local folder (default: %(default)s)")
    parser.add_argument("--output", required=True, type=Path, help="folder for the fine-tuned model")
    parser.add_argument("--max-steps", type=int, default=hyper.max_steps, help="stop after N optimizer steps (overrides --epochs)")
    parser.add_argument("--epochs", type=float, default=hyper.epochs, help="default: %(default)s")
    parser.add_argument("--batch-size", type=int, default=hyper.batch_size, help="per process; default: %(default)s")
    parser.add_argument("--learning-rate", type=float, default=hyper.learning_rate, help="default: %(default)s")
    parser.add_argument("--max-length", type=int, default=hyper.max_length, help="tokens per pair; default: %(default)s")
    parser.add_argument("--seed", type=int, default=hyper.seed, help="default: %(default)s")
    parser.add_argument("--warmup-ratio", type=float, default=hyper.warmup_ratio, help="default: %(default)s")
    parser.add_argument("--train-file", type=Path, help="a KLUE-NLI JSON file to train on (default: the train split)")
    parser.add_argument("--dev-file", type=Path, help="a KLUE-NLI JSON file to evaluate on (default: the dev split)")
    parser.add_argument("--sample", action="store_true", help="use the project's sample even online (a quick run)")
    parser.add_argument("--limit", type=int, help="use at most N pairs of each split (a random subset)")
    parser.add_argument("--eval-steps", type=int, help="also evaluate every N steps (default: only at the end)")
    parser.add_argument("--truncation", choices=("longest_first", "only_first"), default="longest_first",
                        help="how an over-long pair is cut (default: %(default)s)")
    parser.add_argument("--hypothesis-only", action="store_true", help="train on hypotheses alone (the baseline of 09 §4)")
    parser.add_argument("--no-length-grouping", action="store_true", help="random batches instead of length-grouped ones")


def _split(split: str, path, args):
    from .corpus import load_klue_nli, read_klue_nli

    frame = read_klue_nli(path) if path is not None else load_klue_nli(split, sample=args.sample)
    if args.limit is not None and args.limit < len(frame):
        frame = frame.sample(n=args.limit, random_state=args.seed).reset_index(drop=True)
    return frame


def run(args) -> int:
    """Train, evaluate and save (the ``nli`` subcommand); prints one JSON summary line (09 §6)."""
    from ..training import is_main_process

    if args.limit is not None and args.limit < 1:
        print("error: --limit must be at least 1.", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:  # only rank 0 talks under torchrun
        if not is_main_process():
            stack.enter_context(contextlib.redirect_stdout(stack.enter_context(open(os.devnull, "w"))))
        summary = train(args)
    if is_main_process():
        print(json.dumps(summary, ensure_ascii=False))
    return 0


def train(args) -> dict:
    """The training run behind :func:`run`: returns the summary that is also saved (09 §6)."""
    import datasets
    import transformers

    from .. import training
    from ..models import load_tokenizer
    from ..session import quiet_libraries
    from .features import encode_pairs
    from .inference import load_pretrained_nli
    from .metrics import compute_metrics

    quiet_libraries()
    datasets.disable_progress_bars()
    hyper = HYPER_PARAMETERS.with_changes(
        learning_rate=args.learning_rate, batch_size=args.batch_size, epochs=args.epochs, max_length=args.max_length,
        seed=args.seed, max_steps=args.max_steps, warmup_ratio=args.warmup_ratio,
    )
    transformers.set_seed(hyper.seed)
    train_frame = _split("train", args.train_file, args)
    dev_frame = _split("dev", args.dev_file, args)
    tokenizer = load_tokenizer(args.model)
    model = load_pretrained_nli(args.model)
    encode = dict(max_length=hyper.max_length, truncation=args.truncation, hypothesis_only=args.hypothesis_only)
    train_dataset = encode_pairs(train_frame, tokenizer, **encode)
    dev_dataset = encode_pairs(dev_frame, tokenizer, **encode)
    arguments = training.training_arguments(args.output, hyper, group_by_length=not args.no_length_grouping,
                                            evaluate_every=args.eval_steps)
    trainer = training.make_trainer(model, arguments, tokenizer, train_dataset, dev_dataset, compute_metrics)
    print(f"training {args.model} on {len(train_frame):,} pairs{' (hypotheses only)' if args.hypothesis_only else ''}, "
          f"evaluating on {len(dev_frame):,} ({arguments.world_size} process(es), device {arguments.device})")
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
