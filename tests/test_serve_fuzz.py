"""The fuzz set: malformed, hostile and odd requests sent as raw bytes to a real uvicorn on 127.0.0.1.

Every case must get an answer below 500, every 4xx body must be at most 4 KB (no echo of the input), and
``/health`` must answer after every case. ``run_fuzz(port)`` is shared with benchmarks/serve.py.
Bounded: about a hundred requests, a few seconds.
"""

import json
import socket

import pytest
from serve_fixtures import untrained_checkpoints

from lectureutils import serve

QUESTION = "광합성은 주로 어디에서 일어나는가?"
CONTEXT = "식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다."


def request(method: str, path: str, body: bytes = b"", content_type: str | None = "application/json",
            headers: dict | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def post(path: str, payload) -> bytes:
    return request("POST", path, json.dumps(payload, ensure_ascii=False).encode())


def fuzz_cases() -> list[tuple[str, bytes]]:
    """(name, raw request bytes)."""
    cases = []
    payloads = [{}, {"text": ""}, {"text": " \u3000\u200b"}, {"text": None}, {"text": 5}, {"text": 1e308},
                {"text": True}, {"text": []}, {"text": {"a": "b"}}, {"text": "a", "texts": ["b"]}, {"texts": []},
                {"texts": [None]}, {"texts": "abc"}, {"texts": ["좋아요"] * 33}, {"text": "가" * 2001},
                {"review": "좋아요"}, [], "좋아요", None, 0, {"question": QUESTION}, {"context": CONTEXT},
                {"question": "", "context": CONTEXT}, {"question": QUESTION, "context": "가" * 10_001},
                {"question": "왜" * 301, "context": CONTEXT}, {"question": QUESTION, "context": CONTEXT, "x": 1}]
    for path in ("/api/classify", "/api/answer"):
        cases += [(f"{path} {json.dumps(payload)[:40]}", post(path, payload)) for payload in payloads]
    raw_bodies = {
        "invalid JSON": b'{"text": ', "trailing garbage": b'{"text": "a"} x', "single quotes": b"{'text': 'a'}",
        "NaN": b'{"text": NaN}', "1e999": b'{"text": 1e999}', "huge integer": b'{"text": ' + b"9" * 10_000 + b"}",
        "lone surrogate": b'{"text": "\\ud800"}', "not UTF-8": b'{"text": "\xff\xfe"}', "empty": b"",
        "deep arrays": b"[" * 200_000 + b"]" * 200_000, "deep objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        "50k unknown keys": ("{" + ",".join(f'"k{n}": 1' for n in range(50_000)) + "}").encode(),
        "990 KB key": json.dumps({"k" * 990_000: 1}).encode(),
        "over the byte limit": b'{"text": "' + b"a" * 1_100_000 + b'"}',
        "NUL bytes": b'{"text": "\x00\x00"}', "BOM": b'\xef\xbb\xbf{"text": "a"}',
        "UTF-16": '{"text": "좋아요"}'.encode("utf-16"),
        "duplicate keys": b'{"text": "a", "text": ""}',
    }
    for name, body in raw_bodies.items():
        cases.append((f"raw: {name}", request("POST", "/api/classify", body)))
        cases.append((f"raw to answer: {name}", request("POST", "/api/answer", body)))
    for content_type in ("text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                         "application/json; charset=latin-1", None, "application/json\x01"):
        cases.append((f"content type {content_type!r}", request("POST", "/api/classify", b'{"text": "a"}',
                                                                content_type)))
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "GET", "BREW"):
        cases.append((f"{method} /api/classify", request(method, "/api/classify", b"", None)))
    for path in ("/api/classify/", "/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                 "/static/..%2f..%2fpyproject.toml", "/%00", "/" + "a" * 8_000, "/api/classify?text=x", "/docs/",
                 "/health/", "/static/", "/static/nope.js", "//evil.example/", "/%ED%95%9C"):
        cases.append((f"GET {path[:40]}", request("GET", path, b"", None)))
    cases += [
        ("evil Host with a trailing slash", request("POST", "/api/classify/", b'{"text": "a"}',
                                                    headers={"X-Forwarded-Host": "evil.example"}).replace(
            b"Host: 127.0.0.1", b"Host: evil.example")),
        ("negative Content-Length", b"POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"),
        ("two Content-Lengths", b"POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                b"Content-Length: 3\r\n\r\n{}"),
        ("garbage request line", b"GARBAGE\r\n\r\n"),
        ("HTTP/0.9", b"GET /\r\n\r\n"),
        ("header over 16 KB", request("GET", "/health", b"", None, {"X-Big": "a" * 20_000})),
        ("1,000 headers", request("GET", "/health", b"", None, {f"X-{n}": "a" for n in range(1_000)})),
        ("non-ASCII header", request("GET", "/health", b"", None, {"X-Name": "\xe9\xff"})),
        ("chunked over the limit", b"POST /api/classify HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                   b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   + b"".join(b"%x\r\n%s\r\n" % (65_536, b"a" * 65_536) for _ in range(17)) + b"0\r\n\r\n"),
        ("bad chunk size", b"POST /api/classify HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
    ]
    return cases


def exchange(port: int, data: bytes, timeout: float = 20.0) -> tuple[int | None, bytes]:
    """Send raw bytes, read until the server closes; (status or None, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server refused early (e.g. the body was over the limit); its answer may still be there
        received = b""
        try:
            while chunk := sock.recv(65_536):
                received += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    if not received.startswith(b"HTTP/"):
        return None, received
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def run_fuzz(port: int) -> dict:
    """Every case, then /health: ``{"cases", "5xx", "largest_4xx", "health_ok", "failures"}``."""
    result = {"cases": 0, "5xx": 0, "largest_4xx": 0, "health_ok": True, "failures": []}
    for name, data in fuzz_cases():
        status, body = exchange(port, data)
        result["cases"] += 1
        if status is not None and status >= 500:
            result["5xx"] += 1
            result["failures"].append(f"{name}: {status} {body[:200]!r}")
        if status is not None and 400 <= status < 500:
            result["largest_4xx"] = max(result["largest_4xx"], len(body))
            if len(body) > 4096:
                result["failures"].append(f"{name}: a {len(body)}-byte {status} body")
        health, _ = exchange(port, request("GET", "/health", b"", None))
        if health != 200:
            result["health_ok"] = False
            result["failures"].append(f"{name}: /health answered {health} after it")
    return result


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    classifier_dir, qa_dir = untrained_checkpoints(tmp_path_factory.mktemp("fuzz_checkpoints"))
    handle = serve.start_in_background(classifier_dir, qa_dir, port=0, show=False)
    yield handle
    handle.stop()


def test_the_fuzz_set_gets_no_5xx_small_4xx_and_health_after_every_case(running):
    result = run_fuzz(running.port)
    assert result["cases"] > 100
    assert not result["failures"], "\n".join(result["failures"])
    assert result["5xx"] == 0 and result["largest_4xx"] <= 4096 and result["health_ok"]
