"""Web service for the fine-tuned models: one FastAPI app, one worker thread per model, micro-batching.

Taught at the end of notebooks/05_document_classification.ipynb (§11 A web service for the classifier)
and notebooks/06_question_answering.ipynb (§10 A web service for question answering). The lecture
serves its models with Flask + ngrok (which now needs an ngrok account); here one FastAPI app serves
every task whose checkpoint it is given, and Colab shows it through its own port proxy.

- ``schemas``: request and response models, the size limits.
- ``tasks``: one ``Task`` per servable task (load, predict a batch, schemas), checkpoint checks.
- ``runner``: ``ModelWorker``, one thread per model with a bounded queue and micro-batching.
- ``batching``: a micro-batch's forward passes, the inputs grouped by length (less padding).
- ``app``: ``create_app`` (routes, page, /health, offline /docs); ``errors`` and ``guards`` around it;
  ``fastlane``: the API endpoints' request path (well-formed requests skip FastAPI's machinery).
- ``background``: ``start_in_background`` for notebooks (and Colab's port proxy); ``cli``: the command line.

Run it with ``python -m lectureutils.serve --classifier DIR --qa DIR --port 8000``, or from a notebook with
``start_in_background(classifier_dir=..., qa_dir=...)``.
"""

from .app import LIMITS, create_app, render_page
from .background import RunningServer, start_in_background
from .cli import main
from .runner import Busy, ModelWorker
from .schemas import (
    MAX_BATCH, MAX_BODY_BYTES, MAX_CONTEXT_CHARS, MAX_QUESTION_CHARS, MAX_TEXT_CHARS, MAX_WINDOWS, QUEUE_WAIT_SECONDS,
    AnswerRequest, ClassifyRequest,
)
from .tasks import TASKS, InputRefused, Task, check_checkpoint, checkpoint_status, register

__all__ = [
    "create_app", "render_page", "LIMITS", "start_in_background", "RunningServer", "main", "ModelWorker", "Busy",
    "MAX_BATCH", "MAX_BODY_BYTES", "MAX_CONTEXT_CHARS", "MAX_QUESTION_CHARS", "MAX_TEXT_CHARS", "MAX_WINDOWS",
    "QUEUE_WAIT_SECONDS", "AnswerRequest", "ClassifyRequest", "TASKS", "Task", "InputRefused", "register",
    "check_checkpoint", "checkpoint_status",
]
