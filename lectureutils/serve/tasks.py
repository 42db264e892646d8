"""What the web service can serve: one ``Task`` record per fine-tuning task, and the checkpoint checks.

Taught in notebooks/05_document_classification.ipynb (§11) and notebooks/06_question_answering.ipynb
(§10). A task registers how to load its checkpoint, how to predict a batch of inputs, and its request
and response schemas; the app then gives it an endpoint, a worker thread, a page panel and a line in
``/health``. Adding a task's endpoint (CONTRIBUTING.md, "Adding a task") is one ``register(Task(...))``.

Checkpoints are loaded from safetensors only: a folder with only a pickled ``pytorch_model.bin`` is
refused with a message (unpickling can run code). A checkpoint whose ``config.json`` carries
``"lectureutils_standin"`` (an offline stand-in, or a model fine-tuned from one) or
``"lectureutils_untrained"`` (a test checkpoint with random heads) is reported as such.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .schemas import MAX_WINDOWS, AnswerRequest, Answer, ClassifyRequest, Sentiment, SentimentBatch

__all__ = [
    "Task", "InputRefused", "TASKS", "register", "check_checkpoint", "checkpoint_status",
    "classification_predict", "qa_predict",
]


@dataclass(frozen=True)
class Task:
    """One servable task. ``load(directory, device) -> (model, tokenizer)``; ``predict_batch(model, tokenizer,
    inputs) -> outputs`` (one output per input, or an ``InputRefused`` for an input it cannot read);
    ``inputs_of(request) -> inputs``; ``reply(request, outputs) -> JSON``. (05 §11, 06 §10)"""

    name: str             # "classification"
    option: str           # command-line option and keyword: --classifier DIR, create_app(classifier_dir=...)
    route: str            # "/api/classify"
    title: str            # "sentiment classification (NSMC)"
    title_ko: str         # "문서 분류"
    request: type
    response: Any
    load: Callable
    predict_batch: Callable
    inputs_of: Callable
    reply: Callable
    max_batch: int = 32   # inputs per forward pass
    queue_size: int = 128  # requests waiting; more get 503
    field: str = "text"   # the request field a model-side error is reported on


class InputRefused(ValueError):
    """An input the model cannot take: ``status`` 413 (over a limit) or 422, on ``field``, of ``kind``."""

    def __init__(self, field: str, kind: str, message: str, status: int = 422, **context):
        super().__init__(message)
        self.field, self.kind, self.status, self.context = field, kind, status, context


TASKS: dict[str, Task] = {}


def register(task: Task) -> Task:
    """Make ``task`` servable (its ``option`` becomes ``--OPTION DIR`` and ``create_app(OPTION_dir=...)``)."""
    TASKS[task.name] = task
    return task


# --------------------------------------------------------------------------------------------- checkpoints
def check_checkpoint(directory, what: str) -> Path:
    """``directory`` as a Path if it holds a safetensors checkpoint, else a clear FileNotFoundError or
    ValueError (a pickled ``pytorch_model.bin`` is never loaded). (05 §11, 06 §10)"""
    folder = Path(directory)
    if not folder.is_dir():
        raise FileNotFoundError(f"The {what} checkpoint directory {str(directory)!r} does not exist.")
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder} is not a saved model (no config.json): save one with "
                                "model.save_pretrained(DIR) and tokenizer.save_pretrained(DIR), or train one with "
                                "`python -m lectureutils.finetune`.")
    if not ((folder / "model.safetensors").is_file() or (folder / "model.safetensors.index.json").is_file()):
        pickled = sorted(path.name for path in folder.glob("*.bin"))
        if pickled:
            raise ValueError(f"{folder} holds only pickled PyTorch weights ({', '.join(pickled)}), which this "
                             "service does not load (unpickling a file can run any code). Load it once in a "
                             "trusted session and save it again with model.save_pretrained(DIR): transformers "
                             "writes model.safetensors.")
        raise FileNotFoundError(f"{folder} has no model.safetensors: save the model with model.save_pretrained(DIR).")
    return folder


def checkpoint_status(directory) -> dict:
    """``{"checkpoint", "standin", "untrained", "note"}`` from the markers in the checkpoint's config.json
    (and ``lectureutils.models.is_standin`` where it knows more). (05 §11, 06 §10)"""
    folder = Path(directory)
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    standin = config.get("lectureutils_standin")
    untrained = config.get("lectureutils_untrained")
    if not standin:
        try:
            from ..models import is_standin

            standin = bool(is_standin(str(folder)))
        except Exception:  # noqa: BLE001 (older lectureutils, or a folder it cannot read: the marker decides)
            standin = False
    notes = []
    if standin:
        notes.append(standin if isinstance(standin, str) else "an offline stand-in")
    if untrained:
        notes.append(untrained if isinstance(untrained, str) else "untrained (random task head)")
    return {"checkpoint": folder.name, "standin": bool(standin), "untrained": bool(untrained),
            "note": "; ".join(notes) or None}


# --------------------------------------------------------------------------------------------- classification
def _load_classifier(directory, device):
    from ..classification import load_classifier

    return load_classifier(str(directory), device=device)


def classification_predict(model, tokenizer, texts: list[str]) -> list[dict]:
    """Sentiment of each review in one padded forward pass (the lecture's ``inference_fn`` fields, with the
    probabilities unrounded and ``truncated`` set for a review longer than the model reads). (05 §11)"""
    from .. import classification

    max_length = getattr(classification, "LECTURE_MAX_LENGTH", 128)
    positives = classification.positive_probabilities(texts, model, tokenizer, max_length)
    lengths = [len(ids) for ids in tokenizer(texts, truncation=True, max_length=max_length + 1)["input_ids"]]
    results = []
    for text, positive, length in zip(texts, positives, lengths):
        prediction = classification.format_result(text, positive)["prediction"]
        results.append({"text": text, "label": "positive" if positive >= 0.5 else "negative",
                        "prediction": prediction, "positive": float(positive), "negative": float(1.0 - positive),
                        "truncated": length > max_length})
    return results


register(Task(
    name="classification", option="classifier", route="/api/classify",
    title="sentiment classification (NSMC)", title_ko="문서 분류", request=ClassifyRequest,
    response=Sentiment | SentimentBatch, load=_load_classifier, predict_batch=classification_predict,
    inputs_of=lambda request: [request.text] if request.text is not None else list(request.texts),
    reply=lambda request, outputs: outputs[0] if request.text is not None else {"results": outputs},
    max_batch=64, queue_size=256, field="text",
))


# --------------------------------------------------------------------------------------------- QA
def _load_qa(directory, device):
    from ..qa import load_qa_model

    return load_qa_model(str(directory), device=device)


def _qa_windows(question: str, context: str, model, tokenizer, max_seq_length: int = 384, doc_stride: int = 128,
                max_query_length: int = 64):
    """The windows and passage offsets ``lectureutils.qa.answer`` builds for one question (same settings)."""
    from .. import qa

    limit = qa.model_input_limit(tokenizer, model)
    if limit is not None:
        max_seq_length = min(max_seq_length, limit)
    special = tokenizer.num_special_tokens_to_add(pair=True)
    max_query_length = max(1, min(max_query_length, max_seq_length - special - 1))
    doc_stride = max(1, min(doc_stride, max_seq_length - max_query_length - special))
    encoding = qa.encode_windows(question, context, tokenizer, max_seq_length, doc_stride, max_query_length)
    count = len(encoding["input_ids"])
    if count > MAX_WINDOWS:
        raise InputRefused("context", "too_many_windows", f"needs {count} windows; the limit is {MAX_WINDOWS}",
                           status=413, windows=count, limit=MAX_WINDOWS)
    windows = [qa.model_inputs(encoding, window) for window in range(count)]
    return windows, [qa.passage_offsets(encoding, window) for window in range(count)]


def qa_predict(model, tokenizer, pairs: list[tuple[str, str]], window_batch: int = 32) -> list:
    """Answers for (question, context) pairs: the windows of all pairs in shared forward passes of at most
    ``window_batch`` windows, then ``lectureutils.qa.best_spans`` per pair, as ``qa.answer`` does. (06 §10)"""
    from .. import qa

    prepared, windows = [], []
    for question, context in pairs:
        try:
            pair_windows, offsets = _qa_windows(question, context, model, tokenizer)
        except InputRefused as refused:
            prepared.append(refused)
            continue
        prepared.append((len(windows), len(pair_windows), offsets))
        windows.extend(pair_windows)
    starts, ends = qa.window_logits(model, tokenizer, windows, window_batch) if windows else ([], [])
    outputs = []
    for (question, context), item in zip(pairs, prepared):
        if isinstance(item, InputRefused):
            outputs.append(item)
            continue
        first, count, offsets = item
        spans = qa.best_spans(context, starts[first:first + count], ends[first:first + count], offsets, 1,
                              qa.MAX_ANSWER_LENGTH)
        if not spans:
            outputs.append(InputRefused("context", "model_input", "The context has no text this tokenizer can read."))
            continue
        best = spans[0]
        outputs.append({"question": question, "answer": best.text, "start": int(best.start), "end": int(best.end),
                        "score": float(best.score), "windows": count})
    return outputs


register(Task(
    name="qa", option="qa", route="/api/answer", title="question answering (KorQuAD)", title_ko="질의 응답",
    request=AnswerRequest, response=Answer, load=_load_qa, predict_batch=qa_predict,
    inputs_of=lambda request: [(request.question, request.context)], reply=lambda request, outputs: outputs[0],
    max_batch=8, queue_size=64, field="context",
))
