"""The FastAPI app: one endpoint per task whose checkpoint is given, the page, ``/health`` and offline API docs.

Taught in notebooks/05_document_classification.ipynb (§11 A web service for the classifier) and
notebooks/06_question_answering.ipynb (§10 A web service for question answering).

Routes: ``GET /`` the page (no CDN: works offline; says when a model is an untrained or stand-in
checkpoint), ``POST /api/classify``, ``POST /api/answer`` (and one route per other registered task),
``GET /health``, ``GET /docs`` (Swagger UI shipped in the package), ``GET /openapi.json``.
``HEAD`` works on ``/`` and ``/health``. A path with a trailing slash is 404, never a redirect.
"""

import contextlib
import html
import inspect
import re
from pathlib import Path

from .errors import install_error_handlers
from .fastlane import answer, service_app_class
from .guards import BodyLimit, SecurityHeaders
from .runner import ModelWorker
from .schemas import MAX_BATCH, MAX_BODY_BYTES, MAX_CONTEXT_CHARS, MAX_QUESTION_CHARS, MAX_TEXT_CHARS, MAX_WINDOWS
from .schemas import QUEUE_WAIT_SECONDS
from .tasks import TASKS, check_checkpoint, checkpoint_status

__all__ = ["STATIC_DIR", "PAGE_POLICY", "LIMITS", "Served", "render_page", "create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'"
LIMITS = {"text_chars": MAX_TEXT_CHARS, "batch": MAX_BATCH, "question_chars": MAX_QUESTION_CHARS,
          "context_chars": MAX_CONTEXT_CHARS, "windows": MAX_WINDOWS, "body_bytes": MAX_BODY_BYTES,
          "queue_seconds": QUEUE_WAIT_SECONDS}


class Served:
    """One served task: its checkpoint, stand-in status, and (once loaded) model, tokenizer and worker."""

    def __init__(self, task, directory):
        self.task = task
        self.directory = check_checkpoint(directory, task.title)
        self.status = checkpoint_status(self.directory)
        self.model = self.tokenizer = self.worker = None

    def load(self, device, batching: bool, max_wait: float) -> None:
        self.model, self.tokenizer = self.task.load(self.directory, device)
        model, tokenizer, predict = self.model, self.tokenizer, self.task.predict_batch
        self.worker = ModelWorker(self.task.name, lambda inputs: predict(model, tokenizer, inputs),
                                  max_batch=self.task.max_batch, max_wait=max_wait, queue_size=self.task.queue_size,
                                  queue_seconds=QUEUE_WAIT_SECONDS, batching=batching)

    def health(self) -> dict:
        worker = self.worker
        return {**self.status, "route": self.task.route, "loaded": worker is not None,
                "batching": bool(worker and worker.batching), "queued": worker.queued if worker else 0,
                "stats": dict(worker.stats) if worker else {}}


def render_page(served: dict) -> str:
    """static/index.html with the panels of the served tasks, their stand-in warnings and the limits. (05 §11)"""
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    for name in re.findall(r"<!-- panel:(\w+) -->", page):
        if name not in served:
            page = re.sub(rf"<!-- panel:{name} -->.*?<!-- /panel:{name} -->", "", page, flags=re.S)
    warnings = []
    for name, item in served.items():
        note = ""
        if item.status["note"]:
            warnings.append(f"{item.task.title_ko} · {item.task.title}")
            note = ('<p class="standin" role="note">⚠️ 학습되지 않았거나 오프라인 대체 모델(stand-in)입니다. 결과는 '
                    "의미가 없습니다. · An untrained or offline stand-in checkpoint: its answers mean nothing. "
                    f"<span class=\"note\">({html.escape(item.status['note'])})</span></p>")
        page = page.replace("{{NOTE:" + name + "}}", note)
    banner = ""
    if warnings:
        banner = ('<p id="standin-banner" class="standin" role="alert">⚠️ 실제로 학습된 모델이 아닙니다 · Not a trained '
                  f"model: {html.escape(', '.join(warnings))}</p>")
    served_text = " · ".join(f"{item.task.title_ko}: {item.directory.name}" for item in served.values())
    values = {"BANNER": banner, "SERVED": html.escape(served_text), "MAX_TEXT_CHARS": MAX_TEXT_CHARS,
              "MAX_QUESTION_CHARS": MAX_QUESTION_CHARS, "MAX_CONTEXT_CHARS": MAX_CONTEXT_CHARS}
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", str(value))
    return re.sub(r"\{\{NOTE:\w+\}\}", "", page)


def _endpoint(task, served: dict):
    from fastapi import Request

    async def endpoint(body, request):
        return await answer(task, served, body, request.receive)

    endpoint.__name__ = f"post_{task.name}"
    endpoint.__doc__ = f"{task.title}: see the request schema for the fields and limits."
    endpoint.__signature__ = inspect.Signature([
        inspect.Parameter("body", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=task.request),
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
    ])
    return endpoint


def create_app(classifier_dir=None, qa_dir=None, *, batching: bool = True, max_wait: float = 0.002, **task_dirs):
    """A FastAPI app serving every task whose checkpoint directory is given (``classifier_dir``, ``qa_dir``,
    and ``OPTION_dir`` for each other registered task). Checkpoints are checked now (safetensors only) and
    loaded at start-up; each model gets one worker thread that micro-batches (``batching=False``: one request
    at a time). (05 §11, 06 §10)"""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse, Response
    from fastapi.staticfiles import StaticFiles
    from starlette.concurrency import run_in_threadpool

    directories = {"classifier": classifier_dir, "qa": qa_dir}
    for key, value in task_dirs.items():
        if not key.endswith("_dir") or key[:-4] not in {task.option for task in TASKS.values()}:
            raise TypeError(f"create_app() got an unexpected keyword argument {key!r}")
        directories[key[:-4]] = value
    chosen = [(task, directories.get(task.option)) for task in TASKS.values()]
    chosen = [(task, directory) for task, directory in chosen if directory is not None]
    if not chosen:
        names = ", ".join(f"{task.option}_dir" for task in TASKS.values())
        raise ValueError(f"Give at least one checkpoint directory ({names}): a classifier checkpoint directory, "
                         "a QA checkpoint directory, or both.")
    served = {task.name: Served(task, directory) for task, directory in chosen}
    state = {"device": None, "load_error": None}

    def load_all():
        try:
            from ..session import pick_device
        except ImportError:  # pragma: no cover
            pick_device = lambda: "cpu"  # noqa: E731
        state["device"] = pick_device()
        for item in served.values():
            item.load(state["device"], batching, max_wait)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            await run_in_threadpool(load_all)
        except Exception as problem:  # kept for start_in_background's message; uvicorn logs it and stops
            state["load_error"] = problem
            raise
        yield
        for item in served.values():
            if item.worker is not None:
                await run_in_threadpool(item.worker.close)

    titles = ", ".join(f"{task.route} ({task.title})" for task, _ in chosen)
    app = service_app_class()(
        title="BERT lecture web service", version="2.0", lifespan=lifespan, redirect_slashes=False,
        docs_url=None, redoc_url=None,
        description=(f"Serving {titles}. Limits: {MAX_TEXT_CHARS} characters per review, {MAX_BATCH} reviews per "
                     f"batch, {MAX_QUESTION_CHARS} characters per question, {MAX_CONTEXT_CHARS} characters and "
                     f"{MAX_WINDOWS} model windows per passage, {MAX_BODY_BYTES} bytes per request (413 beyond). "
                     "Bad input: 422 with a message (English and Korean) naming the field. A model whose queue is "
                     f"full, or a request not started within {QUEUE_WAIT_SECONDS:.0f} s: 503 with Retry-After."),
    )
    app.state.served = served
    app.state.status = state
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app)

    def page():
        headers = {"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-store"}
        return HTMLResponse(render_page(served), headers=headers)

    app.add_api_route("/", page, methods=["GET", "HEAD"], include_in_schema=False, response_class=HTMLResponse)

    def health():
        """Which models are served, whether they are untrained or stand-in checkpoints, their queues."""
        import torch

        return {
            "status": "ok", "device": state["device"], "torch_threads": torch.get_num_threads(),
            **{task.option: task.name in served for task in TASKS.values()},
            "models": {name: item.health() for name, item in served.items()},
            "limits": LIMITS,
        }

    app.add_api_route("/health", health, methods=["GET"])
    app.add_api_route("/health", health, methods=["HEAD"], include_in_schema=False)

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(openapi_url="openapi.json", title=app.title + " · API docs",
                                   swagger_js_url="static/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="static/swagger-ui/swagger-ui.css", swagger_favicon_url="data:,")

    for task in TASKS.values():  # a task without a checkpoint answers 404 saying which option loads it
        responses = {404: {"description": "no such model loaded"}, 413: {"description": "over a size limit"},
                     503: {"description": "the model is busy: retry after Retry-After seconds"}}
        app.add_api_route(task.route, _endpoint(task, served), methods=["POST"], response_model=task.response,
                          responses=responses, summary=task.title)
    app.fast_lanes = {task.route: task for task, _ in chosen}  # well-formed requests skip FastAPI's machinery
    app.add_api_route("/favicon.ico", lambda: Response(status_code=204), include_in_schema=False)
    return app
