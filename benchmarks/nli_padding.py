"""Benchmark: padding every NLI pair to 128 tokens vs dynamic padding vs dynamic padding + length grouping.

Run:  .venv/bin/python benchmarks/nli_padding.py          (a few minutes on 2 CPU cores)
      .venv/bin/python benchmarks/nli_padding.py --device cuda --layers 12 --pairs 4096   (a GPU, bf16 autocast)

The measuring code is benchmarks/padding.py's (``measure_padding``: a fresh copy of the same model per way of
batching, one untimed warm-up step each, the passes interleaved 4 batches at a time so that other jobs on a
shared machine slow them alike). What changes is the data: KLUE-NLI pairs, encoded as notebook 09 encodes them
(``lectureutils.nli.encode_nli_pairs``: ``[CLS] premise [SEP] hypothesis [SEP]``, cut at 128 tokens), with three
labels. The model is a ``BertForSequenceClassification`` of bert-base width (hidden 768, 12 heads, feed-forward
3072, KLUE-BERT's vocabulary size of 32,000) with random weights and, by default, 2 layers instead of 12.

The pairs: the real KLUE-NLI when a verified copy is in the cache (``python -m lectureutils.prefetch``), else
``--pairs`` pairs drawn with replacement from the project's sample ``data/klue_nli_sample.json`` (the real corpus
is not available offline). Tokens come from klue/bert-base's tokenizer (offline: the stand-in's). Prints the
length distribution, a Markdown table and the machine; exits 1 if length grouping misses >= 4x the samples/s of
pad-to-128.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from padding import build_model, machine, markdown_table, measure_padding  # noqa: E402  (benchmarks/padding.py)

MODEL_NAME = "klue/bert-base"
MAX_LENGTH = 128
TARGET_SPEEDUP = 4.0
KLUE_BERT_VOCABULARY = 32_000


def nli_pairs(count: int, seed: int = 7):
    """``count`` pairs of the training split (real if prefetched, else the sample), drawn with replacement
    when the split is smaller; ``attrs["real"]`` says which."""
    from lectureutils.data import load_klue_nli

    frame = load_klue_nli("train", offline=True)
    pairs = frame.sample(n=count, replace=count > len(frame), random_state=seed).reset_index(drop=True)
    pairs.attrs["real"] = len(frame) > 20_000  # the real split, not the sample
    return pairs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1024)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    if args.pairs < 1000:
        parser.error("use at least 1,000 pairs, so that each pass amortises the warm-up")

    import datasets
    from transformers import DataCollatorWithPadding
    from transformers.utils import logging as transformers_logging

    from lectureutils.models import is_standin, load_tokenizer
    from lectureutils.nli import encode_nli_pairs
    from lectureutils.batching import length_grouped_indices

    transformers_logging.set_verbosity_error()
    datasets.disable_progress_bars()
    tokenizer = load_tokenizer(MODEL_NAME)
    frame = nli_pairs(args.pairs)
    dynamic = encode_nli_pairs(frame, tokenizer, max_length=MAX_LENGTH).rename_column("label", "labels")
    lengths = [len(ids) for ids in dynamic["input_ids"]]
    features = [dict(example) for example in dynamic]
    fixed = [dict(example, input_ids=example["input_ids"] + [tokenizer.pad_token_id] * (MAX_LENGTH - len(example["input_ids"])),
                  token_type_ids=example["token_type_ids"] + [0] * (MAX_LENGTH - len(example["input_ids"])),
                  attention_mask=example["attention_mask"] + [0] * (MAX_LENGTH - len(example["input_ids"])))
             for example in features]  # what tokenizer(..., padding="max_length") gives
    collate = DataCollatorWithPadding(tokenizer)

    generator = torch.Generator().manual_seed(7)
    random_order = torch.randperm(len(features), generator=generator).tolist()
    grouped_order = length_grouped_indices(lengths, args.batch_size, generator=generator)

    def batches(examples, order):
        return [collate([examples[index] for index in order[start:start + args.batch_size]])
                for start in range(0, len(order), args.batch_size)]

    strategies = {
        f"pad to {MAX_LENGTH} (padding=\"max_length\")": batches(fixed, random_order),
        "dynamic padding": batches(features, random_order),
        "dynamic padding + length grouping": batches(features, grouped_order),
    }
    model = build_model(args.layers, max(KLUE_BERT_VOCABULARY, len(tokenizer)), tokenizer.pad_token_id, "cpu")
    model.classifier = torch.nn.Linear(model.config.hidden_size, 3)  # three NLI labels (build_model makes two)
    model.num_labels = model.config.num_labels = 3
    rows = measure_padding(model, strategies, args.device)

    premise_chars = frame["premise"].str.len()
    hypothesis_chars = frame["hypothesis"].str.len()
    real = frame.attrs["real"]
    print(f"Pairs: {len(frame):,} {'KLUE-NLI training pairs' if real else 'pairs drawn from data/klue_nli_sample.json'}; "
          f"premise characters mean {premise_chars.mean():.1f}, max {premise_chars.max()}; hypothesis characters mean "
          f"{hypothesis_chars.mean():.1f}; tokens ({MODEL_NAME} tokenizer{' stand-in' if is_standin(tokenizer) else ''}, "
          f"with [CLS] and two [SEP]) mean {np.mean(lengths):.1f}, median {np.median(lengths):.0f}, "
          f"95th percentile {np.percentile(lengths, 95):.0f}, max {max(lengths)}.")
    print(f"Model: BertForSequenceClassification (3 labels), hidden 768, 12 heads, {args.layers} layers, random "
          f"weights; batch {args.batch_size}; AdamW; {'bf16 autocast on ' + args.device if args.device.startswith('cuda') else 'fp32 on ' + args.device}; "
          "one full pass per row after one warm-up step, the three passes interleaved 4 batches at a time.")
    print(f"Machine: {machine(args.device)}")
    print()
    print(markdown_table(rows))
    speedup = rows[-1]["speedup"]
    print()
    print(f"Target >= {TARGET_SPEEDUP:.0f}x samples/s over pad-to-{MAX_LENGTH} with length grouping: {speedup:.1f}x "
          f"({'met' if speedup >= TARGET_SPEEDUP else 'MISSED'}).")
    return 0 if speedup >= TARGET_SPEEDUP else 1


if __name__ == "__main__":
    sys.exit(main())
