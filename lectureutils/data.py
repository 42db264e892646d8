"""The data catalogue: one :class:`~lectureutils.corpus.Corpus` record per data set, and every reader.

* **NSMC** (Naver Sentiment Movie Corpus, https://github.com/e9t/nsmc, CC0 1.0),
  taught in ``05_document_classification``: :data:`NSMC`, :func:`load_nsmc`, :func:`read_nsmc`.
* **KorQuAD 1.0** (https://korquad.github.io, CC BY-ND 2.0 KR), taught in
  ``06_question_answering``: :data:`KORQUAD`, :func:`load_korquad`, :func:`read_korquad`.

:data:`CORPORA` lists every corpus (``python -m lectureutils.prefetch`` fetches them all).  Where a
file comes from (verified download online; prefetched copy or the project's sample offline) is decided
once, by :func:`lectureutils.corpus.load_corpus`; the readers are the same in every mode.

Nothing happens at import time (``datasets`` and ``pandas`` are imported only when needed).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .corpus import (
    Corpus,
    DataFormatError,
    RemoteFile,
    corpus_files,
    load_corpus,
    split_json_list,
    split_lines,
)
from .env import data_dir

__all__ = [
    "DataFormatError",
    "RemoteFile",
    "Corpus",
    "CORPORA",
    "NSMC",
    "KORQUAD",
    "NSMC_FILES",
    "KORQUAD_FILES",
    "NSMC_SAMPLE",
    "KORQUAD_SAMPLE",
    "data_dir",
    "corpus_files",
    "load_corpus",
    "nsmc_files",
    "load_nsmc",
    "read_nsmc",
    "korquad_files",
    "load_korquad",
    "read_korquad",
]

# Checksums and sizes: Hugging Face `datasets`, file datasets/nsmc/dataset_infos.json
# ("download_checksums"), huggingface/datasets commit 040102f100964a33fd334e2695f1c493fa6b92db.
# The train size (14,628,807 bytes) also matches the Content-Length GitHub serves.
NSMC_BASE_URL = "https://raw.githubusercontent.com/e9t/nsmc/master/"
NSMC_FILES: dict[str, RemoteFile] = {
    "train": RemoteFile(
        url=NSMC_BASE_URL + "ratings_train.txt",
        sha256="e03b7d14e9e41be8d464a28057cd25d7396c53e67aa7fd5f7e552c59b0ee2940",
        num_bytes=14_628_807,
        num_examples=150_000,
    ),
    "test": RemoteFile(
        url=NSMC_BASE_URL + "ratings_test.txt",
        sha256="8ac9f64052f11dbf6ae0acb5e038f03d90a76f0eda7820cfb3a92d02edfcebda",
        num_bytes=4_893_335,
        num_examples=50_000,
    ),
}

# Checksums and sizes: Hugging Face `datasets`, file datasets/squad_kor_v1/dataset_infos.json
# ("download_checksums"), huggingface/datasets commit 040102f100964a33fd334e2695f1c493fa6b92db.
# num_examples: questions per split, from the same file and the KorQuAD paper.
KORQUAD_BASE_URL = "https://korquad.github.io/dataset/"
KORQUAD_FILES: dict[str, RemoteFile] = {
    "train": RemoteFile(
        url=KORQUAD_BASE_URL + "KorQuAD_v1.0_train.json",
        sha256="40d5115879a701751781df721d901abfa736d8db5f89000f2619433f39bf2dd2",
        num_bytes=38_527_475,
        num_examples=60_407,
    ),
    "dev": RemoteFile(
        url=KORQUAD_BASE_URL + "KorQuAD_v1.0_dev.json",
        sha256="25ffeb51e6c51ec02c071b60a10188e10005c144110f0d876b26079d80a35bdf",
        num_bytes=3_881_058,
        num_examples=5_774,
    ),
}

#: File names of the offline samples inside :func:`data_dir`.
NSMC_SAMPLE = "nsmc_sample.tsv"
KORQUAD_SAMPLE = "korquad_sample.json"

_NSMC_HEADER = "id\tdocument\tlabel"
_INT_RE = re.compile(r"[0-9]+")


# --------------------------------------------------------------------------- NSMC


def read_nsmc(path: str | os.PathLike, *, verbose: bool = True):
    """Read an NSMC file (``ratings_train.txt`` format) into a pandas DataFrame.

    Taught in ``05_document_classification`` (§1).

    The format is one header line ``id<TAB>document<TAB>label`` and then one
    review per line: an integer id, the review text, and the label ``0``
    (negative) or ``1`` (positive).  The reader is strict and quote-blind:

    * Double quotes are ordinary characters and are kept verbatim (NSMC has
      reviews such as ``"인생영화"라는 ...`` and unbalanced quotes, which a
      CSV reader with quoting on would merge or strip).
    * Empty (or whitespace-only) documents are dropped; their number is
      printed once per call (``dropped N empty documents from FILE``) and
      stored in ``df.attrs["dropped_empty"]``.
    * A malformed line (wrong number of fields, a label other than 0/1, an id
      that is not a non-negative integer, invalid UTF-8) raises
      :class:`DataFormatError` (a ``ValueError``) naming the file and line number.

    Returns a DataFrame with columns ``id`` (int64), ``document`` (str) and
    ``label`` (int64), in file order.  Works for any file in this format: the
    real splits, the sample ``data/nsmc_sample.tsv`` or a part of it.
    """
    import pandas as pd  # lazily: keep `import lectureutils.data` cheap

    path = Path(path)
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the newline that ends the last line
    if not lines:
        raise DataFormatError(f"{path}: empty file, expected the header {_NSMC_HEADER!r}")

    ids: list[int] = []
    docs: list[str] = []
    labels: list[int] = []
    dropped = 0
    for lineno, blob in enumerate(lines, start=1):
        if blob.endswith(b"\r"):
            blob = blob[:-1]
        try:
            line = blob.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataFormatError(f"{path}, line {lineno}: not valid UTF-8 ({exc.reason})") from None
        if lineno == 1:
            if line != _NSMC_HEADER:
                raise DataFormatError(
                    f"{path}, line 1: expected the header {_NSMC_HEADER!r}, got {line[:80]!r}"
                )
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise DataFormatError(
                f"{path}, line {lineno}: expected 3 tab-separated fields (id, document, label), "
                f"got {len(fields)}: {line[:80]!r}"
            )
        id_text, doc, label_text = fields
        if not _INT_RE.fullmatch(id_text):
            raise DataFormatError(f"{path}, line {lineno}: id must be an integer, got {id_text!r}")
        if label_text not in ("0", "1"):
            raise DataFormatError(f"{path}, line {lineno}: label must be 0 or 1, got {label_text!r}")
        if not doc.strip():
            dropped += 1
            continue
        ids.append(int(id_text))
        docs.append(doc)
        labels.append(int(label_text))

    if dropped and verbose:
        print(f"dropped {dropped} empty documents from {path}")
    df = pd.DataFrame(
        {
            "id": pd.Series(ids, dtype="int64"),
            "document": pd.Series(docs, dtype=object),
            "label": pd.Series(labels, dtype="int64"),
        }
    )
    df.attrs["dropped_empty"] = dropped
    df.attrs["source"] = str(path)
    return df


#: NSMC: within each label, every 4th line of the sample is ``test`` (about 75/25, balanced).
NSMC = Corpus(
    name="nsmc",
    title="NSMC",
    files=NSMC_FILES,
    sample=NSMC_SAMPLE,
    reader=read_nsmc,
    sample_splits=split_lines("test", every=4, header=1, group=lambda line: line.rsplit("\t", 1)[-1]),
    notebook="05_document_classification",
)


def nsmc_files(offline: bool | None = None, *, progress: bool = True, sample: bool = False) -> dict[str, Path]:
    """Local paths of NSMC ``ratings_train.txt`` and ``ratings_test.txt``: ``{"train": ..., "test": ...}``.

    Taught in ``05_document_classification`` (§1).  The rule is :func:`lectureutils.corpus.corpus_files`:
    online the verified download, offline the prefetched copy or the sample, ``sample=True`` the sample.
    """
    return corpus_files(NSMC, offline, sample=sample, progress=progress)


def load_nsmc(split: str = "train", offline: bool | None = None, *, progress: bool = True, sample: bool = False):
    """Load one NSMC split (``"train"`` or ``"test"``) as a DataFrame (id, document, label).

    Taught in ``05_document_classification`` (§1).  Online it downloads (once, verified) the real file;
    offline it uses that file if it was downloaded earlier, else the project's sample, and prints which.
    ``sample=True`` always reads the sample (fast mode's small workload; no network).  Parsing is
    :func:`read_nsmc` in both cases, so empty documents are dropped and counted.
    """
    return load_corpus(NSMC, split, offline, sample=sample, progress=progress)


# --------------------------------------------------------------------------- KorQuAD


def _get(obj: Any, key: str, kind, where: str, path: Path):
    if not isinstance(obj, dict):
        raise DataFormatError(f"{path}: {where or 'top level'} must be an object, got {type(obj).__name__}")
    if key not in obj:
        raise DataFormatError(f"{path}: {where + '.' if where else ''}{key} is missing")
    value = obj[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise DataFormatError(
            f"{path}: {where + '.' if where else ''}{key} must be {names}, got {type(value).__name__}"
        )
    return value


def _korquad_rows(doc: Any, path: Path) -> list[dict]:
    rows: list[dict] = []
    seen_ids: dict[str, str] = {}
    if isinstance(doc, dict) and "version" in doc:
        _get(doc, "version", str, "", path)
    for i, article in enumerate(_get(doc, "data", list, "", path)):
        a_where = f"data[{i}]"
        title = _get(article, "title", str, a_where, path)
        for j, para in enumerate(_get(article, "paragraphs", list, a_where, path)):
            p_where = f"{a_where}.paragraphs[{j}]"
            context = _get(para, "context", str, p_where, path)
            for k, qa in enumerate(_get(para, "qas", list, p_where, path)):
                q_where = f"{p_where}.qas[{k}]"
                qid = _get(qa, "id", str, q_where, path)
                question = _get(qa, "question", str, q_where, path)
                answers = _get(qa, "answers", list, q_where, path)
                if not answers:
                    raise DataFormatError(f"{path}: {q_where}.answers is empty (KorQuAD 1.0 has an answer for every question)")
                if qid in seen_ids:
                    raise DataFormatError(f"{path}: {q_where}.id {qid!r} repeats the id at {seen_ids[qid]}")
                seen_ids[qid] = q_where
                texts, starts = [], []
                for m, ans in enumerate(answers):
                    x_where = f"{q_where}.answers[{m}]"
                    text = _get(ans, "text", str, x_where, path)
                    start = _get(ans, "answer_start", int, x_where, path)
                    if not text:
                        raise DataFormatError(f"{path}: {x_where}.text is empty")
                    if start < 0:
                        raise DataFormatError(f"{path}: {x_where}.answer_start is negative ({start})")
                    texts.append(text)
                    starts.append(start)
                rows.append(
                    {
                        "id": qid,
                        "title": title,
                        "context": context,
                        "question": question,
                        "answers": {"text": texts, "answer_start": starts},
                        "_where": q_where,
                    }
                )
    return rows


def read_korquad(
    path: str | os.PathLike,
    *,
    strict: bool = False,
    as_dataset: bool = True,
    verbose: bool = True,
):
    """Read a KorQuAD 1.0 / SQuAD 1.1 JSON file and flatten it to one row per question.

    Taught in ``06_question_answering`` (§1).

    Input: ``{"version": ..., "data": [{"title", "paragraphs": [{"context",
    "qas": [{"id", "question", "answers": [{"text", "answer_start"}]}]}]}]}``.

    Output (``as_dataset=True``): a ``datasets.Dataset`` in the Hugging Face
    SQuAD layout, ``id``, ``title``, ``context``, ``question``,
    ``answers={"text": [...], "answer_start": [...]}``, plus a boolean column
    ``answer_ok``.  With ``as_dataset=False``: the same rows as a list of dicts.

    Every answer is checked: ``context[answer_start:answer_start + len(text)]``
    must equal ``text``.  Mismatches are never dropped silently:

    * ``strict=False`` (default): the rows are kept with ``answer_ok=False``,
      and a message gives the count and the first few examples (filter them
      with ``ds.filter(lambda e: e["answer_ok"])``).
    * ``strict=True``: :class:`DataFormatError` with the same report.

    A file that is not JSON, or whose structure is wrong (a missing key, a wrong
    type, an empty answer list, a repeated id), raises :class:`DataFormatError`
    (a ``ValueError``) naming the file and the place, e.g.
    ``data[3].paragraphs[0].qas[2].answers[0].answer_start``.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig") as f:
            doc = json.load(f)
    except json.JSONDecodeError as exc:
        raise DataFormatError(
            f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None

    rows = _korquad_rows(doc, path)
    n_answers = 0
    bad: list[str] = []
    for row in rows:
        ctx = row["context"]
        ok = True
        for m, (text, start) in enumerate(zip(row["answers"]["text"], row["answers"]["answer_start"])):
            n_answers += 1
            found = ctx[start : start + len(text)]
            if found != text:
                ok = False
                where = ctx.find(text)
                hint = f"text occurs at {where}" if where >= 0 else "text not in context"
                bad.append(
                    f"{row['id']} ({row['_where']}.answers[{m}]): answer {text!r} at {start}, "
                    f"context has {found!r} there; {hint}"
                )
        row["answer_ok"] = ok
        del row["_where"]

    if bad:
        n_bad_q = sum(not r["answer_ok"] for r in rows)
        report = (
            f"{len(bad)} of {n_answers} answers ({n_bad_q} questions) in {path} are not found at "
            "their answer_start; first examples:\n  " + "\n  ".join(bad[:3])
        )
        if strict:
            raise DataFormatError(report)
        if verbose:
            print(report + "\nThey are kept and flagged answer_ok=False.")

    if not as_dataset:
        return rows
    from datasets import Dataset, Features, List, Value  # lazily: heavy import

    features = Features(
        {
            "id": Value("string"),
            "title": Value("string"),
            "context": Value("string"),
            "question": Value("string"),
            "answers": {"text": List(Value("string")), "answer_start": List(Value("int32"))},
            "answer_ok": Value("bool"),
        }
    )
    return Dataset.from_list(rows, features=features)


#: KorQuAD 1.0: every 4th article of the sample (index 3, 7, ...) is ``dev``.
KORQUAD = Corpus(
    name="korquad",
    title="KorQuAD 1.0",
    files=KORQUAD_FILES,
    sample=KORQUAD_SAMPLE,
    reader=read_korquad,
    sample_splits=split_json_list("dev", every=4, key="data"),
    aliases={"validation": "dev", "val": "dev"},
    notebook="06_question_answering",
)


def korquad_files(offline: bool | None = None, *, progress: bool = True, sample: bool = False) -> dict[str, Path]:
    """Local paths of ``KorQuAD_v1.0_train.json`` and ``KorQuAD_v1.0_dev.json``: ``{"train": ..., "dev": ...}``.

    Taught in ``06_question_answering`` (§1).  The rule is :func:`lectureutils.corpus.corpus_files`
    (offline sample: a train/dev split by article, every 4th article is dev).
    """
    return corpus_files(KORQUAD, offline, sample=sample, progress=progress)


def load_korquad(
    split: str = "train",
    offline: bool | None = None,
    *,
    strict: bool = False,
    progress: bool = True,
    sample: bool = False,
):
    """Load one KorQuAD 1.0 split (``"train"`` or ``"dev"``; ``"validation"`` also works).

    Taught in ``06_question_answering`` (§1).  Returns a ``datasets.Dataset`` in the SQuAD layout (see
    :func:`read_korquad`).  Online it downloads (once, verified) the real file; offline it uses that file
    if it was downloaded earlier, else the project's sample split by article, and prints which.
    ``sample=True`` always reads the sample (fast mode's small workload; no network).
    """
    return load_corpus(KORQUAD, split, offline, sample=sample, progress=progress, strict=strict)


# --------------------------------------------------------------------------- every task's corpus
# Adding a task (CONTRIBUTING.md, "Adding a task"): import its corpus record, reader and loader here,
#   from .<task>.corpus import <CORPUS>, read_<x>, load_<x>
# and add those names to __all__ below; CORPORA then includes it.

__all__ += []  # one `__all__ += [...]` line per task

#: Every corpus the notebooks use, collected from this module's names (``python -m lectureutils.prefetch``
#: downloads them all).
CORPORA: tuple[Corpus, ...] = tuple(dict.fromkeys(v for v in list(globals().values()) if isinstance(v, Corpus)))
