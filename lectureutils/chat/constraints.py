"""Checkable instruction constraints: "answer in one sentence", "answer in Korean", "list three items".

Taught in notebooks/12_from_gpt_to_chatgpt.ipynb (§2 the data, §6 before and after).
"""

from __future__ import annotations

import re

__all__ = ["CONSTRAINTS", "satisfies", "sentence_count", "hangul_share", "list_items", "satisfied_share"]

SENTENCE_END = re.compile(r"[.!?。](?=\s|$)")
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
LATIN = re.compile(r"[A-Za-z]")
LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+\S")


def sentence_count(text: str) -> int:
    """Number of sentences: terminal punctuation followed by a space or the end (12, §2)."""
    stripped = text.strip()
    count = len(SENTENCE_END.findall(stripped))
    if stripped and not SENTENCE_END.search(stripped[-1:] + " "):
        count += 1  # a last sentence without a full stop still counts
    return count


def hangul_share(text: str) -> float:
    """Share of Hangul among the Hangul and Latin letters of ``text`` (0 when it has neither) (12, §2)."""
    hangul = len(HANGUL.findall(text))
    latin = len(LATIN.findall(text))
    return hangul / (hangul + latin) if hangul + latin else 0.0


def list_items(text: str) -> list[str]:
    """The lines of ``text`` that are list items ("1. ...", "- ...") (12, §2)."""
    return [line.strip() for line in text.splitlines() if LIST_ITEM.match(line)]


def one_sentence(text: str) -> bool:
    stripped = text.strip()
    return sentence_count(stripped) == 1 and stripped[-1:] in ".!?。" and "\n" not in stripped


def in_korean(text: str) -> bool:
    return hangul_share(text) >= 0.5


def in_english(text: str) -> bool:
    return bool(LATIN.search(text)) and not HANGUL.search(text)


def three_items(text: str) -> bool:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return len(lines) == 3 and len(list_items(text)) == 3


#: Constraint name -> (checker, what it asks, in words).
CONSTRAINTS = {
    "one_sentence": (one_sentence, "answer in exactly one sentence"),
    "korean": (in_korean, "answer in Korean (at least half of the letters Hangul)"),
    "english": (in_english, "answer in English (no Hangul)"),
    "three_items": (three_items, "answer with exactly three list items and nothing else"),
}


def satisfies(constraint: str, text: str) -> bool:
    """True when ``text`` satisfies the named constraint (12, §2 and §6)."""
    if constraint not in CONSTRAINTS:
        raise ValueError(f"Unknown constraint {constraint!r}; known: {', '.join(CONSTRAINTS)}.")
    if not isinstance(text, str):
        raise TypeError(f"A response must be a string, not {type(text).__name__}.")
    checker, _ = CONSTRAINTS[constraint]
    return checker(text)


def satisfied_share(constraints, responses) -> float:
    """Share (0-1) of ``responses`` that satisfy the constraint at the same position (12, §6)."""
    constraints, responses = list(constraints), list(responses)
    if len(constraints) != len(responses):
        raise ValueError(f"{len(constraints)} constraints but {len(responses)} responses.")
    if not constraints:
        raise ValueError("No responses to check.")
    return sum(satisfies(c, r) for c, r in zip(constraints, responses)) / len(constraints)
