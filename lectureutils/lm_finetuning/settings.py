"""The lecture's settings for sentiment-controlled review generation (notebooks/11_gpt_finetuning.ipynb,
Parameters) for ``python -m lectureutils.finetune generation``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..training import HyperParameters, RunSizes

__all__ = ["MODEL", "HYPER_PARAMETERS", "BATCHINGS", "BLOCK_SIZE", "RunLimits", "RUNS"]

MODEL = "skt/kogpt2-base-v2"
#: Learning rate 5e-5, batch 32 (packed: blocks of BLOCK_SIZE tokens), 128 tokens per review, one epoch.
HYPER_PARAMETERS = HyperParameters(epochs=1)
#: The three ways of batching of 11 §3: packed blocks, length-grouped or random padded batches.
BATCHINGS = ("packed", "grouped", "padded")
BLOCK_SIZE = 128


@dataclass(frozen=True)
class RunLimits:
    """How much data one run size of notebook 11 reads and writes (11 Parameters)."""

    sample: bool                # the project's NSMC sample instead of the real data set
    train_reviews: int | None   # training reviews (None: the whole split)
    eval_reviews: int | None    # held-out reviews for perplexity and the judge (None: all)
    timed_batches: int          # batches timed per way of batching (11 §3)
    max_new_tokens: int         # tokens per generated review (11 §5)


#: "quick": the sample, 30 steps of 4 blocks (CI). "class": 40,000 training reviews, one pass (about 1,000 steps of
#: 8 blocks). "full": all of them. A 10 % warm-up; a stand-in learns at 1e-3 for 60 steps at every size.
RUNS = RunSizes(
    sizes={
        "quick": (HYPER_PARAMETERS.with_changes(batch_size=4, max_steps=30, warmup_ratio=0.1),
                  RunLimits(sample=True, train_reviews=None, eval_reviews=None, timed_batches=4, max_new_tokens=24)),
        "class": (HYPER_PARAMETERS.with_changes(batch_size=8, warmup_ratio=0.1),
                  RunLimits(sample=False, train_reviews=40_000, eval_reviews=1_000, timed_batches=8, max_new_tokens=40)),
        "full": (HYPER_PARAMETERS.with_changes(batch_size=8, warmup_ratio=0.1),
                 RunLimits(sample=False, train_reviews=None, eval_reviews=2_000, timed_batches=8, max_new_tokens=40)),
    },
    standin={"learning_rate": 1e-3, "max_steps": 60},
)
