"""The data of notebook 11: NSMC movie reviews as sentiment-controlled generation examples.

Taught in notebooks/11_gpt_finetuning.ipynb (§2, "Data: NSMC reviews behind a control code"). Notebook 05's
files and reader; the label becomes the *condition*, named "positive"/"negative" (긍정/부정 and 1/0 accepted).
"""

from __future__ import annotations

from ..classification.corpus import NSMC, read_nsmc
from ..classification.inference import SENTIMENT_ID2LABEL, SENTIMENT_LABELS

__all__ = ["KOREAN_NAMES", "sentiment_name", "load_reviews"]

KOREAN_NAMES = {"negative": "부정", "positive": "긍정"}
ALIASES = {"neg": "negative", "pos": "positive", **{name: name for name in SENTIMENT_LABELS},
           **{korean: name for name, korean in KOREAN_NAMES.items()}}


def sentiment_name(sentiment) -> str:
    """``"positive"`` or ``"negative"`` for a sentiment given as a name, 긍정/부정, or NSMC's label 1/0 (11 §2).

    Anything else raises ValueError: a typo such as "postive" must not silently generate the other sentiment.
    """
    if isinstance(sentiment, bool):
        raise TypeError("Give the sentiment as 'positive'/'negative', 긍정/부정 or NSMC's label 1/0, not a bool.")
    if isinstance(sentiment, int):
        if sentiment in SENTIMENT_ID2LABEL:
            return SENTIMENT_ID2LABEL[sentiment]
    elif isinstance(sentiment, str):
        name = ALIASES.get(sentiment.strip().lower())
        if name is not None:
            return name
    accepted = ", ".join(repr(alias) for alias in ALIASES) + ", 1, 0"
    raise ValueError(f"Unknown sentiment {sentiment!r}; use one of {accepted}.")


def load_reviews(split: str = "train", *, sample: bool = False, limit: int | None = None, seed: int | None = None,
                 offline: bool | None = None, path=None):
    """One NSMC split as a DataFrame ``document``, ``label``, ``sentiment`` (11 §2), from ``path`` or
    ``load_nsmc``'s source; ``limit`` keeps a random subset (``seed``: the session's).
    """
    from ..corpus import load_corpus, take

    if path is not None:
        frame = read_nsmc(path)
    else:
        frame = load_corpus(NSMC, split, offline, sample=sample)
    frame = take(frame, limit, seed)
    frame = frame[["document", "label"]].reset_index(drop=True)
    frame["sentiment"] = frame["label"].map(SENTIMENT_ID2LABEL)
    if frame.empty:
        raise ValueError(f"The {split} split has no reviews.")
    return frame
