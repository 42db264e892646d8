"""Token ids for causal-LM fine-tuning: control codes, label masking, and three ways to batch.

Taught in notebooks/11_gpt_finetuning.ipynb (§2 "Data: NSMC reviews behind a control code", §3 "Three ways
to batch"). Control codes are plain text, not new special tokens, so the pre-trained model can be prompted the
same way. Packed blocks restart ``position_ids`` per review, which keeps attention inside each review only
with ``use_cache=False`` (``PackedCollator`` passes it).
"""

from __future__ import annotations

from ..training import IGNORE_INDEX
from .corpus import KOREAN_NAMES, sentiment_name

__all__ = ["CONTROL_CODES", "control_ids", "encode_review", "tokenize_reviews", "pad_id", "pad_batch",
           "PaddingCollator", "pack_examples", "PackedCollator", "count_tokens"]

CONTROL_CODES = {name: f"{korean} 리뷰:" for name, korean in KOREAN_NAMES.items()}  # "positive review:"


def control_ids(tokenizer, sentiment) -> list[int]:
    """Token ids of the control code for ``sentiment`` (positive/negative, 긍정/부정 or 1/0) (11 §2)."""
    return list(tokenizer(CONTROL_CODES[sentiment_name(sentiment)], add_special_tokens=False)["input_ids"])


def encode_review(tokenizer, review: str, sentiment, max_length: int = 128) -> dict:
    """One training example: ``input_ids`` = control + review + EOS, ``labels`` with -100 on the control (11 §2).

    Cut to ``max_length`` tokens (EOS kept); an empty review or no room for one token raises ValueError.
    """
    if not isinstance(review, str) or not review.strip():
        raise ValueError(f"A review must be a non-empty string, not {review!r}.")
    if tokenizer.eos_token_id is None:
        raise ValueError("The tokenizer has no EOS token: a review could not end.")
    code = control_ids(tokenizer, sentiment)
    room = max_length - len(code) - 1
    if room < 1:
        raise ValueError(f"max_length={max_length} leaves no room for a review after the {len(code)}-token control code.")
    body = list(tokenizer(review, add_special_tokens=False)["input_ids"])[:room] + [tokenizer.eos_token_id]
    return {"input_ids": code + body, "labels": [IGNORE_INDEX] * len(code) + body}


def tokenize_reviews(frame, tokenizer, max_length: int = 128, text_column: str = "document",
                     sentiment_column: str = "sentiment"):
    """A ``datasets.Dataset`` of ``encode_review`` examples (``input_ids``, ``labels``) from a DataFrame (11 §2)."""
    from datasets import Dataset

    missing = [column for column in (text_column, sentiment_column) if column not in frame.columns]
    if missing:
        raise KeyError(f"The DataFrame has no column(s) {missing}; it has {list(frame.columns)}.")
    rows = [encode_review(tokenizer, text, sentiment, max_length)
            for text, sentiment in zip(frame[text_column], frame[sentiment_column])]
    return Dataset.from_dict({"input_ids": [row["input_ids"] for row in rows], "labels": [row["labels"] for row in rows]})


def pad_id(tokenizer) -> int:
    """The id used for padding: the tokenizer's pad token, else its EOS (GPT-2 has no pad token) (11 §3)."""
    return tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id


def pad_batch(examples, padding_id: int, pad_to: int | None = None) -> dict:
    """Right-pad examples to the longest one (or ``pad_to``), ``labels`` -100 on padding (11 §3)."""
    import torch

    longest = max(len(example["input_ids"]) for example in examples)
    width = longest if pad_to is None else pad_to
    if width < longest:
        raise ValueError(f"pad_to={pad_to} is shorter than an example of {longest} tokens.")
    input_ids = torch.full((len(examples), width), padding_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE_INDEX, dtype=torch.long)
    attention_mask = torch.zeros((len(examples), width), dtype=torch.long)
    for row, example in enumerate(examples):
        length = len(example["input_ids"])
        input_ids[row, :length] = torch.tensor(example["input_ids"])
        labels[row, :length] = torch.tensor(example["labels"])
        attention_mask[row, :length] = 1
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}


class PaddingCollator:
    """Dynamic padding for causal-LM examples (``pad_batch``); ``pad_to=128`` pads like the lecture (11 §3)."""

    def __init__(self, tokenizer, pad_to: int | None = None):
        self.padding_id = pad_id(tokenizer)
        self.pad_to = pad_to

    def __call__(self, examples):
        return pad_batch(examples, self.padding_id, self.pad_to)


def pack_examples(examples, block_size: int, padding_id: int) -> list[dict]:
    """Pack whole examples, in the given order, into blocks of ``block_size`` tokens (11 §3).

    "Next fit" in one pass; ``position_ids`` restart at 0 per example. An example longer than a block raises.
    """
    blocks: list[dict] = []
    ids: list[int] = []
    labels: list[int] = []
    positions: list[int] = []

    def close():
        tail = block_size - len(ids)
        blocks.append({
            "input_ids": ids + [padding_id] * tail,
            "labels": labels + [IGNORE_INDEX] * tail,
            "position_ids": positions + list(range(tail)),
        })

    for number, example in enumerate(examples):
        length = len(example["input_ids"])
        if length > block_size:
            raise ValueError(f"Example {number} has {length} tokens, more than block_size={block_size}.")
        if len(ids) + length > block_size:
            close()
            ids, labels, positions = [], [], []
        ids = ids + list(example["input_ids"])
        labels = labels + list(example["labels"])
        positions = positions + list(range(length))
    if ids:
        close()
    return blocks


class PackedCollator:
    """Stacks packed blocks into tensors, with ``use_cache=False`` so attention stays inside each review (11 §3)."""

    def __call__(self, blocks):
        import torch

        batch = {key: torch.tensor([block[key] for block in blocks], dtype=torch.long)
                 for key in ("input_ids", "labels", "position_ids")}
        batch["use_cache"] = False
        return batch


def count_tokens(batch) -> dict:
    """``useful`` (tokens in the loss), ``total`` (tokens the model computes on) and ``waste`` of a batch (11 §3)."""
    labels = batch["labels"]
    total = int(labels.numel())
    useful = int((labels != IGNORE_INDEX).sum())
    return {"useful": useful, "total": total, "waste": 1.0 - useful / total if total else 0.0}
