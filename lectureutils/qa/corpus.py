"""KorQuAD 1.0 (https://korquad.github.io, CC BY-ND 2.0 KR): files, strict reader, sample.

Taught in notebooks/06_question_answering.ipynb (§1, "The data"). Importable from ``lectureutils.data`` too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..corpus import Corpus, DataFormatError, RemoteFile, load_corpus, split_json_list

__all__ = ["KORQUAD", "KORQUAD_FILES", "KORQUAD_SAMPLE", "read_korquad", "load_korquad"]

# Checksums and sizes: Hugging Face `datasets`, datasets/squad_kor_v1/dataset_infos.json ("download_checksums") at
# commit 040102f100964a33fd334e2695f1c493fa6b92db; num_examples: questions per split (the same file, the paper).
KORQUAD_BASE_URL = "https://korquad.github.io/dataset/"
KORQUAD_FILES: dict[str, RemoteFile] = {
    "train": RemoteFile(KORQUAD_BASE_URL + "KorQuAD_v1.0_train.json",
                        "40d5115879a701751781df721d901abfa736d8db5f89000f2619433f39bf2dd2", 38_527_475, 60_407),
    "dev": RemoteFile(KORQUAD_BASE_URL + "KorQuAD_v1.0_dev.json",
                      "25ffeb51e6c51ec02c071b60a10188e10005c144110f0d876b26079d80a35bdf", 3_881_058, 5_774),
}

#: File name of the offline sample inside ``lectureutils.env.data_dir()``.
KORQUAD_SAMPLE = "korquad_sample.json"


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
                rows.append({"id": qid, "title": title, "context": context, "question": question,
                             "answers": {"text": texts, "answer_start": starts}, "_where": q_where})
    return rows


def read_korquad(path: str | os.PathLike, *, strict: bool = False, as_dataset: bool = True, verbose: bool = True):
    """Read a KorQuAD 1.0 / SQuAD 1.1 JSON file, one row per question (06 §1).

    Rows in the Hugging Face SQuAD layout plus ``answer_ok``. An answer not found at its ``answer_start`` is kept,
    flagged and reported (``strict=True``: raised); a wrong structure raises :class:`DataFormatError` naming the place.
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

    features = Features({
        "id": Value("string"), "title": Value("string"), "context": Value("string"), "question": Value("string"),
        "answers": {"text": List(Value("string")), "answer_start": List(Value("int32"))}, "answer_ok": Value("bool"),
    })
    return Dataset.from_list(rows, features=features)


#: KorQuAD 1.0: every 4th article of the sample (index 3, 7, ...) is ``dev``.
KORQUAD = Corpus(name="korquad", title="KorQuAD 1.0", files=KORQUAD_FILES, sample=KORQUAD_SAMPLE, reader=read_korquad,
                 sample_splits=split_json_list("dev", every=4, key="data"), aliases={"validation": "dev", "val": "dev"},
                 notebook="06_question_answering")


def load_korquad(split: str = "train", offline: bool | None = None, *, strict: bool = False, progress: bool = True,
                 sample: bool = False):
    """One KorQuAD 1.0 split (``"train"`` or ``"dev"``) as a ``datasets.Dataset`` (06 §1): the real file
    online, else a prefetched copy, else the project's sample (``sample=True``: always).
    """
    return load_corpus(KORQUAD, split, offline, sample=sample, progress=progress, strict=strict)
