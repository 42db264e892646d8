"""Checkers for notebook 01_bert_embeddings's exercises (Exercises section)."""

from __future__ import annotations

import re

from ..i18n import N_, _
from ._common import checker, compare, judgement


@checker("01.1")
def zeros_at_10(answer, tokenizer, sentence) -> str | None:
    """01_bert_embeddings, exercise 1: padding "I love Paris" to 10 tokens leaves 10 - (its ids) zeros in the mask."""
    real = len(tokenizer(sentence)["input_ids"])
    return compare(answer, 10 - real, [
        (10 - len(tokenizer.tokenize(sentence)),
         _("[CLS] and [SEP] are real tokens (mask 1) too: count them with the word pieces.")),
        (real, _("that is the number of ones; the zeros are the padding up to 10.")),
    ], _("the mask has a 1 for each of the {count} real tokens ([CLS], word pieces, [SEP]) and a 0 for the rest."
         ).format(count=real))


@checker("01.2")
def pooler_shape_for_3(answer, hidden_size) -> str | None:
    """01_bert_embeddings, exercise 2: pooler_output has one hidden_size vector per sentence: (3, hidden_size)."""
    try:
        shape = tuple(int(size) for size in answer)
    except TypeError:
        return _("give a shape, a tuple like (2, 768) (got {answer!r}).").format(answer=answer)
    if shape == (3, hidden_size):
        return None
    if len(shape) == 3:
        return _("that is last_hidden_state's kind of shape; pooler_output has no sequence axis (one vector per "
                 "sentence).")
    if shape == (hidden_size, 3):
        return _("batch first: (sentences, hidden size).")
    return _("one vector per sentence, each of config.hidden_size ({size}) numbers.").format(size=hidden_size)


SAYS_ONE = ("1.0", "= 1", "is 1", "of 1", "exactly 1", "similarity 1", "1 because", "identical", "the same", "같은",
            "같다", "동일", "1이", "1입", "1로")


def _below_one(answer: str) -> str | None:
    """A value below 1 without saying 1: the contextual vectors' kind of value, the misconception's hint."""
    if not any(word in answer.lower() for word in SAYS_ONE) and re.search(r"\b0?\.\d+", answer):
        return _("a value below 1 is the kind the *contextual* vectors (last_hidden_state) give; the input embedding "
                 "is a row of model.embeddings.word_embeddings, looked up by token id before any context is seen.")
    return None


judgement(
    "01.3", "01_bert_embeddings, exercise 3 (judgement): the input embedding of \"bank\" is the same table row in "
    "every sentence (cosine similarity 1), so a chatbot needs BERT's contextual output; say why and how to check.",
    points={
        N_("What is the cosine similarity of the two input embeddings?"): SAYS_ONE,
        N_("Why — where does the input embedding come from (a row of the table, looked up by token id before any "
           "context is seen)?"): (
            "table", "row", "lookup", "look-up", "look up", "looked up", "token id", "before", "embedding matrix",
            "word_embeddings", "context-free", "without context", "ignores context", "no context", "테이블", "행",
            "조회", "문맥 없이", "문맥을 보기 전", "문맥과 무관"),
        N_("Which vector would you give the chatbot, and why?"): (
            "last_hidden_state", "contextual", "output", "hidden state", "문맥", "출력", "pooler", "mean of",
            "sentence vector", "sentence embedding", "문장 벡터"),
        N_("How would you check, on messages of your own, that your choice works?"): (
            "cosine", "similar", "compare", "test", "check", "evaluat", "유사도", "비교", "확인", "검증", "테스트",
            "평가"),
    },
    model_answer=N_(
        "The cosine similarity of the input embeddings is exactly 1: the input embedding of \"bank\" is one row of "
        "the embedding table (model.embeddings.word_embeddings), looked up by the token id before the model reads "
        "the sentence, so sentence 1 and sentence 4 get the very same vector — it cannot tell money from river. I "
        "would give the chatbot BERT's output, last_hidden_state at the position of \"bank\" (or, for the whole "
        "message, a sentence vector such as the mean of last_hidden_state): it is computed from the whole "
        "sentence, so \"blocked my card\" and \"path along the river\" pull the two uses of \"bank\" apart. To "
        "check, I would write ten messages of each kind, compute the vectors and compare them with cosine "
        "similarity, as section 4 does: same-sense pairs must be clearly more similar than cross-sense pairs, and "
        "I would look at the messages the chatbot still mixes up. The real model must be used: an untrained "
        "offline model shows no such pattern."),
    first=_below_one,
)
