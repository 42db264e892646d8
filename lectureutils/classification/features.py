"""NSMC reviews to token ids: the data set the ``Trainer`` reads (notebooks/05_document_classification.ipynb, §3)."""

from __future__ import annotations

from ..training import LECTURE_MAX_LENGTH

__all__ = ["tokenize_dataset"]


def tokenize_dataset(frame, tokenizer, max_length: int = LECTURE_MAX_LENGTH, text_column: str = "document",
                     label_column: str = "label"):
    """A ``datasets.Dataset`` of token ids from a DataFrame of reviews (05 §3): no padding (the collator pads each
    batch), reviews cut at ``max_length`` tokens; columns ``input_ids``, ``token_type_ids``, ``attention_mask``, ``label``."""
    from datasets import Dataset

    missing = [column for column in (text_column, label_column) if column not in frame.columns]
    if missing:
        raise KeyError(f"The DataFrame has no column(s) {missing}; it has {list(frame.columns)}.")
    dataset = Dataset.from_pandas(frame[[text_column, label_column]].reset_index(drop=True), preserve_index=False)
    if label_column != "label":
        dataset = dataset.rename_column(label_column, "label")

    def tokenize(batch):
        return tokenizer(batch[text_column], truncation=True, max_length=max_length)

    return dataset.map(tokenize, batched=True, remove_columns=[text_column])
