"""From a long passage to windows: the features a QA model trains and predicts on.

Taught in notebooks/06_question_answering.ipynb, §2 ("From a long passage to windows") and §3 ("Windows for
the whole data set"). **doc_stride** is, as in the lecture and BERT's ``run_squad.py``, the distance in tokens
between the starts of two windows (the fast tokenizer's ``stride`` is their overlap; ``encode_windows`` converts).
"""

from __future__ import annotations

from collections import defaultdict

__all__ = [
    "LECTURE_WINDOWS", "model_input_limit", "check_window_settings", "guaranteed_answer_length",
    "truncate_question", "encode_windows", "passage_offsets", "answer_token_span", "rows_of", "model_inputs",
    "prepare_train_features", "prepare_validation_features", "map_features",
]

#: The lecture's window settings (ratsnlp ``QATrainArguments``): fast, but short windows.
LECTURE_WINDOWS = {"max_seq_length": 128, "doc_stride": 64, "max_query_length": 32}


def model_input_limit(tokenizer, model=None) -> int | None:
    """The most tokens the model (or, without it, the tokenizer) accepts; None if unknown (06 §8)."""
    from ..inputs import max_model_length

    try:
        return max_model_length(tokenizer, model)
    except ValueError:
        return None


def check_window_settings(tokenizer, max_seq_length: int, doc_stride: int, max_query_length: int) -> None:
    """Raise ValueError for settings that cannot work (windows too long, gaps between windows) (06 §3)."""
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
    """The question cut after its first ``max_query_length`` tokens, at a token boundary (06 §2)."""
    question = question.strip()
    offsets = tokenizer(question, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    if len(offsets) <= max_query_length:
        return question
    return question[: offsets[max_query_length - 1][1]]


def guaranteed_answer_length(tokenizer, max_seq_length: int, doc_stride: int, max_query_length: int) -> int:
    """The longest answer, in tokens, that always lies wholly inside some window (06 §3).

    Consecutive windows share ``room - doc_stride`` passage tokens, so any answer up to one more fits in one.
    """
    room = max_seq_length - max_query_length - tokenizer.num_special_tokens_to_add(pair=True)
    return room - doc_stride + 1


def encode_windows(question: str, context: str, tokenizer, max_seq_length: int = 384, doc_stride: int = 128,
                   max_query_length: int = 64):
    """Tokenize one (question, passage) pair into overlapping windows, with offset mappings (06 §2).

    One ``BatchEncoding`` row per window; ``doc_stride`` is the distance between window starts.
    """
    question = truncate_question(question, tokenizer, max_query_length)
    question_tokens = len(tokenizer(question, add_special_tokens=False)["input_ids"])
    passage_tokens_per_window = max_seq_length - question_tokens - tokenizer.num_special_tokens_to_add(pair=True)
    overlap = passage_tokens_per_window - doc_stride  # what the fast tokenizer calls "stride"
    if overlap < 0:
        raise ValueError(f"doc_stride={doc_stride} is longer than a window's {passage_tokens_per_window} passage tokens.")
    return tokenizer(
        question,
        context,
        truncation="only_second",
        max_length=max_seq_length,
        stride=overlap,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
    )


def passage_offsets(encoding, window: int) -> list:
    """Offsets of one window with ``None`` for every token outside the passage (06 §2)."""
    sequence_ids = encoding.sequence_ids(window)
    return [
        tuple(offset) if sequence_id == 1 else None
        for offset, sequence_id in zip(encoding["offset_mapping"][window], sequence_ids)
    ]


def answer_token_span(offsets: list, answer_start: int, answer_end: int) -> tuple[int, int] | None:
    """First and last token of ``context[answer_start:answer_end]`` in one window, or None (06 §2)."""
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
    """A ``datasets`` batch (dict of lists) or a list of examples, as a list of examples (06 §3)."""
    if hasattr(batch, "keys"):  # a dict, or the LazyBatch that Dataset.map passes
        keys = list(batch.keys())
        return [dict(zip(keys, values)) for values in zip(*(batch[key] for key in keys))]
    return list(batch)


def model_inputs(encoding, window: int) -> dict:
    """The model's inputs (ids, segments, mask) of one window of ``encode_windows`` (06 §8)."""
    names = [name for name in ("input_ids", "token_type_ids", "attention_mask") if name in encoding]
    return {name: encoding[name][window] for name in names}


def prepare_train_features(examples, tokenizer, max_seq_length: int = 128, doc_stride: int = 64,
                           max_query_length: int = 32) -> dict:
    """Training windows for ``Dataset.map(..., batched=True)`` (06 §3).

    The first answer is the label; a window without all of it is labelled with the ``[CLS]`` position
    (read from the tokenizer, never assumed to be 0).
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
    """Evaluation windows plus the ``example_id`` and ``offset_mapping`` that decoding needs (06 §3)."""
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
    """``dataset.map(prepare)`` in batches, dropping the example columns: one row per window (06 §3)."""
    from functools import partial

    return dataset.map(
        partial(prepare, tokenizer=tokenizer, **settings),
        batched=True,
        remove_columns=dataset.column_names,
        desc="windows",
    )
