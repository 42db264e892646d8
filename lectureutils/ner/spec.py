"""``python -m lectureutils.finetune ner``: what notebook 10's fine-tuning adds to the task runner.

Taught in notebooks/10_named_entity_recognition.ipynb (§6, "The same training from the command line").

    python -m lectureutils.finetune ner --output checkpoints/klue-ner
    python -m lectureutils.finetune ner --output /tmp/ner --max-steps 40 --limit 2000

``DataCollatorForTokenClassification`` pads the labels too; while training the ``Trainer`` reports token-level
scores, and the run ends with KLUE's own: entity and character macro F1 on the dev sentences' characters. The
folder holds safetensors weights, the config with the 13 labels, the tokenizer and ``training_args.json``.
Reload it with ``lectureutils.ner.load_tagger(folder)``.
"""

from __future__ import annotations

from ..finetune import TaskSpec
from . import settings
from .metrics import token_metrics

__all__ = ["SPEC"]


def read(split: str, path, args) -> list[dict]:
    """One KLUE-NER split: ``path`` if given, else ``load_klue_ner`` (the sample offline or with ``--sample``)
    (10 §6)."""
    from .corpus import load_klue_ner, read_klue_ner

    return read_klue_ner(path) if path is not None else load_klue_ner(split, sample=args.sample)


def load_model(args, tokenizer):
    """BERT with a new 13-label token-classification head (10 §4)."""
    from .inference import load_pretrained_tagger

    return load_pretrained_tagger(args.model)


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
    scores = klue_ner_scores(rows, predicted)
    return {"entity_macro_f1": round(scores["entity_macro_f1"], 2), "char_macro_f1": round(scores["char_macro_f1"], 2)}


SPEC = TaskSpec(
    description="KLUE-NER named-entity recognition (notebook 10)",
    settings=settings,
    unit="sentences",
    read=read,
    load_model=load_model,
    encode=encode,
    collator=collator,
    compute_metrics=token_metrics,
    evaluate=evaluate,
    file_format="a KLUE-NER TSV file",
    sample_option=True,
    reload="lectureutils.ner.load_tagger(folder)",
)
