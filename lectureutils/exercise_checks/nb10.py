"""Checkers for notebook 10_named_entity_recognition's exercises (Exercises section)."""

from __future__ import annotations

from collections import Counter

from ._common import checker

__all__ = ["type_counts_of", "char_accuracy", "mask"]
TINY = [{"chars": list("김 서울"), "tags": ["B-PS", "O", "B-LC", "I-LC"]}]


@checker("10.1")
def type_counts_of(answer, train_rows, train_entities) -> str | None:
    """10_named_entity_recognition, exercise 1: a Counter of entity types (one per B- tag)."""
    if not callable(answer):
        return f"define a function type_counts_of(rows) (got {answer!r})."
    if answer(TINY) != Counter({"PS": 1, "LC": 1}):
        return (f"on '김 서울' (B-PS O B-LC I-LC) it gave {answer(TINY)!r}: count an entity once, at its B- tag "
                "(the I- tags continue it).")
    if answer(train_rows) != Counter(kind for _, kind in train_entities):
        return "on train_rows it differs from the entities of section 1; count B-X tags, X = tag[2:]."
    return None


@checker("10.2")
def char_accuracy(answer, dev_rows, scores) -> str | None:
    """10_named_entity_recognition, exercise 2: the share of non-space characters tagged right; always-O scores
    well on it while its character macro F1 is low."""
    if not callable(answer):
        return f"define a function char_accuracy(rows, predicted) (got {answer!r})."
    got = answer(TINY, [["B-PS", "B-QT", "O", "I-LC"]])
    if got != 2 / 3:
        return f"on '김 서울' with one wrong tag it gave {got!r}, not 2/3: leave the space out of the count."
    all_o = [["O"] * len(row["chars"]) for row in dev_rows]
    accuracy, macro = answer(dev_rows, all_o), scores(dev_rows, all_o)["char_macro_f1"] / 100
    print(f"always O: accuracy {accuracy:.3f}, character macro F1 {macro:.3f}")
    if not accuracy > macro:
        return "always-O should get a high accuracy (most characters are O) but a low macro F1."
    return None


@checker("10.3")
def mask(answer) -> str | None:
    """10_named_entity_recognition, exercise 3: entity characters of the chosen types replaced by ＊, offsets kept."""
    if not callable(answer):
        return f"define a function mask(text, entities, kinds=(\"PS\",)) (got {answer!r})."
    entities = [{"text": "김도현", "type": "PS", "start": 0, "end": 3}, {"text": "서울", "type": "LC", "start": 7, "end": 9}]
    got = answer("김도현 씨는 서울에", entities)
    if got != "＊＊＊ 씨는 서울에":
        return f"mask('김도현 씨는 서울에', ...) gave {got!r}: one ＊ per character of each PS entity, the rest unchanged."
    if answer("김도현 씨는 서울에", entities, kinds=("PS", "LC")) != "＊＊＊ 씨는 ＊＊에":
        return "with kinds=('PS', 'LC') the place must be masked too."
    if answer("아무도 없다", []) != "아무도 없다":
        return "a text without entities must come back unchanged."
    return None
