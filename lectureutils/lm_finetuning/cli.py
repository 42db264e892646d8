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
import sys
import time
from pathlib import Path

from ..finetune import print_summary, start_run
from ..training import HyperParameters

__all__ = ["DESCRIPTION", "MODEL", "HYPER_PARAMETERS", "BATCHINGS", "BLOCK_SIZE", "add_arguments", "build_trainer",
           "run", "train"]

DESCRIPTION = "sentiment-controlled review generation, GPT fine-tuning on NSMC (notebook 11)"
#: The model the notebook fine-tunes (as in notebook 07).
MODEL = "skt/kogpt2-base-v2"
#: The lecture's learning rate 5e-5, batch 32 (packed: blocks of BLOCK_SIZE tokens), 128 tokens, seed 7; one epoch
#: (NSMC's 150,000 reviews are plenty to pick up a style).
HYPER_PARAMETERS = HyperParameters(epochs=1)
BATCHINGS = ("packed", "grouped", "padded")
BLOCK_SIZE = 128


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This task's own options, after the shared ones of ``lectureutils.finetune`` (11 §7)."""
    parser.add_argument("--batching", choices=BATCHINGS, default="packed",
                        help="packed blocks, length-grouped or random padded batches (notebook 11 §3; default: %(default)s)")
    parser.add_argument("--block-size", type=int, default=BLOCK_SIZE,
                        help="tokens per packed block; --batch-size then counts blocks (default: %(default)s)")
    parser.add_argument("--train-file", type=Path, help="an NSMC-format file (id, document, label) to train on")
    parser.add_argument("--test-file", type=Path, help="an NSMC-format file for the held-out perplexity")
    parser.add_argument("--sample", action="store_true", help="use the project's NSMC sample even online (a quick run)")


def build_trainer(model, tokenizer, train_dataset, arguments, batching: str = "packed", block_size: int = BLOCK_SIZE):
    """The ``Trainer`` for one of the three batchings of §3 (11 §4, §7).

    ``lectureutils.training``'s ``LengthGroupedTrainer`` (notebook 05 §5: tight length-grouped batches when
    the arguments ask for them) with a causal-LM collator: ``PaddingCollator`` for "padded"/"grouped",
    ``PackedCollator`` over shuffled ``pack_examples`` blocks for "packed". The model keeps transformers'
    token-weighted loss (``num_items_in_batch``), right for a language model. Returns
    ``(trainer, train_dataset_used)``.
    """
    import random

    from datasets import Dataset

    from ..training import length_grouped_trainer_class
    from .features import PackedCollator, PaddingCollator, pack_examples, pad_id

    if batching not in BATCHINGS:
        raise ValueError(f"Unknown batching {batching!r}; use one of {BATCHINGS}.")
    if batching == "packed":
        examples = list(train_dataset)
        random.Random(arguments.seed).shuffle(examples)  # blocks of random reviews
        train_dataset = Dataset.from_list(pack_examples(examples, block_size, pad_id(tokenizer)))
        collator = PackedCollator()
    else:
        collator = PaddingCollator(tokenizer)
    trainer = length_grouped_trainer_class()(
        model=model, args=arguments, train_dataset=train_dataset, processing_class=tokenizer, data_collator=collator,
    )
    return trainer, train_dataset


def run(args) -> int:
    """Train, measure and save (the ``generation`` subcommand); one JSON summary line; exit code (11 §7).

    ``args`` comes from ``python -m lectureutils.finetune generation`` (``args.hyper``, ``args.train_limit``,
    ``args.eval_limit`` set there); only rank 0 prints (``lectureutils.finetune.main``).
    """
    problems = []
    if (args.train_file is None) != (args.test_file is None):
        problems.append("give both --train-file and --test-file, or neither.")
    if args.block_size < args.hyper.max_length:
        problems.append(f"--block-size ({args.block_size}) must be at least --max-length ({args.hyper.max_length}).")
    if args.batching == "grouped" and args.no_length_grouping:
        problems.append("--batching grouped contradicts --no-length-grouping (use --batching padded for random batches).")
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    return print_summary(train(args))


def train(args) -> dict:
    """The training run behind :func:`run`: returns the summary that is also saved (11 §7)."""
    from .. import training
    from ..models import load_tokenizer
    from .corpus import SENTIMENTS, load_reviews
    from .features import pad_id, tokenize_reviews
    from .inference import generate_review, load_pretrained_generator
    from .metrics import perplexity

    hyper = start_run(args)
    train_frame = load_reviews("train", limit=args.train_limit, seed=hyper.seed, path=args.train_file, sample=args.sample)
    test_frame = load_reviews("test", limit=args.eval_limit, seed=hyper.seed, path=args.test_file, sample=args.sample)
    tokenizer = load_tokenizer(args.model)
    model = load_pretrained_generator(args.model)
    train_dataset = tokenize_reviews(train_frame, tokenizer, hyper.max_length)
    test_dataset = tokenize_reviews(test_frame, tokenizer, hyper.max_length)
    arguments = training.training_arguments(args.output, hyper, group_by_length=args.batching == "grouped")
    model.to(arguments.device)
    before = perplexity(model, test_dataset, pad_id(tokenizer))
    trainer, used = build_trainer(model, tokenizer, train_dataset, arguments, args.batching, args.block_size)
    precision = "bf16" if arguments.bf16 else "fp16" if arguments.fp16 else "fp32"
    print(f"training {args.model} on {len(train_frame):,} reviews ({len(used):,} {args.batching} examples), "
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
    print(f"held-out perplexity {before:.1f} -> {after:.1f} after {result.global_step} steps ({seconds:.0f} s); "
        f"saved to {args.output} (reload: lectureutils.lm_finetuning.load_generator(folder))")
    return summary
