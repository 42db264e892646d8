"""Reloading a fine-tuned NER model and finding the entities in new text, with exact character offsets.

Taught in notebooks/10_named_entity_recognition.ipynb (§5 "Inference"); ``predict_batch`` serves ``ner``.
"""

from __future__ import annotations

import html

from ..checkpoints import load_checkpoint
from ..inputs import check_text
from ..tasks import InputTooLong
from .corpus import ENTITY_TYPES, NER_LABELS, bio_spans
from .features import chars_from_tokens

__all__ = ["TYPE_COLOURS", "load_tagger", "predict_char_tags", "entities_from_tags", "extract_entities",
           "predict_batch", "entities_html"]

#: One colour per type (colour-blind safe Okabe–Ito palette, light enough for black text).
TYPE_COLOURS = {"PS": "#f4c28a", "LC": "#9fd3f0", "OG": "#a8e0c8", "DT": "#f2e394", "TI": "#c6b7e6", "QT": "#f0b1c8"}


def load_tagger(directory, device: str | None = None):
    """``(model, tokenizer)`` of a fine-tuned NER model: a saved folder or a Hub id (10's ``CHECKPOINT``),
    safetensors only, in evaluation mode; its labels must be KLUE-NER's 13 (10, §6)."""
    from transformers import AutoModelForTokenClassification

    model, tokenizer = load_checkpoint(AutoModelForTokenClassification, directory, "ner", device)
    labels = [model.config.id2label[index] for index in range(model.config.num_labels)]
    if labels != NER_LABELS:
        raise ValueError(f"{directory} predicts {labels}; expected KLUE-NER's labels {NER_LABELS}.")
    return model, tokenizer


def _input_limit(model, tokenizer) -> int:
    positions = getattr(model.config, "max_position_embeddings", 512) or 512
    return int(min(positions, getattr(tokenizer, "model_max_length", positions) or positions, 512))


def predict_char_tags(texts, model, tokenizer, batch_size: int = 32, max_length: int | None = None) -> list[list[str]]:
    """One predicted KLUE tag per character of each text (10, §4 and §5).

    Batches are sorted by length; characters beyond ``max_length`` (default: the model's limit) are tagged ``O``.
    """
    import torch

    texts = list(texts)
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}.")
    limit = max_length or _input_limit(model, tokenizer)
    device = next(model.parameters()).device
    id2label = {int(index): label for index, label in model.config.id2label.items()}
    order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
    results: list[list[str]] = [[] for _ in texts]
    was_training = model.training
    model.eval()
    try:
        for first in range(0, len(order), batch_size):
            chunk = order[first:first + batch_size]
            encoded = tokenizer([texts[index] for index in chunk], truncation=True, max_length=limit, padding=True,
                                return_offsets_mapping=True, return_tensors="pt")
            offsets = encoded.pop("offset_mapping").tolist()
            with torch.inference_mode():
                logits = model(**encoded.to(device)).logits
            predicted = logits.argmax(dim=-1).cpu().tolist()
            for row, index in enumerate(chunk):
                token_tags = [id2label[label] for label in predicted[row]]
                results[index] = chars_from_tokens(offsets[row], token_tags, len(texts[index]))
    finally:
        model.train(was_training)
    return results


def entities_from_tags(text: str, tags) -> list[dict]:
    """The entities that character tags mark: ``{"text", "type", "start", "end"}``, in order (10, §5).

    A stray ``I-X`` starts an entity; spaces at an entity's edges are left out.
    """
    entities = []
    for start, end, kind in bio_spans(tags):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            entities.append({"text": text[start:end], "type": kind, "start": start, "end": end})
    return entities


def extract_entities(text: str, model, tokenizer) -> list[dict]:
    """The named entities in ``text``: a list of ``{"text", "type", "start", "end"}`` (10, §5).

    An empty text raises ValueError; one longer than the model reads, ``lectureutils.tasks.InputTooLong`` (never cut).
    """
    [result] = predict_batch([check_text(text, what="text")], model, tokenizer)
    return result["entities"]


def predict_batch(texts, model, tokenizer, batch_size: int = 32) -> list[dict]:
    """``{"text", "entities"}`` for each of ``texts``, in order; what the web service answers (10, §5).

    Refuses an empty text (naming its position) and one longer than the model reads (``InputTooLong``).
    """
    if isinstance(texts, str):
        raise TypeError("predict_batch takes a list of texts; for one text use extract_entities.")
    texts = [check_text(text, what=f"text at position {position}") for position, text in enumerate(texts)]
    limit = _input_limit(model, tokenizer)
    encoded = tokenizer(texts, truncation=False)["input_ids"] if texts else []
    for position, length in enumerate(len(ids) for ids in encoded):
        if length > limit:
            raise InputTooLong(f"The text at position {position} is {length} tokens long, more than the {limit} this "
                               "model reads: shorten it.", "text", length, limit)
    tags = predict_char_tags(texts, model, tokenizer, batch_size=batch_size)
    return [{"text": text, "entities": entities_from_tags(text, text_tags)} for text, text_tags in zip(texts, tags)]


def entities_html(text: str, entities, legend: bool = True) -> str:
    """``text`` as HTML with each entity highlighted in its type's colour and labelled (10, §5).

    Inline styles only (no scripts, no CDN), so it renders the same in Jupyter, Colab and exported HTML.
    """
    parts, position = [], 0
    for entity in sorted(entities, key=lambda item: item["start"]):
        start, end, kind = entity["start"], entity["end"], entity["type"]
        parts.append(html.escape(text[position:start]))
        colour = TYPE_COLOURS.get(kind, "#dddddd")
        parts.append(
            f'<mark style="background:{colour};color:#000;padding:0.1em 0.25em;border-radius:0.3em" '
            f'title="{html.escape(ENTITY_TYPES.get(kind, kind))}">{html.escape(text[start:end])}'
            f'<sub style="font-size:0.7em;font-weight:bold;margin-left:0.2em">{html.escape(kind)}</sub></mark>'
        )
        position = end
    parts.append(html.escape(text[position:]))
    body = f'<div style="line-height:2.1;font-size:1.05em">{"".join(parts)}</div>'
    if legend:
        keys = " ".join(
            f'<span style="background:{colour};color:#000;padding:0.1em 0.4em;border-radius:0.3em;margin-right:0.3em">'
            f'{kind} {html.escape(ENTITY_TYPES[kind])}</span>' for kind, colour in TYPE_COLOURS.items()
        )
        body += f'<div style="font-size:0.8em;margin-top:0.3em">{keys}</div>'
    return body
