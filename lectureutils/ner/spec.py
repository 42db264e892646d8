"""``python -m lectureutils.finetune ner``: what notebook 10's fine-tuning adds to the task runner (§6).

Reload the folder with ``lectureutils.ner.load_tagger(folder)``.
"""

from __future__ import annotations

from ..finetune import TaskSpec, pretrained, reader
from . import settings
from .corpus import NER_LABELS, load_klue_ner, read_klue_ner
from .metrics import token_metrics

__all__ = ["SPEC"]


def encode(rows, tokenizer, args, split: str):
    """Character tags onto subword tokens (10 §3)."""
    from .features import encode_sentences

    return encode_sentences(rows, tokenizer, args.hyper.max_length)


def collator(tokenizer, args, arguments):
    """``DataCollatorForTokenClassification``: pads the labels with -100 as well (10 §4)."""
    from transformers import DataCollatorForTokenClassification

    from ..batching import padding_multiple

    return DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=padding_multiple(arguments))


def evaluate(trainer, tokenizer, rows, dataset, args) -> dict:
    """KLUE's entity and character macro F1 on the dev sentences' characters (10 §4)."""
    from ..training import without_autocast
    from .inference import predict_char_tags
    from .metrics import klue_ner_scores

    predicted = predict_char_tags([row["text"] for row in rows], without_autocast(trainer), tokenizer,
                                  batch_size=args.hyper.batch_size * 2)
    return {name: round(value, 2) for name, value in klue_ner_scores(rows, predicted).items()}


SPEC = TaskSpec(
    description="KLUE-NER named-entity recognition (notebook 10)",
    settings=settings,
    unit="sentences",
    read=reader(load_klue_ner, read_klue_ner),
    load_model=pretrained("AutoModelForTokenClassification", NER_LABELS),
    encode=encode,
    collator=collator,
    compute_metrics=token_metrics,
    evaluate=evaluate,
    file_format="a KLUE-NER TSV file",
    reload="lectureutils.ner.load_tagger(folder)",
)
