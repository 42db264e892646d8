"""Checkers for notebook 04_keyword_extraction's exercises (Exercises section)."""

from __future__ import annotations

import math

from ..i18n import N_, _
from ._common import checker, compare, judgement


@checker("04.1")
def combinations_25_6(answer) -> str | None:
    """04_keyword_extraction, exercise 1: the Max Sum loop scores every 6 of the 25 candidates, C(25, 6)."""
    numbers_hint = _("check the numbers: nr_candidates=25 and top_n=6.")
    return compare(answer, math.comb(25, 6), [
        (math.perm(25, 6), _("that counts ordered choices; itertools.combinations ignores order (divide by 6!).")),
        (25 ** 6, _("that allows repeats and order; itertools.combinations picks 6 different candidates, order "
                    "ignored.")),
        (math.comb(25, 5), numbers_hint), (math.comb(20, 6), numbers_hint),
    ], _("the loop is itertools.combinations(range(nr_candidates), top_n); math.comb counts those."))


@checker("04.2")
def second_at_diversity_1(answer, doc_embedding, candidate_embeddings, candidates) -> str | None:
    """04_keyword_extraction, exercise 2: with diversity 1 the second keyword is the candidate least similar to
    the first (the document term has weight 0)."""
    from ..keywords import mmr

    first, second = mmr(doc_embedding, candidate_embeddings, list(candidates), 2, 1.0)
    if not isinstance(answer, str) or answer not in set(candidates):
        return _("give one of the candidate strings from `candidates` (got {answer!r}).").format(answer=answer)
    if answer == second:
        return None
    if answer == first:
        return _("{first!r} is the first keyword (the most document-similar); the exercise asks for the second."
                 ).format(first=first)
    return _("with diversity 1 the score is -(largest similarity to the keywords picked so far): the second keyword "
             "is the candidate least similar to {first!r}; look at cosine_similarity(candidate_embeddings) in its "
             "row.").format(first=first)


judgement(
    "04.3", "04_keyword_extraction, exercise 3 (judgement): choose the keyword list to hand to a marketing team and "
    "say why.",
    points={
        N_("Which list do you hand over: cosine, Max Sum (with which nr_candidates) or MMR (with which diversity)?"): (
            "max sum", "mmr", "cosine", "코사인", "maxsum", "max_sum"),
        N_("How relevant is it to the document, and how much do its keywords repeat each other?"): (
            "relevan", "redundan", "repeat", "repetit", "overlap", "관련", "중복", "반복"),
        N_("What does more diversity buy, and what does it cost (coverage of the text against off-topic "
           "keywords)?"): (
            "cover", "off-topic", "off topic", "trade", "cost", "price", "drift", "포괄", "대가", "벗어", "희생"),
    },
    model_answer=N_(
        "On our document with all-MiniLM-L6-v2 I would hand over Max Sum with nr_candidates=20 ('pre trained "
        "checkpoint', 'transfer learning avoids', 'billions words text', 'encoder understands language', "
        "'work model bert'). The cosine top 5 is the most relevant list (mean similarity to the document about "
        "0.51) but it repeats itself: 'large language model' and 'training large language' say the same thing, "
        "and its redundancy (pair similarity sum about 3.6) is the highest of the table. Max Sum with 20 "
        "candidates keeps most of the relevance (about 0.44) with about half the redundancy (about 2.0), so five "
        "tags cover five different aspects of the text: pre-training, transfer learning, the data, the encoder "
        "and BERT. MMR with diversity 0.7 is the most varied (about 1.0) but pays with relevance (about 0.31): "
        "'way layers pick' or 'word meanings facts' would mean nothing to a customer searching for the topic. "
        "More diversity buys coverage of the whole text and costs relevance; past a point the keywords drift "
        "off-topic. Either way a person should read the list before it goes out: trigrams such as 'work model "
        "bert' are not phrases a customer types, so I would tidy them or ask for ngram_range=(1, 2)."),
)
