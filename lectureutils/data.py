"""The lecture's data sets: readers, downloads and offline samples.

* **NSMC** (Naver Sentiment Movie Corpus, https://github.com/e9t/nsmc, CC0 1.0),
  taught in ``05_document_classification``: :func:`load_nsmc`, :func:`read_nsmc`,
  :func:`nsmc_files`.
* **KorQuAD 1.0** (https://korquad.github.io, CC BY-ND 2.0 KR), taught in
  ``06_question_answering``: :func:`load_korquad`, :func:`read_korquad`,
  :func:`korquad_files`.

Online, the real files are downloaded once into the cache
(:func:`lectureutils.download.default_cache_dir`) and checked against their
published sha256.  Offline (``LECTUREUTILS_OFFLINE=1``) every loader uses the
small samples in ``data/`` that were **written for this project** in exactly
the real formats, and says so in a printed message.  The readers are the same
in both modes.

Nothing happens at import time (``datasets`` is imported only when needed).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import download as _download

__all__ = [
    "DataFormatError",
    "RemoteFile",
    "NSMC_FILES",
    "KORQUAD_FILES",
    "NSMC_SAMPLE",
    "KORQUAD_SAMPLE",
    "data_dir",
    "nsmc_files",
    "load_nsmc",
    "read_nsmc",
    "korquad_files",
    "load_korquad",
    "read_korquad",
]


class DataFormatError(ValueError):
    """A data file does not have the expected format; the message names file and place."""


@dataclass(frozen=True)
class RemoteFile:
    """One published data file and what it must look like when downloaded."""

    url: str
    sha256: str
    num_bytes: int
    num_examples: int

    @property
    def filename(self) -> str:
        return self.url.rsplit("/", 1)[-1]


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
_SPLIT_ALIASES = {"validation": "dev", "val": "dev"}


# --------------------------------------------------------------------------- helpers


def data_dir() -> Path:
    """The repository's ``data/`` folder, which holds the offline samples."""
    path = Path(__file__).resolve().parent.parent / "data"
    if not path.is_dir():
        raise FileNotFoundError(
            f"the offline samples are not available: {path} does not exist. They live in the "
            "lecture repository's data/ folder; install the package from a checkout "
            "(pip install -e .) to use offline mode."
        )
    return path


def _sample_path(name: str) -> Path:
    path = data_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"offline sample {path} is missing from the repository")
    return path


def _offline(offline: bool | None) -> bool:
    return _download.is_offline() if offline is None else bool(offline)


def _check_split(split: str, choices) -> str:
    split = _SPLIT_ALIASES.get(split, split) if "dev" in choices else split
    if split not in choices:
        raise ValueError(f"unknown split {split!r}; choose one of {sorted(choices)}")
    return split


def _write_if_changed(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, unless the file already holds exactly it."""
    if path.is_file() and path.read_bytes() == data:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _samples_cache() -> Path:
    return _download.default_cache_dir() / "samples"


def _prefetched(spec: "RemoteFile", folder: str) -> Path | None:
    """The real file if an earlier download (``python -m lectureutils.prefetch``) left a verified
    copy in ``<cache>/<folder>/``, else None: offline mode then uses it instead of the sample."""
    path = _download.default_cache_dir() / folder / spec.filename
    if path.is_file() and path.stat().st_size == spec.num_bytes and _download.sha256sum(path) == spec.sha256:
        return path
    return None


def _offline_file(corpus: str, split: str, spec: "RemoteFile", folder: str, sample_split, sample_name: str,
                  sample: bool = False) -> Path:
    """Offline: the prefetched real file of ``split`` (unless ``sample``), else the sample's split; says which."""
    real = None if sample else _prefetched(spec, folder)
    if real is not None:
        print(f"offline mode: {corpus} {split!r} is the real file, downloaded earlier and verified ({real})")
        return real
    print(
        f"offline mode: {corpus} {split!r} comes from the sample written for this project "
        f"(data/{sample_name}), not the real data ({spec.num_examples:,} examples; "
        "`python -m lectureutils.prefetch` fetches it while online)"
    )
    return sample_split(split)


# --------------------------------------------------------------------------- NSMC


def read_nsmc(path: str | os.PathLike, *, verbose: bool = True):
    """Read an NSMC file (``ratings_train.txt`` format) into a pandas DataFrame.

    Taught in ``05_document_classification``.

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


def _nsmc_sample_split(split: str) -> Path:
    """Carve the train/test split out of the NSMC sample, in the real format.

    Within each label, every 4th line of ``data/nsmc_sample.tsv`` (in file
    order) goes to ``test``, the rest to ``train``: about 75/25, balanced, and
    deterministic.  Lines are copied byte for byte (quotes, empty documents).
    """
    sample = _sample_path(NSMC_SAMPLE)
    text = sample.read_bytes().decode("utf-8")
    lines = text.split("\n")
    header, body = lines[0], [ln for ln in lines[1:] if ln != ""]
    parts: dict[str, list[str]] = {"train": [], "test": []}
    seen: Counter = Counter()
    for line in body:
        label = line.rsplit("\t", 1)[-1]
        seen[label] += 1
        parts["test" if seen[label] % 4 == 0 else "train"].append(line)
    content = "\n".join([header, *parts[split]]) + "\n"
    out = _samples_cache() / "nsmc" / NSMC_FILES[split].filename
    return _write_if_changed(out, content.encode("utf-8"))


def _nsmc_file(split: str, offline: bool, progress: bool, sample: bool = False) -> Path:
    split = _check_split(split, NSMC_FILES)
    spec = NSMC_FILES[split]
    if offline or sample:
        return _offline_file("NSMC", split, spec, "nsmc", _nsmc_sample_split, NSMC_SAMPLE, sample)
    return _download.download(
        spec.url, _download.default_cache_dir() / "nsmc" / spec.filename, spec.sha256,
        progress=progress, num_bytes=spec.num_bytes, offline=False,
    )


def nsmc_files(offline: bool | None = None, *, progress: bool = True, sample: bool = False) -> dict[str, Path]:
    """Local paths of NSMC ``ratings_train.txt`` and ``ratings_test.txt``.

    Taught in ``05_document_classification``.

    Online: the real files, downloaded once into ``<cache>/nsmc/`` and verified
    (sha256 and size).  Offline (``offline=True``, or ``None`` and offline mode
    on): those files if a download left them in the cache, else a train/test split
    of the project's sample ``data/nsmc_sample.tsv``,
    written in the same format to ``<cache>/samples/nsmc/``.
    Returns ``{"train": path, "test": path}``.
    """
    off = _offline(offline)
    return {split: _nsmc_file(split, off, progress, sample) for split in NSMC_FILES}


def load_nsmc(split: str = "train", offline: bool | None = None, *, progress: bool = True, sample: bool = False):
    """Load one NSMC split (``"train"`` or ``"test"``) as a DataFrame (id, document, label).

    Taught in ``05_document_classification``.

    Online it downloads (once, verified) the real file; offline it uses that file if
    it was downloaded earlier, else the project's sample, and prints which.
    ``sample=True`` always reads the sample (fast mode's small workload; no network).  Parsing is
    :func:`read_nsmc` in both cases, so empty documents are dropped and counted.
    """
    off = _offline(offline)
    split = _check_split(split, NSMC_FILES)
    path = _nsmc_file(split, off, progress, sample)
    return read_nsmc(path)


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

    Taught in ``06_question_answering``.

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


def _korquad_sample_split(split: str) -> Path:
    """Carve train/dev out of the KorQuAD sample: every 4th article (index 3, 7, ...) is dev."""
    sample = _sample_path(KORQUAD_SAMPLE)
    doc = json.loads(sample.read_text(encoding="utf-8"))
    articles = [a for i, a in enumerate(doc["data"]) if (i % 4 == 3) == (split == "dev")]
    out_doc = {"version": f"{doc.get('version', 'KorQuAD_v1.0_sample')}_{split}", "data": articles}
    content = json.dumps(out_doc, ensure_ascii=False, indent=1) + "\n"
    out = _samples_cache() / "korquad" / KORQUAD_FILES[split].filename
    return _write_if_changed(out, content.encode("utf-8"))


def _korquad_file(split: str, offline: bool, progress: bool, sample: bool = False) -> Path:
    split = _check_split(split, KORQUAD_FILES)
    spec = KORQUAD_FILES[split]
    if offline or sample:
        return _offline_file("KorQuAD 1.0", split, spec, "korquad", _korquad_sample_split, KORQUAD_SAMPLE, sample)
    return _download.download(
        spec.url, _download.default_cache_dir() / "korquad" / spec.filename, spec.sha256,
        progress=progress, num_bytes=spec.num_bytes, offline=False,
    )


def korquad_files(offline: bool | None = None, *, progress: bool = True, sample: bool = False) -> dict[str, Path]:
    """Local paths of ``KorQuAD_v1.0_train.json`` and ``KorQuAD_v1.0_dev.json``.

    Taught in ``06_question_answering``.

    Online: the real files, downloaded once into ``<cache>/korquad/`` and
    verified (sha256 and size).  Offline: those files if a download left them in the
    cache, else a train/dev split by article of the project's sample
    ``data/korquad_sample.json`` (every 4th article is dev), written in the same
    format to ``<cache>/samples/korquad/``.
    Returns ``{"train": path, "dev": path}``.
    """
    off = _offline(offline)
    return {split: _korquad_file(split, off, progress, sample) for split in KORQUAD_FILES}


def load_korquad(
    split: str = "train",
    offline: bool | None = None,
    *,
    strict: bool = False,
    progress: bool = True,
    sample: bool = False,
):
    """Load one KorQuAD 1.0 split (``"train"`` or ``"dev"``; ``"validation"`` also works).

    Taught in ``06_question_answering``.

    Returns a ``datasets.Dataset`` in the SQuAD layout (see :func:`read_korquad`).
    Online it downloads (once, verified) the real file; offline it uses that file if
    it was downloaded earlier, else the project's sample split by article, and prints which.
    ``sample=True`` always reads the sample (fast mode's small workload; no network).
    """
    off = _offline(offline)
    split = _check_split(split, KORQUAD_FILES)
    path = _korquad_file(split, off, progress, sample)
    return read_korquad(path, strict=strict)
