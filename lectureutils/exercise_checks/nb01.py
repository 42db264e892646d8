"""Checkers for notebook 01_bert_embeddings's exercises (Exercises section)."""

from __future__ import annotations

import re

from ._common import checker, judgement, number, whole_number

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


CONTEXT_MODEL_ANSWER = """\
The cosine similarity of the input embeddings is exactly 1: the input embedding of "bank" is one row of the
embedding table (model.embeddings.word_embeddings), looked up by the token id before the model reads the sentence,
so sentence 1 and sentence 4 get the very same vector — it cannot tell money from river. I would give the chatbot
BERT's output, last_hidden_state at the position of "bank" (or, for the whole message, a sentence vector such as
the mean of last_hidden_state): it is computed from the whole sentence, so "blocked my card" and "path along the
river" pull the two uses of "bank" apart. To check, I would write ten messages of each kind, compute the vectors
and compare them with cosine similarity, as section 4 does: same-sense pairs must be clearly more similar than
cross-sense pairs, and I would look at the messages the chatbot still mixes up. The real model must be used: an
untrained offline model shows no such pattern."""

_POINTS_01_3 = {
    "What is the cosine similarity of the two input embeddings?":
        ("1.0", "= 1", "is 1", "of 1", "exactly 1", "similarity 1", "1 because", "identical", "the same",
         "같은", "같다", "동일", "1이", "1입", "1로"),
    "Why — where does the input embedding come from (a row of the table, looked up by token id before any "
    "context is seen)?":
        ("table", "row", "lookup", "look-up", "look up", "looked up", "token id", "before", "embedding matrix",
         "word_embeddings", "context-free", "without context", "ignores context", "no context", "테이블", "행",
         "조회", "문맥 없이", "문맥을 보기 전", "문맥과 무관"),
    "Which vector would you give the chatbot, and why?":
        ("last_hidden_state", "contextual", "output", "hidden state", "문맥", "출력", "pooler", "mean of",
         "sentence vector", "sentence embedding", "문장 벡터"),
    "How would you check, on messages of your own, that your choice works?":
        ("cosine", "similar", "compare", "test", "check", "evaluat", "유사도", "비교", "확인", "검증",
         "테스트", "평가"),
}
_context_judgement = judgement("01.3", points=_POINTS_01_3, model_answer=CONTEXT_MODEL_ANSWER)


@checker("01.3")
def static_cosine(answer) -> str | None:
    """01_bert_embeddings, exercise 3 (judgement): the input embedding of "bank" is the same table row in every
    sentence (cosine similarity 1), so a chatbot needs BERT's contextual output; say why and how to check it."""
    if isinstance(answer, str):
        first_point = next(iter(_POINTS_01_3))
        says_one = any(word.lower() in answer.lower() for word in _POINTS_01_3[first_point])
        if not says_one and re.search(r"\b0?\.\d+", answer):
            return ("a value below 1 is the kind the *contextual* vectors (last_hidden_state) give; the input "
                    "embedding is a row of model.embeddings.word_embeddings, looked up by token id before any "
                    "context is seen.")
    return _context_judgement(answer)
