"""Checkers for notebook 01_bert_embeddings's exercises (Exercises section)."""

from __future__ import annotations

from ._common import checker, number, whole_number

__all__ = ["zeros_at_10", "pooler_shape_for_3", "static_cosine"]


@checker("01.1")
def zeros_at_10(answer, tokenizer, sentence) -> str | None:
    """01_bert_embeddings, exercise 1: padding "I love Paris" to 10 tokens leaves 10 - (its ids) zeros in the mask."""
    real = len(tokenizer(sentence)["input_ids"])
    hint = whole_number(answer)
    if hint:
        return hint
    if answer == 10 - real:
        return None
    if answer == 10 - len(tokenizer.tokenize(sentence)):
        return "[CLS] and [SEP] are real tokens (mask 1) too: count them with the word pieces."
    if answer == real:
        return "that is the number of ones; the zeros are the padding up to 10."
    return f"the mask has a 1 for each of the {real} real tokens ([CLS], word pieces, [SEP]) and a 0 for the rest."


@checker("01.2")
def pooler_shape_for_3(answer, hidden_size) -> str | None:
    """01_bert_embeddings, exercise 2: pooler_output has one hidden_size vector per sentence: (3, hidden_size)."""
    try:
        shape = tuple(int(size) for size in answer)
    except TypeError:
        return f"give a shape, a tuple like (2, 768) (got {answer!r})."
    if shape == (3, hidden_size):
        return None
    if len(shape) == 3:
        return "that is last_hidden_state's kind of shape; pooler_output has no sequence axis (one vector per sentence)."
    if shape == (hidden_size, 3):
        return "batch first: (sentences, hidden size)."
    return f"one vector per sentence, each of config.hidden_size ({hidden_size}) numbers."


@checker("01.3")
def static_cosine(answer) -> str | None:
    """01_bert_embeddings, exercise 3: the input embedding of "bank" is the same table row in every sentence: 1."""
    hint = number(answer)
    if hint:
        return hint
    if abs(answer - 1.0) < 1e-6:
        return None
    return ("that is the kind of value the *contextual* vectors (last_hidden_state) give; the input embedding is a "
            "row of model.embeddings.word_embeddings, looked up by token id before any context is seen.")
