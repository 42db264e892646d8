"""Training throughput in fp32, fp16 and bf16 mixed precision on a GPU.

Notebooks 05 and 06 fine-tune with mixed precision on a GPU (``lectureutils.training.mixed_precision``).
This measures what it buys: a bert-base sized classifier (hidden 768, 12 layers, 12 heads, random
weights: speed does not depend on them), batch 32, NSMC-like review lengths (the token lengths of
``data/nsmc_sample.tsv`` under the kcbert tokenizer or its offline stand-in, resampled), with dynamic
padding and length-grouped batches as the notebooks use. Each step is forward + backward + AdamW step.

    python benchmarks/mixed_precision.py             # on a CUDA GPU
    python benchmarks/mixed_precision.py --layers 2  # a quick look on a CPU (fp32 only)

Prints a Markdown table: samples/s, speed-up over fp32, peak GPU memory, and whether the loss stayed finite.
"""

from __future__ import annotations

import argparse
import contextlib
import time

import numpy as np
import torch

from lectureutils.data import read_nsmc
from lectureutils.env import data_dir
from lectureutils.models import load_tokenizer
from lectureutils.batching import make_batches

BATCH_SIZE = 32
MAX_LENGTH = 128


def review_lengths(tokenizer) -> list[int]:
    reviews = read_nsmc(data_dir() / "nsmc_sample.tsv", verbose=False)["document"]
    return [min(MAX_LENGTH, len(tokenizer(text)["input_ids"])) for text in reviews]


def length_grouped_batches(lengths, steps: int, seed: int = 7) -> list[list[int]]:
    """``steps`` batches of resampled review lengths, grouped as the notebooks' Trainer groups them."""
    drawn = np.random.default_rng(seed).choice(lengths, size=steps * BATCH_SIZE)
    batches = make_batches(drawn, BATCH_SIZE, "group_by_length", seed)
    return [[int(drawn[index]) for index in batch] for batch in batches]


def make_batch(batch_lengths, vocab_size: int, device: str):
    longest = max(batch_lengths)
    input_ids = torch.randint(5, vocab_size, (len(batch_lengths), longest))
    attention_mask = torch.zeros_like(input_ids)
    for row, length in enumerate(batch_lengths):
        attention_mask[row, :length] = 1
    input_ids = input_ids * attention_mask  # [PAD] = 0 after each review
    labels = torch.randint(0, 2, (len(batch_lengths),))
    return {"input_ids": input_ids.to(device), "attention_mask": attention_mask.to(device), "labels": labels.to(device)}


def measure(precision: str, batches, vocab_size: int, layers: int, device: str, warmup: int) -> dict:
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(vocab_size=vocab_size, hidden_size=768, num_hidden_layers=layers, num_attention_heads=12,
                        intermediate_size=3072, max_position_embeddings=512, num_labels=2)
    model = BertForSequenceClassification(config).to(device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(precision)
    scaler = torch.amp.GradScaler("cuda", enabled=precision == "fp16")
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()

    def step(batch):
        autocast = torch.autocast(device, dtype=dtype) if dtype else contextlib.nullcontext()
        with autocast:
            loss = model(**batch).loss
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        return loss

    prepared = [make_batch(lengths, vocab_size, device) for lengths in batches]
    for batch in prepared[:warmup]:
        step(batch)
    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    losses = [step(batch) for batch in prepared[warmup:]]
    if device == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    samples = sum(len(lengths) for lengths in batches[warmup:])
    peak = torch.cuda.max_memory_allocated() / 2**30 if device == "cuda" else float("nan")
    return {
        "precision": precision,
        "samples_per_second": samples / seconds,
        "peak_gib": peak,
        "finite": bool(torch.isfinite(torch.stack(losses).float()).all()),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--steps", type=int, default=120, help="timed steps per precision")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--fixed-length", type=int, default=0,
                        help="pad every review to this many tokens (the lecture's 128) instead of dynamic padding")
    args = parser.parse_args(argv)

    device = "cuda" if torch.cuda.is_available() else "cpu"
    precisions = ["fp32"]
    if device == "cuda":
        precisions.append("fp16")
        if torch.cuda.get_device_capability()[0] >= 8:  # emulated bf16 on older GPUs (a T4) is slow
            precisions.append("bf16")
    else:
        print("No CUDA GPU: measuring fp32 on the CPU only (mixed precision is a GPU feature).")

    tokenizer = load_tokenizer("beomi/kcbert-base")
    lengths = [args.fixed_length] if args.fixed_length else review_lengths(tokenizer)
    batches = length_grouped_batches(lengths, args.steps + args.warmup)
    results = [measure(p, batches, len(tokenizer), args.layers, device, args.warmup) for p in precisions]

    name = torch.cuda.get_device_name() if device == "cuda" else "CPU"
    print(f"\n{name}, torch {torch.__version__}; BERT hidden 768, {args.layers} layers, batch {BATCH_SIZE}, "
          f"mean review length {np.mean(lengths):.1f} tokens, {args.steps} timed steps after {args.warmup} warm-up\n")
    print("| precision | samples/s | speed-up vs fp32 | peak GPU memory (GiB) | loss finite |")
    print("|---|---:|---:|---:|---|")
    baseline = results[0]["samples_per_second"]
    for result in results:
        print(f"| {result['precision']} | {result['samples_per_second']:.0f} | "
              f"{result['samples_per_second'] / baseline:.2f}x | {result['peak_gib']:.2f} | {result['finite']} |")


if __name__ == "__main__":
    main()
