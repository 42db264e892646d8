"""Extractive question answering (KorQuAD 1.0), taught in notebooks/06_question_answering.ipynb.

One task, the same parts as every task (CONTRIBUTING.md, "Adding a task"):

- ``corpus``: KorQuAD's published files, strict reader and offline sample (§1);
- ``features``: sliding windows and answer labels (§2, §3);
- ``decoding``: from start/end logits to the best valid span over all windows (§5);
- ``metrics``: the official KorQuAD exact match and character F1 (§6);
- ``inference``: predictions for a data set, ``answer()`` for any passage, loading (safetensors only) (§6, §8, §9);
- ``settings``: the lecture's model and hyper-parameters, and what each ``RUN_SIZE`` trains (Parameters, §4);
- ``spec``: what ``python -m lectureutils.finetune qa`` adds to the task runner (§9).
"""

from .corpus import KORQUAD, load_korquad, read_korquad
from .decoding import (
    MAX_ANSWER_LENGTH,
    Span,
    best_spans,
    postprocess_predictions,
    prediction_texts,
    softmax,
    window_candidates,
)
from .features import (
    LECTURE_WINDOWS,
    answer_token_span,
    check_window_settings,
    encode_windows,
    guaranteed_answer_length,
    map_features,
    model_input_limit,
    model_inputs,
    passage_offsets,
    prepare_train_features,
    prepare_validation_features,
    rows_of,
    truncate_question,
)
from .inference import (
    DEFAULT_WINDOWS,
    WINDOW_SETTINGS,
    answer,
    answer_windows,
    evaluate_qa,
    load_qa_model,
    predict_batch,
    predict_spans,
    store_window_settings,
    window_logits,
    window_settings,
)
from .metrics import korquad_metrics
from .settings import Limits, for_run, qa_hyper_parameters

__all__ = [
    "Limits", "for_run", "qa_hyper_parameters",
    "KORQUAD", "load_korquad", "read_korquad",
    "MAX_ANSWER_LENGTH", "Span", "best_spans", "postprocess_predictions", "prediction_texts", "softmax",
    "window_candidates",
    "LECTURE_WINDOWS", "answer_token_span", "check_window_settings", "encode_windows", "guaranteed_answer_length",
    "map_features", "model_input_limit", "model_inputs", "passage_offsets", "prepare_train_features",
    "prepare_validation_features", "rows_of", "truncate_question",
    "DEFAULT_WINDOWS", "WINDOW_SETTINGS", "answer", "answer_windows", "evaluate_qa", "load_qa_model", "predict_batch",
    "predict_spans", "store_window_settings", "window_logits", "window_settings",
    "korquad_metrics",
]
