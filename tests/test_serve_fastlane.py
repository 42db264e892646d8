"""Tests for lectureutils.serve.fastlane: well-formed API requests skip FastAPI's machinery with the same
answer and headers; everything else (errors, odd bodies) goes through FastAPI exactly as before; a body that
never comes gets 408; a client that leaves while its request waits is dropped."""

import asyncio
import json
import threading

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from serve_fixtures import untrained_checkpoints

from lectureutils import serve
from lectureutils.serve import fastlane

REVIEW = "배우들 연기가 정말 좋았고 스토리도 탄탄했어요"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    classifier_dir, qa_dir = untrained_checkpoints(tmp_path_factory.mktemp("fastlane_checkpoints"))
    service = serve.create_app(classifier_dir=classifier_dir, qa_dir=qa_dir)
    with TestClient(service):  # loads the models (lifespan)
        yield service


@pytest.fixture
def through_fastapi(monkeypatch):
    """Counts the requests FastAPI's own stack handled."""
    seen = []
    original = FastAPI.__call__

    async def counting(self, scope, receive, send):
        if scope["type"] == "http":
            seen.append(scope["path"])
        await original(self, scope, receive, send)

    monkeypatch.setattr(FastAPI, "__call__", counting)
    return seen


def asgi(app, body: bytes, headers=None, messages=None):
    """Call ``app`` with one POST to /api/classify; (status, headers, body). ``messages``: the body messages."""
    headers = headers or [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/classify", "raw_path": b"/api/classify", "root_path": "", "query_string": b"",
             "headers": [(b"host", b"test"), *headers], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    queue = list(messages if messages is not None else [{"type": "http.request", "body": body, "more_body": False}])
    sent, done = [], asyncio.Event()

    async def receive():
        if queue:
            return queue.pop(0)
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        done.set() if message["type"] == "http.response.body" else None

    async def call():
        await app(scope, receive, send)

    asyncio.run(call())
    start = sent[0]
    return start["status"], dict(start["headers"]), b"".join(message.get("body", b"") for message in sent[1:])


def test_a_valid_request_takes_the_short_lane_with_fastapis_answer_and_headers(app, through_fastapi):
    body = json.dumps({"text": REVIEW}, ensure_ascii=False).encode()
    status, headers, answer = asgi(app, body)
    assert status == 200 and through_fastapi == []
    # the same request through FastAPI's route (a +json type is JSON to FastAPI, not to the short lane)
    plus_json = [(b"content-type", b"application/vnd.review+json"), (b"content-length", str(len(body)).encode())]
    status2, headers2, answer2 = asgi(app, body, headers=plus_json)
    assert status2 == 200 and through_fastapi == ["/api/classify"]
    assert answer == answer2 and json.loads(answer)["text"] == REVIEW
    assert headers == headers2
    assert headers[b"x-content-type-options"] == b"nosniff" and headers[b"referrer-policy"] == b"no-referrer"


@pytest.mark.parametrize("payload", [b'{"text": ""}', b'{"txt": "a"}', b"[1]", b'{"text": ', b"{}"])
def test_every_error_is_fastapis_own(app, through_fastapi, payload):
    status, headers, answer = asgi(app, payload)
    assert status == 422 and through_fastapi == ["/api/classify"]
    assert json.loads(answer)["detail_ko"] and headers[b"x-content-type-options"] == b"nosniff"


def test_a_body_in_two_parts_is_replayed_to_fastapi(app, through_fastapi):
    body = json.dumps({"text": REVIEW}, ensure_ascii=False).encode()
    parts = [{"type": "http.request", "body": body[:5], "more_body": True},
             {"type": "http.request", "body": body[5:], "more_body": False}]
    status, _, answer = asgi(app, body, messages=parts)
    assert status == 200 and json.loads(answer)["text"] == REVIEW and through_fastapi == ["/api/classify"]


def test_a_body_that_never_comes_gets_408(app, monkeypatch):
    monkeypatch.setattr(fastlane, "BODY_SECONDS", 0.2)
    status, headers, answer = asgi(app, b"{}" * 10, messages=[])
    assert status == 408 and json.loads(answer)["errors"][0]["type"] == "body_too_slow"
    assert headers[b"connection"] == b"close" and headers[b"x-content-type-options"] == b"nosniff"


def test_a_client_that_leaves_while_its_request_waits_is_dropped(app, monkeypatch):
    monkeypatch.setattr(fastlane, "WATCH_AFTER", 0.01)
    worker = app.state.served["classification"].worker
    predict, release, entered = worker.predict_batch, threading.Event(), threading.Event()
    worker.predict_batch = lambda inputs: (entered.set(), release.wait(10), predict(inputs))[2]
    dropped = worker.stats["dropped"]
    try:
        blocker = worker.submit(["막는 리뷰"])
        assert entered.wait(10)
        body = json.dumps({"text": "떠난 손님"}, ensure_ascii=False).encode()
        message = {"type": "http.request", "body": body, "more_body": False}
        sent = []
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": "/api/classify", "raw_path": b"/api/classify", "root_path": "",
                 "query_string": b"", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
                 "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]}

        async def call():
            messages = [message]

            async def receive():
                if messages:
                    return messages.pop()
                await asyncio.sleep(0.05)  # the client hangs up while the request waits
                return {"type": "http.disconnect"}

            async def send(item):
                sent.append(item)

            await app(scope, receive, send)

        asyncio.run(call())
        assert sent[0]["status"] == 499
        release.set()
        blocker.future.result(10)
        for _ in range(100):
            if worker.stats["dropped"] > dropped:
                break
            threading.Event().wait(0.05)
        assert worker.stats["dropped"] == dropped + 1
    finally:
        release.set()
        worker.predict_batch = predict
