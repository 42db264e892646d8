"""The lecture's settings for NSMC sentiment classification, taught in notebooks/05_document_classification.ipynb
(Parameters): the model, the hyper-parameters that ``python -m lectureutils.finetune classification`` starts from,
and what each of the notebook's run sizes trains (``for_run``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..training import HyperParameters

__all__ = ["MODEL", "HYPER_PARAMETERS", "STANDIN_LEARNING_RATE", "Limits", "RUN_SIZES", "for_run"]

#: The lecture's model.
MODEL = "beomi/kcbert-base"
#: ratsnlp ``ClassificationTrainArguments``: learning rate 5e-5, batch 32, 3 epochs, 128 tokens; the session's seed.
HYPER_PARAMETERS = HyperParameters()
#: A stand-in starts from random weights: 5e-5 teaches it nothing in a few steps, 1e-3 does (a real BERT's
#: pre-trained weights would be wrecked by 1e-3).
STANDIN_LEARNING_RATE = 1e-3


@dataclass(frozen=True)
class Limits:
    """How much of NSMC a run reads (05, Parameters): the project's sample, or the real files with at most ``train``
    training and ``test`` test reviews (a seeded random subset, ``lectureutils.training.take``; None: all)."""

    sample: bool
    train: int | None
    test: int | None


#: The run sizes of notebook 05 (05, Parameters): "quick" trains 120 steps of 16 on the sample (CI; minutes on a CPU),
#: "class" one epoch of 20,000 real reviews, tested on 5,000 (about 15 minutes on a Colab T4 at most, the notebook
#: says why), "full" the lecture's run (150,000 reviews, 3 epochs, all 50,000 test reviews).
RUN_SIZES = {
    "quick": (HYPER_PARAMETERS.with_changes(batch_size=16, max_steps=120, warmup_ratio=0.1),
              Limits(sample=True, train=None, test=None)),
    "class": (HYPER_PARAMETERS.with_changes(epochs=1), Limits(sample=False, train=20_000, test=5_000)),
    "full": (HYPER_PARAMETERS, Limits(sample=False, train=None, test=None)),
}


def for_run(run_size: str, model: str) -> tuple[HyperParameters, Limits]:
    """``HYPER, LIMITS = settings.for_run(RUN_SIZE, MODEL)``: the hyper-parameters and data of a run size (05,
    Parameters). When ``model`` loads as an offline stand-in (random weights) it trains "quick"'s schedule at
    every size (120 steps of 16 reviews, 10 % warm-up) at ``STANDIN_LEARNING_RATE``, on the size's data, and
    this says so."""
    if run_size not in RUN_SIZES:
        raise ValueError(f"RUN_SIZE = {run_size!r}: use one of {', '.join(map(repr, RUN_SIZES))}.")
    hyper, limits = RUN_SIZES[run_size]
    from ..models import announce, resolve

    resolved = resolve(model)
    if resolved.is_standin:
        announce(resolved)
        hyper = RUN_SIZES["quick"][0].with_changes(learning_rate=STANDIN_LEARNING_RATE)
        print(f"[lectureutils] {model} starts from random weights here: it trains {hyper.max_steps} steps of "
              f"{hyper.batch_size} at learning rate {STANDIN_LEARNING_RATE:g} (the real model: "
              f"{RUN_SIZES[run_size][0].learning_rate:g}).")
    return hyper, limits
