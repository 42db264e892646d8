"""Web services for the fine-tuned sentiment classifier and the question-answering model.

Taught at the end of notebooks/05_document_classification.ipynb and
notebooks/06_question_answering.ipynb ("A web service"). The lecture serves its models with
Flask + ngrok (which now needs an ngrok account); here one FastAPI app serves a classifier
checkpoint, a QA checkpoint, or both, and Colab shows it through its own port proxy.

Routes
- ``GET /``              an HTML page (no CDN, works offline) with a panel per loaded model.
- ``POST /api/classify`` ``{"text": "..."}`` or ``{"texts": ["...", ...]}`` (at most ``MAX_BATCH``).
- ``POST /api/answer``   ``{"question": "...", "context": "..."}``; ``start``/``end`` in the
  answer are character offsets (Python string indices, i.e. Unicode code points) into ``context``.
- ``GET /health``        which models are loaded.
- ``GET /docs``          OpenAPI docs (FastAPI's Swagger UI loads its script from a CDN; the
  schema itself is at ``/openapi.json``).

Limits (documented in /docs too): a review is at most ``MAX_TEXT_CHARS`` characters, a question
``MAX_QUESTION_CHARS``, a passage ``MAX_CONTEXT_CHARS``, a batch ``MAX_BATCH`` texts, a request
body ``MAX_BODY_BYTES`` bytes. Over a limit: 413. A missing, empty (only whitespace or invisible
characters) or wrongly typed field, an unknown field, invalid JSON or invalid Unicode (a lone
surrogate): 422 with a message naming the field. Errors are JSON: ``{"detail": "...",
"errors": [{"field": ..., "message": ..., "type": ...}]}``; no stack trace ever reaches a client.

Run it with ``python -m lectureutils.serve --classifier DIR --qa DIR --port 8000 [--threads N]``, or from a
notebook with ``start_in_background(classifier_dir=..., qa_dir=...)``.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import logging
import re
import socket
import sys
import threading
import time
import unicodedata
from pathlib import Path
from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

MAX_TEXT_CHARS = 2_000
MAX_QUESTION_CHARS = 300
MAX_CONTEXT_CHARS = 10_000
MAX_BATCH = 32
MAX_BODY_BYTES = 1_000_000

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'"
TOO_LARGE = {"text_too_long", "too_many_texts", "body_too_large"}
logger = logging.getLogger("lectureutils.serve")


# ----------------------------------------------------------------------------- validation
def is_blank(text: str) -> bool:
    """True when ``text`` has nothing a model could read: only whitespace, control or format
    characters (NUL, zero-width space, direction marks)."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


def checked_text(value: str, limit: int) -> str:
    """``value`` if it is non-blank valid Unicode of at most ``limit`` characters, else a
    validation error (the field name is added by the error handler)."""
    if is_blank(value):
        raise PydanticCustomError("empty_text", "must not be empty or only whitespace")
    if len(value) > limit:
        raise PydanticCustomError(
            "text_too_long",
            "is {length} characters long; the limit is {limit}",
            {"length": len(value), "limit": limit},
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise PydanticCustomError(
            "invalid_unicode",
            "contains invalid Unicode (a lone surrogate) at character {position}",
            {"position": error.start},
        ) from None
    return value


Review = Annotated[StrictStr, AfterValidator(lambda value: checked_text(value, MAX_TEXT_CHARS))]
Question = Annotated[StrictStr, AfterValidator(lambda value: checked_text(value, MAX_QUESTION_CHARS))]
Passage = Annotated[StrictStr, AfterValidator(lambda value: checked_text(value, MAX_CONTEXT_CHARS))]


class ClassifyRequest(BaseModel):
    """One review (``text``) or a batch of reviews (``texts``), not both."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "정말 재미있는 영화였어요!"}, {"texts": ["최고의 영화", "시간 낭비"]}]},
    )
    text: Optional[Review] = Field(None, description=f"one review, at most {MAX_TEXT_CHARS} characters")
    texts: Optional[list[Review]] = Field(
        None, description=f"a batch of at most {MAX_BATCH} reviews, each at most {MAX_TEXT_CHARS} characters"
    )

    @field_validator("texts", mode="before")
    @classmethod
    def _check_batch_size(cls, value):
        if isinstance(value, list):
            if not value:
                raise PydanticCustomError("empty_text", "must hold at least one text")
            if len(value) > MAX_BATCH:
                raise PydanticCustomError(
                    "too_many_texts",
                    "holds {count} texts; the limit is {limit} per request",
                    {"count": len(value), "limit": MAX_BATCH},
                )
        return value

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.text is None) == (self.texts is None):
            raise PydanticCustomError(
                "text_or_texts", 'send either "text" (one review) or "texts" (a list of reviews), exactly one of them'
            )
        return self


class AnswerRequest(BaseModel):
    """A question and the passage (context) that holds its answer."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "question": "광합성은 주로 어디에서 일어나는가?",
                    "context": "식물 세포에서 광합성은 주로 엽록체라는 세포 소기관에서 일어난다.",
                }
            ]
        },
    )
    question: Question = Field(description=f"at most {MAX_QUESTION_CHARS} characters")
    context: Passage = Field(description=f"the passage, at most {MAX_CONTEXT_CHARS} characters")


class Sentiment(BaseModel):
    text: str
    label: str = Field(description='"positive" or "negative"')
    prediction: str = Field(description='"긍정 (positive)" or "부정 (negative)", as in the lecture')
    positive: float = Field(description="probability of positive, 0..1")
    negative: float = Field(description="probability of negative, 0..1")


class SentimentBatch(BaseModel):
    results: list[Sentiment]


class Answer(BaseModel):
    question: str
    answer: str
    start: int = Field(description="character offset of the answer in the context (code points)")
    end: int = Field(description="end offset (exclusive): context[start:end] == answer")
    score: float = Field(description="P(start) x P(end) of the answer in its window")
    windows: int = Field(description="how many overlapping windows the passage was cut into")


# ----------------------------------------------------------------------------- models
def _classification_api():
    """(load_classifier, inference_fn, predict_batch) from ``lectureutils.classification``."""
    from . import classification

    return classification.load_classifier, classification.inference_fn, classification.predict_batch


def _qa_api():
    """(load_qa_model, answer) from ``lectureutils.qa``."""
    from . import qa

    return qa.load_qa_model, qa.answer


def _probability(field) -> float:
    """0.5457 from the lecture's field "긍정 0.5457" (or from a plain number)."""
    return float(field) if isinstance(field, (int, float)) else float(str(field).split()[-1])


def sentiment_from(result: dict) -> dict:
    """Our JSON for one ``inference_fn`` result: the lecture's fields ("긍정 0.5457") as floats."""
    positive = _probability(result["positive_data"])
    negative = _probability(result["negative_data"])
    prediction = str(result["prediction"])
    return {
        "text": result["sentence"],
        "label": "positive" if "positive" in prediction else "negative",
        "prediction": prediction,
        "positive": positive,
        "negative": negative,
    }


class ServedModels:
    """The loaded checkpoints, with one lock per model (a fast tokenizer is not safe to call
    from two threads at once, and the CPU has no spare cores for two forward passes anyway)."""

    def __init__(self, classifier_dir=None, qa_dir=None):
        self.classifier_dir = classifier_dir
        self.qa_dir = qa_dir
        self.classifier = None
        self.qa = None
        self.device = None
        self.load_error = None
        self._classifier_lock = threading.Lock()
        self._qa_lock = threading.Lock()

    def load(self) -> "ServedModels":
        from .session import pick_device

        self.device = pick_device()
        if self.classifier_dir is not None:
            load_classifier, _, _ = _classification_api()
            self.classifier = load_classifier(str(self.classifier_dir), device=self.device)
        if self.qa_dir is not None:
            load_qa_model, _ = _qa_api()
            self.qa = load_qa_model(str(self.qa_dir), device=self.device)
        return self

    @staticmethod
    def torch_threads() -> int:
        import torch

        return torch.get_num_threads()

    def classify(self, texts: list[str]) -> list[dict]:
        _, inference_fn, predict_batch = _classification_api()
        model, tokenizer = self.classifier
        with self._classifier_lock:
            if len(texts) == 1:
                results = [inference_fn(texts[0], model, tokenizer)]
            else:
                results = predict_batch(texts, model, tokenizer)
        return [sentiment_from(result) for result in results]

    def answer(self, question: str, context: str) -> dict:
        _, answer = _qa_api()
        model, tokenizer = self.qa
        with self._qa_lock:
            result = answer(question, context, model, tokenizer)
        return {
            "question": question,
            "answer": result["answer"],
            "start": int(result["start"]),
            "end": int(result["end"]),
            "score": float(result["score"]),
            "windows": int(result.get("windows", 1)),
        }


def untrained_checkpoints(directory, name: str = "beomi/kcbert-base") -> tuple[str, str]:
    """Save an untrained classifier and an untrained QA checkpoint of ``name`` under ``directory``
    and return their two directories, to try the service before fine-tuning (and for the tests and
    benchmarks/serve.py). Offline, ``name`` resolves to its stand-in. The answers are random."""
    from transformers import BertForQuestionAnswering, BertForSequenceClassification

    from .models import load_model, load_tokenizer

    from transformers.utils import logging as transformers_logging

    directory = Path(directory)
    classifier_dir, qa_dir = directory / "classifier", directory / "qa"
    tokenizer = load_tokenizer(name)
    verbosity = transformers_logging.get_verbosity()
    bars = transformers_logging.is_progress_bar_enabled()
    transformers_logging.set_verbosity_error()  # the load report would only say that the heads are new
    transformers_logging.disable_progress_bar()
    try:
        for model_class, target, extra in (
            (BertForSequenceClassification, classifier_dir, {"num_labels": 2}),
            (BertForQuestionAnswering, qa_dir, {}),
        ):
            model = load_model(model_class, name, **extra)
            model.save_pretrained(target)
            tokenizer.save_pretrained(target)
    finally:
        transformers_logging.set_verbosity(verbosity)
        if bars:
            transformers_logging.enable_progress_bar()
    return str(classifier_dir), str(qa_dir)


# ----------------------------------------------------------------------------- errors
def _field_name(location) -> str:
    """("body", "texts", 3) -> "texts[3]"; ("body",) -> "body"."""
    parts = [part for part in location if part != "body"]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + str(part)
    return name or "body"


def describe_errors(errors) -> list[dict]:
    """Pydantic/FastAPI errors as ``{"field", "message", "type"}``, never echoing the input."""
    described = []
    for error in errors:
        kind = error.get("type", "value_error")
        location = tuple(error.get("loc", ()))
        field = _field_name(location)
        message = str(error.get("msg", "invalid value"))
        if kind == "json_invalid":
            field = "body"
            reason = (error.get("ctx") or {}).get("error", "")
            position = location[1] if len(location) > 1 and isinstance(location[1], int) else None
            message = "is not valid JSON" + (f" ({reason} at character {position})" if reason else "")
        elif field == "body" and kind == "missing":
            message = 'is missing: send a JSON object such as {"text": "..."}'
        elif field == "body" and kind in ("model_attributes_type", "dict_type", "model_type"):
            message = 'must be a JSON object such as {"text": "..."}, sent as Content-Type: application/json'
        elif kind == "extra_forbidden":
            message = "is not a field of this request"
        elif kind == "missing":
            message = "is required"
        elif kind.startswith("string_type"):
            message = "must be a string"
        elif kind == "list_type":
            message = "must be a list of strings"
        elif kind == "text_or_texts":
            field = "text"
        described.append({"field": field, "message": message, "type": kind})
    return described


def error_response(status: int, errors: list[dict]):
    from fastapi.responses import JSONResponse

    detail = "; ".join(f"{item['field']}: {item['message']}" for item in errors)
    return JSONResponse({"detail": detail, "errors": errors}, status_code=status)


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes gets 413 before it reaches the app."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.limit
            except ValueError:
                too_large = False
            if too_large:
                return await self._refuse(scope, receive, send)
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    from fastapi import HTTPException

                    raise HTTPException(413, "body_too_large")
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope, receive, send):
        response = error_response(
            413,
            [{"field": "body", "message": f"is larger than the limit of {self.limit} bytes", "type": "body_too_large"}],
        )
        await response(scope, receive, send)


# ----------------------------------------------------------------------------- the app
def render_page(models: ServedModels) -> str:
    """static/index.html with only the panels of the loaded models and the limits filled in."""
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    for panel, loaded in (("classifier", models.classifier_dir is not None), ("qa", models.qa_dir is not None)):
        pattern = re.compile(rf"<!-- panel:{panel} -->.*?<!-- /panel:{panel} -->", re.S)
        if not loaded:
            page = pattern.sub("", page)
    served = []
    if models.classifier_dir is not None:
        served.append(f"classifier: {Path(models.classifier_dir).name}")
    if models.qa_dir is not None:
        served.append(f"QA: {Path(models.qa_dir).name}")
    values = {
        "MAX_TEXT_CHARS": MAX_TEXT_CHARS,
        "MAX_QUESTION_CHARS": MAX_QUESTION_CHARS,
        "MAX_CONTEXT_CHARS": MAX_CONTEXT_CHARS,
        "SERVED": html.escape(" · ".join(served)),
    }
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", str(value))
    return page


def create_app(classifier_dir=None, qa_dir=None):
    """A FastAPI app serving a classifier checkpoint, a QA checkpoint, or both.

    The directories hold ``save_pretrained`` checkpoints (model + tokenizer), loaded once at
    start-up with ``lectureutils.classification.load_classifier`` / ``lectureutils.qa.load_qa_model``.
    Notebooks 05 and 06 ("A web service").
    """
    from fastapi import FastAPI, HTTPException, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException as StarletteHTTPException

    if classifier_dir is None and qa_dir is None:
        raise ValueError("Give a classifier checkpoint directory, a QA checkpoint directory, or both.")
    for what, directory in (("classifier", classifier_dir), ("QA", qa_dir)):
        if directory is not None and not Path(directory).is_dir():
            raise FileNotFoundError(f"The {what} checkpoint directory {str(directory)!r} does not exist.")
    models = ServedModels(classifier_dir, qa_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            await run_in_threadpool(models.load)
        except Exception as error:  # kept for start_in_background's message; uvicorn logs it and stops
            models.load_error = error
            raise
        yield

    app = FastAPI(
        title="BERT lecture web service",
        version="1.0",
        description=(
            "Sentiment classification (NSMC) and extractive question answering (KorQuAD) with the checkpoints "
            f"fine-tuned in notebooks 05 and 06. Limits: {MAX_TEXT_CHARS} characters per review, "
            f"{MAX_BATCH} reviews per batch, {MAX_QUESTION_CHARS} characters per question, "
            f"{MAX_CONTEXT_CHARS} per passage, {MAX_BODY_BYTES} bytes per request (413 beyond). "
            "Bad input gives 422 with a message naming the field."
        ),
        lifespan=lifespan,
    )
    app.state.models = models
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError):
        errors = describe_errors(exc.errors())
        status = 413 if errors and all(item["type"] in TOO_LARGE for item in errors) else 422
        return error_response(status, errors)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):
        if exc.detail == "body_too_large":
            message = f"is larger than the limit of {MAX_BODY_BYTES} bytes"
            return error_response(413, [{"field": "body", "message": message, "type": "body_too_large"}])
        if exc.status_code == 400:  # FastAPI could not read the body (e.g. bytes that are not UTF-8)
            message = "is not valid JSON (it could not be decoded as UTF-8 text)"
            return error_response(422, [{"field": "body", "message": message, "type": "json_invalid"}])
        from fastapi.responses import JSONResponse

        return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception):
        logger.exception("Unhandled error on %s %s", request.method, request.url.path)
        from fastapi.responses import JSONResponse

        return JSONResponse({"detail": "Internal server error (see the server log)."}, status_code=500)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page():
        headers = {"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-store"}
        return HTMLResponse(render_page(models), headers=headers)

    @app.get("/health")
    async def health():
        """Which models are loaded."""
        return {
            "status": "ok",
            "device": models.device,
            "torch_threads": models.torch_threads(),
            "classifier": models.classifier is not None,
            "qa": models.qa is not None,
            "limits": {
                "text_chars": MAX_TEXT_CHARS,
                "batch": MAX_BATCH,
                "question_chars": MAX_QUESTION_CHARS,
                "context_chars": MAX_CONTEXT_CHARS,
                "body_bytes": MAX_BODY_BYTES,
            },
        }

    def model_error(field: str, error: ValueError):
        return error_response(422, [{"field": field, "message": str(error), "type": "model_input"}])

    @app.post(
        "/api/classify",
        response_model=Sentiment | SentimentBatch,
        responses={404: {"description": "no classifier loaded"}, 413: {"description": "over a size limit"}},
    )
    async def classify(request: ClassifyRequest):
        """Sentiment of one review (``text``) or of a batch (``texts``, at most MAX_BATCH)."""
        if models.classifier is None:
            raise HTTPException(404, "This server has no classifier loaded (start it with --classifier DIR).")
        texts = [request.text] if request.text is not None else request.texts
        try:
            results = await run_in_threadpool(models.classify, texts)
        except ValueError as error:
            return model_error("texts" if request.texts is not None else "text", error)
        return results[0] if request.text is not None else {"results": results}

    @app.post(
        "/api/answer",
        response_model=Answer,
        responses={404: {"description": "no QA model loaded"}, 413: {"description": "over a size limit"}},
    )
    async def answer(request: AnswerRequest):
        """The answer span in ``context``; ``context[start:end] == answer``."""
        if models.qa is None:
            raise HTTPException(404, "This server has no QA model loaded (start it with --qa DIR).")
        try:
            return await run_in_threadpool(models.answer, request.question, request.context)
        except ValueError as error:  # e.g. a passage with no character the tokenizer can read
            return model_error("context" if "context" in str(error).lower() else "question", error)

    return app


# ----------------------------------------------------------------------------- running it
def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); port 0 picks a free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise OSError(
            f"Cannot listen on {host}:{port} ({error.strerror or error}). Another server (an earlier run of this "
            "cell?) may hold the port: stop it with handle.stop(), or pick another port."
        ) from None
    return sock


class RunningServer:
    """A uvicorn server running in a background thread (from ``start_in_background``)."""

    def __init__(self, server, thread, sock, host: str, port: int, models: ServedModels):
        self._server = server
        self._thread = thread
        self._socket = sock
        self.host = host
        self.port = port
        self.models = models
        shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)  # "all addresses": local
        self.url = f"http://{shown if ':' not in shown else '[' + shown + ']'}:{port}/"
        self.proxy_url = None  # the Colab proxy address, on Colab

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and wait for its thread to end."""
        self._server.should_exit = True
        self._thread.join(timeout)
        with contextlib.suppress(OSError):
            self._socket.close()
        _RUNNING.pop(self.port, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def __repr__(self) -> str:
        return f"<RunningServer {self.url} {'running' if self.running else 'stopped'}>"


_RUNNING: dict[int, RunningServer] = {}


def _wait_until_healthy(handle: RunningServer, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not handle.running:
            handle.stop()
            error = handle.models.load_error
            if error is not None:
                raise RuntimeError(f"The web service could not load its models: {error}") from error
            raise RuntimeError("The web service stopped while starting; see the log above.")
        if handle._server.started:
            try:
                if httpx.get(handle.url + "health", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
        time.sleep(0.1)
    handle.stop()
    raise TimeoutError(f"The web service did not answer {handle.url}health within {timeout:.0f} s.")


def _show_on_colab(handle: RunningServer, height: int) -> None:
    """Show the page through Colab's port proxy (no ngrok): a link for a new tab, and the page in
    an iframe below the cell. (``serve_kernel_port_as_window`` opens https://localhost:PORT, which
    current browsers no longer route to the kernel, so the link comes from ``proxyPort``.)"""
    from google.colab import output  # only on Colab

    try:
        handle.proxy_url = output.eval_js(f"google.colab.kernel.proxyPort({handle.port})")
    except Exception:  # an old Colab front end: the iframe below still works
        handle.proxy_url = None
    if handle.proxy_url:
        print(f"Web service running: {handle.proxy_url} (API docs: {handle.proxy_url.rstrip('/')}/docs)")
    else:
        print(f"Web service running on the kernel's port {handle.port}; the page is shown below.")
    output.serve_kernel_port_as_iframe(handle.port, height=str(height))


def start_in_background(classifier_dir=None, qa_dir=None, port: int = 8000, host: str = "127.0.0.1",
                        timeout: float = 300.0, show: bool = True, height: int = 700) -> RunningServer:
    """Start the web service in a background thread and wait until ``/health`` answers.

    On Colab the page is shown through Colab's port proxy (an iframe and a link); elsewhere the
    URL is printed. ``port=0`` picks a free port. Running the cell again stops the server this
    function started earlier on the same port. Returns a handle with ``.url`` and ``.stop()``.
    Notebooks 05 and 06 ("A web service").
    """
    import uvicorn

    previous = _RUNNING.get(port)
    if previous is not None:
        previous.stop()
    app = create_app(classifier_dir=classifier_dir, qa_dir=qa_dir)
    sock = _bind(host, port)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)

    def run() -> None:
        with contextlib.suppress(SystemExit):  # how uvicorn stops when start-up fails (the reason is logged)
            server.run(sockets=[sock])

    thread = threading.Thread(target=run, name=f"web-service-{port}", daemon=True)
    handle = RunningServer(server, thread, sock, host, port, app.state.models)
    thread.start()
    _wait_until_healthy(handle, timeout)
    _RUNNING[port] = handle
    if show and "google.colab" in sys.modules:
        _show_on_colab(handle, height)
    elif show:
        print(f"Web service running at {handle.url} (API docs: {handle.url}docs); stop it with .stop()")
    return handle


def main(argv=None) -> None:
    """``python -m lectureutils.serve --classifier DIR --qa DIR --host 127.0.0.1 --port 8000``."""
    parser = argparse.ArgumentParser(prog="python -m lectureutils.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--classifier", metavar="DIR", help="checkpoint directory of the sentiment classifier")
    parser.add_argument("--qa", metavar="DIR", help="checkpoint directory of the question-answering model")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--threads", type=int, metavar="N",
        help="torch CPU threads (default: torch's choice). On a CPU shared with other busy processes, 1 can be "
        "much faster: a thread that waits for a descheduled sibling at every layer stalls the whole forward pass",
    )
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    args = parser.parse_args(argv)
    if args.classifier is None and args.qa is None:
        parser.error("give --classifier DIR, --qa DIR, or both")
    try:
        app = create_app(classifier_dir=args.classifier, qa_dir=args.qa)
    except (ValueError, FileNotFoundError) as error:
        parser.error(str(error))
    if args.threads is not None:
        if args.threads < 1:
            parser.error("--threads must be at least 1")
        import torch

        torch.set_num_threads(args.threads)
    import uvicorn

    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
