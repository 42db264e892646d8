"""The lecture's settings for NSMC sentiment classification (notebooks/05_document_classification.ipynb, Parameters):
the model, the hyper-parameters ``python -m lectureutils.finetune classification`` starts from, and the run sizes."""

from __future__ import annotations

from ..training import HyperParameters, Limits, RunSizes

__all__ = ["MODEL", "HYPER_PARAMETERS", "RUNS"]

MODEL = "beomi/kcbert-base"
#: ratsnlp ``ClassificationTrainArguments``: learning rate 5e-5, batch 32, 3 epochs, 128 tokens; the session's seed.
HYPER_PARAMETERS = HyperParameters()
#: "quick" trains 120 steps of 16 on the sample (CI; minutes on a CPU), "class" one epoch of 20,000 real reviews,
#: tested on 5,000 (about 15 minutes on a Colab T4), "full" the lecture's run (150,000 reviews, all 50,000 tested).
#: A stand-in trains "quick"'s schedule at every size, at 1e-3 (5e-5 teaches random weights nothing in 120 steps).
RUNS = RunSizes(
    sizes={
        "quick": (HYPER_PARAMETERS.with_changes(batch_size=16, max_steps=120, warmup_ratio=0.1), Limits(sample=True)),
        "class": (HYPER_PARAMETERS.with_changes(epochs=1), Limits(sample=False, train=20_000, test=5_000)),
        "full": (HYPER_PARAMETERS, Limits(sample=False)),
    },
    standin={"learning_rate": 1e-3, "batch_size": 16, "warmup_ratio": 0.1},
    standin_steps=120,
)
