"""Checkers for notebook 00_transfer_learning_map's exercises (Exercises section)."""

from __future__ import annotations

import re

from ..i18n import N_, _
from ._common import checker, compare, judgement

WHAT_EACH_DOES = {
    "05_document_classification": N_("one label for a whole text"),
    "09_sentence_pair_classification": N_("one label for a pair of sentences"),
    "10_named_entity_recognition": N_("one label per token"),
    "06_question_answering": N_("a span of a passage"),
    "11_gpt_finetuning": N_("generated text"),
}


@checker("00.1")
def which_notebook(answer) -> str | None:
    """00_transfer_learning_map, exercise 1: brand names in reviews are entity names, one label per token."""
    if not isinstance(answer, str):
        return _("give the notebook's file name as a string, e.g. \"05_document_classification\" (got {answer!r})."
                 ).format(answer=answer)
    name = answer.removesuffix(".ipynb")
    if name not in WHAT_EACH_DOES:
        return _("{answer!r} is not one of the five transfer-learning notebooks on the map (section 3): {names}."
                 ).format(answer=answer, names=", ".join(WHAT_EACH_DOES))
    if name == "10_named_entity_recognition":
        return None
    return _("{name} gives {what}, but the shop needs to know *which words* are brands: that is a label per token "
             "(entity name recognition, section 2).").format(name=name, what=_(WHAT_EACH_DOES[name]))


def _pair_or_span(answer: str) -> str | None:
    """Choosing 09 (a pair) or 06 (a span) for one sentence's acceptability: the misconception's hint."""
    names = set(re.findall(r"\b(0[569]|10)(?:_[a-z_]+)?\b", answer))
    if names and not names & {"05", "10"}:
        chosen = {"06": "06_question_answering", "09": "09_sentence_pair_classification"}[sorted(names)[0]]
        return _("{name} gives {what}; acceptability reads one learner's sentence and answers yes or no (one label "
                 "for a whole text, as in 05), or marks the wrong words (a label per token, as in 10)."
                 ).format(name=chosen, what=_(WHAT_EACH_DOES[chosen]))
    return None


judgement(
    "00.2", "00_transfer_learning_map, exercise 2 (judgement): advise on linguistic acceptability: which model to "
    "copy (05 or 10), what data, why pre-trained.",
    points={
        N_("Which of the course's models would you copy (05: one label per sentence, or 10: one label per token), "
           "and why that shape?"): (
            "05", "notebook 10", "10_", "(10)", "document classification", "문서 분류", "개체명", "one label",
            "per token", "per sentence", "each token", "each sentence", "whole sentence", "label per", "토큰",
            "문장 하나", "한 문장"),
        N_("What labelled data would the app need (sentences marked acceptable or not, by whom, how many)?"): (
            "label", "annotat", "데이터", "레이블", "라벨", "정답", "cola", "example", "예문"),
        N_("Why start from a pre-trained BERT instead of training from scratch?"): (
            "pre-train", "pretrain", "pre train", "사전 학습", "사전학습", "transfer", "전이", "from scratch",
            "처음부터", "less data", "fewer", "적은"),
    },
    model_answer=N_(
        "I would copy notebook 05 (document classification): acceptability reads one sentence and gives one "
        "label, acceptable or not, which is exactly 05's shape — a small classification head on the [CLS] vector "
        "of a pre-trained Korean BERT. If the app should also point at the word that sounds wrong, notebook 10's "
        "shape (a label per token) fits better, but its data costs more: someone must mark the wrong words, not "
        "just the sentences. Either way the app needs labelled data: a few thousand learners' sentences, each "
        "labelled acceptable or not by a teacher (the English benchmark CoLA has about 10,000). I would start "
        "from a pre-trained BERT rather than from scratch because pre-training already taught it Korean grammar "
        "and word meanings from raw text; fine-tuning only has to learn the decision, so a few thousand labels "
        "are enough and training takes minutes, where a model from scratch would need far more data and time."),
    first=_pair_or_span,
)


@checker("00.3")
def next_token_count(answer, tokenizer) -> str | None:
    """00_transfer_learning_map, exercise 3: one next-token example per WordPiece after the first."""
    text = "Fine-tuning reuses pre-trained weights."
    pieces, words = len(tokenizer.tokenize(text)), len(text.split())
    return compare(answer, pieces - 1, [
        (pieces, _("the first token has no prefix to predict it from: one example per token *after* the first.")),
        *[(count, _("count WordPieces, not words: tokenizer.tokenize(...) splits the sentence into {count} pieces "
                    "(hyphens and full stops are pieces too).").format(count=pieces)) for count in (words - 1, words)],
        (pieces + 1, _("[CLS] and [SEP] are not part of the text in section 1's next-token examples.")),
    ], _("print tokenizer.tokenize({text!r}) and count: each piece after the first is one example.").format(text=text))
