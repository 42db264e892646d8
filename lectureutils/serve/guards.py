"""Guards around the web service: body size and speed, security headers, and uvicorn's connection limits.

Plumbing for the services of notebooks/05_document_classification.ipynb (§11) and
notebooks/06_question_answering.ipynb (§10), so that a classroom of students (or one careless
script) cannot stall the server:

- ``BodyLimit``: a body over ``MAX_BODY_BYTES`` gets 413 before the app reads it; a body that takes
  longer than ``BODY_SECONDS`` to arrive gets 408.
- ``SecurityHeaders``: ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` on
  every answer (no ``X-Frame-Options``: Colab shows the page in an iframe).
- ``SlowClientProtocol``: uvicorn's HTTP/1.1 protocol that closes a connection whose request line and
  headers take longer than ``HEADER_SECONDS`` (uvicorn itself waits forever).
- ``uvicorn_settings()``: connection limit, keep-alive timeout, header size limit, listen backlog.
"""

from __future__ import annotations

import asyncio
import time

from starlette.exceptions import HTTPException

from .errors import error, error_response
from .schemas import MAX_BODY_BYTES

__all__ = [
    "BODY_SECONDS", "HEADER_SECONDS", "MAX_CONNECTIONS", "KEEP_ALIVE_SECONDS", "MAX_HEADER_BYTES",
    "BodyLimit", "SecurityHeaders", "SlowClientProtocol", "uvicorn_settings",
]

BODY_SECONDS = 20.0
HEADER_SECONDS = 10.0
MAX_CONNECTIONS = 200  # beyond this many open connections uvicorn answers 503
KEEP_ALIVE_SECONDS = 5
MAX_HEADER_BYTES = 16_384


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes, 408 for one slower than ``seconds``. (05 §11)"""

    def __init__(self, app, limit: int = MAX_BODY_BYTES, seconds: float = BODY_SECONDS):
        self.app = app
        self.limit = limit
        self.seconds = seconds

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._refuse(scope, receive, send, 413, error("body", "body_too_large", limit=self.limit))
        seen, complete, deadline = 0, False, time.monotonic() + self.seconds

        async def guarded_receive():
            nonlocal seen, complete
            if complete:  # after the body: only http.disconnect is left, however long it takes
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.001, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise _Refused(408, error("body", "body_too_slow", seconds=int(self.seconds))) from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if seen > self.limit:
                    raise _Refused(413, error("body", "body_too_large", limit=self.limit))
            return message

        started = False

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, guarded_receive, tracking_send)
        except _Refused as refused:
            if not started:
                await self._refuse(scope, receive, send, refused.status, refused.entry)

    @staticmethod
    async def _refuse(scope, receive, send, status, entry):
        response = error_response(status, [entry], headers={"Connection": "close"})
        await response(scope, receive, send)


class _Refused(HTTPException):
    """Raised from ``receive``: FastAPI passes an HTTPException through, and the app's handler answers it."""

    def __init__(self, status: int, entry: dict):
        super().__init__(status, detail=entry, headers={"Connection": "close"})
        self.status = status
        self.entry = entry


class SecurityHeaders:
    """ASGI middleware adding ``nosniff`` and ``no-referrer`` to every answer. (05 §11)"""

    HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        await self.app(scope, receive, self.adding_headers(send))

    @classmethod
    def adding_headers(cls, send):
        """``send`` with :data:`HEADERS` added to the response's start (also the fast lane's) (05 §11)."""

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + cls.HEADERS
            await send(message)

        return with_headers


class _SlowClientMixin:
    """Closes a connection whose request line and headers take over ``header_seconds`` (mixed into uvicorn's
    h11 or httptools protocol, which share these attributes)."""

    header_seconds = HEADER_SECONDS
    _header_timer = None

    def connection_made(self, transport):
        super().connection_made(transport)
        self._arm()

    def data_received(self, data):
        super().data_received(data)
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm()  # a request is being served: its body and the app have their own limits
        else:
            self._arm()

    def connection_lost(self, exc):
        self._disarm()
        super().connection_lost(exc)

    def _arm(self):
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self):
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self):
        self._header_timer = None
        if self.cycle is None or self.cycle.response_complete:
            self.transport.close()

    # httptools only (h11 limits what it buffers itself: h11_max_incomplete_event_size)
    def on_message_begin(self):
        self._head_bytes = 0
        super().on_message_begin()

    def _count(self, size: int) -> None:
        self._head_bytes = getattr(self, "_head_bytes", 0) + size
        if self._head_bytes > 4 * MAX_HEADER_BYTES:
            self.transport.close()

    def on_url(self, url):
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name, value):
        self._count(len(name) + len(value))
        super().on_header(name, value)


def _slow_client_protocol():
    """uvicorn's fastest HTTP/1.1 protocol (httptools when installed, else h11) with the header timeout."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Base
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol as Base

    return type("SlowClientProtocol", (_SlowClientMixin, Base), {"header_seconds": HEADER_SECONDS})


def __getattr__(name):
    if name == "SlowClientProtocol":  # built on first use: importing uvicorn costs time
        return _slow_client_protocol()
    raise AttributeError(name)


def uvicorn_settings(log_level: str = "warning") -> dict:
    """Keyword arguments for ``uvicorn.Config``: limits that keep slow or greedy clients from holding the
    server (05 §11, 06 §10)."""
    return {
        "http": _slow_client_protocol(),
        "limit_concurrency": MAX_CONNECTIONS,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "backlog": 256,
        "log_level": log_level,
        "lifespan": "on",
        "timeout_graceful_shutdown": 5,
        "server_header": False,
    }
