"""Offline stand-ins: the real architectures at a tiny size, with the real repositories' layouts, built locally
(01, "Offline stand-ins"). Modules, in import order: ``sources`` (seed and training text), ``vocab`` (tokenizer
trainers), ``bert``/``gpt``/``qwen`` (builders), ``builders`` (their registry), ``cache`` (the ``StandIn`` recipe,
``build``, ``MARKER``), ``hub`` (the offline view ``setup()`` points ``HF_HUB_CACHE`` at).
"""

from .builders import BUILDERS
from .cache import MARKER, StandIn, build, is_built, standin_path, standins_hub
from .sources import packaged_minilm_path
from .vocab import KOREAN_SPECIALS, train_korean_wordpiece

__all__ = ["MARKER", "StandIn", "standin_path", "standins_hub", "is_built", "build", "BUILDERS", "packaged_minilm_path",
           "KOREAN_SPECIALS", "train_korean_wordpiece"]
