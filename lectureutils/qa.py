"""Extractive question answering (KorQuAD 1.0): sliding windows, span decoding, ``answer()``.

Taught in notebooks/06_question_answering.ipynb; the sections that teach each piece:

- "From a long passage to windows": ``encode_windows``, ``prepare_train_features``,
  ``prepare_validation_features``. A passage longer than the model's input is cut into
  overlapping windows (``return_overflowing_tokens``); each window is ``[CLS] question [SEP]
  part of the passage [SEP]``. The answer is labelled with its first and last token in every
  window that holds all of it; a window without it is labelled with the ``[CLS]`` position.
- "From logits to an answer": ``best_spans``, ``postprocess_predictions``. The best span over
  all windows of a question with start <= end, at most ``max_answer_length`` tokens, inside the
  passage, mapped back to the passage's characters through the tokenizer's offsets.
- "Asking questions about any passage": ``answer``, ``load_qa_model``.
- "Fine-tuning" and "Evaluation": ``make_qa_trainer``, ``predict_spans``, ``evaluate_qa`` (EM/F1
  from ``lectureutils.qa_metrics``), and the command line
  ``python -m lectureutils.finetune qa --model NAME --output DIR`` (``add_cli_arguments``,
  ``run_cli``), which runs the same functions as the notebook.

**doc_stride** has the meaning it has in the lecture (ratsnlp) and in Google's original BERT
``run_squad.py``: the distance, in tokens, between the starts of two consecutive windows. (The
fast tokenizer's ``stride`` argument is the *overlap* of two windows; ``encode_windows`` converts.)
With the lecture's 128/64/32 a question of 32 tokens leaves 93 passage tokens per window, and
consecutive windows share 29 of them.

Nothing here runs at import time; heavy libraries are imported inside the functions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

#: The lecture's window settings (ratsnlp ``QATrainArguments``): fast, but short windows.
LECTURE_WINDOWS = {"max_seq_length": 128, "doc_stride": 64, "max_query_length": 32}
#: The usual setting for BERT on SQuAD/KorQuAD (capped at the model's maximum: 300 for KcBERT).
RECOMMENDED_WINDOWS = {"max_seq_length": 384, "doc_stride": 128, "max_query_length": 64}
MAX_ANSWER_LENGTH = 30  # tokens, as in the lecture's package and BERT's run_squad.py
KCBERT_DEV_SCORES = {"exact_match": 60.25, "f1": 84.39}  # reported by KcBERT's authors (KorQuAD 1.0 dev)


# --- windows ---------------------------------------------------------------------------------------


def model_input_limit(tokenizer, model=None) -> int | None:
    """The most tokens the model (or, without it, the tokenizer) accepts; None if unknown."""
    from .inputs import max_model_length

    try:
        return max_model_length(tokenizer, model)
    except ValueError:
        return None


def check_window_settings(tokenizer, max_seq_length: int, doc_stride: int, max_query_length: int) -> None:
    """Raise ValueError for settings that cannot work (windows too long, gaps between windows)."""
    special = tokenizer.num_special_tokens_to_add(pair=True)
    if max_query_length < 1 or doc_stride < 1:
        raise ValueError(f"max_query_length ({max_query_length}) and doc_stride ({doc_stride}) must be at least 1.")
    limit = model_input_limit(tokenizer)
    if limit is not None and max_seq_length > limit:
        raise ValueError(f"max_seq_length={max_seq_length} is more than this model's maximum of {limit} tokens.")
    room = max_seq_length - max_query_length - special
    if room < doc_stride:
        raise ValueError(
            f"max_seq_length={max_seq_length} leaves only {room} passage tokens per window after a question of "
            f"{max_query_length} tokens and {special} special tokens, less than doc_stride={doc_stride}: "
            "windows would skip part of the passage. Lower doc_stride or max_query_length."
        )


def truncate_question(question: str, tokenizer, max_query_length: int) -> str:
    """The question cut after its first ``max_query_length`` tokens (as the lecture truncates it).

    The string is cut at the end of the last kept token, so it tokenizes to exactly those tokens
    (WordPiece matches longest-first, so a prefix that ends on a token boundary keeps its tokens).
    """
    question = question.strip()
    offsets = tokenizer(question, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    if len(offsets) <= max_query_length:
        return question
    return question[: offsets[max_query_length - 1][1]]


def encode_windows(question: str, context: str, tokenizer, max_seq_length: int = 384, doc_stride: int = 128,
                   max_query_length: int = 64):
    """Tokenize one (question, passage) pair into overlapping windows, with offset mappings.

    Returns the tokenizer's ``BatchEncoding``: one row per window, each
    ``[CLS] question [SEP] passage part [SEP]``, with ``offset_mapping`` (character spans;
    passage tokens' spans are positions in ``context``) and ``sequence_ids(i)`` (1 marks passage
    tokens). Consecutive windows start ``doc_stride`` passage tokens apart.

    tokenizers 0.23.1 and 0.23.2 return incomplete windows with ``return_overflowing_tokens``
    (huggingface/tokenizers#2091: the last windows are dropped). When the windows do not reach the
    end of the passage they are rebuilt from the whole passage (``assemble_windows``), with a warning.
    """
    question = truncate_question(question, tokenizer, max_query_length)
    question_tokens = len(tokenizer(question, add_special_tokens=False)["input_ids"])
    passage_tokens_per_window = max_seq_length - question_tokens - tokenizer.num_special_tokens_to_add(pair=True)
    overlap = passage_tokens_per_window - doc_stride  # what the fast tokenizer calls "stride"
    if overlap < 0:
        raise ValueError(f"doc_stride={doc_stride} is longer than a window's {passage_tokens_per_window} passage tokens.")
    encoding = tokenizer(
        question,
        context,
        truncation="only_second",
        max_length=max_seq_length,
        stride=overlap,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
    )
    if not reaches_end_of(encoding, context):
        rebuilt = assemble_windows(question, context, tokenizer, passage_tokens_per_window, overlap)
        if len(rebuilt["input_ids"]) != len(encoding["input_ids"]):
            warn_incomplete_windows()
        encoding = rebuilt
    return encoding


def reaches_end_of(encoding, context: str) -> bool:
    """True when the last window's last passage token ends where the passage's text ends."""
    last = len(encoding["input_ids"]) - 1
    ends = [end for (start, end), sequence_id in zip(encoding["offset_mapping"][last], encoding.sequence_ids(last))
            if sequence_id == 1]
    return not ends or ends[-1] >= len(context.rstrip())


def assemble_windows(question: str, context: str, tokenizer, passage_tokens_per_window: int, overlap: int):
    """The windows of ``encode_windows``, built from the whole tokenized passage.

    The passage is tokenized once without truncation, cut into ``passage_tokens_per_window``-token
    pieces sharing ``overlap`` tokens (``Encoding.truncate``), and each piece is joined to the question
    by the tokenizer's own pair template (``post_process``): the same result as
    ``return_overflowing_tokens``, without relying on it.
    """
    from transformers import BatchEncoding

    backend = tokenizer.backend_tokenizer
    saved_truncation, saved_padding = backend.truncation, backend.padding
    backend.no_truncation()
    backend.no_padding()
    try:
        question_encoding = backend.encode(question, add_special_tokens=False)
        passage = backend.encode(context, add_special_tokens=False)
    finally:
        if saved_truncation is not None:
            backend.enable_truncation(**saved_truncation)
        if saved_padding is not None:
            backend.enable_padding(**saved_padding)
    passage.truncate(passage_tokens_per_window, stride=overlap)
    pieces = [passage, *passage.overflowing]
    windows = [backend.post_process(question_encoding, piece, add_special_tokens=True) for piece in pieces]
    data = {"input_ids": [window.ids for window in windows]}
    if "token_type_ids" in tokenizer.model_input_names:
        data["token_type_ids"] = [window.type_ids for window in windows]
    data["attention_mask"] = [window.attention_mask for window in windows]
    data["offset_mapping"] = [window.offsets for window in windows]
    data["overflow_to_sample_mapping"] = [0] * len(windows)
    return BatchEncoding(data, encoding=windows)


def warn_incomplete_windows() -> None:
    import warnings

    import tokenizers

    warnings.warn(
        f"tokenizers {tokenizers.__version__} returned incomplete windows for a long passage "
        "(huggingface/tokenizers#2091); lectureutils.qa rebuilt them. Upgrade with: "
        'pip install -U "tokenizers>=0.23.3"',
        stacklevel=3,
    )


def overflow_is_complete(tokenizer) -> bool:
    """Whether this tokenizer's ``return_overflowing_tokens`` returns every window of a long passage
    (False with tokenizers 0.23.1 and 0.23.2, huggingface/tokenizers#2091)."""
    passage = " ".join(["서울 부산 대구 인천 광주 대전 울산"] * 40)
    encoding = tokenizer("질문", passage, truncation="only_second", max_length=32, stride=8,
                         return_overflowing_tokens=True, return_offsets_mapping=True)
    return reaches_end_of(encoding, passage)


def passage_offsets(encoding, window: int) -> list:
    """Offsets of one window with ``None`` for every token outside the passage."""
    sequence_ids = encoding.sequence_ids(window)
    return [
        tuple(offset) if sequence_id == 1 else None
        for offset, sequence_id in zip(encoding["offset_mapping"][window], sequence_ids)
    ]


def answer_token_span(offsets: list, answer_start: int, answer_end: int) -> tuple[int, int] | None:
    """First and last token of the answer ``context[answer_start:answer_end]`` in one window.

    ``offsets`` has ``None`` outside the passage (``passage_offsets``). The span is the shortest
    run of tokens that covers the answer; None when the window does not hold all of the answer.
    """
    inside = [index for index, offset in enumerate(offsets) if offset is not None]
    if not inside:
        return None
    first, last = inside[0], inside[-1]
    if offsets[first][0] > answer_start or offsets[last][1] < answer_end:
        return None  # the answer starts before or ends after this window
    start = next((i for i in inside if offsets[i][1] > answer_start), None)
    end = next((i for i in reversed(inside) if offsets[i][0] < answer_end), None)
    if start is None or end is None or end < start:
        return None  # an answer of whitespace only: no token covers it
    return start, end


def rows_of(batch) -> list[dict]:
    """A ``datasets`` batch (dict of lists) or a list of examples, as a list of examples."""
    if hasattr(batch, "keys"):  # a dict, or the LazyBatch that Dataset.map passes
        keys = list(batch.keys())
        return [dict(zip(keys, values)) for values in zip(*(batch[key] for key in keys))]
    return list(batch)


def model_inputs(encoding, window: int) -> dict:
    names = [name for name in ("input_ids", "token_type_ids", "attention_mask") if name in encoding]
    return {name: encoding[name][window] for name in names}


def prepare_train_features(examples, tokenizer, max_seq_length: int = 128, doc_stride: int = 64,
                           max_query_length: int = 32) -> dict:
    """Training windows for a batch of examples (use with ``Dataset.map(..., batched=True)``).

    ``examples`` have ``question``, ``context`` and ``answers`` (``{"text": [...], "answer_start":
    [...]}``; the first answer is the label, as KorQuAD's training set has one). Each window gets
    ``start_positions``/``end_positions``: the answer's first and last token when the window holds
    all of it, else the position of ``[CLS]`` (read from the tokenizer, never assumed to be 0).
    """
    check_window_settings(tokenizer, max_seq_length, doc_stride, max_query_length)
    features = defaultdict(list)
    for example in rows_of(examples):
        encoding = encode_windows(example["question"], example["context"], tokenizer, max_seq_length, doc_stride,
                                  max_query_length)
        answer_start = example["answers"]["answer_start"][0]
        answer_end = answer_start + len(example["answers"]["text"][0])
        for window in range(len(encoding["input_ids"])):
            inputs = model_inputs(encoding, window)
            cls_index = inputs["input_ids"].index(tokenizer.cls_token_id)
            span = answer_token_span(passage_offsets(encoding, window), answer_start, answer_end)
            start, end = span if span is not None else (cls_index, cls_index)
            for name, value in inputs.items():
                features[name].append(value)
            features["start_positions"].append(start)
            features["end_positions"].append(end)
    return dict(features)


def prepare_validation_features(examples, tokenizer, max_seq_length: int = 128, doc_stride: int = 64,
                                max_query_length: int = 32) -> dict:
    """Evaluation windows for a batch of examples: model inputs plus ``example_id`` and
    ``offset_mapping`` (``None`` for tokens outside the passage), which ``postprocess_predictions``
    needs to turn logits back into text. Same windows as ``prepare_train_features``."""
    check_window_settings(tokenizer, max_seq_length, doc_stride, max_query_length)
    features = defaultdict(list)
    for example in rows_of(examples):
        encoding = encode_windows(example["question"], example["context"], tokenizer, max_seq_length, doc_stride,
                                  max_query_length)
        for window in range(len(encoding["input_ids"])):
            for name, value in model_inputs(encoding, window).items():
                features[name].append(value)
            features["example_id"].append(example["id"])
            features["offset_mapping"].append([list(o) if o else None for o in passage_offsets(encoding, window)])
    return dict(features)


def map_features(dataset, prepare, tokenizer, **settings):
    """``dataset.map(prepare)`` in batches, dropping the example columns (one row per window)."""
    from functools import partial

    return dataset.map(
        partial(prepare, tokenizer=tokenizer, **settings),
        batched=True,
        remove_columns=dataset.column_names,
        desc="windows",
    )


# --- from logits to spans ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A candidate answer: ``context[start:end] == text``; ``score`` is p(start) * p(end) in its window."""

    text: str
    start: int
    end: int
    score: float
    window: int
    start_token: int
    end_token: int


def softmax(values):
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    values = values - values.max()
    exp = np.exp(values)
    return exp / exp.sum()


def window_candidates(start_logits, end_logits, offsets, max_answer_length: int, keep: int):
    """The ``keep`` best (score, start token, end token) of one window, valid spans only."""
    import numpy as np

    length = len(offsets)
    if length == 0:
        return []
    start_probs = softmax(np.asarray(start_logits, dtype=np.float64)[:length])  # logits may be padded
    end_probs = softmax(np.asarray(end_logits, dtype=np.float64)[:length])
    inside = np.array([offset is not None for offset in offsets])
    widest = min(max_answer_length, length)
    starts = np.arange(length)[:, None]  # row: start token; column: span length - 1
    ends = starts + np.arange(widest)[None, :]
    in_window = ends < length
    ends = np.minimum(ends, length - 1)
    valid = in_window & inside[starts] & inside[ends]
    scores = np.where(valid, start_probs[starts] * end_probs[ends], -1.0).ravel()
    count = min(keep, int(valid.sum()))
    if count == 0:
        return []
    best = np.argpartition(-scores, count - 1)[:count]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(float(scores[i]), int(i // widest), int(i // widest + i % widest)) for i in best]


def best_spans(context: str, start_logits, end_logits, offsets, n_best: int = 1,
               max_answer_length: int = MAX_ANSWER_LENGTH) -> list[Span]:
    """The ``n_best`` best answer spans over all windows of one question, best first.

    ``start_logits``/``end_logits``/``offsets`` have one entry per window (``offsets`` with
    ``None`` outside the passage). A span is valid when both ends are passage tokens, start <= end
    and it has at most ``max_answer_length`` tokens; it is scored by the probability of its start
    times that of its end (softmax over the window's tokens). The same characters found in two
    overlapping windows count once, with the better score. Every span satisfies
    ``context[span.start:span.end] == span.text``. Empty list when no window has a passage token.
    """
    if n_best < 1 or max_answer_length < 1:
        raise ValueError("n_best and max_answer_length must be at least 1.")
    found: dict[tuple[int, int], Span] = {}
    for window, (starts, ends, window_offsets) in enumerate(zip(start_logits, end_logits, offsets)):
        for score, start_token, end_token in window_candidates(starts, ends, window_offsets, max_answer_length,
                                                               keep=n_best + 20):
            start_char = window_offsets[start_token][0]
            end_char = window_offsets[end_token][1]
            key = (start_char, end_char)
            if key not in found or found[key].score < score:
                found[key] = Span(context[start_char:end_char], start_char, end_char, score, window, start_token,
                                  end_token)
    return sorted(found.values(), key=lambda span: -span.score)[:n_best]


def postprocess_predictions(examples, features, start_logits, end_logits, n_best: int = 1,
                            max_answer_length: int = MAX_ANSWER_LENGTH) -> dict[str, list[Span]]:
    """``{question id: n-best spans}`` for every example, from the logits of its windows.

    ``features`` are ``prepare_validation_features`` rows (``example_id``, ``offset_mapping``), in
    the order of the logits (one row of ``start_logits``/``end_logits`` per window).
    """
    windows_of = defaultdict(list)
    for index, example_id in enumerate(features["example_id"]):
        windows_of[example_id].append(index)
    offset_column = features["offset_mapping"]
    results = {}
    for example in rows_of(examples) if hasattr(examples, "keys") else examples:
        indices = windows_of.get(example["id"], [])
        offsets = [[tuple(o) if o is not None else None for o in offset_column[i]] for i in indices]
        results[example["id"]] = best_spans(
            example["context"],
            [start_logits[i] for i in indices],
            [end_logits[i] for i in indices],
            offsets,
            n_best=n_best,
            max_answer_length=max_answer_length,
        )
    return results


def prediction_texts(spans_by_id: dict[str, list[Span]]) -> dict[str, str]:
    """``{question id: best answer text}`` ("" when there was no valid span)."""
    return {question_id: spans[0].text if spans else "" for question_id, spans in spans_by_id.items()}


# --- running a model ---------------------------------------------------------------------------------


def window_logits(model, tokenizer, windows: list[dict], batch_size: int = 32):
    """Start and end logits (float32 numpy, one array per window) of ``model`` on tokenized windows."""
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
    """n-best spans for every example of a ``datasets.Dataset`` (windows built here if not given).

    With a ``Trainer`` the forward passes go through ``trainer.predict`` (all processes under
    torchrun, mixed precision on a GPU); with a model, through ``window_logits``.
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
    """KorQuAD EM/F1 in percent (``lectureutils.qa_metrics``) and the n-best spans per question."""
    from .qa_metrics import korquad_metrics

    spans = predict_spans(model_or_trainer, tokenizer, examples, features, **settings)
    return korquad_metrics(prediction_texts(spans), examples), spans


# --- answer() ---------------------------------------------------------------------------------------


def answer(question: str, context: str, model, tokenizer, max_seq_length: int = 384, doc_stride: int = 128,
           max_query_length: int = 64, max_answer_length: int = MAX_ANSWER_LENGTH, n_best: int = 1) -> dict:
    """Answer ``question`` from ``context`` (a passage of any length) with a fine-tuned QA model.

    Taught in notebooks/06_question_answering.ipynb ("Asking questions about any passage").

    Returns ``{"question", "context", "answer", "start", "end", "score", "windows", "n_best"}``:
    ``context[start:end] == answer`` (character offsets), ``score`` is the probability of the
    answer's start times that of its end in the window that found it, ``windows`` how many
    windows the passage needed, and ``n_best`` the ``n_best`` best answers as dicts (answer,
    start, end, score), best first. ``max_seq_length`` is capped at the model's maximum (300 for
    KcBERT) and ``doc_stride`` at what a window then holds.

    An empty or whitespace-only question or context raises ValueError (a web service answers it
    with 422); so does a context with no character the tokenizer can read.
    """
    for name, text in (("question", question), ("context", context)):
        if not isinstance(text, str):
            raise TypeError(f"The {name} must be a string, not {type(text).__name__}.")
        if not text.strip():
            raise ValueError(f"The {name} is empty: give a {name} with at least one word.")
    limit = model_input_limit(tokenizer, model)
    if limit is not None:
        max_seq_length = min(max_seq_length, limit)
    special = tokenizer.num_special_tokens_to_add(pair=True)
    max_query_length = max(1, min(max_query_length, max_seq_length - special - 1))
    doc_stride = max(1, min(doc_stride, max_seq_length - max_query_length - special))
    encoding = encode_windows(question, context, tokenizer, max_seq_length, doc_stride, max_query_length)
    windows = [model_inputs(encoding, window) for window in range(len(encoding["input_ids"]))]
    offsets = [passage_offsets(encoding, window) for window in range(len(windows))]
    start_logits, end_logits = window_logits(model, tokenizer, windows)
    spans = best_spans(context, start_logits, end_logits, offsets, n_best, max_answer_length)
    if not spans:
        raise ValueError("The context has no text this tokenizer can read.")
    best = spans[0]
    return {
        "question": question,
        "context": context,
        "answer": best.text,
        "start": best.start,
        "end": best.end,
        "score": best.score,
        "windows": len(windows),
        "n_best": [{"answer": span.text, "start": span.start, "end": span.end, "score": span.score} for span in spans],
    }


def load_qa_model(directory, device: str | None = None):
    """``(model, tokenizer)`` of a fine-tuned QA checkpoint saved with ``save_pretrained``, in eval mode.

    Taught in notebooks/06_question_answering.ipynb ("Save and reload"); used by ``lectureutils.serve``.
    """
    from pathlib import Path

    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    folder = Path(directory)
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder} is not a saved model (no config.json): train one with "
                                "`python -m lectureutils.finetune qa --output DIR` or notebook 06.")
    model = AutoModelForQuestionAnswering.from_pretrained(folder)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    if device is not None:
        model = model.to(device)
    return model.eval(), tokenizer


# --- training -----------------------------------------------------------------------------------------


def qa_hyper_parameters(**changes):
    """The lecture's QA hyper-parameters (``lectureutils.training.HyperParameters``): lr 5e-5, batch 32,
    3 epochs, seed 7, max_length = max_seq_length 128; ``changes`` override them."""
    from .training import HyperParameters

    return HyperParameters(max_length=LECTURE_WINDOWS["max_seq_length"]).with_changes(**changes)


def make_qa_trainer(model, tokenizer, train_features, output_dir, hyper=None, **argument_overrides):
    """A ``Trainer`` for QA windows: the lecture's hyper-parameters, dynamic padding, mixed precision
    on a GPU (``lectureutils.training``). Windows are nearly all the same length, so batches are not
    grouped by length."""
    from .training import make_trainer, training_arguments

    arguments = training_arguments(output_dir, hyper or qa_hyper_parameters(), group_by_length=False,
                                   **argument_overrides)
    return make_trainer(model, arguments, tokenizer, train_dataset=train_features)


# --- command line -------------------------------------------------------------------------------------


def add_option(parser, *names, **kwargs) -> None:
    """``parser.add_argument`` unless ``lectureutils.finetune`` already added the option."""
    if any(name in parser._option_string_actions for name in names):
        return
    parser.add_argument(*names, **kwargs)


def add_cli_arguments(parser) -> None:
    """Options of ``python -m lectureutils.finetune qa`` (the notebook's parameters)."""
    add_option(parser, "--model", default="beomi/kcbert-base", help="pre-trained model name or folder")
    add_option(parser, "--output", required=True, help="folder for the fine-tuned model")
    add_option(parser, "--max-steps", type=int, default=-1, help="stop after this many steps (default: epochs)")
    add_option(parser, "--epochs", type=float, default=3.0)
    add_option(parser, "--batch-size", type=int, default=32)
    add_option(parser, "--learning-rate", type=float, default=5e-5)
    add_option(parser, "--seed", type=int, default=7)
    add_option(parser, "--max-seq-length", type=int, default=LECTURE_WINDOWS["max_seq_length"])
    add_option(parser, "--doc-stride", type=int, default=LECTURE_WINDOWS["doc_stride"])
    add_option(parser, "--max-query-length", type=int, default=LECTURE_WINDOWS["max_query_length"])
    add_option(parser, "--max-answer-length", type=int, default=MAX_ANSWER_LENGTH)
    add_option(parser, "--train-limit", type=int, default=None, help="use only the first N training questions")
    add_option(parser, "--dev-limit", type=int, default=None, help="evaluate on the first N dev questions")
    add_option(parser, "--no-eval", action="store_true", help="skip the EM/F1 evaluation on dev")


def run_cli(args) -> int:
    """``python -m lectureutils.finetune qa``: ``train_qa`` with one summary line (JSON) from rank 0; exit code."""
    import contextlib
    import json
    import os

    from .training import is_main_process

    quiet = contextlib.nullcontext() if is_main_process() else contextlib.redirect_stdout(open(os.devnull, "w"))
    with quiet:
        summary = train_qa(args)
    if is_main_process():
        print(json.dumps(summary, ensure_ascii=False))
    return 0


def train_qa(args) -> dict:
    """Fine-tune a QA model on KorQuAD 1.0 train, report EM/F1 on dev and save it (the notebook's steps).

    ``args`` are the options of ``add_cli_arguments``. Returns the summary that is also stored in the
    checkpoint's ``training_args.json``.
    """
    import time

    import datasets
    from transformers import AutoModelForQuestionAnswering, set_seed

    from .data import load_korquad
    from .models import load_model, load_tokenizer
    from .session import quiet_libraries
    from .training import save_checkpoint

    quiet_libraries()
    datasets.disable_progress_bars()
    set_seed(args.seed)
    settings = {"max_seq_length": args.max_seq_length, "doc_stride": args.doc_stride,
                "max_query_length": args.max_query_length}
    tokenizer = load_tokenizer(args.model)
    check_window_settings(tokenizer, **settings)
    model = load_model(AutoModelForQuestionAnswering, args.model)
    train = load_korquad("train").filter(lambda example: example["answer_ok"])
    if args.train_limit:
        train = train.select(range(min(args.train_limit, len(train))))
    train_features = map_features(train, prepare_train_features, tokenizer, **settings)
    hyper = qa_hyper_parameters(learning_rate=args.learning_rate, batch_size=args.batch_size, epochs=args.epochs,
                                max_steps=args.max_steps, seed=args.seed, max_length=args.max_seq_length)
    trainer = make_qa_trainer(model, tokenizer, train_features, args.output, hyper)
    precision = "bf16" if trainer.args.bf16 else "fp16" if trainer.args.fp16 else "fp32"
    print(f"training {args.model} on {len(train):,} questions ({len(train_features):,} windows of "
          f"{args.max_seq_length} tokens), {trainer.args.world_size} process(es), device {trainer.args.device}, {precision}")
    started = time.perf_counter()
    result = trainer.train()
    summary = {
        "model": args.model,
        "output": str(args.output),
        "windows": settings,
        "train_questions": len(train),
        "train_windows": len(train_features),
        "processes": trainer.args.world_size,
        "precision": precision,
        "steps": result.global_step,
        "train_loss": round(result.training_loss, 4),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    if not args.no_eval:
        dev = load_korquad("dev").filter(lambda example: example["answer_ok"])
        if args.dev_limit:
            dev = dev.select(range(min(args.dev_limit, len(dev))))
        scores, _ = evaluate_qa(trainer, tokenizer, dev, max_answer_length=args.max_answer_length, **settings)
        summary.update(dev_questions=len(dev), exact_match=round(scores["exact_match"], 2), f1=round(scores["f1"], 2))
    save_checkpoint(trainer, args.output, extra={"summary": summary, "hyper_parameters": hyper.as_dict()})
    return summary
