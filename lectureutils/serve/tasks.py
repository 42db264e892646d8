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

import inspect
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .schemas import (
    MAX_WINDOWS, Answer, AnswerRequest, ClassifyRequest, Entities, EntitiesRequest, PairLabel, PairRequest, Sentiment,
    SentimentBatch,
)

__all__ = [
    "Task", "InputRefused", "TASKS", "register", "check_checkpoint", "checkpoint_status",
    "classification_predict", "qa_predict", "nli_predict", "ner_predict",
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
    """Make ``task`` servable (its ``option`` becomes ``--OPTION DIR`` and ``create_app(OPTION_dir=...)``) (05 §11)."""
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
    from .batching import forward_cost

    model, tokenizer = load_classifier(str(directory), device=device)
    forward_cost(model)  # timed now, at start-up, rather than in the first request
    return model, tokenizer


def classification_predict(model, tokenizer, texts: list[str]) -> list[dict]:
    """Sentiment of each review, the reviews grouped by length into few padded forward passes
    (``serve.batching``; the same probabilities as the lecture's ``positive_probabilities``), with the lecture's
    ``inference_fn`` fields, the probabilities unrounded and ``truncated`` set for a review longer than the
    model reads. (05 §11)"""
    from ..classification import prediction_name
    from ..training import LECTURE_MAX_LENGTH  # classification.positive_probabilities' max_length
    from .batching import positive_probabilities

    positives, truncated = positive_probabilities(texts, model, tokenizer, LECTURE_MAX_LENGTH)
    return [{"text": text, "label": "positive" if positive >= 0.5 else "negative",
             "prediction": prediction_name(positive),
             "positive": float(positive), "negative": float(1.0 - positive), "truncated": cut}
            for text, positive, cut in zip(texts, positives, truncated)]


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


def _qa_windows(question: str, context: str, model, tokenizer):
    """The windows and passage offsets ``lectureutils.qa.answer`` reads for one question (``qa.answer_windows``:
    the checkpoint's window settings), refused when there are more than ``MAX_WINDOWS``."""
    from .. import qa

    windows, offsets = qa.answer_windows(question, context, model, tokenizer)
    if len(windows) > MAX_WINDOWS:
        raise InputRefused("context", "too_many_windows", f"needs {len(windows)} windows; the limit is {MAX_WINDOWS}",
                           status=413, windows=len(windows), limit=MAX_WINDOWS)
    return windows, offsets


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


# --------------------------------------------------------------------------------------------- NLI, NER
def _too_long(field: str, length: int, limit: int) -> InputRefused:
    return InputRefused(field, "too_long_for_model", f"is {length} tokens long; the model reads at most {limit}",
                        status=413, length=length, limit=limit)


def nli_predict(model, tokenizer, pairs: list[tuple[str, str]]) -> list:
    """``lectureutils.nli.predict_pairs`` for the pairs that fit the model; a longer pair is refused (never cut)
    (09_sentence_pair_classification, §5)."""
    from .. import nli
    from ..inputs import max_model_length

    max_length = inspect.signature(nli.predict_pairs).parameters["max_length"].default
    limit = min(max_length, max_model_length(tokenizer, model))
    outputs = [None] * len(pairs)
    for index, (premise, hypothesis) in enumerate(pairs):
        length = len(tokenizer(premise, hypothesis, truncation=False)["input_ids"])
        if length > limit:
            outputs[index] = _too_long("premise", length, limit)
    keep = [index for index, output in enumerate(outputs) if output is None]
    for index, result in zip(keep, nli.predict_pairs(model, tokenizer, [pairs[index] for index in keep])):
        korean = nli.KOREAN_LABELS.get(result["label"], result["label"])
        outputs[index] = {**result, "prediction": f"{korean} ({result['label']})"}
    return outputs


def ner_predict(model, tokenizer, texts: list[str]) -> list:
    """``lectureutils.ner.extract_entities_batch`` for the texts that fit the model; a longer text is refused
    (the tagger would call everything past its limit "O") (10_named_entity_recognition, §5)."""
    from .. import ner
    from ..inputs import max_model_length

    limit = min(512, max_model_length(tokenizer, model))
    lengths = [len(ids) for ids in tokenizer(texts, truncation=False)["input_ids"]]
    outputs = [_too_long("text", length, limit) if length > limit else None for length in lengths]
    keep = [index for index, output in enumerate(outputs) if output is None]
    for index, entities in zip(keep, ner.extract_entities_batch([texts[index] for index in keep], model, tokenizer)):
        outputs[index] = {"text": texts[index], "entities": entities}
    return outputs


def _load(module: str, function: str):
    def load(directory, device):
        import importlib

        return getattr(importlib.import_module(f"lectureutils.{module}"), function)(str(directory), device=device)

    return load


register(Task(
    name="nli", option="nli", route="/api/nli", title="natural language inference (KLUE-NLI)", title_ko="자연어 추론",
    request=PairRequest, response=PairLabel, load=_load("nli", "load_nli_model"), predict_batch=nli_predict,
    inputs_of=lambda request: [(request.premise, request.hypothesis)], reply=lambda request, outputs: outputs[0],
    max_batch=32, queue_size=128, field="premise",
))
register(Task(
    name="ner", option="ner", route="/api/ner", title="named entities (KLUE-NER)", title_ko="개체명 인식",
    request=EntitiesRequest, response=Entities, load=_load("ner", "load_tagger"), predict_batch=ner_predict,
    inputs_of=lambda request: [request.text], reply=lambda request, outputs: outputs[0],
    max_batch=32, queue_size=128, field="text",
))
