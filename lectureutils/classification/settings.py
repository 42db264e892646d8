"""The lecture's settings for NSMC sentiment classification, taught in notebooks/05_document_classification.ipynb
(Parameters): the model and the hyper-parameters that ``python -m lectureutils.finetune classification`` starts from.
"""

from __future__ import annotations

from ..training import HyperParameters

__all__ = ["MODEL", "HYPER_PARAMETERS"]

#: The lecture's model.
MODEL = "beomi/kcbert-base"
#: ratsnlp ``ClassificationTrainArguments``: learning rate 5e-5, batch 32, 3 epochs, 128 tokens; the session's seed.
HYPER_PARAMETERS = HyperParameters()
