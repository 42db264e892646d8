"""Named-entity recognition on KLUE-NER: corpus, features, metrics, inference, command line.

Taught in notebooks/10_named_entity_recognition.ipynb; used by ``python -m lectureutils.finetune ner``
and by the web service for a trained model. Nothing is imported eagerly beyond the corpus constants.
"""

from .corpus import KLUE_NER, ENTITY_TYPES, KLUE_NER_FILES, LABELS, bio_spans, load_klue_ner, read_klue_ner

__all__ = [
    "KLUE_NER",
    "ENTITY_TYPES",
    "KLUE_NER_FILES",
    "LABELS",
    "bio_spans",
    "load_klue_ner",
    "read_klue_ner",
]
