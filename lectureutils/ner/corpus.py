"""KLUE-NER v1.1: the published files, a lossless reader (the character tags are the truth), and the loader.

Taught in notebooks/10_named_entity_recognition.ipynb (§1 "The data"). One ``CHAR<TAB>TAG`` line per character
after a ``## <guid><TAB><markup>`` line; the markup can disagree with the tags and is then flagged, never dropped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..corpus import Corpus, DataFormatError, RemoteFile, load_corpus

__all__ = ["ENTITY_TYPES", "NER_LABELS", "NER_ID2LABEL", "NER_LABEL2ID", "KLUE_NER_FILES", "KLUE_NER_SAMPLE",
           "KLUE_NER", "read_klue_ner", "load_klue_ner", "bio_spans"]

#: The six entity types, in KLUE's order, with what they mean.
ENTITY_TYPES = {"PS": "person (인물)", "LC": "location (지명)", "OG": "organisation (기관)", "DT": "date (날짜)",
                "TI": "time (시간)", "QT": "quantity (수량)"}
#: The 13 labels in KLUE-baseline's order (``KlueNERProcessor.get_labels``).
NER_LABELS = [f"{prefix}-{kind}" for kind in ENTITY_TYPES for prefix in "BI"] + ["O"]
NER_ID2LABEL = dict(enumerate(NER_LABELS))
NER_LABEL2ID = {label: index for index, label in NER_ID2LABEL.items()}

# Published in KLUE-benchmark/KLUE (CC BY-SA 4.0). dev: size and sha256 as given in the issue; train: the sha256
# two independent projects pin for the same file at the same commit (its size was never published: not checked).
KLUE_NER_BASE_URL = ("https://raw.githubusercontent.com/KLUE-benchmark/KLUE/3efd98708a40ff49251fddde35453f8fbb11f536/"
                     "klue_benchmark/klue-ner-v1.1/")
KLUE_NER_FILES: dict[str, RemoteFile] = {
    "train": RemoteFile(KLUE_NER_BASE_URL + "klue-ner-v1.1_train.tsv",
                        "34b9d3d9f9ce9e064abc6ba4c27af43b4b70f2d6cde62c076a28e8aaa17cc544", None, 21_008),
    "dev": RemoteFile(KLUE_NER_BASE_URL + "klue-ner-v1.1_dev.tsv",
                      "0f4d5e818f7b82d299c3a87856fc40a706f5943207580ddb252397e387050a54", 2_635_045, 5_000),
}
#: The offline sample inside ``env.data_dir()`` (written for this project; data/README.md).
KLUE_NER_SAMPLE = "klue_ner_sample.tsv"

_SENTENCE = re.compile(r"## (\S+)\t(.*)")
_MARKUP = re.compile(r"<([^<>]+?):(PS|LC|OG|DT|TI|QT)>")
_TAGS = frozenset(NER_LABELS)


def bio_spans(tags) -> list[tuple[int, int, str]]:
    """``(start, end, type)`` of each entity in a valid BIO tag sequence (``end`` exclusive) (10, §1)."""
    spans, start, kind = [], None, None
    for position, tag in enumerate(list(tags) + ["O"]):
        if tag.startswith("I-") and kind == tag[2:]:
            continue
        if start is not None:
            spans.append((start, position, kind))
            start = kind = None
        if tag.startswith(("B-", "I-")):
            start, kind = position, tag[2:]
    return spans


def _markup_entities(markup: str, text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The markup line without its ``<entity:TYPE>`` markup, and its entities as ``(start, end, type)``.

    A ``<`` that does not open an entity whose text comes next in ``text`` is an ordinary character.
    """
    plain, entities, position, offset = [], [], 0, 0
    while position < len(markup):
        match = _MARKUP.match(markup, position) if markup[position] == "<" else None
        if match and text.startswith(match.group(1), offset):
            entity = match.group(1)
            entities.append((offset, offset + len(entity), match.group(2)))
            position = match.end()
        else:
            entity = markup[position]
            position += 1
        plain.append(entity)
        offset += len(entity)
    return "".join(plain), entities


def _markup_problem(markup: str, text: str, tags: list[str]) -> str | None:
    """Why the markup line disagrees with the characters and their tags, or ``None`` when it agrees."""
    plain, entities = _markup_entities(markup, text)
    if plain != text:
        at = next((i for i, (a, b) in enumerate(zip(plain, text)) if a != b), min(len(plain), len(text)))
        return (f"the characters do not spell the markup line without its markup: from character {at} the "
                f"markup gives {plain[at:at + 12]!r}, the characters {text[at:at + 12]!r}")
    spans = bio_spans(tags)
    if entities == spans:
        return None

    def show(items, others):
        shown = [f"{text[start:end]!r}:{kind} at {start}" for start, end, kind in items
                 if (start, end, kind) not in others]
        return ", ".join(shown) or "nothing"

    return f"the markup marks {show(entities, spans)} where the character tags mark {show(spans, entities)}"


class _Sentence:
    def __init__(self, guid: str, markup: str, line: int):
        self.guid, self.markup, self.line = guid, markup, line
        self.chars: list[str] = []
        self.tags: list[str] = []


def _finish(sentence: _Sentence, path: Path) -> dict:
    if not sentence.chars:
        raise DataFormatError(f"{path}, line {sentence.line} ({sentence.guid}): the sentence has no character lines")
    text = "".join(sentence.chars)
    problem = _markup_problem(sentence.markup, text, sentence.tags)
    return {"guid": sentence.guid, "markup": sentence.markup, "text": text, "chars": sentence.chars,
            "tags": sentence.tags, "markup_ok": problem is None,
            "markup_problem": None if problem is None else f"line {sentence.line}: {problem}"}


def read_klue_ner(path: str | os.PathLike, *, verbose: bool = True) -> list[dict]:
    """Read a KLUE-NER file (``klue-ner-v1.1_{train,dev}.tsv`` format) into one row per sentence (10, §1).

    Rows: ``guid``, ``markup``, ``text``, ``chars``, ``tags`` (BIO per character), ``markup_ok``, ``markup_problem``.
    The character lines are the truth (as for KLUE's scores): damage to them raises :class:`DataFormatError` naming
    the line. A markup line that disagrees is reported, never raised. Accepts the published files' quirks
    (header comments, ``\\r\\n``, a BOM, a tab-only blank line, trailing blank lines).
    """
    path = Path(path)
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise DataFormatError(f"{path}, line {line}: not valid UTF-8 ({error.reason})") from None
    rows: list[dict] = []
    sentence: _Sentence | None = None
    for number, line in enumerate(content.split("\n"), start=1):
        line = line.removesuffix("\r")
        if line in ("", "\t"):
            if sentence is not None:
                rows.append(_finish(sentence, path))
                sentence = None
            continue
        if line.startswith("## "):
            match = _SENTENCE.fullmatch(line)
            if sentence is not None:
                raise DataFormatError(
                    f"{path}, line {number}: a '## ' line inside a sentence (expected a blank line between sentences)"
                )
            if match is None:
                if rows:
                    raise DataFormatError(
                        f"{path}, line {number}: expected a sentence line '## <guid><TAB><sentence>', got {line[:60]!r}"
                    )
                continue  # a comment line of the header
            sentence = _Sentence(match.group(1), match.group(2), number)
            continue
        if sentence is None:
            raise DataFormatError(f"{path}, line {number}: a character line outside a sentence (no '## <guid>' "
                                  f"line before it): {line[:40]!r}")
        tabs = line.count("\t")
        if tabs != 1:
            raise DataFormatError(f"{path}, line {number}: expected CHAR<TAB>TAG with exactly one tab, found {tabs} "
                                  f"in {line[:40]!r}")
        char, tag = line.split("\t")
        if len(char) != 1:
            raise DataFormatError(f"{path}, line {number}: expected one character before the tab, got {char!r}")
        if tag not in _TAGS:
            raise DataFormatError(f"{path}, line {number}: invalid tag {tag!r}; the tags are {', '.join(NER_LABELS)}")
        if tag.startswith("I-"):
            previous = sentence.tags[-1] if sentence.tags else "O"
            if previous[2:] != tag[2:]:
                raise DataFormatError(
                    f"{path}, line {number}: {tag} after {previous}: an I-{tag[2:]} must follow B-{tag[2:]} or I-{tag[2:]}"
                )
        sentence.chars.append(char)
        sentence.tags.append(tag)
    if sentence is not None:
        rows.append(_finish(sentence, path))
    if not rows:
        raise DataFormatError(f"{path}: no sentences found")
    disagreeing = [row for row in rows if not row["markup_ok"]]
    if disagreeing and verbose:
        print(f"{path.name}: the markup line disagrees with the character tags in {len(disagreeing):,} of "
              f"{len(rows):,} sentences, kept with their tags (markup_ok=False, markup_problem; first: "
              f"{disagreeing[0]['guid']})")
    return rows


def _split_sentences(held_out: str, *, every: int = 5):
    """The sample's splitter: every ``every``-th sentence to ``held_out``, header copied to both (10, §1)."""

    def splitter(content: bytes, split: str) -> bytes:
        lines = content.decode("utf-8").split("\n")
        first = next(i for i, line in enumerate(lines) if _SENTENCE.fullmatch(line))
        blocks = [block.strip("\n") for block in "\n".join(lines[first:]).split("\n\n") if block.strip("\n")]
        kept = [block for number, block in enumerate(blocks, start=1) if (number % every == 0) == (split == held_out)]
        return "\n".join(lines[:first] + [block + "\n" for block in kept]).encode("utf-8")

    return splitter


KLUE_NER = Corpus(name="klue_ner", title="KLUE-NER v1.1", files=KLUE_NER_FILES, sample=KLUE_NER_SAMPLE,
                  reader=read_klue_ner, sample_splits=_split_sentences("dev"), aliases={"validation": "dev"},
                  notebook="10_named_entity_recognition")


def load_klue_ner(split: str = "train", offline: bool | None = None, *, sample: bool = False,
                  progress: bool = True) -> list[dict]:
    """One KLUE-NER split (``"train"`` or ``"dev"``) as :func:`read_klue_ner` rows (10, §1): the real file
    online, else a prefetched copy, else the project's sample (``sample=True``: always).
    """
    return load_corpus(KLUE_NER, split, offline=offline, sample=sample, progress=progress)
