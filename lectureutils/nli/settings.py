"""The lecture's settings for KLUE-NLI, taught in notebooks/09_sentence_pair_classification.ipynb (Parameters): the
model and the hyper-parameters that ``python -m lectureutils.finetune nli`` starts from.
"""

from __future__ import annotations

from ..training import HyperParameters

__all__ = ["MODEL", "HYPER_PARAMETERS"]

#: The model the notebook fine-tunes.
MODEL = "klue/bert-base"
#: The lecture's learning rate 5e-5, batch 32, 3 epochs, 128 tokens per pair; the session's seed.
HYPER_PARAMETERS = HyperParameters()
