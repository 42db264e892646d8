"""The lecture's settings for KorQuAD question answering, taught in notebooks/06_question_answering.ipynb
(Parameters, §4): the model, the hyper-parameters that ``python -m lectureutils.finetune qa`` starts from, and
what each ``RUN_SIZE`` trains (:func:`for_run`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..training import HyperParameters
from .features import LECTURE_WINDOWS

__all__ = ["MODEL", "HYPER_PARAMETERS", "CLASS_TRAIN_QUESTIONS", "STANDIN_LEARNING_RATE", "Limits", "for_run",
           "qa_hyper_parameters"]

#: The lecture's model.
MODEL = "beomi/kcbert-base"
#: ratsnlp ``QATrainArguments``: learning rate 5e-5, batch 32, 3 epochs, 128-token windows; the session's seed.
HYPER_PARAMETERS = HyperParameters(max_length=LECTURE_WINDOWS["max_seq_length"])
#: "class": one epoch over this many training questions (about 47,000 windows, 1,470 steps of 32).
CLASS_TRAIN_QUESTIONS = 12_000
#: A random stand-in barely moves at 5e-5 in 40 steps (loss 4.8 -> 4.5 on the sample); at 3e-4 its loss falls to
#: about 2.5. A pre-trained KcBERT keeps the lecture's 5e-5 (a high rate would wreck its weights).
STANDIN_LEARNING_RATE = 3e-4


@dataclass(frozen=True)
class Limits:
    """What a run reads: the project's sample or the real KorQuAD, and how many training questions (None: all
    of them) (06 Parameters)."""

    sample: bool
    train_questions: int | None


def qa_hyper_parameters(**changes) -> HyperParameters:
    """The lecture's QA hyper-parameters (:data:`HYPER_PARAMETERS`) with ``changes`` (06 §4)."""
    return HYPER_PARAMETERS.with_changes(**changes)


def for_run(run_size: str, model: str = MODEL) -> tuple[HyperParameters, Limits]:
    """``HYPER, LIMITS = settings.for_run(RUN_SIZE, MODEL)``: a run size's hyper-parameters and data
    (06_question_answering, Parameters).

    - "quick" (what CI runs; minutes on a CPU): 40 steps of 8 windows on the project's KorQuAD sample;
    - "class" (about 15 minutes on a free Colab T4): one epoch over :data:`CLASS_TRAIN_QUESTIONS` training
      questions of the real KorQuAD, batch 32, evaluated on the whole dev set;
    - "full" (the lecture's settings): every question, batch 32, 3 epochs.

    When ``model`` loads as an offline stand-in (random weights), the learning rate is
    :data:`STANDIN_LEARNING_RATE` at every size; the pre-trained model keeps the lecture's 5e-5.
    """
    from .. import env
    from ..models import is_standin

    if run_size not in env.RUN_SIZES:
        raise ValueError(f"RUN_SIZE = {run_size!r}: use one of {', '.join(map(repr, env.RUN_SIZES))}.")
    hyper = HYPER_PARAMETERS
    if run_size == "quick":
        hyper = hyper.with_changes(batch_size=8, max_steps=40)
        limits = Limits(sample=True, train_questions=None)
    elif run_size == "class":
        hyper = hyper.with_changes(epochs=1)
        limits = Limits(sample=False, train_questions=CLASS_TRAIN_QUESTIONS)
    else:
        limits = Limits(sample=False, train_questions=None)
    if is_standin(model):
        hyper = hyper.with_changes(learning_rate=STANDIN_LEARNING_RATE)
    return hyper, limits
