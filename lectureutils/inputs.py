"""Checks on what a student types, so bad input gives a clear message.

Taught in notebooks/01_bert_embeddings.ipynb (§6, "When the input is wrong") and used by the
later notebooks before text reaches a model. :func:`check_text` is the package's one empty-text
validator: every module that refuses empty input calls it (with or without a tokenizer).
"""

from __future__ import annotations

import warnings

__all__ = ["max_model_length", "check_text"]


def max_model_length(tokenizer, model=None) -> int:
    """The number of tokens the model accepts, from its config if given and the tokenizer (01_bert_embeddings, §6)."""
    limits = []
    config = getattr(model, "config", None)
    for attribute in ("max_position_embeddings", "n_positions"):
        value = getattr(config, attribute, None)
        if isinstance(value, int):
            limits.append(value)
    tokenizer_limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(tokenizer_limit, int) and tokenizer_limit < 1_000_000:  # "no limit" is a huge sentinel
        limits.append(tokenizer_limit)
    if not limits:
        raise ValueError("Cannot tell the model's maximum length: pass the model or set tokenizer.model_max_length.")
    return min(limits)


def check_text(text, tokenizer=None, model=None, *, truncate: bool = False, what: str = "sentence") -> str:
    """Return ``text`` if a model can take it, else raise ValueError saying what is wrong (01_bert_embeddings, §6).

    A non-string is a TypeError; empty or whitespace-only text is refused (ValueError, the message
    says "empty" and names ``what``). With a ``tokenizer``, text longer than the model's maximum
    length is refused too, or with ``truncate=True`` accepted with a warning (the tokenizer call
    must then use ``truncation=True``). Without one, only the type and emptiness are checked
    (data readers, services, generation prompts).
    """
    if not isinstance(text, str):
        raise TypeError(f"The {what} must be a string, not {type(text).__name__}.")
    if not text.strip():
        raise ValueError(f"The {what} is empty: give the model at least one word.")
    if tokenizer is None:
        return text
    limit = max_model_length(tokenizer, model)
    length = len(tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])
    if length > limit:
        message = f"The {what} is {length} tokens long, more than this model's maximum of {limit}"
        if not truncate:
            raise ValueError(message + ": shorten it, or truncate it (truncation=True).")
        warnings.warn(message + f"; only the first {limit} tokens are used.", stacklevel=2)
    return text
