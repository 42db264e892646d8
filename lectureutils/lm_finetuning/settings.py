"""The lecture's settings for sentiment-controlled review generation, taught in notebooks/11_gpt_finetuning.ipynb
(Parameters): the model, the hyper-parameters and the batching that ``python -m lectureutils.finetune generation``
starts from.
"""

from __future__ import annotations

from ..training import HyperParameters

__all__ = ["MODEL", "HYPER_PARAMETERS", "BATCHINGS", "BLOCK_SIZE"]

#: The model the notebook fine-tunes (as in notebook 07).
MODEL = "skt/kogpt2-base-v2"
#: The lecture's learning rate 5e-5, batch 32 (packed: blocks of BLOCK_SIZE tokens), 128 tokens per review, the
#: session's seed; one epoch (NSMC's 150,000 reviews are plenty to pick up a style).
HYPER_PARAMETERS = HyperParameters(epochs=1)
#: The three ways of batching of 11 §3: packed blocks, length-grouped or random padded batches.
BATCHINGS = ("packed", "grouped", "padded")
#: Tokens per packed block.
BLOCK_SIZE = 128
