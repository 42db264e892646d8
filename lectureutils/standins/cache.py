"""The stand-ins' cache (01, "Offline stand-ins"): a Hugging Face hub cache of their own, ``cache_dir()/standins``,
``models--ORG--NAME/snapshots/<revision>`` with the revision a hash of the name and the recipe's key.

A build is deterministic (fixed seed, vocabularies trained on data/) and atomic (renamed into place when complete).
The key hashes the recipe and the training text; a change to a builder's output needs ``RECIPE_VERSION`` raised.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import env
from .builders import BUILDERS
from .sources import TRAINING_TEXT

__all__ = ["MARKER", "RECIPE_VERSION", "StandIn", "repo_folder", "standins_hub", "revision", "standin_path",
           "is_built", "build", "write_ref", "mark"]

RECIPE_VERSION = "3"  # 2: stand-ins carry MARKER; 3: each laid out as its real repository (catalogue facts)
MARKER = "lectureutils_standin"  # key of the one-line summary a stand-in carries in its config files


@dataclass(frozen=True)
class StandIn:
    """Recipe of one stand-in: its builder, options and one-line description (01, "Offline stand-ins")."""

    builder: str
    summary: str
    options: dict = field(default_factory=dict)

    def key(self) -> str:
        """Hash of the recipe and of the text its vocabulary is trained on."""
        digest = hashlib.sha256()
        digest.update(RECIPE_VERSION.encode())
        digest.update(self.builder.encode())
        digest.update(json.dumps(self.options, sort_keys=True).encode())
        for path in TRAINING_TEXT.get(self.builder, []):
            file = env.data_dir() / path
            if file.exists():
                digest.update(file.read_bytes())
        return digest.hexdigest()[:12]


def repo_folder(name: str) -> str:
    """The folder of model ``name`` in a Hugging Face hub cache: ``models--ORG--NAME`` (01, "Offline stand-ins")."""
    return "models--" + name.replace("/", "--")


def standins_hub() -> Path:
    """The Hugging Face hub cache the stand-ins are built into, ``cache_dir()/standins`` (01, "Offline stand-ins")."""
    return env.cache_dir() / "standins"


def revision(name: str, standin: StandIn) -> str:
    """The stand-in's revision, 40 hex digits: the name and the recipe's key, hashed (01, "Offline stand-ins")."""
    return hashlib.sha1(f"{name}\n{standin.key()}".encode()).hexdigest()


def standin_path(name: str, standin: StandIn) -> Path:
    """The stand-in's snapshot folder for model ``name``, built or not (01, "Offline stand-ins")."""
    return standins_hub() / repo_folder(name) / "snapshots" / revision(name, standin)


def is_built(name: str, standin: StandIn) -> bool:
    """True when the stand-in is complete in the cache, its config written last by the rename (01, "Offline stand-ins")."""
    return (standin_path(name, standin) / "config.json").exists()


def build(name: str, standin: StandIn) -> Path:
    """The stand-in folder for ``name``, built first if needed, ``refs/main`` pointing at it (01, "Offline stand-ins")."""
    target = standin_path(name, standin)
    if not is_built(name, standin):
        build_into(target, name, standin)
    write_ref(target.parent.parent, target.name)
    return target


def build_into(target: Path, name: str, standin: StandIn) -> None:
    """Build in a temporary folder beside the stand-ins and rename it into place when complete."""
    standins_hub().mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f".{repo_folder(name)}-", dir=standins_hub()))
    try:
        with quiet_progress_bars():
            BUILDERS[standin.builder](workdir, **standin.options)
        mark(workdir, standin.summary)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(workdir, target)
        except OSError:
            if not is_built(name, standin):  # not a concurrent build that finished first
                raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def write_ref(entry: Path, commit: str, ref: str = "main") -> None:
    """Write ``entry/refs/<ref>`` atomically, as the hub cache keeps it (01, "Offline stand-ins")."""
    path = entry / "refs" / ref
    if path.is_file() and path.read_text(encoding="utf-8").strip() == commit:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{ref}-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(commit)
    os.replace(temporary, path)


def mark(folder: Path, summary: str) -> None:
    """Write ``MARKER: summary`` into every model and tokenizer config under ``folder``; transformers keeps it on the
    loaded object and writes it back on ``save_pretrained`` (``models.is_standin``; 01, "Offline stand-ins")."""
    for path in sorted(folder.rglob("*.json")):
        if path.name in {"config.json", "tokenizer_config.json"}:
            content = json.loads(path.read_text(encoding="utf-8") or "{}")
            if path.name == "config.json" and content and "model_type" not in content:
                continue  # a sentence-transformers module's settings (pooling), not a model config
            content[MARKER] = summary
            path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@contextlib.contextmanager
def quiet_progress_bars():
    """Hide transformers' "Writing model shards" bars while a stand-in is saved."""
    from transformers.utils import logging as transformers_logging

    was_enabled = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            transformers_logging.enable_progress_bar()
