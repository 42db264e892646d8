"""Checkers for notebook 09_sentence_pair_classification's exercises (Exercises section)."""

from __future__ import annotations

from ..i18n import _
from ._common import checker, function_hint


@checker("09.1")
def to_names(answer, id2label) -> str | None:
    """09_sentence_pair_classification, exercise 1: predicted ids to names with the model's own id2label."""
    if hint := function_hint(answer, "to_names(ids, id2label)"):
        return hint
    got = answer([1, 2, 0], {0: "entailment", 1: "contradiction", 2: "neutral"})
    if got != ["contradiction", "neutral", "entailment"]:
        return _("with KLUE-baseline's order, to_names([1, 2, 0], ...) gave {got!r}: look the names up in the "
                 "id2label you are given, never in LABELS.").format(got=got)
    if answer([1], id2label) != [id2label[1]]:
        return _("with this notebook's ID2LABEL it gives other names; use the mapping passed in.")
    import numpy as np

    if answer(np.array([0, 1]), id2label) != [id2label[0], id2label[1]]:
        return _("predictions come as a numpy array of numpy ints: convert each id with int(...).")
    return None


@checker("09.2")
def has_negation(answer, train_frame=None) -> str | None:
    """09_sentence_pair_classification, exercise 2: True when a hypothesis has a Korean negation (않/없/못/아니)."""
    if hint := function_hint(answer, "has_negation(text)"):
        return hint
    for text in ("티켓이 남아 있지 않다.", "주차 공간이 없다.", "들어가지 못했다.", "그것은 사실이 아니다."):
        if not answer(text):
            return _("has_negation({text!r}) should be True (it contains one of 않, 없, 못, 아니).").format(text=text)
    for text in ("티켓이 매진되었다.", "주차 공간이 넓다."):
        if answer(text):
            return _("has_negation({text!r}) should be False: no negation in it.").format(text=text)
    if train_frame is not None:
        shares = train_frame.assign(negation=train_frame["hypothesis"].map(answer)).groupby("label")["negation"].mean()
        print(shares.round(3))
    return None


@checker("09.3")
def swap(answer, dev_frame) -> str | None:
    """09_sentence_pair_classification, exercise 3: a copy with premise and hypothesis exchanged."""
    if hint := function_hint(answer, "swap(frame)"):
        return hint
    original = dev_frame.head(5).copy()
    swapped = answer(original)
    if swapped is None or not hasattr(swapped, "columns"):
        return _("swap(frame) must return a DataFrame.")
    if not original.equals(dev_frame.head(5)):
        return _("swap changed the frame it was given; return a copy (frame.copy() or rename).")
    if (swapped["premise"].tolist() != dev_frame["hypothesis"].head(5).tolist()
            or swapped["hypothesis"].tolist() != dev_frame["premise"].head(5).tolist()):
        return _("the swapped frame's premise column must hold the old hypotheses and the other way round.")
    if list(swapped.columns) != list(dev_frame.columns):
        return _("keep the columns (and their order) so encode_nli_pairs reads it as before.")
    return None
