"""A real uvicorn serving lectureutils.serve on 127.0.0.1: concurrent load, broken connections, uvicorn's own
limits, the notebook runner (start_in_background, Colab's proxy) and ``python -m lectureutils.serve``."""

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import types

import httpx
import pytest
from serve_fixtures import untrained_checkpoints

from lectureutils import serve

REVIEW = "배우들 연기가 정말 좋았고 스토리도 탄탄했어요"
QUESTION = "광합성은 주로 어디에서 일어나는가?"
CONTEXT = "식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다. 엽록체 안에는 엽록소라는 초록색 색소가 있다."


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    return untrained_checkpoints(tmp_path_factory.mktemp("server_checkpoints"))


@pytest.fixture(scope="module")
def running(checkpoints):
    handle = serve.start_in_background(checkpoints[0], checkpoints[1], port=0, show=False)
    yield handle
    handle.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def load(url: str, clients: int, requests: int) -> list:
    """``requests`` POSTs (classify and answer, alternating) from ``clients`` concurrent clients."""
    jobs = asyncio.Queue()
    for number in range(requests):
        if number % 2:
            jobs.put_nowait(("api/answer", {"question": QUESTION, "context": CONTEXT}))
        else:
            jobs.put_nowait(("api/classify", {"text": f"{REVIEW} {number % 5}"}))
    results = []

    async def worker():
        async with httpx.AsyncClient(base_url=url, timeout=30.0) as http:
            while not jobs.empty():
                path, payload = jobs.get_nowait()
                response = await http.post(path, json=payload)
                results.append((response.status_code, response.json(), payload))

    await asyncio.gather(*(worker() for _ in range(clients)))
    return results


def test_concurrent_load_gets_the_same_answers_in_batches(running):
    assert running.url.startswith("http://127.0.0.1:")
    results = asyncio.run(load(running.url, clients=16, requests=160))
    assert len(results) == 160
    assert all(status == 200 for status, _, _ in results), {status for status, _, _ in results}
    by_input = {}
    for _, body, payload in results:  # the same input gets the same output, whatever it was batched with
        key = json.dumps(payload, ensure_ascii=False)
        by_input.setdefault(key, []).append(body)
    for bodies in by_input.values():
        for body in bodies[1:]:
            for field in ("positive", "score"):
                if field in body:
                    assert body[field] == pytest.approx(bodies[0][field], abs=1e-5)
            for field in ("label", "answer", "start", "end"):
                assert body.get(field) == bodies[0].get(field)
    health = httpx.get(running.url + "health", timeout=5).json()
    assert health["models"]["classification"]["stats"]["largest_batch"] > 1


def test_the_server_survives_broken_connections(running):
    for request in (
        b"POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"te",
        b"GARBAGE\r\n\r\n",
        b"POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    ):
        with socket.create_connection(("127.0.0.1", running.port), timeout=5) as sock:
            sock.sendall(request)
    time.sleep(0.2)
    assert httpx.post(running.url + "api/classify", json={"text": REVIEW}, timeout=10).status_code == 200


def test_uvicorn_limits_idle_connections_and_header_size(running):
    from lectureutils.serve.background import KEEP_ALIVE_SECONDS, uvicorn_settings

    assert uvicorn_settings()["timeout_keep_alive"] == KEEP_ALIVE_SECONDS and uvicorn_settings()["limit_concurrency"]
    with socket.create_connection(("127.0.0.1", running.port), timeout=KEEP_ALIVE_SECONDS + 10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        began, received = time.monotonic(), b""
        while chunk := sock.recv(65_536):  # the answer, then the close of the idle keep-alive connection
            received += chunk
        assert received.startswith(b"HTTP/1.1 200") and time.monotonic() - began < KEEP_ALIVE_SECONDS + 5
    with socket.create_connection(("127.0.0.1", running.port), timeout=10) as sock:  # headers over several reads
        with contextlib.suppress(ConnectionError):
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")
        with contextlib.suppress(ConnectionError):
            assert not sock.recv(1024).startswith(b"HTTP/1.1 200"), "headers over the limit are refused"
    assert httpx.get(running.url + "health", timeout=10).status_code == 200


def test_start_in_background_prints_the_url_and_stops(checkpoints, capsys):
    port = free_port()
    handle = serve.start_in_background(classifier_dir=checkpoints[0], port=port)
    assert handle.url == f"http://127.0.0.1:{port}/"
    assert handle.url in capsys.readouterr().out
    again = serve.start_in_background(classifier_dir=checkpoints[0], port=port, show=False)  # a re-run cell
    assert not handle.running, "starting again on the same port stops the earlier server"
    assert httpx.get(again.url + "health", timeout=5).status_code == 200
    again.stop()
    assert not again.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(again.url + "health", timeout=2)


def test_a_model_that_fails_to_load_stops_the_start_with_the_reason(checkpoints, tmp_path):
    for name in ("config.json", "model.safetensors"):
        (tmp_path / name).write_bytes((__import__("pathlib").Path(checkpoints[0]) / name).read_bytes()[:100])
    with pytest.raises(RuntimeError, match="could not load its models"):
        serve.start_in_background(classifier_dir=tmp_path, port=0, show=False, timeout=60)


def test_port_in_use_gives_a_clear_error(checkpoints):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with pytest.raises(OSError, match=f"Cannot listen on 127.0.0.1:{port}"):
            serve.start_in_background(classifier_dir=checkpoints[0], port=port, show=False)


@pytest.mark.parametrize("proxy_works", [True, False])
def test_on_colab_the_page_is_shown_through_the_port_proxy(checkpoints, monkeypatch, capsys, proxy_works):
    calls = []

    def eval_js(code):
        calls.append(("eval_js", code))
        if not proxy_works:
            raise RuntimeError("no front end")
        return "https://8000-abc-colab.googleusercontent.com/"

    output = types.SimpleNamespace(
        eval_js=eval_js, serve_kernel_port_as_iframe=lambda port, **kw: calls.append(("iframe", port))
    )
    colab = types.ModuleType("google.colab")
    colab.output = output
    google = types.ModuleType("google")
    google.colab = colab
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    handle = serve.start_in_background(qa_dir=checkpoints[1], port=0)
    try:
        assert ("eval_js", f"google.colab.kernel.proxyPort({handle.port})") in calls
        assert ("iframe", handle.port) in calls, "the page is shown below the cell either way"
        printed = capsys.readouterr().out
        if proxy_works:
            assert handle.proxy_url == "https://8000-abc-colab.googleusercontent.com/" and handle.proxy_url in printed
        else:
            assert handle.proxy_url is None
        assert "127.0.0.1" not in printed, "a Colab user cannot open the VM's local address"
    finally:
        handle.stop()


def test_command_line_needs_a_checkpoint(capsys):
    with pytest.raises(SystemExit) as stopped:
        serve.main(["--port", "0"])
    assert stopped.value.code == 2
    assert "--classifier DIR, --qa DIR, or both" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        serve.main(["--classifier", ".", "--threads", "0"])
    assert "--threads must be at least 1" in capsys.readouterr().err


def test_python_dash_m_serves(checkpoints):
    port = free_port()
    command = [sys.executable, "-m", "lectureutils.serve", "--classifier", checkpoints[0], "--qa", checkpoints[1],
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--threads", "1", "--no-batching"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "LECTUREUTILS_OFFLINE": "1"})
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.stderr.read().decode()
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        assert health.json()["torch_threads"] == 1
        assert health.json()["models"]["qa"]["batching"] is False and health.json()["nli"] is False
        response = httpx.post(f"http://127.0.0.1:{port}/api/answer",
                              json={"question": QUESTION, "context": CONTEXT}, timeout=10)
        assert response.status_code == 200
        assert "server" not in response.headers, "uvicorn's server header is off"
    finally:
        process.terminate()
        process.wait(timeout=20)
