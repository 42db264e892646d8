"""``python -m lectureutils.finetune generation``: what notebook 11's KoGPT2 fine-tuning adds to the task runner
(§7 "Command line, saving and reloading").

Packed blocks by default (``--batching grouped`` or ``padded`` for the other two ways of §3).
"""

from __future__ import annotations

from ..finetune import TaskSpec, pretrained, reader
from . import settings
from .corpus import load_reviews

__all__ = ["SPEC"]


def add_arguments(group) -> None:
    """The way of batching and the block size (11 §3)."""
    group.add_argument("--batching", choices=settings.BATCHINGS, default="packed",
                       help="packed blocks, length-grouped or random padded batches (11 §3; default: %(default)s)")
    group.add_argument("--block-size", type=int, default=settings.BLOCK_SIZE,
                       help="tokens per packed block; --batch-size then counts blocks (default: %(default)s)")


def check(args) -> list[str]:
    """Options that do not fit together (11 §7)."""
    problems = []
    if args.block_size < args.hyper.max_length:
        problems.append(f"--block-size ({args.block_size}) must be at least --max-length ({args.hyper.max_length}).")
    if args.batching == "grouped" and args.no_length_grouping:
        problems.append("--batching grouped contradicts --no-length-grouping "
                        "(use --batching padded for random batches).")
    return problems


def encode(frame, tokenizer, args, split: str):
    """Control code + review + EOS per review (11 §2); training reviews shuffled and packed if asked (11 §3)."""
    import random

    from datasets import Dataset

    from .features import pack_examples, pad_id, tokenize_reviews

    examples = tokenize_reviews(frame, tokenizer, args.hyper.max_length)
    if split != "train" or args.batching != "packed":
        return examples
    examples = list(examples)
    random.Random(args.hyper.seed).shuffle(examples)  # blocks of random reviews
    return Dataset.from_list(pack_examples(examples, args.block_size, pad_id(tokenizer)))


def collator(tokenizer, args, arguments):
    """``PackedCollator`` for packed blocks, ``PaddingCollator`` for padded batches (11 §3)."""
    from .features import PackedCollator, PaddingCollator

    return PackedCollator() if args.batching == "packed" else PaddingCollator(tokenizer)


def perplexity_before(trainer, tokenizer, frame, dataset, args) -> dict:
    """Held-out perplexity of the pre-trained model (11 §4)."""
    from .features import pad_id
    from .metrics import perplexity

    return {"perplexity_before": round(perplexity(trainer.model, dataset, pad_id(tokenizer)), 2)}


def evaluate(trainer, tokenizer, frame, dataset, args) -> dict:
    """Held-out perplexity after training and one sampled review per sentiment (11 §4, §5)."""
    from ..training import without_autocast
    from ..classification.inference import SENTIMENT_LABELS
    from .features import pad_id
    from .inference import generate_review
    from .metrics import perplexity

    model = without_autocast(trainer)
    samples = {name: generate_review(name, model, tokenizer, max_new_tokens=30, do_sample=True, top_p=0.9,
                                     seed=args.hyper.seed) for name in SENTIMENT_LABELS}
    return {"perplexity_after": round(perplexity(model, dataset, pad_id(tokenizer)), 2), "samples": samples}


SPEC = TaskSpec(
    description="sentiment-controlled review generation, GPT fine-tuning on NSMC (notebook 11)",
    settings=settings,
    unit="reviews",
    splits=("train", "test"),
    read=reader(load_reviews, lambda path: load_reviews(path=path)),
    load_model=pretrained("AutoModelForCausalLM"),
    encode=encode,
    collator=collator,
    evaluate=evaluate,
    baseline=perplexity_before,
    file_format="an NSMC-format file (id, document, label)",
    add_arguments=add_arguments,
    check=check,
    group_by_length=lambda args: args.batching == "grouped",
    details=lambda args, train_dataset: {"batching": args.batching},
    reload="lectureutils.lm_finetuning.load_generator(folder)",
)
