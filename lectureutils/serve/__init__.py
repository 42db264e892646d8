"""Web service for the fine-tuned models: one FastAPI app, a route per served task, one worker thread per model.

Taught in notebooks/05_document_classification.ipynb (§12 A web service for the classifier) and
notebooks/06_question_answering.ipynb (§10 A web service for question answering). The lecture serves its model
with Flask + ngrok (which now needs an account); here one FastAPI app serves every task whose checkpoint it is
given, and Colab shows it through its own port proxy. ``schemas``: limits, and per task its route, request and
response (``ENDPOINTS``); ``worker``: one thread per model that takes the waiting requests as one batch for the
task's own ``predict_batch``; ``app``: ``create_app``, the page, ``/health``, ``/docs``; ``errors``: bilingual
error answers; ``background``: ``start_in_background`` (and Colab's proxy), uvicorn's limits; ``cli``:
``python -m lectureutils.serve --classifier DIR --qa DIR --port 8000``.
"""

from .app import UNTRAINED, checkpoint_status, create_app, render_page
from .background import RunningServer, start_in_background
from .cli import main
from .schemas import (
    ENDPOINTS, LIMITS, MAX_BATCH, MAX_BODY_BYTES, MAX_CONTEXT_CHARS, MAX_QUESTION_CHARS, MAX_TEXT_CHARS, MAX_WINDOWS,
    QUEUE_WAIT_SECONDS,
)
from .worker import Busy, ModelWorker, WaitedTooLong

__all__ = [
    "create_app", "render_page", "checkpoint_status", "LIMITS", "UNTRAINED", "start_in_background", "RunningServer",
    "main", "ModelWorker", "Busy", "WaitedTooLong", "ENDPOINTS", "MAX_BATCH", "MAX_BODY_BYTES", "MAX_CONTEXT_CHARS",
    "MAX_QUESTION_CHARS", "MAX_TEXT_CHARS", "MAX_WINDOWS", "QUEUE_WAIT_SECONDS",
]
