"""The builders by the name a ``StandIn`` recipe gives; each writes a complete model folder in its real
repository's layout (01, "Offline stand-ins")."""

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
