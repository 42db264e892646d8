"""Extractive question answering (KorQuAD 1.0), taught in notebooks/06_question_answering.ipynb.

The parts of every task (CONTRIBUTING.md, "Adding a task"): ``corpus`` (§1), ``features`` (windows and answer labels,
§2, §3), ``decoding`` (from logits to the best valid span, §5), ``metrics`` (KorQuAD's exact match and character F1,
§6), ``inference`` (§6, §8, §9), ``settings`` (Parameters) and ``spec`` (the command line, §9).
"""

from .corpus import KORQUAD, load_korquad, read_korquad
from .decoding import MAX_ANSWER_LENGTH, Span, best_spans, postprocess_predictions, prediction_texts, window_candidates
from .features import (LECTURE_WINDOWS, answer_token_span, check_window_settings, encode_windows,
                       guaranteed_answer_length, map_features, model_input_limit, model_inputs, passage_offsets,
                       prepare_train_features, prepare_validation_features, rows_of, truncate_question)
from .inference import (DEFAULT_WINDOWS, WINDOW_SETTINGS, answer, answer_windows, evaluate_qa, load_qa_model,
                        predict_batch, predict_spans, store_window_settings, window_logits, window_settings)
from .metrics import korquad_metrics

__all__ = [
    "KORQUAD", "load_korquad", "read_korquad",
    "MAX_ANSWER_LENGTH", "Span", "best_spans", "postprocess_predictions", "prediction_texts", "window_candidates",
    "LECTURE_WINDOWS", "answer_token_span", "check_window_settings", "encode_windows", "guaranteed_answer_length",
    "map_features", "model_input_limit", "model_inputs", "passage_offsets", "prepare_train_features",
    "prepare_validation_features", "rows_of", "truncate_question",
    "DEFAULT_WINDOWS", "WINDOW_SETTINGS", "answer", "answer_windows", "evaluate_qa", "load_qa_model", "predict_batch",
    "predict_spans", "store_window_settings", "window_logits", "window_settings",
    "korquad_metrics",
]
