"""The FastAPI app: one route per served task of the task registry, the page, ``/health`` and offline API docs.
Taught in notebooks/05_document_classification.ipynb (§12 A web service for the classifier) and
notebooks/06_question_answering.ipynb (§10 A web service for question answering).

``GET /`` the page (no CDN; says when a model is an untrained or stand-in checkpoint); ``POST`` a route per task
that ``lectureutils.tasks.TASKS`` serves (``schemas.ENDPOINTS``), answered by the task's own ``predict_batch``
in the model's worker thread; ``GET /health``; ``GET /docs`` (Swagger UI shipped in the package). A path with a
trailing slash is 404, never a redirect.
"""

import asyncio
import contextlib
import html
import importlib
import inspect
import json
import re
from pathlib import Path

from ..checkpoints import saved_model_folder
from ..tasks import TASKS, InputTooLong
from .errors import body_too_large, error, error_response, install_error_handlers
from .schemas import ENDPOINTS, LIMITS, MAX_BODY_BYTES, MAX_CONTEXT_CHARS, MAX_QUESTION_CHARS, MAX_TEXT_CHARS
from .schemas import QUEUE_WAIT_SECONDS
from .worker import Busy, ModelWorker, WaitedTooLong

__all__ = ["UNTRAINED", "Guard", "Served", "checkpoint_status", "render_page", "create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'"
UNTRAINED = "lectureutils_untrained"  # config.json key of a checkpoint saved with random task heads (tests)


class Guard:
    """ASGI middleware: ``nosniff`` and ``no-referrer`` on every answer (no ``X-Frame-Options``: Colab shows the
    page in an iframe); a body declared over ``MAX_BODY_BYTES`` gets the bilingual 413 (FastAPI's ``max_body_size``
    enforces the limit, but answers a declared length in plain English text) (05 §12)."""

    HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return await body_too_large({"Connection": "close"})(scope, receive, send_with_headers)
        await self.app(scope, receive, send_with_headers)


def checkpoint_status(directory) -> dict:
    """``{"checkpoint", "standin", "untrained", "note"}`` of a checkpoint folder: the stand-in marker (read by
    ``lectureutils.models.standin_summary``) and the ``UNTRAINED`` marker in its config.json (05 §12)."""
    from ..models import standin_summary

    folder = Path(directory)
    try:
        standin = standin_summary(folder)
        untrained = json.loads((folder / "config.json").read_text(encoding="utf-8")).get(UNTRAINED)
    except (OSError, ValueError):  # a config.json that cannot be read: loading the model will say why
        standin = untrained = None
    note = "; ".join(str(marker) for marker in (standin, untrained) if marker) or None
    return {"checkpoint": folder.name, "standin": bool(standin), "untrained": bool(untrained), "note": note}


class Served:
    """One served task: its endpoint, checkpoint (safetensors only: ``lectureutils.checkpoints.saved_model_folder``)
    and status; once loaded, its model, tokenizer and worker (05 §12)."""

    def __init__(self, name: str, directory):
        self.name, self.endpoint = name, ENDPOINTS[name]
        self.directory = saved_model_folder(directory, name)
        self.status = checkpoint_status(self.directory)
        self.model = self.tokenizer = self.worker = None

    def load(self, device, batching: bool) -> None:
        inference = importlib.import_module(f"{TASKS[self.name].package}.inference")
        self.model, self.tokenizer = getattr(inference, self.endpoint.load)(str(self.directory), device=device)
        model, tokenizer, options = self.model, self.tokenizer, self.endpoint.options
        predict = lambda inputs: inference.predict_batch(inputs, model, tokenizer, **options)  # noqa: E731
        self.worker = ModelWorker(self.name, predict, max_batch=self.endpoint.max_batch,
                                  queue_seconds=QUEUE_WAIT_SECONDS, batching=batching)

    def health(self) -> dict:
        worker = self.worker
        return {**self.status, "route": self.endpoint.route, "loaded": worker is not None,
                "batching": bool(worker and worker.batching), "queued": worker.queued if worker else 0,
                "stats": dict(worker.stats) if worker else {}}


def render_page(served: dict) -> str:
    """static/index.html with the panels of the served tasks, their stand-in warnings and the limits (05 §12)."""
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    for name in re.findall(r"<!-- panel:(\w+) -->", page):
        if name not in served:
            page = re.sub(rf"<!-- panel:{name} -->.*?<!-- /panel:{name} -->", "", page, flags=re.S)
    warnings = []
    for name, item in served.items():
        note = ""
        if item.status["note"]:
            warnings.append(f"{item.endpoint.title_ko} · {item.endpoint.title}")
            note = ('<p class="standin" role="note">⚠️ 학습되지 않았거나 오프라인 대체 모델(stand-in)입니다. 결과는 '
                    "의미가 없습니다. · An untrained or offline stand-in checkpoint: its answers mean nothing. "
                    f"<span class=\"note\">({html.escape(item.status['note'])})</span></p>")
        page = page.replace("{{NOTE:" + name + "}}", note)
    banner = ""
    if warnings:
        banner = ('<p id="standin-banner" class="standin" role="alert">⚠️ 실제로 학습된 모델이 아닙니다 · Not a trained '
                  f"model: {html.escape(', '.join(warnings))}</p>")
    served_text = " · ".join(f"{item.endpoint.title_ko}: {item.directory.name}" for item in served.values())
    values = {"BANNER": banner, "SERVED": html.escape(served_text), "MAX_TEXT_CHARS": MAX_TEXT_CHARS,
              "MAX_QUESTION_CHARS": MAX_QUESTION_CHARS, "MAX_CONTEXT_CHARS": MAX_CONTEXT_CHARS}
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", str(value))
    return re.sub(r"\{\{NOTE:\w+\}\}", "", page)


def _route(name: str, served: dict):
    """The ``POST`` handler of task ``name``: its model's outputs, or 404 (no such model), 503 with ``Retry-After``
    (queue full, waited too long), 413 (an input the model cannot read whole), 422 (one it cannot read)."""
    endpoint = ENDPOINTS[name]

    async def post(body: endpoint.request):
        item = served.get(name)
        if item is None or item.worker is None:
            return error_response(404, [error("path", "no_model", task=endpoint.title, option=endpoint.option)])
        try:
            outputs = await asyncio.wrap_future(item.worker.submit(body.inputs()))
        except Busy as busy:
            entry = error("model", "busy", task=endpoint.title, queued=busy.queued, seconds=busy.retry_after)
            return error_response(503, [entry], headers={"Retry-After": str(busy.retry_after)})
        except WaitedTooLong:
            entry = error("model", "waited_too_long", task=endpoint.title, seconds=int(QUEUE_WAIT_SECONDS))
            return error_response(503, [entry], headers={"Retry-After": "5"})
        except InputTooLong as refused:
            kind = "too_many_windows" if refused.unit == "windows" else "too_long_for_model"
            return error_response(413, [error(refused.field, kind, length=refused.length, limit=refused.limit)])
        except ValueError as problem:  # the model's own check, on the request's last field (QA: the passage)
            return error_response(422, [error(list(endpoint.request.model_fields)[-1], "model_input", str(problem))])
        return body.reply(outputs)

    post.__name__ = f"post_{name}"
    inference = importlib.import_module(f"{TASKS[name].package}.inference")
    post.__doc__ = f"Answered by `{TASKS[name].package}.predict_batch`:\n\n{inspect.getdoc(inference.predict_batch)}"
    return post


def create_app(classifier_dir=None, qa_dir=None, *, batching: bool = True, **task_dirs):
    """A FastAPI app serving every task whose checkpoint directory is given (``classifier_dir``, ``qa_dir``, and
    ``OPTION_dir`` for each other served task, e.g. ``nli_dir``). Checkpoints are checked now (safetensors only)
    and loaded at start-up; each model gets one worker thread that batches what is waiting (``batching=False``:
    one request at a time) (05 §12, 06 §10)."""
    from fastapi import FastAPI
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles
    from starlette.concurrency import run_in_threadpool

    names = {ENDPOINTS[name].option: name for name, entry in TASKS.items() if entry.served}
    directories = {"classifier": classifier_dir, "qa": qa_dir}
    for key, value in task_dirs.items():
        if not key.endswith("_dir") or key[:-4] not in names:
            raise TypeError(f"create_app() got an unexpected keyword argument {key!r}")
        directories[key[:-4]] = value
    if all(value is None for value in directories.values()):
        raise ValueError(f"Give at least one checkpoint directory ({', '.join(f'{o}_dir' for o in names)}): a "
                         "classifier checkpoint directory, a QA checkpoint directory, or both.")
    served = {names[option]: Served(names[option], folder) for option, folder in directories.items()
              if folder is not None}
    state = {"device": None, "load_error": None}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        def load_all():
            from ..session import pick_device

            state["device"] = pick_device()
            for item in served.values():
                item.load(state["device"], batching)

        try:
            await run_in_threadpool(load_all)
        except Exception as problem:  # kept for start_in_background's message; uvicorn logs it and stops
            state["load_error"] = problem
            raise
        yield
        for item in served.values():
            if item.worker is not None:
                await run_in_threadpool(item.worker.close)

    titles = ", ".join(f"{item.endpoint.route} ({item.endpoint.title})" for item in served.values())
    app = FastAPI(title="BERT lecture web service", version="3.0", lifespan=lifespan, redirect_slashes=False,
                  docs_url=None, redoc_url=None, description=f"Serving {titles}. Limits: {LIMITS} (413 beyond). "
                  "Bad input: 422 with a message (English and Korean) naming the field. A full queue, or a request "
                  "not started within queue_seconds: 503 with Retry-After.")
    app.state.served, app.state.status = served, state
    app.add_middleware(Guard)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app)

    def page():
        headers = {"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-store"}
        return HTMLResponse(render_page(served), headers=headers)

    def health():
        """Which models are served, whether they are untrained or stand-in checkpoints, their queues."""
        import torch

        return {"status": "ok", "device": state["device"], "torch_threads": torch.get_num_threads(),
                **{option: name in served for option, name in names.items()},
                "models": {name: item.health() for name, item in served.items()}, "limits": LIMITS}

    def docs():
        return get_swagger_ui_html(openapi_url="openapi.json", title=app.title + " · API docs",
                                   swagger_js_url="static/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="static/swagger-ui/swagger-ui.css", swagger_favicon_url="data:,")

    app.add_api_route("/", page, methods=["GET", "HEAD"], include_in_schema=False, response_class=HTMLResponse)
    app.add_api_route("/health", health, methods=["GET"])
    app.add_api_route("/health", health, methods=["HEAD"], include_in_schema=False)
    app.add_api_route("/docs", docs, methods=["GET"], include_in_schema=False)
    for name in names.values():  # a task without a checkpoint answers 404 saying which option loads it
        app.add_api_route(ENDPOINTS[name].route, _route(name, served), methods=["POST"], summary=ENDPOINTS[name].title,
                          max_body_size=MAX_BODY_BYTES,
                          responses={code: {"description": text} for code, text in ((404, "no such model"),
                                     (413, "over a limit"), (503, "busy: see Retry-After"))})
    return app
