"""Checkers for notebook 00_transfer_learning_map's exercises (Exercises section)."""

from __future__ import annotations

import re
from pathlib import Path

from ._common import checker, judgement

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


ACCEPTABILITY_MODEL_ANSWER = """\
I would copy notebook 05 (document classification): acceptability reads one sentence and gives one label,
acceptable or not, which is exactly 05's shape — a small classification head on the [CLS] vector of a pre-trained
Korean BERT. If the app should also point at the word that sounds wrong, notebook 10's shape (a label per token)
fits better, but its data costs more: someone must mark the wrong words, not just the sentences. Either way the
app needs labelled data: a few thousand learners' sentences, each labelled acceptable or not by a teacher (the
English benchmark CoLA has about 10,000). I would start from a pre-trained BERT rather than from scratch because
pre-training already taught it Korean grammar and word meanings from raw text; fine-tuning only has to learn the
decision, so a few thousand labels are enough and training takes minutes, where a model from scratch would need
far more data and time."""

_acceptability_judgement = judgement(
    "00.2",
    points={
        "Which of the course's models would you copy (05: one label per sentence, or 10: one label per token), "
        "and why that shape?": ("05", "notebook 10", "10_", "(10)", "document classification", "문서 분류", "개체명", "one label",
                                "per token", "per sentence", "each token", "each sentence", "whole sentence",
                                "label per", "토큰", "문장 하나", "한 문장"),
        "What labelled data would the app need (sentences marked acceptable or not, by whom, how many)?":
            ("label", "annotat", "데이터", "레이블", "라벨", "정답", "cola", "example", "예문"),
        "Why start from a pre-trained BERT instead of training from scratch?":
            ("pre-train", "pretrain", "pre train", "사전 학습", "사전학습", "transfer", "전이", "from scratch",
             "처음부터", "less data", "fewer", "적은"),
    },
    model_answer=ACCEPTABILITY_MODEL_ANSWER,
)


@checker("00.2")
def acceptability(answer) -> str | None:
    """00_transfer_learning_map, exercise 2 (judgement): advise on linguistic acceptability — which model to copy
    (05's one label per sentence, or 10's label per token), what data, why pre-trained. Any reasoned answer that
    covers the points passes; choosing 09 (a pair) or 06 (a span) gets the misconception hint."""
    if isinstance(answer, str):
        names = set(re.findall(r"\b(0[569]|10)(?:_[a-z_]+)?\b", answer))
        if names and not names & {"05", "10"}:
            chosen = {"06": "06_question_answering", "09": "09_sentence_pair_classification"}[sorted(names)[0]]
            return (f"{chosen} gives {WHAT_EACH_DOES[chosen]}; acceptability reads one learner's sentence and "
                    "answers yes or no (one label for a whole text, as in 05), or marks the wrong words (a label "
                    "per token, as in 10).")
    return _acceptability_judgement(answer)


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
