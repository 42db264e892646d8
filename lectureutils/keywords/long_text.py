"""Documents longer than a sentence encoder reads (notebook 04_keyword_extraction, §5).

A sentence-transformers model reads at most ``model.max_seq_length`` tokens (128 for
paraphrase-multilingual-MiniLM-L12-v2, special tokens included) and silently drops the rest. For a
news article that means its first paragraph or so. ``encode_in_parts`` embeds the whole text instead:
it splits the text at sentence ends into parts that each fit, embeds every part and takes the mean
of the part embeddings.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["split_for_encoder", "encode_in_parts"]

# A sentence ends at . ! ? (also full-width) followed by white space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def _token_count(tokenizer, text: str) -> int:
    return len(tokenizer(text, add_special_tokens=False)["input_ids"])


def split_for_encoder(text: str, tokenizer, max_tokens: int) -> list[str]:
    """``text`` cut into consecutive parts that each fit ``max_tokens`` tokens with the
    tokenizer's special tokens (``[CLS]``/``[SEP]`` or ``<s>``/``</s>``) added.

    Taught in notebooks/04_keyword_extraction.ipynb, §5 "Korean keywords" (how much of the
    article the multilingual encoder reads). Parts are whole sentences packed greedily in text
    order; a sentence longer than the budget alone is cut between words (a single word longer
    than the budget becomes a part of its own, which the encoder will truncate). Empty text: ``[]``.
    """
    if max_tokens <= 0:
        raise ValueError(f"max_tokens must be at least 1, got max_tokens={max_tokens}.")
    budget = max(1, max_tokens - tokenizer.num_special_tokens_to_add(pair=False))
    pieces = []
    for sentence in (part.strip() for part in _SENTENCE_END.split(text)):
        if not sentence:
            continue
        if _token_count(tokenizer, sentence) <= budget:
            pieces.append(sentence)
        else:  # too long alone: cut between words
            pieces.extend(_pack(sentence.split(), tokenizer, budget))
    return _pack(pieces, tokenizer, budget)


def _pack(pieces: list[str], tokenizer, budget: int) -> list[str]:
    """Consecutive pieces joined with spaces, greedily, into parts of at most ``budget`` tokens
    (a piece that is longer alone stays a part of its own)."""
    parts, current = [], ""
    for piece in pieces:
        joined = f"{current} {piece}" if current else piece
        if current and _token_count(tokenizer, joined) > budget:
            parts.append(current)
            current = piece
        else:
            current = joined
    if current:
        parts.append(current)
    return parts


def encode_in_parts(model, text: str, batch_size: int = 32) -> np.ndarray:
    """One embedding, shape (1, d), for the whole of ``text``: the mean of the embeddings of
    ``split_for_encoder(text, model.tokenizer, model.max_seq_length)``.

    Taught in notebooks/04_keyword_extraction.ipynb, §5 "Korean keywords". ``model`` is a
    sentence-transformers model (anything with ``encode``, ``tokenizer`` and ``max_seq_length``).
    A text that fits in one part gives ``model.encode([text])`` (white space normalised). Empty text: ValueError.
    """
    parts = split_for_encoder(text, model.tokenizer, model.max_seq_length)
    if not parts:
        raise ValueError("text is empty: there is nothing to embed.")
    embeddings = model.encode(parts, batch_size=batch_size, show_progress_bar=False, convert_to_numpy=True)
    return np.asarray(embeddings).mean(axis=0, keepdims=True)
