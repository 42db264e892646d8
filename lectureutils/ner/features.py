"""Characters → tokens → characters: KLUE-NER's character tags on subword tokens and back.

Taught in notebooks/10_named_entity_recognition.ipynb (§3 "Characters → tokens → characters"). A token takes its
first character's tag; back, a character takes its token's tag (``B-`` only at the first), an uncovered one
``I-X`` inside an entity, else ``O``. :func:`roundtrip_report` counts what a round trip changes.
"""

from __future__ import annotations

from collections import Counter

from ..training import IGNORE_INDEX
from .corpus import NER_LABEL2ID

__all__ = ["token_tags_from_chars", "chars_from_tokens", "encode_sentences", "roundtrip_report"]


def token_tags_from_chars(offsets, char_tags) -> list[str | None]:
    """The tag of each token: its first character's tag; None for special tokens (offset ``(0, 0)``) (10, §3)."""
    return [char_tags[start] if end > start else None for start, end in offsets]


def chars_from_tokens(offsets, token_tags, num_chars: int) -> list[str]:
    """Character tags from per-token tags (None for special tokens), as the module docstring says (10, §3)."""
    tags: list[str | None] = [None] * num_chars
    for (start, end), tag in zip(offsets, token_tags):
        if end <= start or tag is None:
            continue
        for position in range(start, min(end, num_chars)):
            if tag == "O" or position == start:
                tags[position] = tag
            else:
                tags[position] = "I-" + tag[2:]
    filled = []
    for position, tag in enumerate(tags):
        if tag is None:
            previous = filled[-1] if filled else "O"
            following = next((t for t in tags[position + 1:] if t is not None), "O")
            inside = previous != "O" and following.startswith("I-") and following[2:] == previous[2:]
            tag = "I-" + previous[2:] if inside else "O"
        filled.append(tag)
    return filled


def encode_sentences(rows, tokenizer, max_length: int = 128):
    """A ``datasets.Dataset`` for the ``Trainer`` from :func:`read_klue_ner` rows (10, §4), unpadded, with
    ``labels`` (-100 for special tokens), cut at ``max_length`` tokens as KLUE-baseline does.
    """
    from datasets import Dataset

    texts = [row["text"] for row in rows]
    encoded = tokenizer(texts, truncation=True, max_length=max_length, return_offsets_mapping=True)
    labels = []
    for offsets, row in zip(encoded["offset_mapping"], rows):
        tags = token_tags_from_chars(offsets, row["tags"])
        labels.append([IGNORE_INDEX if tag is None else NER_LABEL2ID[tag] for tag in tags])
    columns = {name: values for name, values in encoded.items() if name != "offset_mapping"}
    return Dataset.from_dict({**columns, "labels": labels})


def _crosses(start: int, end: int, tags) -> bool:
    """True when one token covers characters that KLUE tags as different entities (or entity and O)."""
    expanded = chars_from_tokens([(0, end - start)], [tags[start]], end - start)
    return expanded != list(tags[start:end])


def _cause(position, owner, offsets, ids, unk_id, gold, back) -> str:
    """Why the round trip changed the tag at ``position``; "alignment" would be a bug of this module."""
    index = owner.get(position)
    if index is None:  # a character no token covers: a space (it follows its neighbours) or cut-off text
        covered = [start for start, end in offsets if end > start]
        if not covered or position >= max(end for _, end in offsets):
            return "cut off at max_length"
        neighbours = [p for p in (position - 1, position + 1) if 0 <= p < len(gold) and gold[p] != back[p]]
        if not neighbours:
            return "alignment"
        return _cause(neighbours[0], owner, offsets, ids, unk_id, gold, back)
    start, end = offsets[index]
    if ids[index] == unk_id:
        return "[UNK]"
    return "token crosses an entity boundary" if _crosses(start, end, gold) else "alignment"


def roundtrip_report(rows, tokenizer, max_length: int | None = None, examples: int = 5) -> dict:
    """Gold tags → tokens → characters over ``rows``: how many tags survive, and why the others do not (10, §3).

    Counts sentences, characters, tokens, ``changed`` with ``changed_by`` cause, ``[UNK]`` tokens, plus a few
    examples. ``max_length`` defaults to the tokenizer's limit (at most 512).
    """
    limit = max_length or min(int(getattr(tokenizer, "model_max_length", 512) or 512), 512)
    unk_id = tokenizer.unk_token_id
    report = {"sentences": 0, "characters": 0, "tokens": 0, "changed": 0, "changed_by": Counter(),
              "unk_tokens": 0, "unk_characters": 0, "examples": []}
    for row in rows:
        encoded = tokenizer(row["text"], truncation=True, max_length=limit, return_offsets_mapping=True)
        offsets, ids = encoded["offset_mapping"], encoded["input_ids"]
        back = chars_from_tokens(offsets, token_tags_from_chars(offsets, row["tags"]), len(row["chars"]))
        owner = {}
        for index, (start, end) in enumerate(offsets):
            for position in range(start, end):
                owner[position] = index
            if end > start and ids[index] == unk_id:
                report["unk_tokens"] += 1
                report["unk_characters"] += end - start
        report["sentences"] += 1
        report["characters"] += len(row["chars"])
        report["tokens"] += sum(1 for start, end in offsets if end > start)
        changed = [position for position, (gold, got) in enumerate(zip(row["tags"], back)) if gold != got]
        for position in changed:
            report["changed_by"][_cause(position, owner, offsets, ids, unk_id, row["tags"], back)] += 1
        report["changed"] += len(changed)
        if changed and len(report["examples"]) < examples:
            first, last = changed[0], changed[-1] + 1
            report["examples"].append({"guid": row["guid"], "text": row["text"], "characters": row["text"][first:last],
                                       "gold": row["tags"][first:last], "round_trip": back[first:last]})
    return report
