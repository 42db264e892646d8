"""Checkers for notebook 03_next_sentence_prediction's exercises (Exercises section)."""

from __future__ import annotations

import math

from ..i18n import N_, _
from ._common import checker, compare, judgement, number


@checker("03.1")
def segment_b_tokens(answer, tokenizer, prompt, next_sentence) -> str | None:
    """03_next_sentence_prediction, exercise 1: segment B is B's word pieces plus the [SEP] that closes it."""
    pieces = len(tokenizer.tokenize(next_sentence))
    return compare(answer, pieces + 1, [
        (pieces, _("the [SEP] that closes sentence B belongs to segment B too.")),
        (pieces + 2, _("[CLS] and the first [SEP] belong to segment A (token_type_ids 0).")),
    ], _("count tokenizer.tokenize(NEXT_SENTENCE), then add the [SEP] at the end of B."))


@checker("03.2")
def p_is_next(answer) -> str | None:
    """03_next_sentence_prediction, exercise 2: softmax of [2, -1] at index 0, e^2 / (e^2 + e^-1)."""
    if hint := number(answer):
        return hint
    expected = math.exp(2.0) / (math.exp(2.0) + math.exp(-1.0))
    if abs(answer - expected) < 1e-6:
        return None
    if abs(answer - (1 - expected)) < 1e-6:
        return _("that is P(NotNext), index 1; IsNext is index 0.")
    if 0.95 < answer / expected < 1.05:
        return _("close: keep more decimals (compute it with math.exp, do not round).")
    return _("softmax: e^z0 / (e^z0 + e^z1) with z = [2.0, -1.0].")


judgement(
    "03.3", "03_next_sentence_prediction, exercise 3 (judgement): interpret the NSP probabilities of sentence pairs "
    "the student wrote.",
    points={
        N_("Which of your pairs got the highest P(IsNext), and which the lowest?"): (
            "highest", "lowest", "most likely", "least likely", "가장 높", "가장 낮"),
        N_("Did the model agree with the label you expected for each pair?"): ("expect", "agree", "예상", "기대", "일치"),
        N_("What does the model seem to go by: the topic, shared words, or the flow from A to B?"): (
            "topic", "subject", "shared", "same word", "주제", "단어", "흐름", "문맥", "context"),
    },
    model_answer=N_(
        "I wrote three pairs starting with 'I missed the bus this morning.': B = 'So I was late for the first "
        "meeting.' (I expected IsNext), B = 'The capital of Australia is Canberra.' (NotNext) and the tricky "
        "B = 'Buses in Seoul are painted blue, green and yellow.' (NotNext: it shares the word bus but does not "
        "continue the story). With the real bert-base-uncased I expected the continuation to get the highest "
        "P(IsNext), near 1 like the lecture's pizza pair (0.99999), and Canberra the lowest, near 0. The tricky "
        "pair is where to look: if it scores high, the model disagrees with my label and goes by the topic. NSP "
        "was trained to tell the real next sentence from a random sentence of another document, so staying on the "
        "same topic (or sharing words about it) already looks like a continuation; it does not check that B "
        "follows logically or is true. So I read P(IsNext) as 'B could come from the same text', not as proof "
        "that B answers or follows A."),
)
