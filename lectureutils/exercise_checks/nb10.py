"""Checkers for notebook 10_named_entity_recognition's exercises (Exercises section)."""

from __future__ import annotations

from collections import Counter

from ..i18n import _
from ._common import checker, function_hint

TINY = [{"chars": list("김 서울"), "tags": ["B-PS", "O", "B-LC", "I-LC"]}]


@checker("10.1")
def type_counts_of(answer, train_rows, train_entities) -> str | None:
    """10_named_entity_recognition, exercise 1: a Counter of entity types (one per B- tag)."""
    if hint := function_hint(answer, "type_counts_of(rows)"):
        return hint
    if answer(TINY) != Counter({"PS": 1, "LC": 1}):
        return _("on '김 서울' (B-PS O B-LC I-LC) it gave {got!r}: count an entity once, at its B- tag (the I- tags "
                 "continue it).").format(got=answer(TINY))
    if answer(train_rows) != Counter(kind for _text, kind in train_entities):
        return _("on train_rows it differs from the entities of section 1; count B-X tags, X = tag[2:].")
    return None


@checker("10.2")
def char_accuracy(answer, dev_rows, scores) -> str | None:
    """10_named_entity_recognition, exercise 2: the share of non-space characters tagged right; always-O scores
    well on it while its character macro F1 is low."""
    if hint := function_hint(answer, "char_accuracy(rows, predicted)"):
        return hint
    got = answer(TINY, [["B-PS", "B-QT", "O", "I-LC"]])
    if got != 2 / 3:
        return _("on '김 서울' with one wrong tag it gave {got!r}, not 2/3: leave the space out of the count."
                 ).format(got=got)
    all_o = [["O"] * len(row["chars"]) for row in dev_rows]
    accuracy, macro = answer(dev_rows, all_o), scores(dev_rows, all_o)["char_macro_f1"] / 100
    print(_("always O: accuracy {accuracy:.3f}, character macro F1 {macro:.3f}").format(accuracy=accuracy, macro=macro))
    if not accuracy > macro:
        return _("always-O should get a high accuracy (most characters are O) but a low macro F1.")
    return None


@checker("10.3")
def mask(answer) -> str | None:
    """10_named_entity_recognition, exercise 3: entity characters of the chosen types replaced by ＊, offsets kept."""
    if hint := function_hint(answer, "mask(text, entities, kinds=(\"PS\",))"):
        return hint
    entities = [{"text": "김도현", "type": "PS", "start": 0, "end": 3}, {"text": "서울", "type": "LC", "start": 7, "end": 9}]
    got = answer("김도현 씨는 서울에", entities)
    if got != "＊＊＊ 씨는 서울에":
        return _("mask('김도현 씨는 서울에', ...) gave {got!r}: one ＊ per character of each PS entity, the rest "
                 "unchanged.").format(got=got)
    if answer("김도현 씨는 서울에", entities, kinds=("PS", "LC")) != "＊＊＊ 씨는 ＊＊에":
        return _("with kinds=('PS', 'LC') the place must be masked too.")
    if answer("아무도 없다", []) != "아무도 없다":
        return _("a text without entities must come back unchanged.")
    return None
