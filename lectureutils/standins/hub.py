"""The offline view, ``env.offline_hub_cache()``: the hub cache ``setup()`` points ``HF_HUB_CACHE`` at offline, so
a plain ``from_pretrained(name)`` finds the real cached model or the stand-in (01, "Offline stand-ins").

It holds a link to every entry of the student's real hub cache and, for a catalogued model not (completely) there,
to its stand-in's entry (or the packaged all-MiniLM-L6-v2). The real cache is only read. Without symbolic links
(Windows without developer mode) a stand-in is copied in, and a real cached model cannot be shown.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from .. import env
from .cache import repo_folder, standins_hub, write_ref

__all__ = ["ENTRY_PREFIXES", "real_snapshot", "packaged_entry", "link", "refresh_view"]

ENTRY_PREFIXES = ("models--", "datasets--", "spaces--")  # what a hub cache holds per repository


def real_snapshot(name: str, cache: Path | None = None) -> Path | None:
    """``name``'s main snapshot in the student's real hub cache, when complete with its config.json, else None
    (01, "Offline stand-ins")."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    cache = env.hf_hub_cache() if cache is None else cache
    if not (cache / repo_folder(name)).is_dir():
        return None
    try:
        folder = Path(snapshot_download(name, cache_dir=str(cache), local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    return folder if (folder / "config.json").exists() else None


def packaged_entry(name: str, folder: Path) -> Path:
    """A hub-cache entry (in the stand-ins' cache) whose snapshot links to the packaged real model in ``folder``
    (01 and 04, offline)."""
    entry = standins_hub() / repo_folder(name)
    commit = hashlib.sha1(f"{name}\n{folder.resolve()}".encode()).hexdigest()
    snapshot = entry / "snapshots" / commit
    if not (snapshot / "config.json").exists():
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        link(folder.resolve(), snapshot, copy_if_needed=True)
    write_ref(entry, commit)
    return entry


def link(target: Path, path: Path, copy_if_needed: bool = False) -> bool:
    """Make ``path`` a symbolic link to ``target``, atomically; without symbolic links a copy when
    ``copy_if_needed``, else False (01, "Offline stand-ins")."""
    if path.is_symlink() and os.readlink(path) == str(target):
        return True
    temporary = path.parent / f".{path.name}-{os.getpid()}-link"
    try:
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        os.symlink(target, temporary, target_is_directory=True)
    except OSError:
        if not copy_if_needed:
            return False
        copied = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
        shutil.copytree(target, copied, dirs_exist_ok=True)
        remove(path)
        os.replace(copied, path)
        return True
    if path.is_dir() and not path.is_symlink():
        remove(path)  # a copy made without symbolic links earlier
    os.replace(temporary, path)
    return True


def remove(path: Path) -> None:
    """Remove a link, file or folder of the view (never what a link points to)."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def refresh_view(names, fallback, view: Path | None = None, real: Path | None = None) -> dict[str, str]:
    """Link the view's entries and say where each catalogued name resolves: ``{name: "cache" | "fallback" |
    "none"}``; ``fallback(name)`` gives the entry used without a real cached model, or None. Entries that lead
    nowhere are removed (every notebook offline; 01, "Offline stand-ins")."""
    view = env.offline_hub_cache() if view is None else view
    real = env.hf_hub_cache() if real is None else real
    view.mkdir(parents=True, exist_ok=True)
    real_entries = {}
    if real.is_dir() and real.resolve() != view.resolve():
        real_entries = {entry.name: entry for entry in sorted(real.iterdir())
                        if entry.is_dir() and entry.name.startswith(ENTRY_PREFIXES)}
    catalogued = {repo_folder(name): name for name in names}
    kinds = {}
    for folder, entry in real_entries.items():
        name = catalogued.get(folder)
        if name is not None and real_snapshot(name, real) is None:
            continue  # a catalogued model only partly in the real cache: its fallback below
        if link(entry, view / folder) and name is not None:
            kinds[name] = "cache"  # (without symbolic links a real model cannot be shown: its fallback below)
    for folder, name in catalogued.items():
        if name in kinds:
            continue
        target = fallback(name)
        if target is None:
            remove(view / folder)
            kinds[name] = "none"
        else:
            link(target, view / folder, copy_if_needed=True)
            kinds[name] = "fallback"
    for path in view.iterdir():
        if path.name.startswith(ENTRY_PREFIXES) and path.name not in real_entries and path.name not in catalogued:
            remove(path)  # e.g. a model removed from the real cache since the last refresh
    return kinds
