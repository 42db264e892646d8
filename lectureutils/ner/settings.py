"""The lecture's settings for KLUE-NER, taught in notebooks/10_named_entity_recognition.ipynb (Parameters): the
model, the hyper-parameters that ``python -m lectureutils.finetune ner`` starts from, and the notebook's run sizes
(``for_run``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..training import HyperParameters

__all__ = ["MODEL", "HYPER_PARAMETERS", "STANDIN_LEARNING_RATE", "STANDIN_STEPS", "Limits", "for_run"]

#: The model the notebook fine-tunes (cased: NER wants case, 10 §2).
MODEL = "klue/bert-base"
#: The lecture's learning rate 5e-5, batch 32, 3 epochs, 128 training tokens per sentence; the session's seed.
HYPER_PARAMETERS = HyperParameters()
#: A random stand-in learns nothing in a few dozen steps at 5e-5; 1e-3 would wreck a pre-trained model.
STANDIN_LEARNING_RATE = 1e-3
#: Where a size trains for epochs ("class", "full"), a stand-in trains this many steps instead: an epoch of the
#: offline sample is a handful of steps.
STANDIN_STEPS = 60


@dataclass(frozen=True)
class Limits:
    """Which data a run size reads (10 Parameters): ``sample`` True, the project's sample (written in KLUE-NER's
    format); False, the real KLUE-NER (downloaded once; offline, its prefetched copy, else the sample)."""

    sample: bool


def for_run(run_size: str, model: str = MODEL) -> tuple[HyperParameters, Limits]:
    """``HYPER, LIMITS = settings.for_run(RUN_SIZE, MODEL)`` in the parameters cell of notebook 10.

    - "quick" (CI; minutes on a CPU): 30 steps of 16 sentences on the project's sample;
    - "class" (about 15 minutes on a free Colab T4): one epoch of every training sentence, the lecture's other settings;
    - "full": the lecture's settings (3 epochs of 21,008 sentences).

    A stand-in (``lectureutils.models.is_standin(model)``: offline, no cached copy) trains at
    ``STANDIN_LEARNING_RATE`` with a 10 % warm-up at every size, and ``STANDIN_STEPS`` steps where a size trains for
    epochs; a real model keeps the lecture's 5e-5.
    """
    from ..models import is_standin

    lecture = HYPER_PARAMETERS
    sizes = {
        "quick": (lecture.with_changes(batch_size=16, max_steps=30, warmup_ratio=0.1), Limits(sample=True)),
        "class": (lecture.with_changes(epochs=1), Limits(sample=False)),
        "full": (lecture, Limits(sample=False)),
    }
    if run_size not in sizes:
        raise ValueError(f"RUN_SIZE = {run_size!r}: use one of {', '.join(map(repr, sizes))}.")
    hyper, limits = sizes[run_size]
    if is_standin(model):
        steps = hyper.max_steps if hyper.max_steps > 0 else STANDIN_STEPS
        hyper = hyper.with_changes(learning_rate=STANDIN_LEARNING_RATE, warmup_ratio=0.1, max_steps=steps)
    return hyper, limits
