"""Checkers for notebook 00_transfer_learning_map's exercises (Exercises section)."""

from __future__ import annotations

from pathlib import Path

from ._common import checker

__all__ = ["which_notebook", "acceptability", "next_token_count"]

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
WHAT_EACH_DOES = {
    "05_document_classification": "one label for a whole text",
    "09_sentence_pair_classification": "one label for a pair of sentences",
    "10_named_entity_recognition": "one label per token",
    "06_question_answering": "a span of a passage",
    "11_gpt_finetuning": "generated text",
}


def _notebook_hint(answer) -> str | None:
    if not isinstance(answer, str):
        return f"give the notebook's file name as a string, e.g. \"05_document_classification\" (got {answer!r})."
    name = answer.removesuffix(".ipynb")
    if name not in WHAT_EACH_DOES:
        return (f"{answer!r} is not one of the five transfer-learning notebooks on the map (section 3): "
                + ", ".join(WHAT_EACH_DOES) + ".")
    return None


@checker("00.1")
def which_notebook(answer) -> str | None:
    """00_transfer_learning_map, exercise 1: brand names in reviews are entity names, one label per token."""
    hint = _notebook_hint(answer)
    if hint:
        return hint
    name = answer.removesuffix(".ipynb")
    if name == "10_named_entity_recognition":
        return None
    return (f"{name} gives {WHAT_EACH_DOES[name]}, but the shop needs to know *which words* are brands: "
            "that is a label per token (entity name recognition, section 2).")


@checker("00.2")
def acceptability(answer) -> str | None:
    """00_transfer_learning_map, exercise 2: acceptability is one label for one sentence (document classification)."""
    hint = _notebook_hint(answer)
    if hint:
        return hint
    name = answer.removesuffix(".ipynb")
    if name == "05_document_classification":
        return None
    return (f"{name} gives {WHAT_EACH_DOES[name]}; acceptability reads one sentence and answers yes or no: "
            "one label for a whole text.")


@checker("00.3")
def next_token_count(answer, tokenizer) -> str | None:
    """00_transfer_learning_map, exercise 3: one next-token example per WordPiece after the first."""
    text = "Fine-tuning reuses pre-trained weights."
    pieces = tokenizer.tokenize(text)
    if isinstance(answer, bool) or not isinstance(answer, int):
        return f"give a whole number (got {answer!r})."
    if answer == len(pieces) - 1:
        return None
    if answer == len(pieces):
        return "the first token has no prefix to predict it from: one example per token *after* the first."
    if answer == len(text.split()) - 1 or answer == len(text.split()):
        return (f"count WordPieces, not words: tokenizer.tokenize(...) splits the sentence into {len(pieces)} "
                "pieces (hyphens and full stops are pieces too).")
    if answer == len(pieces) + 1:
        return "[CLS] and [SEP] are not part of the text in section 1's next-token examples."
    return f"print tokenizer.tokenize({text!r}) and count: each piece after the first is one example."
