"""The lecture's settings for sentiment-controlled review generation, taught in notebooks/11_gpt_finetuning.ipynb
(Parameters): the model, the hyper-parameters and the batching that ``python -m lectureutils.finetune generation``
starts from, and what each ``RUN_SIZE`` trains (``for_run``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..training import HyperParameters

__all__ = ["MODEL", "HYPER_PARAMETERS", "BATCHINGS", "BLOCK_SIZE", "RunLimits", "RUN_LIMITS", "for_run"]

#: The model the notebook fine-tunes (as in notebook 07).
MODEL = "skt/kogpt2-base-v2"
#: The lecture's learning rate 5e-5, batch 32 (packed: blocks of BLOCK_SIZE tokens), 128 tokens per review, the
#: session's seed; one epoch (NSMC's 150,000 reviews are plenty to pick up a style).
HYPER_PARAMETERS = HyperParameters(epochs=1)
#: The three ways of batching of 11 §3: packed blocks, length-grouped or random padded batches.
BATCHINGS = ("packed", "grouped", "padded")
#: Tokens per packed block.
BLOCK_SIZE = 128
#: A random stand-in learns nothing in a few dozen steps at 5e-5: it gets this learning rate and number of steps.
STANDIN_LEARNING_RATE = 1e-3
STANDIN_MAX_STEPS = 60


@dataclass(frozen=True)
class RunLimits:
    """How much data one ``RUN_SIZE`` of notebook 11 reads and writes (11 Parameters)."""

    sample: bool                # the project's NSMC sample instead of the real data set
    train_reviews: int | None   # training reviews (None: the whole split)
    eval_reviews: int | None    # held-out reviews for perplexity and the judge (None: all)
    timed_batches: int          # batches timed per way of batching (11 §3)
    max_new_tokens: int         # tokens per generated review (11 §5)


#: "quick": the sample, 30 steps of 4 blocks (CI; minutes on a CPU). "class": 40,000 of NSMC's 150,000 training
#: reviews, one pass (about 1,000 steps of 8 blocks, a few minutes on a Colab T4). "full": all of them, one epoch.
RUN_LIMITS = {
    "quick": (RunLimits(sample=True, train_reviews=None, eval_reviews=None, timed_batches=4, max_new_tokens=24),
              {"batch_size": 4, "max_steps": 30}),
    "class": (RunLimits(sample=False, train_reviews=40_000, eval_reviews=1_000, timed_batches=8, max_new_tokens=40),
              {"batch_size": 8, "max_steps": -1}),
    "full": (RunLimits(sample=False, train_reviews=None, eval_reviews=2_000, timed_batches=8, max_new_tokens=40),
             {"batch_size": 8, "max_steps": -1}),
}


def for_run(run_size: str, model) -> tuple[HyperParameters, RunLimits]:
    """``HYPER, LIMITS = for_run(RUN_SIZE, MODEL)``: the hyper-parameters (batch = packed blocks per step, a warm-up
    of 10 %) and the data limits of one run size (11, Parameters). An offline stand-in (``is_standin(model)``: a
    name or a loaded object) starts from random weights, so it gets ``STANDIN_LEARNING_RATE`` and
    ``STANDIN_MAX_STEPS`` at every size; the real model keeps the lecture's 5e-5."""
    from ..models import is_standin

    if run_size not in RUN_LIMITS:
        raise ValueError(f"run size {run_size!r}: use one of {', '.join(map(repr, RUN_LIMITS))}.")
    limits, changes = RUN_LIMITS[run_size]
    hyper = HYPER_PARAMETERS.with_changes(warmup_ratio=0.1, **changes)
    if is_standin(model):
        hyper = hyper.with_changes(learning_rate=STANDIN_LEARNING_RATE, max_steps=STANDIN_MAX_STEPS)
    return hyper, limits
