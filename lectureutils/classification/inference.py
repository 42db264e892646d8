"""Sentiment classification: the labels, reloading a fine-tuned model, and the lecture's ``inference_fn``.

Taught in notebooks/05_document_classification.ipynb (§9 saving and reloading, §10 inference); ``predict_batch`` is
what the web service answers (05 §12). Labels follow NSMC: 0 = negative (부정), 1 = positive (긍정).
"""

from __future__ import annotations

from ..checkpoints import load_checkpoint
from ..inputs import check_text
from ..training import LECTURE_MAX_LENGTH

__all__ = ["NEGATIVE", "POSITIVE", "SENTIMENT_LABELS", "SENTIMENT_ID2LABEL", "SENTIMENT_LABEL2ID", "load_classifier",
           "format_result", "positive_probabilities", "inference_fn", "predict_batch"]

NEGATIVE = 0
POSITIVE = 1
SENTIMENT_LABELS = ("negative", "positive")  # in id order
SENTIMENT_ID2LABEL = dict(enumerate(SENTIMENT_LABELS))
SENTIMENT_LABEL2ID = {name: index for index, name in SENTIMENT_ID2LABEL.items()}
PREDICTION_NAMES = {NEGATIVE: "부정 (negative)", POSITIVE: "긍정 (positive)"}


def load_classifier(directory, device: str | None = None):
    """``(model, tokenizer)`` of a fine-tuned classifier: a saved folder or a Hub id such as the instructor's
    ``CHECKPOINT``, safetensors only, in evaluation mode (05 §9)."""
    from transformers import AutoModelForSequenceClassification

    model, tokenizer = load_checkpoint(AutoModelForSequenceClassification, directory, "classification", device)
    if model.config.num_labels != len(SENTIMENT_LABELS):
        raise ValueError(f"{directory} holds a {model.config.num_labels}-class model; expected 2 (negative, positive).")
    return model, tokenizer


def format_result(sentence: str, positive_probability: float) -> dict:
    """The lecture's fields for one sentence from its probability of being positive (05 §10): probabilities rounded
    to 4 decimals (negative = 1 - positive, so they add up to 1), bar widths as percentages with 2 decimals."""
    positive = round(float(positive_probability), 4)
    negative = round(1.0 - positive, 4)
    return {
        "sentence": sentence,
        "prediction": PREDICTION_NAMES[POSITIVE if positive >= 0.5 else NEGATIVE],
        "positive_data": f"긍정 {positive:.4f}",
        "negative_data": f"부정 {negative:.4f}",
        "positive_width": f"{positive * 100:.2f}",
        "negative_width": f"{negative * 100:.2f}",
    }


def positive_probabilities(sentences, model, tokenizer, max_length: int = LECTURE_MAX_LENGTH):
    """P(positive) for each of ``sentences`` in one padded batch (no checks; see ``predict_batch``) (05 §10)."""
    import torch

    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        inputs = tokenizer(list(sentences), truncation=True, max_length=max_length, padding=True, return_tensors="pt")
        with torch.inference_mode():
            logits = model(**inputs.to(device)).logits
        probabilities = logits.float().softmax(dim=-1)[:, POSITIVE]
    finally:
        model.train(was_training)
    return probabilities.cpu().tolist()


def inference_fn(sentence: str, model, tokenizer, max_length: int = LECTURE_MAX_LENGTH) -> dict:
    """Classify one review and return the lecture's fields (see ``format_result``) (05 §10).

    An empty sentence raises ValueError; text beyond ``max_length`` tokens is cut off.
    """
    check_text(sentence)
    [positive] = positive_probabilities([sentence], model, tokenizer, max_length)
    return format_result(sentence, positive)


def predict_batch(sentences, model, tokenizer, batch_size: int = 32, max_length: int = LECTURE_MAX_LENGTH) -> list[dict]:
    """``inference_fn`` for many sentences, in input order, each with ``positive`` and ``negative`` unrounded and
    ``truncated`` (more than ``max_length`` tokens, only the first read) (05 §10; the web service's answer, 05 §12).

    Batched by length (little padding); an empty sentence raises ValueError naming its position.
    """
    if isinstance(sentences, str):
        raise TypeError("predict_batch takes a list of sentences; for one sentence use inference_fn.")
    sentences = list(sentences)
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}.")
    for position, sentence in enumerate(sentences):
        check_text(sentence, what=f"sentence at position {position}")
    if not sentences:
        return []
    lengths = [len(ids) for ids in tokenizer(sentences, truncation=True, max_length=max_length + 1)["input_ids"]]
    batches = [[]]
    for index in sorted(range(len(sentences)), key=lengths.__getitem__):
        batch = batches[-1]
        if batch and (len(batch) == batch_size or lengths[index] > 1.5 * lengths[batch[0]]):
            batches.append(batch := [])
        batch.append(index)
    positives = [0.0] * len(sentences)
    for batch in batches:
        probabilities = positive_probabilities([sentences[index] for index in batch], model, tokenizer, max_length)
        for index, probability in zip(batch, probabilities):
            positives[index] = probability
    return [{**format_result(sentence, positive), "positive": positive, "negative": 1.0 - positive,
             "truncated": length > max_length} for sentence, positive, length in zip(sentences, positives, lengths)]
