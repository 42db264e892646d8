"""Prepare an offline classroom: fetch every model and data set the notebooks use.

    python -m lectureutils.prefetch            # download everything (needs the network)
    python -m lectureutils.prefetch --dry-run  # list the files of each model and data set, and their size
    python -m lectureutils.prefetch --standins # build the offline stand-ins and the offline view (no network)

Models go to the student's Hugging Face cache (``setup()`` links them into the offline view), data sets to
``env.cache_dir()``. Only what the notebooks load is fetched: configs, tokenizer files, safetensors (else the one
``pytorch_model.bin``), sentence-transformers modules; no TF/Flax/ONNX copies (README, "Preparing an offline
classroom").
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import sys
from collections.abc import Iterable

from . import env
from .catalogue import CATALOGUE
from .i18n import _

__all__ = ["ROOT_FILES", "select_files", "model_files", "plan_lines", "fetch_models", "fetch_datasets",
           "build_standins", "main"]

#: Tokenizer and sentence-transformers files, taken from a repository's top level when present.
ROOT_FILES = (
    "tokenizer.json", "tokenizer_config.json", "vocab.txt", "vocab.json", "merges.txt",
    "special_tokens_map.json", "added_tokens.json", "chat_template.jinja",
    "modules.json", "sentence_bert_config.json",
)
CONFIGS = ("config*.json", "generation_config.json")  # config.json, config_sentence_transformers.json
SENTENCEPIECE = "*.model"  # sentencepiece.bpe.model, spiece.model
WEIGHTS = ("*.safetensors", "model.safetensors.index.json")
PICKLED_WEIGHTS = "pytorch_model.bin"  # only for a repository (or module folder) without safetensors
MODULE_FOLDER = re.compile(r"\d+_[A-Za-z]+")  # sentence-transformers modules: 1_Pooling, 2_Normalize, 2_Dense


def _wanted(name: str, top_level: bool) -> bool:
    if any(fnmatch.fnmatch(name, pattern) for pattern in (*CONFIGS, *WEIGHTS)):
        return True
    return top_level and (name in ROOT_FILES or fnmatch.fnmatch(name, SENTENCEPIECE))


def select_files(siblings: Iterable[str]) -> list[str]:
    """The files of a model repository the notebooks load: see the module docstring (every notebook offline)."""
    chosen, folders = [], {}
    for path in siblings:
        folder, _, name = path.rpartition("/")
        if folder and not MODULE_FOLDER.fullmatch(folder):
            continue
        folders.setdefault(folder, []).append(name)
        if _wanted(name, top_level=not folder):
            chosen.append(path)
    for folder, names in folders.items():
        if PICKLED_WEIGHTS in names and not any(name.endswith(".safetensors") for name in names):
            chosen.append(f"{folder}/{PICKLED_WEIGHTS}" if folder else PICKLED_WEIGHTS)
    return sorted(chosen)


def model_files(name: str) -> list[tuple[str, int | None]]:
    """``(file, size in bytes)`` of what :func:`fetch_models` downloads for ``name``, from the hub (every notebook)."""
    from huggingface_hub import HfApi

    info = HfApi().model_info(name, files_metadata=True)
    sizes = {sibling.rfilename: sibling.size for sibling in info.siblings or []}
    return [(path, sizes[path]) for path in select_files(sizes)]


def _size(num_bytes: int | None) -> str:
    if num_bytes is None:
        return "size unknown"
    for unit in ("B", "kB", "MB", "GB"):
        if num_bytes < 1000 or unit == "GB":
            return f"{num_bytes:.0f} {unit}" if unit == "B" else f"{num_bytes:.1f} {unit}"
        num_bytes /= 1000
    return ""


def plan_lines(online: bool | None = None) -> list[str]:
    """What a prefetch would fetch: per model its files and sizes (online), per data set its files (05, 06)."""
    from .data import CORPORA

    online = (not env.is_offline()) if online is None else online
    lines, total = [], 0
    if not online:
        lines.append(f"offline ({env.offline_reason() or 'asked'}): model files and sizes unavailable. Per model a prefetch "
                     "fetches configs, tokenizer files, safetensors (or the one pytorch_model.bin) and "
                     "sentence-transformers modules.")
    for name, entry in CATALOGUE.items():
        lines.append(f"model  {name}  (notebooks {', '.join(entry.notebooks)})")
        if not online:
            continue
        files = model_files(name)
        size = sum(num_bytes or 0 for _, num_bytes in files)
        total += size
        lines += [f"         {path}  {_size(num_bytes)}" for path, num_bytes in files]
        lines.append(f"         total {_size(size)}")
    for corpus in CORPORA:
        total += sum(spec.num_bytes or 0 for spec in corpus.files.values())
        lines.append(f"data   {corpus.title}  (notebook {corpus.notebook or '?'})")
        lines += [f"         {split}: {spec.filename}  {_size(spec.num_bytes)}" for split, spec in corpus.files.items()]
    lines.append(f"total  {_size(total)}" + ("" if online else " of data sets (model sizes need the network)"))
    return lines


def fetch_models() -> None:
    """Download every catalogued model's needed files into the student's Hugging Face cache (every notebook)."""
    from huggingface_hub import snapshot_download

    cache = str(env.hf_hub_cache())  # the student's own cache, also when HF_HUB_CACHE names the offline view
    for name in CATALOGUE:
        files = model_files(name)
        print(f"fetching model {name}: {len(files)} files, {_size(sum(n or 0 for _, n in files))} ...", flush=True)
        snapshot_download(name, allow_patterns=[path for path, _ in files], cache_dir=cache)


def fetch_datasets() -> None:
    """Download and verify every data set into ``env.cache_dir()`` (05, 06, 09, 10)."""
    from .corpus import corpus_files
    from .data import CORPORA

    for corpus in CORPORA:
        print(f"fetching data {corpus.title} ...", flush=True)
        corpus_files(corpus, offline=False)


def build_standins() -> None:
    """Build every stand-in and fill the offline view, without network (CI; notebook 01, "Offline stand-ins")."""
    from . import models
    from .standins import StandIn, build

    for name, entry in CATALOGUE.items():
        if isinstance(entry.offline, StandIn):
            print(f"stand-in for {name}: {build(name, entry.offline)}", flush=True)
    kinds = models.offline_hub()
    print(f"offline Hugging Face cache {env.offline_hub_cache()}: "
          + ", ".join(f"{name} ({kind})" for name, kind in kinds.items()), flush=True)


def main(argv=None) -> int:
    """``python -m lectureutils.prefetch`` (README, "Preparing an offline classroom"; every notebook)."""
    parser = argparse.ArgumentParser(prog="python -m lectureutils.prefetch", description=_(__doc__.splitlines()[0]))
    parser.add_argument("--dry-run", action="store_true", help=_("list what would be fetched, with sizes, and exit"))
    parser.add_argument("--standins", action="store_true", help=_("build the offline stand-ins instead (no network)"))
    args = parser.parse_args(argv)
    if args.standins:
        build_standins()
        return 0
    reason = env.offline_reason()
    if args.dry_run:
        print("\n".join(plan_lines(online=reason is None)))
        return 0
    if reason is not None:
        print(f"Cannot prefetch while offline ({reason}). Connect to the network and run again.", file=sys.stderr)
        return 2
    fetch_models()
    fetch_datasets()
    print("Done: the notebooks now run without a network (set LECTUREUTILS_OFFLINE=1 in class).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
