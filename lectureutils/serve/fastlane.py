"""The API endpoints' request path: a short lane for well-formed requests, FastAPI's route for everything else.

Plumbing behind the services of notebooks/05_document_classification.ipynb (§11) and
notebooks/06_question_answering.ipynb (§10). Measured on 2 CPU cores with a stand-in model, FastAPI's
middleware, routing, dependency solving and response machinery cost about 0.3 ms of the event loop's time
per request, uvicorn itself 0.04 ms: with micro-batching the model's share is smaller than that, so the event
loop, not the model, limited the requests per second. The short lane answers a ``POST`` to a served task's
route whose body is well-formed (declared ``Content-Length`` within the limit, ``application/json``, the
whole body in the first message, valid JSON, valid for the request model) with the same endpoint code
(``answer``) and the same headers; any other request, including every request that ends in an error
message, is handed to FastAPI unchanged (the body it already read is replayed), so every check and message
stays in one place. The body must arrive within ``guards.BODY_SECONDS`` here too (408).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging

from starlette.responses import Response

from .errors import error, error_response
from .guards import BODY_SECONDS, BodyLimit, SecurityHeaders
from .runner import Busy, WaitedTooLong
from .schemas import MAX_BODY_BYTES, QUEUE_WAIT_SECONDS
from .tasks import InputRefused

__all__ = ["JSON_TYPES", "WATCH_AFTER", "answer", "service_app_class"]

JSON_TYPES = {b"application/json", b"application/json; charset=utf-8", b"application/json;charset=utf-8"}
HEADERS = SecurityHeaders.HEADERS
WATCH_AFTER = 0.05  # seconds a request waits before its client's disconnect is watched
logger = logging.getLogger("lectureutils.serve")


async def _watch(receive, job) -> None:
    """Wait for the client to go away (after the body, the server's next message is the disconnect)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    job.cancel()
    if not job.waiter.done():
        job.waiter.set_result(None)


async def _outputs(job, receive):
    """The job's outputs, or None when the client went away first (the job is then dropped). The disconnect is
    watched only once the request has waited ``WATCH_AFTER`` seconds: most answers come sooner, and a watcher
    for every request would cost the event loop more than the work it could save."""
    watcher = []
    timer = asyncio.get_running_loop().call_later(
        WATCH_AFTER, lambda: watcher.append(asyncio.ensure_future(_watch(receive, job))))
    try:
        return await job.waiter
    finally:
        timer.cancel()
        for task in watcher:
            task.cancel()
        if not job.waiter.done():  # this request was cancelled (the server is stopping)
            job.cancel()


async def answer(task, served: dict, body, receive):
    """The response to a valid request ``body`` for ``task``: its model's outputs (JSON), or 404 (no such
    model), 503 with ``Retry-After`` (queue full, waited too long), 413/422 (an input the model refuses),
    499 (the client went away first) (05 §11, 06 §10)."""
    item = served.get(task.name)
    if item is None or item.worker is None:
        return error_response(404, [error("path", "no_model", task=task.title, option=task.option)])
    try:
        job = item.worker.submit(task.inputs_of(body), asyncio.get_running_loop())
    except Busy as busy:
        entry = error("model", "busy", task=task.title, queued=busy.queued, seconds=busy.retry_after)
        return error_response(503, [entry], headers={"Retry-After": str(busy.retry_after)})
    try:
        outputs = await _outputs(job, receive)
    except WaitedTooLong:
        entry = error("model", "waited_too_long", task=task.title, seconds=int(QUEUE_WAIT_SECONDS))
        return error_response(503, [entry], headers={"Retry-After": "5"})
    except InputRefused as refused:
        outputs = [refused]
    except ValueError as problem:  # the model's own check (e.g. a passage with nothing it can read)
        return error_response(422, [error(task.field, "model_input", str(problem))])
    if outputs is None:
        return Response(status_code=499)  # nobody is listening
    refused = [output for output in outputs if isinstance(output, InputRefused)]
    if refused:
        first = refused[0]
        return error_response(first.status, [error(first.field, first.kind, str(first), **first.context)])
    return _Reply(task.reply(body, outputs))  # already the response model's shape: no second validation


class _Reply(Response):
    """A 200 JSON answer: the bytes and headers of Starlette's ``JSONResponse``, built with less work."""

    media_type = "application/json"

    def __init__(self, content):
        self.status_code, self.background = 200, None
        self.body = json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None,
                               separators=(",", ":")).encode("utf-8")
        self.raw_headers = [(b"content-length", str(len(self.body)).encode("latin-1")),
                            (b"content-type", b"application/json")]


def _plain_headers(scope) -> tuple[bytes | None, bytes | None]:
    """(Content-Length, Content-Type) if each is sent once and nothing else decides how the body is read."""
    length = kind = None
    for name, value in scope["headers"]:
        if name == b"content-length" and length is None:
            length = value
        elif name == b"content-type" and kind is None:
            kind = value.lower()
        elif name in (b"content-length", b"content-type", b"transfer-encoding", b"expect"):
            return None, None
    return length, kind


async def _first_message(receive):
    """The first body message, or None when it has not arrived within ``BODY_SECONDS``."""
    task = asyncio.current_task()
    fired = []
    timer = asyncio.get_running_loop().call_later(BODY_SECONDS, lambda: (fired.append(True), task.cancel()))
    try:
        return await receive()
    except asyncio.CancelledError:
        if not fired:
            raise
        if hasattr(task, "uncancel"):
            task.uncancel()
        return None
    finally:
        timer.cancel()


async def _lane(app, task, scope, receive, send, fallback) -> None:
    length, kind = _plain_headers(scope)
    if kind not in JSON_TYPES or length is None or not length.isdigit() or not 0 < int(length) <= MAX_BODY_BYTES:
        return await fallback(scope, receive, send)

    secured = SecurityHeaders.adding_headers(send)  # as on FastAPI's route
    message = await _first_message(receive)
    if message is None:
        entry = error("body", "body_too_slow", seconds=int(BODY_SECONDS))
        return await BodyLimit._refuse(scope, receive, secured, 408, entry)
    body = None
    if message["type"] == "http.request" and not message.get("more_body", False):
        try:
            body = task.request.model_validate(json.loads(message.get("body", b"")))
        except Exception:  # noqa: BLE001 (FastAPI's route reads it again and says what is wrong)
            body = None
    if body is None:
        replayed = [message]

        async def replay():
            return replayed.pop() if replayed else await receive()

        return await fallback(scope, replay, send)
    try:
        response = await answer(task, app.state.served, body, receive)
    except Exception:  # as the app's handler for unexpected errors: logged, and a short 500 without details
        logger.exception("Unhandled error on POST %s", scope["path"])
        response = error_response(500, [error("server", "internal")])
    if isinstance(response, _Reply):  # the usual answer: no wrapper around send
        await send({"type": "http.response.start", "status": 200, "headers": response.raw_headers + HEADERS})
        return await send({"type": "http.response.body", "body": response.body})
    await response(scope, receive, secured)


@functools.lru_cache(maxsize=None)
def service_app_class():
    """A FastAPI subclass whose ``app.fast_lanes`` (route -> task) answer well-formed ``POST`` requests on the
    short lane; everything else goes through FastAPI as usual (05 §11, 06 §10)."""
    from fastapi import FastAPI

    class ServiceApp(FastAPI):
        fast_lanes: dict = {}

        async def __call__(self, scope, receive, send):
            task = None
            if scope["type"] == "http" and scope["method"] == "POST" and not scope.get("root_path"):
                task = self.fast_lanes.get(scope["path"])
            if task is None:
                return await super().__call__(scope, receive, send)
            scope["app"] = self
            await _lane(self, task, scope, receive, send, super().__call__)

    return ServiceApp
