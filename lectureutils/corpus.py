"""One record type for every data set of the fine-tuning notebooks, and the loaders that read it (05 §1).

A :class:`Corpus` names its published files (URL, sha256, size, examples per split), its offline sample in
``env.data_dir()``, its strict reader and how the sample splits. Online a split is the real file, downloaded once
into ``<cache>/<corpus.name>/`` and verified; offline that verified copy if a prefetch left one, else the sample's
split; ``sample=True`` always the sample. A printed line says when the data is not the real file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from . import download as downloads
from . import env
from .i18n import _

__all__ = [
    "DataFormatError",
    "RemoteFile",
    "Corpus",
    "corpus_files",
    "corpus_file",
    "load_corpus",
    "split_lines",
    "split_json_list",
    "take",
]


class DataFormatError(ValueError):
    """A data file does not have the expected format; the message names file and place (05 §1, 06 §1)."""


@dataclass(frozen=True)
class RemoteFile:
    """One published data file and what it must look like when downloaded (05 §1, 06 §1)."""

    url: str
    sha256: str
    num_bytes: int | None  # None where no size was published (the sha256 still is)
    num_examples: int

    @property
    def filename(self) -> str:
        return self.url.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Corpus:
    """One data set: published files per split, offline sample, reader, and how the sample splits (05 §1).

    ``sample_splits(content, split) -> bytes`` turns the sample's bytes into one split's, in the real format (so
    one ``reader`` reads both); ``aliases`` maps other split names to the corpus' own (``{"validation": "dev"}``).
    """

    name: str  # folder name in the cache, e.g. "nsmc"
    title: str  # what messages call it, e.g. "NSMC"
    files: Mapping[str, RemoteFile]
    sample: str  # file name inside env.data_dir()
    reader: Callable[..., Any]
    sample_splits: Callable[[bytes, str], bytes]
    aliases: Mapping[str, str] = field(default_factory=dict)
    notebook: str = ""  # the notebook that teaches it, for messages and docs

    def __hash__(self) -> int:
        return hash(self.name)

    def split(self, split: str) -> str:
        """The corpus' own name for ``split``; ValueError for a split it does not have (05 §1)."""
        own = self.aliases.get(split, split)
        if own not in self.files:
            raise ValueError(f"unknown split {split!r} for {self.title}; choose one of {sorted(self.files)}")
        return own


def split_lines(held_out: str, *, every: int = 4, header: int = 1,
                group: Callable[[str], str] | None = None) -> Callable[[bytes, str], bytes]:
    """A line-format splitter: every ``every``-th body line (counted within its ``group``, e.g. its label) goes to
    ``held_out``, the rest to the other splits, byte for byte; header lines go to both (05 §1)."""

    def splitter(content: bytes, split: str) -> bytes:
        lines = content.decode("utf-8").split("\n")
        head, body = lines[:header], [ln for ln in lines[header:] if ln != ""]
        seen: Counter = Counter()
        kept = []
        for line in body:
            key = group(line) if group else ""
            seen[key] += 1
            if (seen[key] % every == 0) == (split == held_out):
                kept.append(line)
        return ("\n".join([*head, *kept]) + "\n").encode("utf-8")

    return splitter


def split_json_list(held_out: str, *, every: int = 4, key: str | None = "data") -> Callable[[bytes, str], bytes]:
    """A JSON splitter: item ``i`` of ``doc[key]`` (or of the top-level list) goes to ``held_out`` when
    ``i % every == every - 1``; ``version`` gets the split's name appended (06 §1)."""

    def splitter(content: bytes, split: str) -> bytes:
        doc = json.loads(content.decode("utf-8"))
        items = doc if key is None else doc[key]
        kept = [item for i, item in enumerate(items) if (i % every == every - 1) == (split == held_out)]
        if key is None:
            out: Any = kept
        else:
            out = {**doc, key: kept}
            if "version" in out:
                out["version"] = f"{out['version']}_{split}"
        return (json.dumps(out, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    return splitter


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


def _sample_split(corpus: Corpus, split: str, cache: Path) -> Path:
    source = env.data_dir() / corpus.sample
    if not source.is_file():
        raise FileNotFoundError(f"offline sample {source} of {corpus.title} is missing from the repository")
    content = corpus.sample_splits(source.read_bytes(), split)
    return _write_if_changed(cache / "samples" / corpus.name / corpus.files[split].filename, content)


def corpus_file(corpus: Corpus, split: str, offline: bool | None = None, *, sample: bool = False,
                progress: bool = True) -> Path:
    """Local path of one split of ``corpus``, from where the module docstring says (05 §1, 06 §1)."""
    split = corpus.split(split)
    spec = corpus.files[split]
    off = env.is_offline() if offline is None else bool(offline)
    cache = env.cache_dir()
    real = cache / corpus.name / spec.filename
    if not (off or sample):
        return downloads.download(spec.url, real, spec.sha256, progress=progress, num_bytes=spec.num_bytes)
    why = _("offline mode") if off else "sample=True"
    if not sample and downloads.is_cached(real, spec.sha256, spec.num_bytes):
        print(_("{why}: {title} {split} is the real file, downloaded earlier and verified ({path})").format(
            why=why, title=corpus.title, split=repr(split), path=real))
        return real
    print(_(
        "{why}: {title} {split} comes from the sample written for this project "
        "(data/{sample}), not the real data ({count} examples; "
        "`python -m lectureutils.prefetch` fetches it while online)"
    ).format(why=why, title=corpus.title, split=repr(split), sample=corpus.sample, count=f"{spec.num_examples:,}"))
    return _sample_split(corpus, split, cache)


def corpus_files(corpus: Corpus, offline: bool | None = None, *, sample: bool = False,
                 progress: bool = True) -> dict[str, Path]:
    """Local paths of every split of ``corpus``: ``{split: path}`` (05 §1, 06 §1)."""
    return {split: corpus_file(corpus, split, offline, sample=sample, progress=progress) for split in corpus.files}


def load_corpus(corpus: Corpus, split: str, offline: bool | None = None, *, sample: bool = False,
                progress: bool = True, **reader_options):
    """Read one split of ``corpus`` with its reader, ``corpus.reader(path, **reader_options)`` (05 §1, 06 §1)."""
    path = corpus_file(corpus, split, offline, sample=sample, progress=progress)
    return corpus.reader(path, **reader_options)


def take(data, limit: int | None, seed: int | None = None):
    """At most ``limit`` examples of a split (DataFrame, ``datasets.Dataset`` or list), a random subset seeded with
    ``env.seed()`` unless ``seed`` is given; ``None`` keeps everything (05 §11)."""
    if limit is None or limit >= len(data):
        return data
    if limit < 1:
        raise ValueError(f"a limit must be at least 1, not {limit}.")
    seed = env.seed() if seed is None else seed
    if isinstance(data, list):
        import random

        return random.Random(seed).sample(data, limit)
    if hasattr(data, "sample"):  # pandas
        return data.sample(n=limit, random_state=seed).reset_index(drop=True)
    return data.shuffle(seed=seed).select(range(limit))
