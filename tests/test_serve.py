"""Tests for lectureutils.serve: the JSON API, its validation, the page, a real uvicorn under load.

The checkpoints are untrained stand-ins (random heads): the tests check the contract (shapes,
probabilities, offsets, errors), not the quality of the answers. Only 127.0.0.1 traffic.
"""

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
import types

import httpx
import pytest
from fastapi.testclient import TestClient

from lectureutils import serve

REVIEW = "배우들 연기가 정말 좋았고 스토리도 탄탄했어요"
QUESTION = "광합성은 주로 어디에서 일어나는가?"
CONTEXT = "식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다. 엽록체 안에는 엽록소라는 초록색 색소가 있다."


@pytest.fixture(scope="session")
def checkpoints(tmp_path_factory):
    """(classifier_dir, qa_dir): untrained kcbert-base stand-ins saved with save_pretrained."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LECTUREUTILS_OFFLINE", "1")
        patch.setenv("HF_HUB_OFFLINE", "1")
        return serve.untrained_checkpoints(tmp_path_factory.mktemp("serve_checkpoints"))


@pytest.fixture(scope="module")
def client(checkpoints):
    app = serve.create_app(classifier_dir=checkpoints[0], qa_dir=checkpoints[1])
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------------------- the app
def test_create_app_needs_a_checkpoint(tmp_path):
    with pytest.raises(ValueError, match="classifier checkpoint directory, a QA"):
        serve.create_app()
    with pytest.raises(FileNotFoundError, match="does-not-exist"):
        serve.create_app(classifier_dir=tmp_path / "does-not-exist")


def test_health_says_what_is_loaded(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["classifier"] is True and body["qa"] is True
    assert body["limits"]["batch"] == serve.MAX_BATCH
    assert body["limits"]["text_chars"] == serve.MAX_TEXT_CHARS


def test_page_has_both_panels_and_no_external_resources(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page = response.text
    assert 'id="classify-form"' in page and 'id="qa-form"' in page
    assert "{{" not in page, "a template placeholder was left unfilled"
    assert f'maxlength="{serve.MAX_TEXT_CHARS}"' in page
    assets = [page, client.get("/static/app.js").text, client.get("/static/style.css").text]
    for text in assets:
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "the page must not load from a CDN"
        assert "@import" not in text and "fonts.googleapis" not in text
    assert client.get("/static/app.js").headers["content-type"].startswith(("text/javascript", "application/javascript"))
    css = assets[2]
    assert "Noto Sans KR" in css and "Malgun Gothic" in css and "NanumGothic" in css and "Apple SD Gothic Neo" in css


def test_page_shows_only_loaded_panels(checkpoints):
    with TestClient(serve.create_app(classifier_dir=checkpoints[0])) as only_classifier:
        page = only_classifier.get("/").text
        assert 'id="classify-form"' in page and 'id="qa-form"' not in page
        response = only_classifier.post("/api/answer", json={"question": QUESTION, "context": CONTEXT})
        assert response.status_code == 404 and "--qa" in response.json()["detail"]
        assert only_classifier.get("/health").json()["qa"] is False
    with TestClient(serve.create_app(qa_dir=checkpoints[1])) as only_qa:
        page = only_qa.get("/").text
        assert 'id="qa-form"' in page and 'id="classify-form"' not in page
        assert only_qa.post("/api/classify", json={"text": REVIEW}).status_code == 404


def test_openapi_documents_the_routes_and_limits(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/classify", "/api/answer", "/health"} <= set(schema["paths"])
    assert str(serve.MAX_BATCH) in schema["info"]["description"]
    assert client.get("/docs").status_code == 200


# ----------------------------------------------------------------------------- classify and answer
def test_classify_one_text(client):
    response = client.post("/api/classify", json={"text": REVIEW})
    assert response.status_code == 200
    result = response.json()
    assert result["text"] == REVIEW
    assert result["positive"] + result["negative"] == pytest.approx(1.0, abs=1e-3)
    assert 0.0 <= result["positive"] <= 1.0
    expected = "positive" if result["positive"] >= result["negative"] else "negative"
    assert result["label"] == expected
    assert result["prediction"] == {"positive": "긍정 (positive)", "negative": "부정 (negative)"}[expected]


def test_classify_batch_agrees_with_one_by_one(client):
    texts = [REVIEW, "시간 낭비였다", "그냥 그랬음 ㅋㅋ 😀"]
    batch = client.post("/api/classify", json={"texts": texts})
    assert batch.status_code == 200
    results = batch.json()["results"]
    assert [result["text"] for result in results] == texts
    for text, result in zip(texts, results):
        alone = client.post("/api/classify", json={"text": text}).json()
        assert alone["positive"] == pytest.approx(result["positive"], abs=1e-3)
        assert alone["label"] == result["label"]


def test_answer_is_a_span_of_the_context(client):
    response = client.post("/api/answer", json={"question": QUESTION, "context": CONTEXT})
    assert response.status_code == 200
    result = response.json()
    assert result["question"] == QUESTION
    assert 0 <= result["start"] <= result["end"] <= len(CONTEXT)
    assert CONTEXT[result["start"]:result["end"]] == result["answer"]
    assert isinstance(result["score"], float)


VALID_ODD_UNICODE = [
    "좋아요 😀👍🏽 최고",  # emoji, a skin-tone modifier (astral-plane code points)
    "\u200b좋\u200d아요",  # zero-width space and joiner inside
    "\u202eשלום עולם\u202c 좋아",  # right-to-left override, Hebrew
    "مرحبا بالعالم",  # Arabic (RTL)
    "좋은\x00영화",  # NUL inside text
    "ㅈㅗㅎㅇㅏ",  # bare jamo
    "e\u0301\u0301\u0301 combining",  # combining marks
    "\ufeffBOM first",
    "a",
]


@pytest.mark.parametrize("text", VALID_ODD_UNICODE)
def test_odd_but_valid_unicode_is_classified(client, text):
    response = client.post("/api/classify", json={"text": text})
    assert response.status_code == 200, response.text
    assert response.json()["text"] == text


@pytest.mark.parametrize("prefix", ["😀👍🏽 ", "\u202e", "\x00 ", "e\u0301 "])
def test_answer_offsets_count_code_points(client, prefix):
    context = prefix + CONTEXT
    result = client.post("/api/answer", json={"question": QUESTION, "context": context}).json()
    assert context[result["start"]:result["end"]] == result["answer"]


@pytest.mark.parametrize("context", ["\ue000\ue001", "\u0301\u0301", "😀", "\u2800", "\U000e0001 x", "가나 " * 1000])
def test_odd_passages_give_an_answer_or_a_422(client, context):
    response = client.post("/api/answer", json={"question": QUESTION, "context": context})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        result = response.json()
        assert context[result["start"]:result["end"]] == result["answer"]
        assert result["windows"] >= (2 if len(context) > 1000 else 1)
    else:
        assert response.json()["errors"][0]["field"] == "context"


# ----------------------------------------------------------------------------- bad input
def raw(body: bytes, content_type: str = "application/json"):
    return {"content": body, "headers": {"content-type": content_type}}


BAD_CLASSIFY = {
    "empty text": ({"text": ""}, 422, "text"),
    "whitespace": ({"text": " \t\n\u3000 "}, 422, "text"),
    "zero-width only": ({"text": "\u200b\u200c\u200d\ufeff"}, 422, "text"),
    "NUL only": ({"text": "\x00\x00"}, 422, "text"),
    "number": ({"text": 5}, 422, "text"),
    "boolean": ({"text": True}, 422, "text"),
    "null": ({"text": None}, 422, "text"),
    "nested object": ({"text": {"text": "좋아요"}}, 422, "text"),
    "list as text": ({"text": ["좋아요"]}, 422, "text"),
    "both fields": ({"text": "a", "texts": ["b"]}, 422, "text"),
    "no fields": ({}, 422, "text"),
    "unknown field": ({"review": "좋아요"}, 422, "review"),
    "texts not a list": ({"texts": "좋아요"}, 422, "texts"),
    "texts empty": ({"texts": []}, 422, "texts"),
    "texts with a number": ({"texts": ["좋아요", 3]}, 422, "texts[1]"),
    "texts with a blank": ({"texts": ["좋아요", "  "]}, 422, "texts[1]"),
    "texts nested": ({"texts": [["좋아요"]]}, 422, "texts[0]"),
    "body is a list": ([{"text": "좋아요"}], 422, "body"),
    "body is a string": ("좋아요", 422, "body"),
    "body is null": (None, 422, "body"),
    "huge text": ({"text": "가" * (serve.MAX_TEXT_CHARS + 1)}, 413, "text"),
    "too many texts": ({"texts": ["좋아요"] * (serve.MAX_BATCH + 1)}, 413, "texts"),
    "huge text in a batch": ({"texts": ["좋아요", "가" * (serve.MAX_TEXT_CHARS + 1)]}, 413, "texts[1]"),
}
BAD_RAW = {
    "invalid JSON": (b'{"text": ', 422),
    "trailing garbage": (b'{"text": "a"} x', 422),
    "single quotes": (b"{'text': 'a'}", 422),
    "NaN": (b'{"text": NaN}', 422),
    "infinity": (b'{"text": 1e999}', 422),
    "lone surrogate escaped": (b'{"text": "\\ud800 \xec\xa2\x8b\xec\x95\x84"}', 422),
    "lone low surrogate in batch": (b'{"texts": ["ok", "\\udfff"]}', 422),
    "not UTF-8": (b'{"text": "\xff\xfe"}', 422),
    "empty body": (b"", 422),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, 422),
    "duplicate key, last empty": (b'{"text": "a", "text": ""}', 422),
    "body over the byte limit": (b'{"text": "' + b"a" * (serve.MAX_BODY_BYTES + 10) + b'"}', 413),
}


@pytest.mark.parametrize("case", list(BAD_CLASSIFY))
def test_bad_classify_input_gives_a_clear_4xx(client, case):
    payload, status, field = BAD_CLASSIFY[case]
    response = client.post("/api/classify", json=payload)
    assert response.status_code == status, response.text
    body = response.json()
    assert field in [error["field"] for error in body["errors"]], body
    assert body["detail"].startswith(field) or f"{field}:" in body["detail"]
    assert "Traceback" not in response.text
    assert len(response.text) < 2_000, "an error must not echo the (possibly huge) input"


@pytest.mark.parametrize("case", list(BAD_RAW))
def test_bad_raw_bodies_give_4xx(client, case):
    body, status = BAD_RAW[case]
    response = client.post("/api/classify", **raw(body))
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    assert "Traceback" not in response.text and len(response.text) < 2_000


BAD_ANSWER = {
    "missing context": ({"question": QUESTION}, 422, "context"),
    "missing question": ({"context": CONTEXT}, 422, "question"),
    "empty question": ({"question": "", "context": CONTEXT}, 422, "question"),
    "whitespace context": ({"question": QUESTION, "context": "\n\n  "}, 422, "context"),
    "question a number": ({"question": 42, "context": CONTEXT}, 422, "question"),
    "context a list": ({"question": QUESTION, "context": [CONTEXT]}, 422, "context"),
    "context null": ({"question": QUESTION, "context": None}, 422, "context"),
    "context an object": ({"question": QUESTION, "context": {"text": CONTEXT}}, 422, "context"),
    "huge question": ({"question": "왜" * (serve.MAX_QUESTION_CHARS + 1), "context": CONTEXT}, 413, "question"),
    "huge context": ({"question": QUESTION, "context": "가" * (serve.MAX_CONTEXT_CHARS + 1)}, 413, "context"),
    "extra field": ({"question": QUESTION, "context": CONTEXT, "top_k": 3}, 422, "top_k"),
}


@pytest.mark.parametrize("case", list(BAD_ANSWER))
def test_bad_answer_input_gives_a_clear_4xx(client, case):
    payload, status, field = BAD_ANSWER[case]
    response = client.post("/api/answer", json=payload)
    assert response.status_code == status, response.text
    assert field in [error["field"] for error in response.json()["errors"]]


def test_content_type_other_than_json_is_refused(client):
    response = client.post("/api/classify", **raw(b'{"text": "a"}', "text/plain"))
    assert response.status_code == 422
    assert "application/json" in response.json()["detail"]


def test_chunked_body_over_the_limit_gives_413(client):
    def chunks():
        for _ in range(serve.MAX_BODY_BYTES // 65_536 + 2):
            yield b"a" * 65_536

    response = client.post("/api/classify", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_server_still_answers_after_the_fuzz(client):
    for payload, _, _ in BAD_CLASSIFY.values():
        assert client.post("/api/classify", json=payload).status_code < 500
    for body, _ in BAD_RAW.values():
        assert client.post("/api/answer", **raw(body)).status_code < 500
    assert client.get("/health").json()["status"] == "ok"
    assert client.post("/api/classify", json={"text": REVIEW}).status_code == 200
    assert client.post("/api/answer", json={"question": QUESTION, "context": CONTEXT}).status_code == 200


def test_model_value_error_is_a_422_and_a_crash_is_a_bare_500(checkpoints, monkeypatch):
    app = serve.create_app(classifier_dir=checkpoints[0], qa_dir=checkpoints[1])
    with TestClient(app, raise_server_exceptions=False) as test_client:
        models = app.state.models

        def refuse(question, context):
            raise ValueError("the question is longer than the model's window")

        monkeypatch.setattr(models, "answer", refuse)
        response = test_client.post("/api/answer", json={"question": QUESTION, "context": CONTEXT})
        assert response.status_code == 422
        assert "longer than the model's window" in response.json()["detail"]

        def crash(texts):
            raise RuntimeError("secret internal detail /home/someone/model.py line 12")

        monkeypatch.setattr(models, "classify", crash)
        response = test_client.post("/api/classify", json={"text": REVIEW})
        assert response.status_code == 500
        assert response.json() == {"detail": "Internal server error (see the server log)."}
        assert "secret" not in response.text and "Traceback" not in response.text


def test_unknown_route_and_method_are_json(client):
    assert client.get("/nope").json() == {"detail": "Not Found"}
    assert client.get("/api/classify").status_code == 405


# ----------------------------------------------------------------------------- a real server
async def load(url: str, clients: int, requests: int) -> list[tuple[int, dict]]:
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


@pytest.fixture(scope="module")
def running(checkpoints):
    handle = serve.start_in_background(checkpoints[0], checkpoints[1], port=0, show=False)
    yield handle
    handle.stop()


def test_real_server_under_concurrent_load(running):
    assert running.url.startswith("http://127.0.0.1:")
    results = asyncio.run(load(running.url, clients=20, requests=300))
    assert len(results) == 300
    assert all(status == 200 for status, _, _ in results), {status for status, _, _ in results}
    by_text = {}
    for _, body, payload in results:  # the same input always gets the same output, whatever ran beside it
        key = json.dumps(payload, ensure_ascii=False)
        by_text.setdefault(key, set()).add(json.dumps(body, sort_keys=True))
    assert all(len(outputs) == 1 for outputs in by_text.values())
    assert httpx.get(running.url + "health", timeout=5).status_code == 200


def test_real_server_survives_broken_connections(running):
    host, port = "127.0.0.1", running.port
    for request in (
        b"POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"te",
        b"GARBAGE\r\n\r\n",
        b"POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    ):
        with socket.create_connection((host, port), timeout=5) as sock:
            sock.sendall(request)
    time.sleep(0.2)
    response = httpx.post(running.url + "api/classify", json={"text": REVIEW}, timeout=10)
    assert response.status_code == 200


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


def test_a_folder_without_a_model_fails_at_start_with_the_reason(tmp_path):
    with pytest.raises(RuntimeError, match="could not load its models: .*no config.json"):
        serve.start_in_background(classifier_dir=tmp_path, port=0, show=False, timeout=60)
    with pytest.raises(FileNotFoundError, match="no config.json"):
        with TestClient(serve.create_app(qa_dir=tmp_path)):
            pass


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
        port = handle.port
        assert ("eval_js", f"google.colab.kernel.proxyPort({port})") in calls
        assert ("iframe", port) in calls, "the page is shown below the cell either way"
        printed = capsys.readouterr().out
        if proxy_works:
            assert handle.proxy_url == "https://8000-abc-colab.googleusercontent.com/"
            assert handle.proxy_url in printed
        else:
            assert handle.proxy_url is None
        assert "127.0.0.1" not in printed, "a Colab user cannot open the VM's local address"
        assert httpx.get(handle.url + "health", timeout=5).status_code == 200
    finally:
        handle.stop()


# ----------------------------------------------------------------------------- the command line
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
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--threads", "1"]
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
        response = httpx.post(f"http://127.0.0.1:{port}/api/answer",
                              json={"question": QUESTION, "context": CONTEXT}, timeout=10)
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=20)
