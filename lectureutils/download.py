"""Cached, checksum-verified, atomic downloads with a progress bar.

Used by :mod:`lectureutils.corpus` to fetch the real data sets (NSMC for
``05_document_classification``, KorQuAD 1.0 for ``06_question_answering``, KLUE for 09 and 10).

This module is *told* where and whether: the caller passes the destination and the
offline flag (usually from :mod:`lectureutils.env`); it never reads the environment.

Guarantees of :func:`download`:

* **Cached.** A file that is already at the destination (and matches the
  expected sha256 / size, when given) is returned without touching the network.
* **Verified.** With ``sha256=...`` the bytes are hashed while they arrive and
  compared before the file is published.
* **Atomic.** Bytes go to a temporary file in the destination's directory
  (``.<name>.<random>.part``); only a complete, verified file is moved onto the
  final path with :func:`os.replace`.  A failed, interrupted or mismatched
  download deletes its temporary file and never leaves anything at the final
  path, so a broken download cannot poison the cache.
* **Offline-safe.** With ``offline=True`` (or the reason, e.g.
  ``offline="no route to huggingface.co"``) a cached file is still returned, but a
  file that would need the network raises :class:`OfflineError`, which names the reason.

Nothing happens at import time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

__all__ = [
    "DownloadError",
    "ChecksumError",
    "OfflineError",
    "sha256sum",
    "download",
]

_CHUNK = 1 << 16
_USER_AGENT = "lectureutils (BERT & GPT lecture notebooks)"


class DownloadError(RuntimeError):
    """A download failed (network error, truncated transfer, wrong size)."""


class ChecksumError(DownloadError):
    """The downloaded bytes do not have the expected sha256."""

    def __init__(self, url: str, expected: str, actual: str):
        self.url, self.expected, self.actual = url, expected, actual
        super().__init__(
            f"checksum mismatch for {url}: expected sha256 {expected}, got {actual}. "
            "The partial file was deleted; the source may have changed or the "
            "transfer was corrupted."
        )


class OfflineError(DownloadError):
    """A download was needed while offline (the message says why we are offline)."""


def sha256sum(path: str | os.PathLike, chunk_size: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks (05_document_classification §1: verified data files)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk_size), b""):
            h.update(block)
    return h.hexdigest()


def _filename_from_url(url: str) -> str:
    name = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).name
    if not name:
        raise ValueError(f"cannot derive a file name from URL {url!r}; pass a file path as dest")
    return name


def _resolve_dest(url: str, dest: str | os.PathLike) -> Path:
    if dest is None:
        raise TypeError("download() needs a destination: a file path or a folder (e.g. env.cache_dir() / 'nsmc')")
    text = os.fspath(dest)
    path = Path(text).expanduser()
    if path.is_dir() or text.endswith(("/", os.sep)):
        return path / _filename_from_url(url)
    return path


def _cached_ok(path: Path, sha256: str | None, num_bytes: int | None) -> bool:
    if not path.is_file():
        return False
    if num_bytes is not None and path.stat().st_size != num_bytes:
        return False
    if sha256 is not None and sha256sum(path) != sha256:
        return False
    return True


def _progress_bar(total: int | None, desc: str, enabled: bool):
    from tqdm.auto import tqdm  # imported lazily: no work at import time

    return tqdm(
        total=total, desc=desc, unit="B", unit_scale=True, unit_divisor=1024,
        disable=not enabled, leave=True,
    )


def download(
    url: str,
    dest: str | os.PathLike,
    sha256: str | None = None,
    *,
    progress: bool = True,
    num_bytes: int | None = None,
    offline: bool | str | None = False,
    timeout: float = 60.0,
) -> Path:
    """Download ``url`` once into a cache and return the local path (05_document_classification §1).

    Parameters
    ----------
    url:
        ``http(s)://`` or ``file://`` URL.
    dest:
        Where to put the file (required: this module never picks a cache itself;
        callers use ``lectureutils.env.cache_dir()``).  An existing directory, or a path ending in ``/``: that directory plus the URL's file
        name (created if needed).  Anything else: the exact file path.
    sha256:
        Expected hex sha256 (case-insensitive).  Checked on every call: a cached
        file that does not match is downloaded again; a download that does not
        match raises :class:`ChecksumError` and its temporary file is deleted.
        ``None`` skips the check (any existing file counts as cached).
    progress:
        Show a tqdm progress bar.
    num_bytes:
        Expected size in bytes, checked like ``sha256`` (cheap extra check, and
        the progress bar's total when the server sends no length).
    offline:
        ``False`` or ``None``: may download.  ``True``, or the reason as a string
        (pass ``lectureutils.env.offline_reason()``): a valid cached file is returned
        and anything else raises :class:`OfflineError`, naming the reason, without
        touching the network.
    timeout:
        Socket timeout in seconds.

    Raises
    ------
    OfflineError, ChecksumError, DownloadError
    """
    path = _resolve_dest(url, dest)
    expected = sha256.strip().lower() if sha256 else None

    if _cached_ok(path, expected, num_bytes):
        return path
    stale = path.exists()

    if offline:
        why = "the cached copy does not match its checksum" if stale else "it is not in the cache"
        reason = offline if isinstance(offline, str) else "offline mode is on"
        raise OfflineError(
            f"offline ({reason}), so {url} cannot be downloaded ({why}: {path}). "
            "Connect to the network (and unset LECTUREUTILS_OFFLINE / HF_HUB_OFFLINE if set) "
            "to download it, or use the offline sample in data/."
        )
    if stale:
        print(f"cached file {path} does not match its checksum; downloading it again")

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        hasher = hashlib.sha256()
        received = 0
        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
        with os.fdopen(fd, "wb") as out:
            try:
                response = urllib.request.urlopen(request, timeout=timeout)
            except OSError as exc:  # URLError, HTTPError, timeouts are OSErrors
                raise DownloadError(f"could not download {url}: {exc}") from exc
            with response:
                length = response.headers.get("Content-Length")
                length = int(length) if length and length.isdigit() else None
                total = length if length is not None else num_bytes
                with _progress_bar(total, path.name, progress) as bar:
                    while True:
                        try:
                            block = response.read(_CHUNK)
                        except OSError as exc:  # includes http.client.IncompleteRead
                            raise DownloadError(
                                f"download of {url} was interrupted after {received} bytes: {exc}"
                            ) from exc
                        if not block:
                            break
                        out.write(block)
                        hasher.update(block)
                        received += len(block)
                        bar.update(len(block))
            out.flush()
            os.fsync(out.fileno())

        # http.client does not raise when a server closes early: check the length.
        if length is not None and received != length:
            raise DownloadError(
                f"download of {url} is incomplete: received {received} of {length} bytes"
            )
        if num_bytes is not None and received != num_bytes:
            raise DownloadError(
                f"download of {url} has the wrong size: expected {num_bytes} bytes, got {received}"
            )
        actual = hasher.hexdigest()
        if expected is not None and actual != expected:
            raise ChecksumError(url, expected, actual)
        os.replace(tmp, path)
    except BaseException:
        # Failure, mismatch or KeyboardInterrupt: nothing may reach the final path.
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise
    return path
