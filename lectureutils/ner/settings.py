"""The lecture's settings for KLUE-NER (notebooks/10_named_entity_recognition.ipynb, Parameters): the model, the
hyper-parameters ``python -m lectureutils.finetune ner`` starts from, and the run sizes."""

from __future__ import annotations

from ..training import HyperParameters, Limits, RunSizes

__all__ = ["MODEL", "HYPER_PARAMETERS", "RUNS"]

MODEL = "klue/bert-base"  # cased: NER wants case (10 §2)
#: The lecture's learning rate 5e-5, batch 32, 3 epochs, 128 training tokens per sentence; the session's seed.
HYPER_PARAMETERS = HyperParameters()
#: "quick": 30 steps of 16 sentences on the sample (CI); "class": one epoch of every training sentence (about 15
#: minutes on a Colab T4); "full": 3 epochs of 21,008 sentences. A stand-in learns at 1e-3, 60 steps where a size
#: trains epochs.
RUNS = RunSizes(
    sizes={
        "quick": (HYPER_PARAMETERS.with_changes(batch_size=16, max_steps=30, warmup_ratio=0.1), Limits(sample=True)),
        "class": (HYPER_PARAMETERS.with_changes(epochs=1), Limits(sample=False)),
        "full": (HYPER_PARAMETERS, Limits(sample=False)),
    },
    standin={"learning_rate": 1e-3, "warmup_ratio": 0.1},
    standin_steps=60,
)
