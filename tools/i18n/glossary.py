"""The lecture's glossary, ``i18n/glossary.tsv`` (English term, tab, the lecture's Korean term), and the check that
translations use it (the Korean edition of every notebook; ``python -m tools.i18n status ko``).

A translated entry whose English (msgid) holds a glossary term must hold that term's Korean (msgstr). English
terms match whole words, case-insensitively, a plural ``s`` allowed; code spans, URLs and ``{...}`` fields are not read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .catalogue import I18N

__all__ = ["GLOSSARY", "read_glossary", "misses"]

GLOSSARY = I18N / "glossary.tsv"
CODE = re.compile(r"`[^`\n]*`|\]\([^)\s]*\)|https?://\S+|\{[^{}]*\}")  # code spans, link targets, URLs, {fields}


@lru_cache(maxsize=4)
def read_glossary(path: Path = GLOSSARY) -> tuple[tuple[str, str], ...]:
    """(English, Korean) pairs, longest English first; ``#`` lines and the header are skipped (every notebook)."""
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, _, korean = line.partition("\t")
        if english.strip().lower() == "english" or not korean.strip():
            continue
        pairs.append((english.strip(), korean.strip()))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def misses(msgid: str, msgstr: str, glossary=None) -> list[tuple[str, str]]:
    """The glossary terms of ``msgid`` whose Korean is not in ``msgstr`` (every notebook, Korean edition)."""
    glossary = read_glossary() if glossary is None else glossary
    english = CODE.sub(" ", msgid)
    found, covered = [], []
    for term, korean in glossary:
        pattern = re.compile(rf"(?<![\w-]){re.escape(term)}s?(?![\w-])", re.IGNORECASE)
        for match in pattern.finditer(english):
            if any(start <= match.start() < end for start, end in covered):  # part of a longer term
                continue
            covered.append(match.span())
            if korean not in msgstr and (term, korean) not in found:
                found.append((term, korean))
    return found
