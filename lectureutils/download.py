"""Cached, checksum-verified, atomic downloads with a progress bar.

Used by :mod:`lectureutils.data` to fetch the real data sets (NSMC for
``05_document_classification``, KorQuAD 1.0 for ``06_question_answering``).

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
* **Offline-safe.** In offline mode (``LECTUREUTILS_OFFLINE=1``) a cached file
  is still returned, but a file that would need the network raises
  :class:`OfflineError` instead.

Nothing happens at import time.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

__all__ = [
    "DownloadError",
    "ChecksumError",
    "OfflineError",
    "default_cache_dir",
    "is_offline",
    "sha256sum",
    "download",
]

#: Environment variable that moves the cache (default ``~/.cache/lectureutils``).
CACHE_ENV = "LECTUREUTILS_CACHE"
#: Environment variable that switches offline mode on (``1``/``true``/``yes``/``on``).
OFFLINE_ENV = "LECTUREUTILS_OFFLINE"

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
    """A download was needed while offline mode is on."""


def default_cache_dir() -> Path:
    """The cache directory: ``$LECTUREUTILS_CACHE`` or ``~/.cache/lectureutils``."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "lectureutils"


def _env_offline() -> bool:
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def is_offline() -> bool:
    """Whether offline mode is on.

    Delegates to ``lectureutils.modes.is_offline()`` when that module exists
    (imported lazily, so this module works before and without it); otherwise
    reads ``$LECTUREUTILS_OFFLINE``.
    """
    try:
        spec = importlib.util.find_spec("lectureutils.modes")
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        modes = importlib.import_module("lectureutils.modes")
        func = getattr(modes, "is_offline", None)
        if callable(func):
            return bool(func())
    return _env_offline()


def sha256sum(path: str | os.PathLike, chunk_size: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
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


def _resolve_dest(url: str, dest: str | os.PathLike | None) -> Path:
    if dest is None:
        return default_cache_dir() / _filename_from_url(url)
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
    dest: str | os.PathLike | None = None,
    sha256: str | None = None,
    *,
    progress: bool = True,
    num_bytes: int | None = None,
    offline: bool | None = None,
    timeout: float = 60.0,
) -> Path:
    """Download ``url`` once into a cache and return the local path.

    Parameters
    ----------
    url:
        ``http(s)://`` or ``file://`` URL.
    dest:
        Where to put the file.  ``None``: the default cache directory
        (:func:`default_cache_dir`) plus the URL's file name.  An existing
        directory, or a path ending in ``/``: that directory plus the URL's file
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
        ``None`` reads the mode (:func:`is_offline`).  When offline, a valid
        cached file is returned and anything else raises :class:`OfflineError`
        without touching the network.
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

    if offline is None:
        offline = is_offline()
    if offline:
        why = "the cached copy does not match its checksum" if stale else "it is not in the cache"
        raise OfflineError(
            f"offline mode is on ({OFFLINE_ENV}=1), so {url} cannot be downloaded "
            f"({why}: {path}). Unset {OFFLINE_ENV} to download it, or use the "
            "offline sample in data/."
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
