"""The lecture's settings for KLUE-NER, taught in notebooks/10_named_entity_recognition.ipynb (Parameters): the
model and the hyper-parameters that ``python -m lectureutils.finetune ner`` starts from.
"""

from __future__ import annotations

from ..training import HyperParameters

__all__ = ["MODEL", "HYPER_PARAMETERS"]

#: The model the notebook fine-tunes (cased: NER wants case, 10 §2).
MODEL = "klue/bert-base"
#: The lecture's learning rate 5e-5, batch 32, 3 epochs, 128 training tokens per sentence; the session's seed.
HYPER_PARAMETERS = HyperParameters()
