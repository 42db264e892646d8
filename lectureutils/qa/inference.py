"""Running a QA model: logits of windows, predictions for a data set, ``answer()``, loading a checkpoint.

Taught in notebooks/06_question_answering.ipynb, §6 ("Evaluation"), §8 ("Asking questions about any
passage") and §9 ("Save, reload"); ``predict_batch`` and ``load_qa_model`` are what the web service runs (§10).
A checkpoint stores its window settings in ``config.json``, so every reader cuts a passage the same way.
"""

from __future__ import annotations

from ..checkpoints import load_checkpoint
from ..tasks import InputTooLong
from .decoding import MAX_ANSWER_LENGTH, Span, best_spans, postprocess_predictions, prediction_texts
from .features import (
    encode_windows,
    map_features,
    model_input_limit,
    model_inputs,
    passage_offsets,
    prepare_validation_features,
)

__all__ = [
    "WINDOW_SETTINGS", "DEFAULT_WINDOWS", "store_window_settings", "window_settings", "window_logits",
    "predict_spans", "evaluate_qa", "answer_windows", "predict_batch", "answer", "load_qa_model",
]

#: The names of the window settings a QA checkpoint stores in its config.
WINDOW_SETTINGS = ("max_seq_length", "doc_stride", "max_query_length")
#: What ``answer`` uses for a model that stores no settings: the usual BERT-on-SQuAD windows.
DEFAULT_WINDOWS = {"max_seq_length": 384, "doc_stride": 128, "max_query_length": 64}


def store_window_settings(model, max_seq_length: int, doc_stride: int, max_query_length: int) -> None:
    """Write the window settings into ``model.config``, so that ``save_pretrained`` keeps them (06 §4)."""
    for name, value in zip(WINDOW_SETTINGS, (max_seq_length, doc_stride, max_query_length)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive whole number, not {value!r}.")
        setattr(model.config, name, value)


def window_settings(model, defaults: dict | None = None) -> dict:
    """The window settings stored in the model's config, else from ``defaults`` (06 §9)."""
    fallback = DEFAULT_WINDOWS if defaults is None else defaults
    config = getattr(model, "config", None)
    stored = {name: getattr(config, name, None) for name in WINDOW_SETTINGS}
    return {name: stored[name] if isinstance(stored[name], int) else fallback[name] for name in WINDOW_SETTINGS}


def window_logits(model, tokenizer, windows: list[dict], batch_size: int = 32):
    """Start and end logits (float32 numpy, one array per window) of ``model`` on tokenized windows (06 §8)."""
    import torch

    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    starts, ends = [], []
    try:
        with torch.no_grad():
            for first in range(0, len(windows), batch_size):
                batch = windows[first:first + batch_size]
                padded = tokenizer.pad(batch, return_tensors="pt").to(device)
                outputs = model(**padded)
                for row, window in enumerate(batch):
                    length = len(window["input_ids"])
                    starts.append(outputs.start_logits[row, :length].float().cpu().numpy())
                    ends.append(outputs.end_logits[row, :length].float().cpu().numpy())
    finally:
        model.train(was_training)
    return starts, ends


def predict_spans(model_or_trainer, tokenizer, examples, features=None, n_best: int = 1,
                  max_answer_length: int = MAX_ANSWER_LENGTH, batch_size: int = 32,
                  **window_settings) -> dict[str, list[Span]]:
    """n-best spans for every example of a ``datasets.Dataset``, windows built here if not given (06 §6).

    A ``Trainer`` predicts via ``trainer.predict`` (torchrun, mixed precision); a model via ``window_logits``.
    """
    if features is None:
        features = map_features(examples, prepare_validation_features, tokenizer, **window_settings)
    inputs = features.remove_columns([c for c in ("example_id", "offset_mapping") if c in features.column_names])
    if hasattr(model_or_trainer, "predict"):
        start_logits, end_logits = model_or_trainer.predict(inputs).predictions[:2]
    else:
        start_logits, end_logits = window_logits(model_or_trainer, tokenizer, list(inputs), batch_size)
    columns = {"example_id": list(features["example_id"]), "offset_mapping": list(features["offset_mapping"])}
    return postprocess_predictions(examples, columns, start_logits, end_logits, n_best, max_answer_length)


def evaluate_qa(model_or_trainer, tokenizer, examples, features=None, **settings) -> tuple[dict, dict[str, list[Span]]]:
    """KorQuAD EM/F1 in percent (``lectureutils.qa.metrics``) and the n-best spans per question (06 §6)."""
    from .metrics import korquad_metrics

    spans = predict_spans(model_or_trainer, tokenizer, examples, features, **settings)
    return korquad_metrics(prediction_texts(spans), examples), spans


def answer_windows(question: str, context: str, model, tokenizer, max_seq_length: int | None = None,
                   doc_stride: int | None = None, max_query_length: int | None = None) -> tuple[list, list]:
    """The model inputs and passage offsets of every window ``answer`` reads for one question (06 §8).

    Settings not given come from the checkpoint, capped at what the model holds; the web service uses it too.
    """
    given = {"max_seq_length": max_seq_length, "doc_stride": doc_stride, "max_query_length": max_query_length}
    stored = window_settings(model)
    max_seq_length, doc_stride, max_query_length = (given[name] or stored[name] for name in WINDOW_SETTINGS)
    limit = model_input_limit(tokenizer, model)
    if limit is not None:
        max_seq_length = min(max_seq_length, limit)
    special = tokenizer.num_special_tokens_to_add(pair=True)
    max_query_length = max(1, min(max_query_length, max_seq_length - special - 1))
    doc_stride = max(1, min(doc_stride, max_seq_length - max_query_length - special))
    encoding = encode_windows(question, context, tokenizer, max_seq_length, doc_stride, max_query_length)
    windows = [model_inputs(encoding, window) for window in range(len(encoding["input_ids"]))]
    return windows, [passage_offsets(encoding, window) for window in range(len(windows))]


def predict_batch(pairs, model, tokenizer, batch_size: int = 32, max_windows: int | None = None,
                  max_answer_length: int = MAX_ANSWER_LENGTH, n_best: int = 1, **window_settings) -> list[dict]:
    """:func:`answer` for many ``(question, context)`` pairs, results in input order (06 §8; the web service's
    answer, 06 §10), windows batched ``batch_size`` at a time.

    Refuses a non-string, empty or unreadable question/context (naming its position), and a passage needing
    more than ``max_windows`` windows (``lectureutils.tasks.InputTooLong``; it is never cut).
    """
    if isinstance(pairs, tuple) and len(pairs) == 2 and all(isinstance(text, str) for text in pairs):
        raise TypeError("predict_batch takes a list of (question, context) pairs; for one question use answer().")
    pairs = [tuple(pair) for pair in pairs]
    windows, prepared = [], []
    for position, (question, context) in enumerate(pairs):
        for name, text in (("question", question), ("context", context)):
            if not isinstance(text, str):
                raise TypeError(f"The {name} at position {position} must be a string, not {type(text).__name__}.")
            if not text.strip():
                raise ValueError(f"The {name} at position {position} is empty: give a {name} with at least one word.")
        pair_windows, offsets = answer_windows(question, context, model, tokenizer, **window_settings)
        if max_windows is not None and len(pair_windows) > max_windows:
            raise InputTooLong(f"The context at position {position} needs {len(pair_windows)} windows, more than the "
                               f"{max_windows} allowed: shorten it.", "context", len(pair_windows), max_windows,
                               unit="windows")
        if all(offset is None for window in offsets for offset in window):
            raise ValueError(f"The context at position {position} has no text this tokenizer can read.")
        prepared.append((len(windows), len(pair_windows), offsets))
        windows.extend(pair_windows)
    start_logits, end_logits = window_logits(model, tokenizer, windows, batch_size) if windows else ([], [])
    results = []
    for (question, context), (first, count, offsets) in zip(pairs, prepared):
        spans = best_spans(context, start_logits[first:first + count], end_logits[first:first + count], offsets,
                           n_best, max_answer_length)
        best = spans[0]
        results.append({
            "question": question, "answer": best.text, "start": best.start, "end": best.end, "score": best.score,
            "windows": count, "n_best": [{"answer": span.text, "start": span.start, "end": span.end,
                                          "score": span.score} for span in spans],
        })
    return results


def answer(question: str, context: str, model, tokenizer, max_seq_length: int | None = None,
           doc_stride: int | None = None, max_query_length: int | None = None,
           max_answer_length: int = MAX_ANSWER_LENGTH, n_best: int = 1) -> dict:
    """Answer ``question`` from ``context`` (a passage of any length) with a fine-tuned QA model (06 §8).

    Returns ``{"question", "context", "answer", "start", "end", "score", "windows", "n_best"}`` with
    ``context[start:end] == answer``; ``score`` is p(start) * p(end). Window settings default to the checkpoint's.
    An empty or unreadable question or context raises ValueError (a web service answers it with 422).
    """
    for name, text in (("question", question), ("context", context)):
        if not isinstance(text, str):
            raise TypeError(f"The {name} must be a string, not {type(text).__name__}.")
        if not text.strip():
            raise ValueError(f"The {name} is empty: give a {name} with at least one word.")
    [result] = predict_batch([(question, context)], model, tokenizer, max_answer_length=max_answer_length,
                             n_best=n_best, max_seq_length=max_seq_length, doc_stride=doc_stride,
                             max_query_length=max_query_length)
    return {"question": question, "context": context, **result}  # the keys in that order


def load_qa_model(directory, device: str | None = None):
    """``(model, tokenizer)`` of a fine-tuned QA model: a saved folder or a Hub id (06's ``CHECKPOINT``),
    safetensors only, in evaluation mode (06 §9; the web service, 06 §10).
    """
    from transformers import AutoModelForQuestionAnswering

    return load_checkpoint(AutoModelForQuestionAnswering, directory, "qa", device)
