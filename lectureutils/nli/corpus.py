"""KLUE-NLI v1.1: the published files, the one place where label names become ids, the strict reader.

Taught in notebooks/09_sentence_pair_classification.ipynb (§1, "The task and the data").
Sources disagree on label ids; names become ids only via :data:`NLI_LABEL2ID` (the Hub's order).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..corpus import Corpus, DataFormatError, RemoteFile, load_corpus

__all__ = ["NLI_LABELS", "NLI_ID2LABEL", "NLI_LABEL2ID", "KOREAN_LABELS", "ANNOTATORS", "KLUE_NLI_FILES",
           "KLUE_NLI_SAMPLE", "KLUE_NLI", "label_ids", "read_klue_nli", "load_klue_nli"]

#: The three labels in id order (the Hub's ``klue``/``nli`` order). The only name -> id mapping.
NLI_LABELS = ("entailment", "neutral", "contradiction")
NLI_ID2LABEL = dict(enumerate(NLI_LABELS))
NLI_LABEL2ID = {name: index for index, name in NLI_ID2LABEL.items()}
KOREAN_LABELS = {"entailment": "함의", "neutral": "중립", "contradiction": "모순"}
#: The five annotators' columns: the hypothesis' author, then four validators.
ANNOTATORS = ("author", "label2", "label3", "label4", "label5")

# Published files at a fixed commit of KLUE-benchmark/KLUE. dev: sha256 and size as given in issue 12; train: the
# sha256 of a public download script that pins the same commit (its size was never published: not checked).
KLUE_NLI_REVISION = "3efd98708a40ff49251fddde35453f8fbb11f536"
KLUE_NLI_BASE_URL = f"https://raw.githubusercontent.com/KLUE-benchmark/KLUE/{KLUE_NLI_REVISION}/klue_benchmark/klue-nli-v1.1/"
KLUE_NLI_FILES: dict[str, RemoteFile] = {
    "train": RemoteFile(KLUE_NLI_BASE_URL + "klue-nli-v1.1_train.json",
                        "8d32e7e4ff97804a23f277fee8740f1341ac82e1c0c7b34f1be21952e4813996", None, 24_998),
    "dev": RemoteFile(KLUE_NLI_BASE_URL + "klue-nli-v1.1_dev.json",
                      "0699db82be17766b26e199864e6260443e17ec6e91d1870e876419e388f245b1", 1_498_298, 3_000),
}
KLUE_NLI_SAMPLE = "klue_nli_sample.json"
_TEXT_FIELDS = ("guid", "premise", "hypothesis", "gold_label", *ANNOTATORS)


def label_ids(names) -> list[int]:
    """Label names -> ids through :data:`NLI_LABEL2ID`; an unknown name raises ValueError (09 §3)."""
    ids = []
    for position, name in enumerate(names):
        if name not in NLI_LABEL2ID:
            raise ValueError(f"unknown NLI label {name!r} at position {position}; expected one of {list(NLI_LABELS)}")
        ids.append(NLI_LABEL2ID[name])
    return ids


def _row(item, index: int, path: Path, seen: dict) -> dict:
    where = f"{path}, pair [{index}]"
    if not isinstance(item, dict):
        raise DataFormatError(f"{where}: must be an object, got {type(item).__name__}")
    for key in _TEXT_FIELDS:
        if key not in item:
            raise DataFormatError(f"{where}: {key!r} is missing")
        if not isinstance(item[key], str):
            raise DataFormatError(f"{where}: {key!r} must be a string, got {type(item[key]).__name__}")
    keys = [key for key in ("source", "genre") if key in item]
    if len(keys) != 1:
        raise DataFormatError(f"{where}: needs exactly one of 'source' (dev file) or 'genre' (train file), got {keys}")
    source = item[keys[0]]
    if not isinstance(source, str) or not source.strip():
        raise DataFormatError(f"{where}: {keys[0]!r} must be a non-empty string, got {source!r}")
    guid = item["guid"]
    if not guid.strip():
        raise DataFormatError(f"{where}: 'guid' is empty")
    if guid in seen:
        raise DataFormatError(f"{where}: guid {guid!r} repeats the guid of pair [{seen[guid]}]")
    seen[guid] = index
    for key in ("premise", "hypothesis"):
        if not item[key].strip():
            raise DataFormatError(f"{where} ({guid}): {key!r} is empty")
    for key in ("gold_label", *ANNOTATORS):
        if item[key] not in NLI_LABEL2ID:
            raise DataFormatError(f"{where} ({guid}): {key!r} is {item[key]!r}, not one of {list(NLI_LABELS)}")
    row = {"guid": guid, "source": source, "premise": item["premise"], "hypothesis": item["hypothesis"],
           "label": item["gold_label"]}
    row.update({key: item[key] for key in ANNOTATORS})
    row["votes"] = sum(item[key] == item["gold_label"] for key in ANNOTATORS)
    return row


def read_klue_nli(path: str | os.PathLike):
    """Read a KLUE-NLI v1.1 file (train, dev or the project's sample) into a DataFrame, nothing dropped (09 §1).

    Any defect raises :class:`~lectureutils.corpus.DataFormatError` naming the pair's index.
    """
    import pandas as pd

    path = Path(path)
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise DataFormatError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(doc, list):
        raise DataFormatError(f"{path}: the top level must be a JSON array of pairs, got {type(doc).__name__}")
    if not doc:
        raise DataFormatError(f"{path}: the array holds no pairs")
    seen: dict = {}
    rows = [_row(item, index, path, seen) for index, item in enumerate(doc)]
    frame = pd.DataFrame(rows, columns=["guid", "source", "premise", "hypothesis", "label", *ANNOTATORS, "votes"])
    frame.attrs["source"] = str(path)
    return frame


def _split_by_guid(content: bytes, split: str) -> bytes:
    """The sample's ``split``: the pairs whose guid names it (``klue-nli-v1_dev_00012``), written as the files are."""
    pairs = json.loads(content.decode("utf-8"))
    kept = [pair for pair in pairs if f"_{split}_" in str(pair.get("guid", ""))]
    return (json.dumps(kept, ensure_ascii=False, indent=4) + "\n").encode("utf-8")


KLUE_NLI = Corpus(name="klue_nli", title="KLUE-NLI v1.1", files=KLUE_NLI_FILES, sample=KLUE_NLI_SAMPLE,
                  reader=read_klue_nli, sample_splits=_split_by_guid, aliases={"validation": "dev"},
                  notebook="09_sentence_pair_classification")


def load_klue_nli(split: str = "train", offline: bool | None = None, *, sample: bool = False, progress: bool = True):
    """One KLUE-NLI split (``"train"`` or ``"dev"``) as a DataFrame (09 §1): online the real file (downloaded once,
    verified), offline a prefetched copy, else the project's sample (``sample=True``: always)."""
    return load_corpus(KLUE_NLI, split, offline, sample=sample, progress=progress)
