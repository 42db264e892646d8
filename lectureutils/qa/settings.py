"""The lecture's settings for KorQuAD question answering, taught in notebooks/06_question_answering.ipynb
(Parameters, §4): the model, the hyper-parameters that ``python -m lectureutils.finetune qa`` starts from, and the
``Trainer`` the notebook builds with them.
"""

from __future__ import annotations

from ..training import HyperParameters
from .features import LECTURE_WINDOWS

__all__ = ["MODEL", "HYPER_PARAMETERS", "qa_hyper_parameters", "make_qa_trainer"]

#: The lecture's model.
MODEL = "beomi/kcbert-base"
#: ratsnlp ``QATrainArguments``: learning rate 5e-5, batch 32, 3 epochs, 128-token windows; the session's seed.
HYPER_PARAMETERS = HyperParameters(max_length=LECTURE_WINDOWS["max_seq_length"])


def qa_hyper_parameters(**changes) -> HyperParameters:
    """The lecture's QA hyper-parameters (:data:`HYPER_PARAMETERS`) with ``changes`` (06 §4)."""
    return HYPER_PARAMETERS.with_changes(**changes)


def make_qa_trainer(model, tokenizer, train_features, output_dir, hyper=None, windows: dict | None = None,
                    **argument_overrides):
    """``lectureutils.training.make_trainer`` for QA windows (06 §4).

    The lecture's hyper-parameters, dynamic padding, mixed precision on a GPU. Windows are nearly all the
    same length, so batches are not grouped by length. ``windows`` (``max_seq_length``, ``doc_stride``,
    ``max_query_length``; default the lecture's 128/64/32) are written into the model's config, so that the
    saved checkpoint carries them and ``answer()`` and the web service read passages the same way.
    """
    from ..training import make_trainer, training_arguments
    from .inference import store_window_settings

    hyper = hyper or qa_hyper_parameters()
    store_window_settings(model, **(windows or {**LECTURE_WINDOWS, "max_seq_length": hyper.max_length}))
    arguments = training_arguments(output_dir, hyper, group_by_length=False, **argument_overrides)
    return make_trainer(model, arguments, tokenizer, train_dataset=train_features)
