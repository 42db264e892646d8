"""Documents longer than a sentence encoder reads (``max_seq_length``, the rest silently dropped): embedded in parts
that fit, the parts' mean (notebook 04, §5)."""

from __future__ import annotations

import re

import numpy as np

__all__ = ["split_for_encoder", "encode_in_parts"]

# A sentence ends at . ! ? (also full-width) followed by white space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def _token_count(tokenizer, text: str) -> int:
    return len(tokenizer(text, add_special_tokens=False)["input_ids"])


def split_for_encoder(text: str, tokenizer, max_tokens: int) -> list[str]:
    """``text`` in consecutive parts of whole sentences, packed greedily, each fitting ``max_tokens`` with the special
    tokens; an over-long sentence is cut between words (04, §5 "Korean keywords")."""
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
    """One embedding (1, d) for the whole ``text``: the mean over ``split_for_encoder``'s parts (04, §5 "Korean
    keywords")."""
    parts = split_for_encoder(text, model.tokenizer, model.max_seq_length)
    if not parts:
        raise ValueError("text is empty: there is nothing to embed.")
    embeddings = model.encode(parts, batch_size=batch_size, show_progress_bar=False, convert_to_numpy=True)
    return np.asarray(embeddings).mean(axis=0, keepdims=True)
