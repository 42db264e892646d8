"""Which function builds each kind of stand-in: the registry ``lectureutils.standins.build`` reads.

Taught in notebooks/01_bert_embeddings.ipynb ("Offline stand-ins"). Each builder writes a complete model folder
(the real repository's layout, see ``lectureutils.catalogue``) into the folder it is given; ``standins.build``
marks it and moves it into the cache. A ``StandIn`` recipe names its builder by the keys below.
"""

from __future__ import annotations

from .bert import build_bert_english, build_bert_korean, build_sentence_multilingual
from .gpt import build_gpt2_english, build_gpt2_korean
from .qwen import build_qwen2

__all__ = ["BUILDERS"]

BUILDERS = {
    "bert_english": build_bert_english,
    "bert_korean": build_bert_korean,
    "gpt2_english": build_gpt2_english,
    "gpt2_korean": build_gpt2_korean,
    "sentence_multilingual": build_sentence_multilingual,
    "qwen2": build_qwen2,
}
