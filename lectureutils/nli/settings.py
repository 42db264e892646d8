"""The lecture's settings for KLUE-NLI (notebooks/09_sentence_pair_classification.ipynb, Parameters): the model, the
hyper-parameters ``python -m lectureutils.finetune nli`` starts from, and the run sizes."""

from __future__ import annotations

from ..training import HyperParameters, Limits, RunSizes

__all__ = ["MODEL", "HYPER_PARAMETERS", "RUNS"]

MODEL = "klue/bert-base"
#: The lecture's learning rate 5e-5, batch 32, 3 epochs, 128 tokens per pair; the session's seed.
HYPER_PARAMETERS = HyperParameters()
#: "quick": 20 steps of 16 pairs on the sample (CI); "class": one epoch of every training pair (about 15 minutes on
#: a Colab T4); "full": 3 epochs of 24,998 pairs. A stand-in learns at 1e-3, 30 steps where a size trains epochs.
RUNS = RunSizes(
    sizes={
        "quick": (HYPER_PARAMETERS.with_changes(batch_size=16, max_steps=20, warmup_ratio=0.1), Limits(sample=True)),
        "class": (HYPER_PARAMETERS.with_changes(epochs=1), Limits(sample=False)),
        "full": (HYPER_PARAMETERS, Limits(sample=False)),
    },
    standin={"learning_rate": 1e-3, "warmup_ratio": 0.1},
    standin_steps=30,
)
