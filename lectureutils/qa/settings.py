"""The lecture's settings for KorQuAD question answering (notebooks/06_question_answering.ipynb, Parameters, §4): the
model, the hyper-parameters ``python -m lectureutils.finetune qa`` starts from, and the run sizes."""

from __future__ import annotations

from ..training import HyperParameters, Limits, RunSizes
from .features import LECTURE_WINDOWS

__all__ = ["MODEL", "HYPER_PARAMETERS", "RUNS"]

MODEL = "beomi/kcbert-base"
#: ratsnlp ``QATrainArguments``: learning rate 5e-5, batch 32, 3 epochs, 128-token windows; the session's seed.
HYPER_PARAMETERS = HyperParameters(max_length=LECTURE_WINDOWS["max_seq_length"])
#: "quick": 40 steps of 8 windows on the sample (CI); "class": one epoch over 12,000 training questions (about
#: 47,000 windows, 15 minutes on a Colab T4), the whole dev set; "full": the lecture's settings. A stand-in learns
#: at 3e-4 (at 5e-5 its loss barely moves in 40 steps).
RUNS = RunSizes(
    sizes={
        "quick": (HYPER_PARAMETERS.with_changes(batch_size=8, max_steps=40), Limits(sample=True)),
        "class": (HYPER_PARAMETERS.with_changes(epochs=1), Limits(sample=False, train=12_000)),
        "full": (HYPER_PARAMETERS, Limits(sample=False)),
    },
    standin={"learning_rate": 3e-4},
)
