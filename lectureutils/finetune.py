"""Fine-tuning from the command line: the same code as the notebooks, outside Jupyter.

Taught in notebooks/05_document_classification.ipynb ("Training from the command line").

    python -m lectureutils.finetune classification --output checkpoints/nsmc
    python -m lectureutils.finetune classification --output /tmp/nsmc --max-steps 40 --limit 2000
    torchrun --nproc_per_node 2 -m lectureutils.finetune classification --output checkpoints/nsmc
    accelerate launch -m lectureutils.finetune classification --output checkpoints/nsmc
    python -m lectureutils.finetune qa --help          # KorQuAD, notebook 06 (lectureutils.qa)

Defaults are the lecture's hyper-parameters (beomi/kcbert-base, lr 5e-5, batch 32 per process,
3 epochs, max length 128, seed 7). Offline (``LECTUREUTILS_OFFLINE=1``) the model is a stand-in and
NSMC is the project's sample. Under torchrun every process trains on its share of each batch
(the Trainer wraps the model in DistributedDataParallel; CPUs use the gloo backend) and only
rank 0 prints and saves. The output folder holds ``model.safetensors``, the config, the tokenizer and
``training_args.json`` (with the final metrics): reload it with
``lectureutils.classification.load_classifier(folder)``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path



def add_classification_arguments(parser: argparse.ArgumentParser) -> None:
    from .training import HyperParameters

    defaults = HyperParameters()
    parser.add_argument("--model", default="beomi/kcbert-base", help="model name or local folder (default: %(default)s)")
    parser.add_argument("--output", required=True, type=Path, help="folder for the fine-tuned model")
    parser.add_argument("--max-steps", type=int, default=-1, help="stop after N optimizer steps (overrides --epochs)")
    parser.add_argument("--epochs", type=float, default=defaults.epochs, help="default: %(default)s")
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size, help="per process; default: %(default)s")
    parser.add_argument("--learning-rate", type=float, default=defaults.learning_rate, help="default: %(default)s")
    parser.add_argument("--max-length", type=int, default=defaults.max_length, help="tokens per review; default: %(default)s")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="default: %(default)s")
    parser.add_argument("--warmup-ratio", type=float, default=defaults.warmup_ratio, help="default: %(default)s")
    parser.add_argument("--train-file", type=Path, help="an NSMC-format file (id, document, label) to train on")
    parser.add_argument("--test-file", type=Path, help="an NSMC-format file to evaluate on")
    parser.add_argument("--limit", type=int, help="use at most N reviews of each split (a random subset)")
    parser.add_argument("--eval-steps", type=int, help="also evaluate every N steps (default: only at the end)")
    parser.add_argument("--no-length-grouping", action="store_true", help="random batches instead of length-grouped ones")


def build_parser(qa=None) -> argparse.ArgumentParser:
    """The argument parser; ``qa`` (the ``lectureutils.qa`` module, when asked for) adds its options."""
    parser = argparse.ArgumentParser(
        prog="python -m lectureutils.finetune",
        description="Fine-tune a pre-trained BERT as in the lecture notebooks (also under torchrun).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{classification,qa}")
    classification = commands.add_parser(
        "classification", help="NSMC sentiment classification (notebook 05)",
        description="Fine-tune a BERT on NSMC movie-review sentiment (notebook 05).",
    )
    add_classification_arguments(classification)
    qa_parser = commands.add_parser(
        "qa", help="KorQuAD 1.0 question answering (notebook 06)",
        description="Fine-tune a BERT on KorQuAD 1.0 question answering (notebook 06).",
    )
    if qa is not None:
        qa.add_cli_arguments(qa_parser)
    return parser


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    qa = None
    if argv and argv[0] == "qa":
        from . import qa  # imported only when asked for: QA brings its own options
    args = build_parser(qa).parse_args(argv)
    if args.command == "qa":
        return int(qa.run_cli(args) or 0)
    return run_classification(args)


def read_split(split: str, path: Path | None, limit: int | None, seed: int):
    """One NSMC split: ``path`` if given, else ``lectureutils.data.load_nsmc`` (the sample offline)."""
    from .data import load_nsmc, read_nsmc

    frame = read_nsmc(path) if path is not None else load_nsmc(split)
    if limit is not None and limit < len(frame):
        frame = frame.sample(n=limit, random_state=seed).reset_index(drop=True)
    if frame.empty:
        raise ValueError(f"The {split} split has no reviews.")
    return frame


def run_classification(args) -> int:
    """Train, evaluate and save a sentiment classifier (the ``classification`` subcommand)."""
    from .training import is_main_process

    if (args.train_file is None) != (args.test_file is None):
        print("error: give both --train-file and --test-file, or neither.", file=sys.stderr)
        return 2
    if args.limit is not None and args.limit < 1:
        print("error: --limit must be at least 1.", file=sys.stderr)
        return 2
    # Only rank 0 talks: the other processes' messages would repeat it line for line.
    with contextlib.ExitStack() as stack:
        if not is_main_process():
            stack.enter_context(contextlib.redirect_stdout(stack.enter_context(open(os.devnull, "w"))))
        summary = train_classifier(args)
    if is_main_process():
        print(json.dumps(summary, ensure_ascii=False))
    return 0


def train_classifier(args) -> dict:
    import datasets
    import transformers

    from . import classification, training
    from .models import load_tokenizer
    from .session import quiet_libraries

    quiet_libraries()
    datasets.disable_progress_bars()
    hyper = training.HyperParameters(
        learning_rate=args.learning_rate, batch_size=args.batch_size, epochs=args.epochs, max_length=args.max_length,
        seed=args.seed, max_steps=args.max_steps, warmup_ratio=args.warmup_ratio,
    )
    transformers.set_seed(hyper.seed)
    train_frame = read_split("train", args.train_file, args.limit, hyper.seed)
    test_frame = read_split("test", args.test_file, args.limit, hyper.seed)
    tokenizer = load_tokenizer(args.model)
    model = classification.load_pretrained_classifier(args.model)
    train_dataset = classification.tokenize_dataset(train_frame, tokenizer, hyper.max_length)
    test_dataset = classification.tokenize_dataset(test_frame, tokenizer, hyper.max_length)
    arguments = training.training_arguments(
        args.output, hyper, group_by_length=not args.no_length_grouping, evaluate_every=args.eval_steps,
    )
    trainer = training.make_trainer(
        model, arguments, tokenizer, train_dataset, test_dataset, classification.compute_metrics
    )
    print(
        f"training {args.model} on {len(train_frame):,} reviews, evaluating on {len(test_frame):,} "
        f"({arguments.world_size} process(es), device {arguments.device}, "
        f"{'bf16' if arguments.bf16 else 'fp16' if arguments.fp16 else 'fp32'})"
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
        f"({seconds:.0f} s); saved to {args.output} "
        "(reload: lectureutils.classification.load_classifier(folder))"
    )
    return summary


if __name__ == "__main__":
    sys.exit(main())
