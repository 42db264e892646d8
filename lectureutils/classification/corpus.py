"""NSMC (Naver Sentiment Movie Corpus, https://github.com/e9t/nsmc, CC0 1.0): files, strict reader, sample.

Taught in notebooks/05_document_classification.ipynb (§1, "The data"). :func:`load_nsmc` reads one split the way
every corpus is read (online the verified download, offline the prefetched copy or the project's sample).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..corpus import Corpus, DataFormatError, RemoteFile, load_corpus, split_lines

__all__ = ["NSMC", "NSMC_FILES", "NSMC_SAMPLE", "read_nsmc", "load_nsmc"]

# Checksums and sizes: Hugging Face `datasets`, datasets/nsmc/dataset_infos.json ("download_checksums") at commit
# 040102f100964a33fd334e2695f1c493fa6b92db; the train size also matches the Content-Length GitHub serves.
NSMC_BASE_URL = "https://raw.githubusercontent.com/e9t/nsmc/master/"
NSMC_FILES: dict[str, RemoteFile] = {
    "train": RemoteFile(NSMC_BASE_URL + "ratings_train.txt",
                        "e03b7d14e9e41be8d464a28057cd25d7396c53e67aa7fd5f7e552c59b0ee2940", 14_628_807, 150_000),
    "test": RemoteFile(NSMC_BASE_URL + "ratings_test.txt",
                       "8ac9f64052f11dbf6ae0acb5e038f03d90a76f0eda7820cfb3a92d02edfcebda", 4_893_335, 50_000),
}

#: File name of the offline sample inside ``lectureutils.env.data_dir()``.
NSMC_SAMPLE = "nsmc_sample.tsv"

_NSMC_HEADER = "id\tdocument\tlabel"
_INT_RE = re.compile(r"[0-9]+")


def read_nsmc(path: str | os.PathLike, *, verbose: bool = True):
    """Read an NSMC file (``ratings_train.txt`` format) into a DataFrame ``id``, ``document``, ``label`` (05 §1).

    One header line ``id<TAB>document<TAB>label``, then one review per line (label 0 negative, 1 positive). Strict
    and quote-blind: double quotes are ordinary characters (NSMC has unbalanced ones, which a CSV reader would merge
    or strip); empty documents are dropped, counted in ``df.attrs["dropped_empty"]`` and printed; a malformed line
    (wrong number of fields, a label other than 0/1, a bad id, invalid UTF-8) raises :class:`DataFormatError`
    naming the file and line.
    """
    import pandas as pd

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
                raise DataFormatError(f"{path}, line 1: expected the header {_NSMC_HEADER!r}, got {line[:80]!r}")
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
    df = pd.DataFrame({"id": pd.Series(ids, dtype="int64"), "document": pd.Series(docs, dtype=object),
                       "label": pd.Series(labels, dtype="int64")})
    df.attrs["dropped_empty"] = dropped
    df.attrs["source"] = str(path)
    return df


#: NSMC: within each label, every 4th line of the sample is ``test`` (about 75/25, balanced).
NSMC = Corpus(name="nsmc", title="NSMC", files=NSMC_FILES, sample=NSMC_SAMPLE, reader=read_nsmc,
              sample_splits=split_lines("test", every=4, header=1, group=lambda line: line.rsplit("\t", 1)[-1]),
              notebook="05_document_classification")


def load_nsmc(split: str = "train", offline: bool | None = None, *, progress: bool = True, sample: bool = False):
    """One NSMC split (``"train"`` or ``"test"``) as a DataFrame (id, document, label) (05 §1): online the real file
    (downloaded once, verified), offline that file if prefetched, else the project's sample (``sample=True``: always).
    """
    return load_corpus(NSMC, split, offline, sample=sample, progress=progress)
