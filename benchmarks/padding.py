"""Benchmark: padding to 128 tokens (the lecture) vs dynamic padding vs dynamic padding + length grouping.

Run:  .venv/bin/python benchmarks/padding.py          (about 3 minutes on 2 CPU cores)
      .venv/bin/python benchmarks/padding.py --device cuda --layers 12 --reviews 4096   (a GPU)

What is timed: training steps (forward + backward + AdamW step) of a BertForSequenceClassification
of bert-base width (hidden 768, 12 heads, feed-forward 3072, KcBERT's vocabulary of 30,000 and 300
positions) with random weights (speed does not depend on them) and, by default, only 2 layers instead of
12 to keep the run short (every layer costs the same, so the ratios hold). Each of the three ways of
batching makes one full pass over the same reviews (default 1,024 reviews, batch 32, the lecture's batch
size) after one untimed warm-up step, so that per-shape start-up costs are spread over the pass. The three
passes are timed in interleaved chunks of 4 batches, so that other jobs on a shared machine slow them alike:

- "pad to 128": every review padded to 128 tokens (``padding="max_length"``, the lecture), random batches;
- "dynamic padding": ``DataCollatorWithPadding`` (each batch padded to its longest review), random batches;
- "dynamic padding + length grouping": the same collator over ``lectureutils.training.length_grouped_indices``,
  the order ``make_trainer``'s Trainer uses.

The reviews are NSMC-like, built from the project's sample ``data/nsmc_sample.tsv`` (the real corpus is not
available offline): each benchmark review joins 1, 2, 3, ... sample reviews (each extra one with probability
1/2) and is cut at 140 characters, NSMC's limit. Tokens come from KcBERT's tokenizer (offline: the stand-in's).
The script prints the length distribution it used, a Markdown table and the machine; it exits 1 if a target
is missed (>= 4x the samples/s of "pad to 128" with length grouping; <= 10 % padding with length grouping).

Reusable for every task's benchmark (NLI, NER, GPT fine-tuning): collate your own batches per strategy and call

    sys.path.insert(0, "benchmarks"); from padding import measure_padding, markdown_table
    rows = measure_padding(model, {"pad to 128": batches_a, "dynamic padding": batches_b, ...}, device="cuda")
    print(markdown_table(rows))

``measure_padding`` trains a fresh copy of ``model`` on each strategy's batches (interleaved, one warm-up step
each) and reads the padding from each batch's ``attention_mask``; the first strategy is the baseline.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from lectureutils.data import read_nsmc  # noqa: E402
from lectureutils.env import data_dir  # noqa: E402
from lectureutils.batching import length_grouped_indices  # noqa: E402
from machine import describe  # noqa: E402  (benchmarks/machine.py)

MODEL_NAME = "beomi/kcbert-base"
NSMC_MAX_CHARACTERS = 140
MAX_LENGTH = 128
TARGET_SPEEDUP = 4.0
TARGET_WASTE = 0.10


def nsmc_like_reviews(count: int, seed: int = 7) -> list[str]:
    """``count`` reviews joined from the sample's reviews (1 + a geometric number), cut at 140 characters."""
    sample = read_nsmc(data_dir() / "nsmc_sample.tsv", verbose=False)["document"].tolist()
    generator = random.Random(seed)
    reviews = []
    for _ in range(count):
        parts = [generator.choice(sample)]
        while generator.random() < 0.5:
            parts.append(generator.choice(sample))
        reviews.append(" ".join(parts)[:NSMC_MAX_CHARACTERS].strip())
    return reviews


def machine(device: str) -> str:
    import transformers

    gpu = [f"GPU {torch.cuda.get_device_name()}"] if device.startswith("cuda") else []
    return describe(f"{torch.get_num_threads()} torch threads", f"torch {torch.__version__}", *gpu,
                    f"transformers {transformers.__version__}")


def build_model(layers: int, vocab_size: int, pad_token_id: int, device: str):
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=vocab_size, hidden_size=768, num_hidden_layers=layers, num_attention_heads=12,
        intermediate_size=3072, max_position_embeddings=300, num_labels=2, pad_token_id=pad_token_id,
    )
    return BertForSequenceClassification(config).to(device).train()


def make_batches(features, order, batch_size, collate):
    return [collate([features[index] for index in order[start:start + batch_size]])
            for start in range(0, len(order), batch_size)]


def training_step(model, optimizer, batch, device: str, autocast: bool) -> None:
    batch = {name: tensor.to(device, non_blocking=True) for name, tensor in batch.items()}
    with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=autocast):
        loss = model(**batch).loss
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)


def time_passes(runs: dict, device: str, autocast: bool, chunk: int = 4) -> dict:
    """Seconds for one full pass of each run, timed in interleaved chunks of ``chunk`` batches.

    ``runs`` maps a name to ``(model, optimizer, batches)``. Each run first makes one untimed warm-up
    step; then the runs take turns, ``chunk`` batches at a time, so that a change in the machine's load
    (other jobs on a shared machine) affects all of them alike.
    """
    def synchronize():
        if device.startswith("cuda"):
            torch.cuda.synchronize()

    for model, optimizer, batches in runs.values():
        training_step(model, optimizer, batches[0], device, autocast)  # warm-up
    seconds = dict.fromkeys(runs, 0.0)
    longest = max(len(batches) for _, _, batches in runs.values())
    for start in range(0, longest, chunk):
        for name, (model, optimizer, batches) in runs.items():
            part = batches[start:start + chunk]
            if not part:
                continue
            synchronize()
            began = time.perf_counter()
            for batch in part:
                training_step(model, optimizer, batch, device, autocast)
            synchronize()
            seconds[name] += time.perf_counter() - began
    return seconds


def padding_of(batches) -> dict:
    """Real and padded tokens of collated batches, read from their ``attention_mask``; ``waste`` 0 to 1."""
    real = sum(int(batch["attention_mask"].sum()) for batch in batches)
    padded = sum(batch["attention_mask"].numel() for batch in batches)
    return {"real_tokens": real, "padded_tokens": padded, "waste": 1.0 - real / padded if padded else 0.0}


def measure_padding(model, batches_by_strategy: dict, device: str = "cpu", autocast: bool | None = None,
                    chunk: int = 4, learning_rate: float = 5e-5) -> list[dict]:
    """Train a fresh copy of ``model`` for one pass over each strategy's batches; one row per strategy.

    ``batches_by_strategy`` maps a name ("pad to 128", "dynamic padding", ...) to collated batches (dicts of
    tensors with ``attention_mask`` and whatever the model needs for a loss, e.g. ``labels``). Every copy starts
    from the same weights and trains with AdamW; the passes are interleaved ``chunk`` batches at a time after
    one warm-up step each (``time_passes``). ``autocast`` (bf16) defaults to on for a CUDA device. Rows:
    ``name``, ``seconds``, ``samples_per_second``, ``tokens_per_batch``, ``waste``, ``speedup`` (over the first).
    """
    import copy

    autocast = device.startswith("cuda") if autocast is None else autocast
    runs = {}
    for name, batches in batches_by_strategy.items():
        copy_of_model = copy.deepcopy(model).to(device).train()
        runs[name] = (copy_of_model, torch.optim.AdamW(copy_of_model.parameters(), lr=learning_rate), batches)
    seconds = time_passes(runs, device, autocast, chunk)
    rows = []
    for name, (_, _, batches) in runs.items():
        samples = sum(len(batch["attention_mask"]) for batch in batches)
        padding = padding_of(batches)
        rows.append({"name": name, "seconds": seconds[name], "samples_per_second": samples / seconds[name],
                     "tokens_per_batch": padding["padded_tokens"] / len(batches), "waste": padding["waste"]})
    for row in rows:
        row["speedup"] = row["samples_per_second"] / rows[0]["samples_per_second"]
    return rows


def markdown_table(rows) -> str:
    """The rows of ``measure_padding`` as a Markdown table (samples/s, speed-up, tokens per batch, waste, time)."""
    lines = ["| batching | samples/s | speed-up | tokens per batch | padding waste | pass time |",
             "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['name']} | {row['samples_per_second']:.1f} | {row['speedup']:.1f}x | "
                     f"{row['tokens_per_batch']:,.0f} | {row['waste']:.1%} | {row['seconds']:.1f} s |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1024)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    if args.reviews < 1000:
        parser.error("use at least 1,000 reviews, so that each pass amortises the warm-up")

    from transformers import DataCollatorWithPadding
    from transformers.utils import logging as transformers_logging

    from lectureutils.models import load_tokenizer

    transformers_logging.set_verbosity_error()
    tokenizer = load_tokenizer(MODEL_NAME)
    reviews = nsmc_like_reviews(args.reviews)
    dynamic = [dict(tokenizer(review, truncation=True, max_length=MAX_LENGTH), labels=index % 2)
               for index, review in enumerate(reviews)]
    fixed = [dict(tokenizer(review, truncation=True, max_length=MAX_LENGTH, padding="max_length"), labels=index % 2)
             for index, review in enumerate(reviews)]
    lengths = [len(feature["input_ids"]) for feature in dynamic]
    characters = [len(review) for review in reviews]
    collate = DataCollatorWithPadding(tokenizer)

    generator = torch.Generator().manual_seed(7)
    random_order = torch.randperm(len(reviews), generator=generator).tolist()
    grouped_order = length_grouped_indices(lengths, args.batch_size, generator=generator)
    setups = {
        f"pad to {MAX_LENGTH} (the lecture)": (fixed, random_order, MAX_LENGTH),
        "dynamic padding": (dynamic, random_order, None),
        "dynamic padding + length grouping": (dynamic, grouped_order, None),
    }

    autocast = args.device.startswith("cuda")
    batches_by_strategy = {name: make_batches(features, order, args.batch_size, collate)
                           for name, (features, order, _) in setups.items()}
    model = build_model(args.layers, max(30000, len(tokenizer)), tokenizer.pad_token_id, "cpu")
    rows = measure_padding(model, batches_by_strategy, args.device, autocast)

    print(f"Reviews: {len(reviews):,} NSMC-like reviews built from data/nsmc_sample.tsv; characters mean "
          f"{np.mean(characters):.1f}, median {np.median(characters):.0f}, max {max(characters)}; tokens "
          f"({MODEL_NAME} tokenizer{' stand-in' if 'standins' in str(tokenizer.name_or_path) else ''}, with [CLS]/[SEP]) "
          f"mean {np.mean(lengths):.1f}, median {np.median(lengths):.0f}, 95th percentile "
          f"{np.percentile(lengths, 95):.0f}, max {max(lengths)}.")
    print(f"Model: BertForSequenceClassification, hidden 768, 12 heads, {args.layers} layers, random weights; "
          f"batch {args.batch_size}; AdamW; {'bf16 autocast on ' + args.device if autocast else 'fp32 on ' + args.device}; "
          "one full pass per row after one warm-up step, the three passes interleaved 4 batches at a time.")
    print(f"Machine: {machine(args.device)}")
    print()
    print(markdown_table(rows))
    grouped = rows[-1]
    speedup = grouped["speedup"]
    print()
    met_speed = speedup >= TARGET_SPEEDUP
    met_waste = grouped["waste"] <= TARGET_WASTE
    print(f"Target >= {TARGET_SPEEDUP:.0f}x samples/s over pad-to-{MAX_LENGTH} with length grouping: "
          f"{speedup:.1f}x ({'met' if met_speed else 'MISSED'}).")
    print(f"Target <= {TARGET_WASTE:.0%} padding with length grouping: {grouped['waste']:.1%} "
          f"({'met' if met_waste else 'MISSED'}).")
    return 0 if (met_speed and met_waste) else 1


if __name__ == "__main__":
    sys.exit(main())
