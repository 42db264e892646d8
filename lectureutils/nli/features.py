"""Pairs to token ids: ``[CLS] premise [SEP] hypothesis [SEP]`` with ``token_type_ids`` 0 then 1.

Taught in notebooks/09_sentence_pair_classification.ipynb (§2 "Encoding a pair", §3, §4). The same input
as next sentence prediction in notebooks/03_next_sentence_prediction.ipynb; only the head and the task differ.
"""

from __future__ import annotations

from ..training import LECTURE_MAX_LENGTH
from .corpus import label_ids

__all__ = ["TRUNCATIONS", "encode_nli_pairs", "pair_lengths"]

#: How a pair longer than ``max_length`` is cut: "longest_first" trims the longer text token by token
#: (the tokenizer's default for pairs), "only_first" trims only the premise (the hypothesis stays whole).
TRUNCATIONS = ("longest_first", "only_first")


def _columns(frame, names):
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise KeyError(f"The DataFrame has no column(s) {missing}; it has {list(frame.columns)} (use read_klue_nli).")


def encode_nli_pairs(frame, tokenizer, max_length: int = LECTURE_MAX_LENGTH, truncation: str = "longest_first",
                 hypothesis_only: bool = False):
    """A ``datasets.Dataset`` for the Trainer from a KLUE-NLI DataFrame (09 §3): ``tokenizer(premise, hypothesis)``
    plus ``label`` (the id from ``NLI_LABEL2ID``), no padding, pairs over ``max_length`` tokens cut with
    ``truncation``. ``hypothesis_only=True`` encodes ``[CLS] hypothesis [SEP]`` alone, the baseline of 09 §4.
    """
    from datasets import Dataset

    if truncation not in TRUNCATIONS:
        raise ValueError(f"truncation must be one of {TRUNCATIONS}, not {truncation!r}.")
    _columns(frame, ["premise", "hypothesis", "label"])
    columns = {"hypothesis": frame["hypothesis"].tolist(), "label": label_ids(frame["label"])}
    if not hypothesis_only:
        columns["premise"] = frame["premise"].tolist()
    dataset = Dataset.from_dict(columns)

    def tokenize(batch):
        if hypothesis_only:
            return tokenizer(batch["hypothesis"], truncation=True, max_length=max_length)
        return tokenizer(batch["premise"], batch["hypothesis"], truncation=truncation, max_length=max_length)

    return dataset.map(tokenize, batched=True, remove_columns=[name for name in columns if name != "label"])


def pair_lengths(frame, tokenizer) -> list[int]:
    """Tokens per pair with ``[CLS]``/``[SEP]``, untruncated (09 §1 lengths per source; the padding benchmark)."""
    _columns(frame, ["premise", "hypothesis"])
    encoded = tokenizer(frame["premise"].tolist(), frame["hypothesis"].tolist(), truncation=False)
    return [len(ids) for ids in encoded["input_ids"]]
