"""Cached, checksum-verified, atomic downloads with a progress bar (05 §1: the data sets' files).

:func:`download` is told where and whether (by :mod:`lectureutils.corpus`); it never reads the environment. Bytes
go to a temporary file beside the destination and are hashed as they arrive; only a complete, verified file is
moved onto the final path, so a failed or interrupted download never poisons the cache.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.request
from pathlib import Path

__all__ = ["DownloadError", "ChecksumError", "sha256sum", "download"]

CHUNK = 1 << 16
USER_AGENT = "lectureutils (BERT & GPT lecture notebooks)"


class DownloadError(RuntimeError):
    """A download failed: network error, truncated transfer, wrong size (05 §1)."""


class ChecksumError(DownloadError):
    """The downloaded bytes do not have the expected sha256 (05 §1)."""

    def __init__(self, url: str, expected: str, actual: str):
        self.url, self.expected, self.actual = url, expected, actual
        super().__init__(
            f"checksum mismatch for {url}: expected sha256 {expected}, got {actual}. "
            "The partial file was deleted; the source may have changed or the transfer was corrupted."
        )


def sha256sum(path: str | os.PathLike, chunk_size: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks (05 §1)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk_size), b""):
            h.update(block)
    return h.hexdigest()


def is_cached(path: Path, sha256: str | None, num_bytes: int | None) -> bool:
    """True when ``path`` exists with the expected size and sha256 (each checked when given)."""
    if not path.is_file() or (num_bytes is not None and path.stat().st_size != num_bytes):
        return False
    return sha256 is None or sha256sum(path) == sha256


def download(url: str, dest: str | os.PathLike, sha256: str | None = None, *, progress: bool = True,
             num_bytes: int | None = None, timeout: float = 60.0) -> Path:
    """Download ``url`` (http(s):// or file://) to the file ``dest`` once, and return its path (05 §1).

    A cached file that matches ``sha256`` and ``num_bytes`` (each checked when given) is returned as it is; one
    that does not is downloaded again. Raises :class:`ChecksumError` or :class:`DownloadError`.
    """
    path = Path(dest).expanduser()
    expected = sha256.strip().lower() if sha256 else None
    if is_cached(path, expected, num_bytes):
        return path
    if path.exists():
        print(f"cached file {path} does not match its checksum; downloading it again")
    from tqdm.auto import tqdm

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        hasher = hashlib.sha256()
        received = 0
        with os.fdopen(fd, "wb") as out:
            try:
                response = urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": USER_AGENT}),
                                                  timeout=timeout)
            except OSError as exc:  # URLError, HTTPError and timeouts are OSErrors
                raise DownloadError(f"could not download {url}: {exc}") from exc
            with response:
                length = response.headers.get("Content-Length")
                length = int(length) if length and length.isdigit() else None
                with tqdm(total=length if length is not None else num_bytes, desc=path.name, unit="B",
                          unit_scale=True, unit_divisor=1024, disable=not progress) as bar:
                    while True:
                        try:
                            block = response.read(CHUNK)
                        except OSError as exc:  # includes http.client.IncompleteRead
                            raise DownloadError(f"download of {url} was interrupted after {received} bytes: {exc}") from exc
                        if not block:
                            break
                        out.write(block)
                        hasher.update(block)
                        received += len(block)
                        bar.update(len(block))
            out.flush()
            os.fsync(out.fileno())
        if length is not None and received != length:  # http.client does not raise when a server closes early
            raise DownloadError(f"download of {url} is incomplete: received {received} of {length} bytes")
        if num_bytes is not None and received != num_bytes:
            raise DownloadError(f"download of {url} has the wrong size: expected {num_bytes} bytes, got {received}")
        actual = hasher.hexdigest()
        if expected is not None and actual != expected:
            raise ChecksumError(url, expected, actual)
        os.replace(tmp, path)
    except BaseException:  # failure, mismatch or KeyboardInterrupt: nothing may reach the final path
        tmp.unlink(missing_ok=True)
        raise
    return path
