"""Benchmark: three ways to batch causal-LM fine-tuning (notebook 11 §3), in useful tokens per second.

Run:  .venv/bin/python benchmarks/lm_batching.py                 (about 2 minutes on 2 quiet CPU cores)
      .venv/bin/python benchmarks/lm_batching.py --threads 1     (a busy shared machine)
      .venv/bin/python benchmarks/lm_batching.py --device cuda --layers 12 --reviews 8192   (a GPU, bf16 autocast)

What is timed: training steps (forward + backward + AdamW step) of a ``GPT2LMHeadModel`` of KoGPT2's width
(hidden 768, 12 heads, 1,024 positions, the loaded tokenizer's vocabulary: 51,200 for the real KoGPT2, the
stand-in's 6,000 offline) with random weights (speed does not depend on them) and, by default, 2 layers
instead of 12 to keep the run short. Every example is notebook 11's ``<control code> review <eos>``
(``lectureutils.lm_finetuning.encode_review``); **useful tokens** are the tokens the loss is computed on (the
review and its EOS: not the control code, not padding). Useful tokens/s is a rate, so each way times its
first ``--timed-batches`` batches (after one untimed warm-up step) rather than a whole pass, in interleaved
chunks of 4 batches (``benchmarks/padding.py``'s ``time_passes``), so that other jobs on a shared machine slow
all alike; the table also projects the time of a whole pass over the reviews from that rate:

- "pad to 128": every example padded to 128 tokens (the lecture's ``padding="max_length"``), random batches;
- "pad to longest": ``PaddingCollator`` (each batch padded to its longest example), random batches;
- "length-grouped": the same collator over ``lectureutils.training.length_grouped_indices``;
- "packed": ``pack_examples`` blocks of 128 tokens (whole reviews, per-review position ids, no attention across
  reviews), as many blocks per step as hold about the same number of reviews as the other ways' batches.

Reviews are NSMC-like (``benchmarks/padding.py``'s ``nsmc_like_reviews``: sample reviews joined and cut at 140
characters); tokens come from KoGPT2's tokenizer (offline: the stand-in's). Exits 1 if the best way is under 4x
the useful tokens/s of pad-to-128.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from lectureutils.lm_finetuning import PaddingCollator, count_tokens, encode_review, pack_examples, pad_id  # noqa: E402
from lectureutils.batching import length_grouped_indices  # noqa: E402
from padding import machine, nsmc_like_reviews, time_passes  # noqa: E402  (benchmarks/padding.py)

MODEL_NAME = "skt/kogpt2-base-v2"
MAX_LENGTH = 128
TARGET_SPEEDUP = 4.0


def build_model(layers: int, vocab_size: int, device: str):
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    config = GPT2Config(vocab_size=vocab_size, n_positions=1024, n_embd=768, n_layer=layers, n_head=12,
                        bos_token_id=0, eos_token_id=0, use_cache=False)  # as the Trainer sets it: packed position ids then mask across reviews
    return GPT2LMHeadModel(config).to(device).train()


def packed_batches(examples, order, block_size, blocks_per_batch, padding_id):
    blocks = pack_examples([examples[index] for index in order], block_size, padding_id)
    stacked = [{key: torch.tensor([block[key] for block in blocks[start:start + blocks_per_batch]])
                for key in ("input_ids", "labels", "position_ids")}
               for start in range(0, len(blocks), blocks_per_batch)]
    return stacked


def main(argv=None) -> int:
    """Measure and print the table; exit status 1 if the target is missed."""
    result = measure(argv)
    print_report(result)
    return 0 if result["met"] else 1


def measure(argv=None) -> dict:
    """Run the benchmark (options as on the command line); returns the rows and what they were measured on."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1024)
    parser.add_argument("--batch-size", type=int, default=32, help="reviews per step (padded ways)")
    parser.add_argument("--block-size", type=int, default=MAX_LENGTH)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--timed-batches", type=int, default=8, help="batches timed per way (default: %(default)s)")
    parser.add_argument("--vocab-size", type=int, default=0,
                        help="the model's vocabulary (default: the tokenizer's; 51200 = the real KoGPT2's)")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads (default: torch's own; 1 on a busy shared CPU, see the serve benchmark)")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.reviews < 1000:
        parser.error("use at least 1,000 reviews, so that each pass amortises the warm-up")

    from transformers.utils import logging as transformers_logging

    from lectureutils.models import is_standin, load_tokenizer

    transformers_logging.set_verbosity_error()
    tokenizer = load_tokenizer(MODEL_NAME)
    padding_id = pad_id(tokenizer)
    reviews = nsmc_like_reviews(args.reviews)
    examples = [encode_review(tokenizer, review, ("negative", "positive")[index % 2], MAX_LENGTH)
                for index, review in enumerate(reviews)]
    lengths = [len(example["input_ids"]) for example in examples]
    generator = torch.Generator().manual_seed(7)
    random_order = torch.randperm(len(examples), generator=generator).tolist()
    grouped_order = length_grouped_indices(lengths, args.batch_size, generator=generator)
    blocks_per_batch = max(1, round(args.batch_size * np.mean(lengths) / args.block_size))

    def padded(order, pad_to=None):
        collate = PaddingCollator(tokenizer, pad_to=pad_to)
        return [collate([examples[index] for index in order[start:start + args.batch_size]])
                for start in range(0, len(order), args.batch_size)]

    setups = {
        f"pad to {MAX_LENGTH} (the lecture)": padded(random_order, MAX_LENGTH),
        "pad to longest": padded(random_order),
        "length-grouped": padded(grouped_order),
        f"packed ({args.block_size}-token blocks)": packed_batches(examples, random_order, args.block_size,
                                                                   blocks_per_batch, padding_id),
    }
    autocast = args.device.startswith("cuda")
    vocabulary = args.vocab_size or len(tokenizer)
    runs = {}
    for name, batches in setups.items():
        model = build_model(args.layers, vocabulary, args.device)
        runs[name] = (model, torch.optim.AdamW(model.parameters(), lr=5e-5), batches[:args.timed_batches])
    seconds = time_passes(runs, args.device, autocast)

    rows = []
    for name, batches in setups.items():
        timed = [count_tokens(batch) for batch in runs[name][2]]
        rate = sum(count["useful"] for count in timed) / seconds[name]
        counts = [count_tokens(batch) for batch in batches]
        useful = sum(count["useful"] for count in counts)
        total = sum(count["total"] for count in counts)
        rows.append({"name": name, "seconds": seconds[name], "useful_per_second": rate, "pass_seconds": useful / rate,
                     "steps": len(batches), "tokens_per_step": total / len(batches), "useful_share": useful / total})
    baseline = rows[0]["useful_per_second"]
    best = max(rows, key=lambda row: row["useful_per_second"])
    review_tokens = [sum(label != -100 for label in example["labels"]) for example in examples]
    return {
        "rows": rows, "best": best, "speedup": best["useful_per_second"] / baseline,
        "met": best["useful_per_second"] / baseline >= TARGET_SPEEDUP, "reviews": len(reviews),
        "lengths": lengths, "review_tokens": review_tokens, "standin": is_standin(tokenizer), "vocabulary": vocabulary,
        "blocks_per_batch": blocks_per_batch, "args": args, "autocast": autocast,
    }


def print_report(result: dict) -> None:
    """The benchmark's Markdown table and the lines around it."""
    rows, best, args, lengths, review_tokens = (result[key] for key in ("rows", "best", "args", "lengths", "review_tokens"))
    baseline = rows[0]["useful_per_second"]
    autocast = result["autocast"]
    print(f"Reviews: {result['reviews']:,} NSMC-like reviews built from data/nsmc_sample.tsv; tokens per example "
          f"({MODEL_NAME} tokenizer{' (offline stand-in)' if result['standin'] else ''}, control code "
          f"{lengths[0] - review_tokens[0]} + review + EOS) mean {np.mean(lengths):.1f}, median "
          f"{np.median(lengths):.0f}, max {max(lengths)}; useful (review + EOS) mean {np.mean(review_tokens):.1f}.")
    print(f"Model: GPT2LMHeadModel, hidden 768, 12 heads, vocabulary {result['vocabulary']:,}, "
          f"{args.layers} layers, random weights; {args.batch_size} reviews per step (packed: {result['blocks_per_batch']} "
          f"blocks of {args.block_size}); AdamW; {'bf16 autocast on ' + args.device if autocast else 'fp32 on ' + args.device}; "
          f"{args.timed_batches} timed batches per row after one warm-up step, interleaved 4 batches at a time.")
    print(f"Machine: {machine(args.device)}")
    print()
    print("| batching | useful tokens/s | speed-up | steps per pass | tokens per step | useful share | pass time (projected) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['name']} | {row['useful_per_second']:,.0f} | {row['useful_per_second'] / baseline:.1f}x | "
              f"{row['steps']} | {row['tokens_per_step']:,.0f} | {row['useful_share']:.1%} | {row['pass_seconds']:.1f} s |")
    print()
    print(f"Target: the best way >= {TARGET_SPEEDUP:.0f}x the useful tokens/s of pad-to-{MAX_LENGTH}: "
          f"{best['name']}, {result['speedup']:.1f}x ({'met' if result['met'] else 'MISSED'}).")


if __name__ == "__main__":
    sys.exit(main())
