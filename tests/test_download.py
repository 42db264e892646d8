"""Tests for lectureutils.download: cache, checksum, atomicity.

A tiny HTTP server on 127.0.0.1 (a thread) stands in for the internet.
"""

from __future__ import annotations

import hashlib
import http.server
import threading

import pytest

from lectureutils import download as dl

PAYLOAD = ("NSMC 같은 데이터\t" * 4000).encode("utf-8")  # ~100 kB: several chunks
PAYLOAD_SHA = hashlib.sha256(PAYLOAD).hexdigest()


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        _Handler.hits[self.path] = _Handler.hits.get(self.path, 0) + 1
        if self.path.startswith("/ok/"):
            self._send(PAYLOAD, len(PAYLOAD))
        elif self.path.startswith("/short/"):
            # Promise the full length, send half, close: a dropped connection.
            self._send(PAYLOAD[: len(PAYLOAD) // 2], len(PAYLOAD))
            self.close_connection = True
        elif self.path.startswith("/nolength/"):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(PAYLOAD)
            self.close_connection = True
        else:
            self.send_error(404)

    def _send(self, body: bytes, length: int):
        self.send_response(200)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _hits(path: str) -> int:
    return _Handler.hits.get(path, 0)


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".part"))


def test_download_verifies_and_caches(server, tmp_path):
    url = f"{server}/ok/cached.txt"
    path = dl.download(url, tmp_path / "cached.txt", PAYLOAD_SHA, progress=False)
    assert path == tmp_path / "cached.txt"
    assert path.read_bytes() == PAYLOAD
    assert _hits("/ok/cached.txt") == 1
    # Second call: served from the cache, no request.
    again = dl.download(url, tmp_path / "cached.txt", PAYLOAD_SHA.upper(), progress=False)
    assert again == path and _hits("/ok/cached.txt") == 1
    assert _leftovers(tmp_path) == []


def test_download_never_reads_the_environment():
    import inspect

    source = inspect.getsource(dl)
    assert "os.environ" not in source and "getenv" not in source and "find_spec" not in source


def test_checksum_mismatch_names_url_and_hashes(server, tmp_path):
    url = f"{server}/ok/bad.txt"
    wrong = "0" * 64
    with pytest.raises(dl.ChecksumError) as info:
        dl.download(url, tmp_path / "bad.txt", wrong, progress=False)
    msg = str(info.value)
    assert url in msg and wrong in msg and PAYLOAD_SHA in msg
    assert not (tmp_path / "bad.txt").exists()
    assert _leftovers(tmp_path) == []


def test_server_closing_early_leaves_no_file(server, tmp_path):
    url = f"{server}/short/trunc.txt"
    with pytest.raises(dl.DownloadError, match="incomplete|interrupted"):
        dl.download(url, tmp_path / "trunc.txt", progress=False)  # no checksum given
    assert list(tmp_path.iterdir()) == []


def test_wrong_size_without_content_length(server, tmp_path):
    with pytest.raises(dl.DownloadError, match="wrong size"):
        dl.download(f"{server}/nolength/n.txt", tmp_path / "n.txt", progress=False,
                    num_bytes=len(PAYLOAD) + 1)
    assert list(tmp_path.iterdir()) == []
    path = dl.download(f"{server}/nolength/n.txt", tmp_path / "n.txt", PAYLOAD_SHA,
                       num_bytes=len(PAYLOAD), progress=False)
    assert path.read_bytes() == PAYLOAD


class _Bar:
    """Progress bar stand-in that runs a hook on each chunk."""

    def __init__(self, hook):
        self.hook, self.n = hook, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, k):
        self.n += k
        self.hook(self.n)


def test_interrupt_mid_stream_and_atomicity(server, tmp_path, monkeypatch):
    final = tmp_path / "atomic.txt"
    seen = []

    def hook(n):
        # While bytes are arriving, the final path must not exist yet...
        seen.append(final.exists())
        if n > len(PAYLOAD) // 2:
            raise KeyboardInterrupt  # ...and a Ctrl-C half-way leaves nothing behind.

    monkeypatch.setattr("tqdm.auto.tqdm", lambda *args, **kwargs: _Bar(hook))
    with pytest.raises(KeyboardInterrupt):
        dl.download(f"{server}/ok/atomic.txt", tmp_path / "atomic.txt", PAYLOAD_SHA, progress=False)
    assert seen and not any(seen)
    assert list(tmp_path.iterdir()) == []


def test_stale_cache_is_replaced_or_kept_intact(server, tmp_path):
    final = tmp_path / "stale.txt"
    final.write_bytes(b"corrupted by an old, broken tool")
    # A failing re-download does not touch the old file (and it stays invalid).
    with pytest.raises(dl.DownloadError):
        dl.download(f"{server}/short/stale.txt", final, PAYLOAD_SHA, progress=False)
    assert final.read_bytes() == b"corrupted by an old, broken tool"
    # A good re-download replaces it.
    dl.download(f"{server}/ok/stale.txt", final, PAYLOAD_SHA, progress=False)
    assert final.read_bytes() == PAYLOAD
    assert _leftovers(tmp_path) == []


def test_file_url_and_http_error(server, tmp_path):
    src = tmp_path / "src" / "local.tsv"
    src.parent.mkdir()
    src.write_bytes(PAYLOAD)
    out = tmp_path / "out"
    path = dl.download(src.as_uri(), out / "local.tsv", PAYLOAD_SHA, progress=True)
    assert path == out / "local.tsv" and dl.sha256sum(path) == PAYLOAD_SHA
    with pytest.raises(dl.DownloadError, match="404"):
        dl.download(f"{server}/missing.txt", out / "missing.txt", progress=False)
    assert _leftovers(out) == []
