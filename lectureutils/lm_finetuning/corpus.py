"""The data of notebook 11: NSMC movie reviews as sentiment-controlled generation examples.

Taught in notebooks/11_gpt_finetuning.ipynb (§2, "Data: NSMC reviews behind a control code").

Generation reuses NSMC exactly as classification reads it (notebook 05): the same published files with their
sha256, the same strict reader (``lectureutils.data.read_nsmc``) and the same offline sample. Only the use
changes: the label is no longer the target but the *condition*. Each review becomes
``<control code> review <eos>``, where the control code names the review's sentiment (see ``features``).

Sentiments are named ``"positive"`` / ``"negative"`` in code; the lecture's 긍정 / 부정 and NSMC's labels
1 / 0 are accepted wherever a sentiment is asked for (``sentiment_name``).
"""

from __future__ import annotations

from ..classification.corpus import NSMC as CORPUS  # the same Corpus record as notebook 05: files, sha256, sample
from ..classification.corpus import read_nsmc  # the same strict reader

__all__ = ["CORPUS", "read_nsmc", "NEGATIVE", "POSITIVE", "SENTIMENTS", "LABELS", "KOREAN_NAMES", "sentiment_name", "load_reviews"]

NEGATIVE = "negative"
POSITIVE = "positive"
SENTIMENTS = (NEGATIVE, POSITIVE)
LABELS = {NEGATIVE: 0, POSITIVE: 1}  # NSMC's labels
KOREAN_NAMES = {NEGATIVE: "부정", POSITIVE: "긍정"}
ALIASES = {
    NEGATIVE: NEGATIVE, POSITIVE: POSITIVE, "neg": NEGATIVE, "pos": POSITIVE,
    KOREAN_NAMES[NEGATIVE]: NEGATIVE, KOREAN_NAMES[POSITIVE]: POSITIVE,
}


def sentiment_name(sentiment) -> str:
    """``"positive"`` or ``"negative"`` for a sentiment given as a name, 긍정/부정, or NSMC's label 1/0 (11 §2).

    Anything else raises ValueError listing what is accepted (a typo such as "postive" must not silently
    generate the other sentiment).
    """
    if isinstance(sentiment, bool):
        raise TypeError("Give the sentiment as 'positive'/'negative', 긍정/부정 or NSMC's label 1/0, not a bool.")
    if isinstance(sentiment, int):
        for name, label in LABELS.items():
            if sentiment == label:
                return name
    elif isinstance(sentiment, str):
        name = ALIASES.get(sentiment.strip().lower())
        if name is not None:
            return name
    accepted = ", ".join(repr(alias) for alias in ALIASES) + ", 1, 0"
    raise ValueError(f"Unknown sentiment {sentiment!r}; use one of {accepted}.")


def load_reviews(split: str = "train", *, sample: bool = False, limit: int | None = None, seed: int | None = None,
                 offline: bool | None = None, path=None):
    """One NSMC split as a DataFrame with columns ``document``, ``label`` and ``sentiment`` (11 §2).

    ``path`` reads an NSMC-format file with ``read_nsmc``; otherwise ``load_nsmc`` decides where the split
    comes from (``load_corpus(CORPUS, ...)``, as ``load_nsmc``: online the verified download; offline: a prefetched copy, else the project's sample;
    ``sample=True``: always the sample). ``limit`` keeps a random subset of that many reviews (``seed``, by
    default the session's).
    """
    from ..corpus import load_corpus, take

    if path is not None:
        frame = read_nsmc(path)
    else:
        frame = load_corpus(CORPUS, split, offline, sample=sample)
    frame = take(frame, limit, seed)
    frame = frame[["document", "label"]].reset_index(drop=True)
    frame["sentiment"] = frame["label"].map({label: name for name, label in LABELS.items()})
    if frame.empty:
        raise ValueError(f"The {split} split has no reviews.")
    return frame
