"""Named-entity recognition on KLUE-NER, taught in notebooks/10_named_entity_recognition.ipynb.

The parts of every task (CONTRIBUTING.md, "Adding a task"); heavy libraries load inside the functions.
"""

from .corpus import (ENTITY_TYPES, KLUE_NER, KLUE_NER_FILES, NER_ID2LABEL, NER_LABEL2ID, NER_LABELS, bio_spans,
                     load_klue_ner, read_klue_ner)
from .features import chars_from_tokens, encode_sentences, roundtrip_report, token_tags_from_chars
from .inference import (TYPE_COLOURS, entities_from_tags, entities_html, extract_entities, load_tagger, predict_batch,
                        predict_char_tags)
from .metrics import klue_ner_scores, per_type_scores, token_metrics, type_confusion

__all__ = [
    "ENTITY_TYPES", "KLUE_NER", "KLUE_NER_FILES", "NER_LABELS", "NER_ID2LABEL", "NER_LABEL2ID", "bio_spans",
    "load_klue_ner", "read_klue_ner", "chars_from_tokens", "encode_sentences", "roundtrip_report",
    "token_tags_from_chars", "TYPE_COLOURS", "entities_from_tags", "entities_html", "extract_entities", "load_tagger",
    "predict_batch", "predict_char_tags", "klue_ner_scores", "per_type_scores", "token_metrics", "type_confusion",
]
