"""Named-entity recognition on KLUE-NER: corpus, features, metrics, inference, settings, spec (the command line).

Taught in notebooks/10_named_entity_recognition.ipynb; used by ``python -m lectureutils.finetune ner``
and by the web service for a trained model (``predict_batch``). Importing it loads no heavy
library: torch, transformers, seqeval and scikit-learn are imported inside the functions.
"""

from .corpus import ENTITY_TYPES, KLUE_NER, KLUE_NER_FILES, LABELS, bio_spans, load_klue_ner, read_klue_ner
from .features import ID2LABEL, LABEL2ID, chars_from_tokens, encode_sentences, roundtrip_report, token_labels
from .inference import (
    TYPE_COLOURS,
    entities_from_tags,
    entities_html,
    extract_entities,
    load_pretrained_tagger,
    load_tagger,
    predict_batch,
    predict_char_tags,
)
from .metrics import klue_ner_scores, per_type_scores, token_metrics, type_confusion

__all__ = [
    "ENTITY_TYPES", "KLUE_NER", "KLUE_NER_FILES", "LABELS", "bio_spans", "load_klue_ner", "read_klue_ner",
    "ID2LABEL", "LABEL2ID", "chars_from_tokens", "encode_sentences", "roundtrip_report", "token_labels",
    "TYPE_COLOURS", "entities_from_tags", "entities_html", "extract_entities",
    "load_pretrained_tagger", "load_tagger", "predict_batch", "predict_char_tags",
    "klue_ner_scores", "per_type_scores", "token_metrics", "type_confusion",
]
