"""``python -m lectureutils.finetune generation``: fine-tune KoGPT2 to write reviews of a given sentiment.

Taught in notebooks/11_gpt_finetuning.ipynb (§7 "Command line, saving and reloading").

    python -m lectureutils.finetune generation --output checkpoints/11_kogpt2_nsmc
    python -m lectureutils.finetune generation --output /tmp/gen --max-steps 40 --limit 2000
    torchrun --nproc_per_node 2 -m lectureutils.finetune generation --output checkpoints/11_kogpt2_nsmc

The same functions as the notebook: ``load_reviews`` → ``tokenize_reviews`` (control code + review + EOS,
loss on the review) → packed blocks (default; ``--batching grouped`` or ``padded`` for the other two ways of
§3) → the ``Trainer`` with ``lectureutils.training``'s settings (mixed precision on a GPU, DDP under torchrun)
→ ``save_checkpoint`` (safetensors). Prints perplexity on the held-out reviews before and after, and one
review per sentiment. Reload with ``lectureutils.lm_finetuning.load_generator(folder)``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..training import HyperParameters

__all__ = ["MODEL", "HYPER_PARAMETERS", "BATCHINGS", "add_arguments", "build_trainer", "run"]

MODEL = "skt/kogpt2-base-v2"
# The lecture's learning rate, batch and length; one epoch (NSMC's 150,000 reviews are plenty for a style).
HYPER_PARAMETERS = HyperParameters(epochs=1)
BATCHINGS = ("packed", "grouped", "padded")
BLOCK_SIZE = 128


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``generation`` subcommand's options; defaults from ``HYPER_PARAMETERS`` (11 §7)."""
    hyper = HYPER_PARAMETERS
    parser.add_argument("--model", default=MODEL, help="model name or local folder (default: %(default)s)")
    parser.add_argument("--output", required=True, type=Path, help="folder for the fine-tuned model")
    parser.add_argument("--max-steps", type=int, default=hyper.max_steps, help="stop after N optimizer steps (overrides --epochs)")
    parser.add_argument("--epochs", type=float, default=hyper.epochs, help="default: %(default)s")
    parser.add_argument("--batch-size", type=int, default=hyper.batch_size,
                        help="per process: reviews (padded, grouped) or blocks (packed); default: %(default)s")
    parser.add_argument("--learning-rate", type=float, default=hyper.learning_rate, help="default: %(default)s")
    parser.add_argument("--max-length", type=int, default=hyper.max_length, help="tokens per review with its code; default: %(default)s")
    parser.add_argument("--seed", type=int, default=hyper.seed, help="default: %(default)s")
    parser.add_argument("--warmup-ratio", type=float, default=hyper.warmup_ratio, help="default: %(default)s")
    parser.add_argument("--batching", choices=BATCHINGS, default="packed", help="how to batch reviews (default: %(default)s)")
    parser.add_argument("--block-size", type=int, default=BLOCK_SIZE, help="tokens per packed block; default: %(default)s")
    parser.add_argument("--train-file", type=Path, help="an NSMC-format file (id, document, label) to train on")
    parser.add_argument("--test-file", type=Path, help="an NSMC-format file for the held-out perplexity")
    parser.add_argument("--limit", type=int, help="use at most N reviews of each split (a random subset)")


def build_trainer(model, tokenizer, train_dataset, arguments, batching: str = "packed", block_size: int = BLOCK_SIZE):
    """The ``Trainer`` for one of the three batchings of §3 (11 §4, §7).

    ``lectureutils.training.make_trainer`` (its length-grouped sampler, its evaluation order) with the
    causal-LM collator instead of its classification one: ``PaddingCollator`` for "padded"/"grouped" (the
    arguments decide whether batches are length-grouped), ``PackedCollator`` over ``pack_examples`` blocks
    for "packed". Returns ``(trainer, train_dataset_used)``.
    """
    import random

    from datasets import Dataset

    from ..training import make_trainer
    from .features import PackedCollator, PaddingCollator, pack_examples, pad_id

    if batching not in BATCHINGS:
        raise ValueError(f"Unknown batching {batching!r}; use one of {BATCHINGS}.")
    if batching == "packed":
        examples = list(train_dataset)
        random.Random(arguments.seed).shuffle(examples)  # blocks of random reviews
        blocks = pack_examples(examples, block_size, pad_id(tokenizer))
        train_dataset = Dataset.from_list(blocks)
        collator = PackedCollator()
    else:
        collator = PaddingCollator(tokenizer)
    trainer = make_trainer(model, arguments, tokenizer, train_dataset)
    trainer.data_collator = collator  # make_trainer's DataCollatorWithPadding pads no labels
    return trainer, train_dataset


def run(args) -> int:
    """Train, measure and save (the ``generation`` subcommand); returns the exit status (11 §7)."""
    from ..training import is_main_process

    problems = []
    if (args.train_file is None) != (args.test_file is None):
        problems.append("give both --train-file and --test-file, or neither.")
    if args.limit is not None and args.limit < 1:
        problems.append("--limit must be at least 1.")
    if args.block_size < args.max_length:
        problems.append(f"--block-size ({args.block_size}) must be at least --max-length ({args.max_length}).")
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    summary = train_generator(args, say=print if is_main_process() else (lambda *_, **__: None))
    if is_main_process():
        print(json.dumps(summary, ensure_ascii=False))
    return 0


def train_generator(args, say=print) -> dict:
    import datasets
    import transformers
    from transformers import AutoModelForCausalLM

    from .. import training
    from ..models import load_model, load_tokenizer
    from ..session import quiet_libraries
    from .corpus import SENTIMENTS, load_reviews
    from .features import pad_id, tokenize_reviews
    from .inference import generate_review
    from .metrics import perplexity

    quiet_libraries()
    datasets.disable_progress_bars()
    hyper = HYPER_PARAMETERS.with_changes(
        learning_rate=args.learning_rate, batch_size=args.batch_size, epochs=args.epochs, max_length=args.max_length,
        seed=args.seed, max_steps=args.max_steps, warmup_ratio=args.warmup_ratio,
    )
    transformers.set_seed(hyper.seed)
    train_frame = load_reviews("train", limit=args.limit, seed=hyper.seed, path=args.train_file)
    test_frame = load_reviews("test", limit=args.limit, seed=hyper.seed, path=args.test_file)
    tokenizer = load_tokenizer(args.model)
    model = load_model(AutoModelForCausalLM, args.model)
    train_dataset = tokenize_reviews(train_frame, tokenizer, hyper.max_length)
    test_dataset = tokenize_reviews(test_frame, tokenizer, hyper.max_length)
    arguments = training.training_arguments(args.output, hyper, group_by_length=args.batching == "grouped")
    model.to(arguments.device)
    before = perplexity(model, test_dataset, pad_id(tokenizer))
    trainer, used = build_trainer(model, tokenizer, train_dataset, arguments, args.batching, args.block_size)
    precision = "bf16" if arguments.bf16 else "fp16" if arguments.fp16 else "fp32"
    say(f"training {args.model} on {len(train_frame):,} reviews ({len(used):,} {args.batching} examples), "
        f"{arguments.world_size} process(es), device {arguments.device}, {precision}")
    start = time.perf_counter()
    result = trainer.train()
    seconds = time.perf_counter() - start
    after = perplexity(trainer.model, test_dataset, pad_id(tokenizer))
    samples = {name: generate_review(name, trainer.model, tokenizer, max_new_tokens=30, do_sample=True, top_p=0.9,
                                     seed=hyper.seed) for name in SENTIMENTS}
    summary = {
        "model": args.model, "output": str(args.output), "batching": args.batching,
        "train_reviews": len(train_frame), "test_reviews": len(test_frame), "processes": arguments.world_size,
        "steps": result.global_step, "train_loss": round(result.training_loss, 4), "train_seconds": round(seconds, 1),
        "perplexity_before": round(before, 2), "perplexity_after": round(after, 2), "samples": samples,
    }
    training.save_checkpoint(trainer, args.output, extra={"summary": summary, "hyper_parameters": hyper.as_dict()})
    say(f"held-out perplexity {before:.1f} -> {after:.1f} after {result.global_step} steps ({seconds:.0f} s); "
        f"saved to {args.output} (reload: lectureutils.lm_finetuning.load_generator(folder))")
    return summary
