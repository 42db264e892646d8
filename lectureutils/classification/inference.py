"""Sentiment classification: the labels, loading a model (safetensors only), and the lecture's ``inference_fn``.

Taught in notebooks/05_document_classification.ipynb (§4 the model, §9 saving and reloading, §10 inference);
used by ``python -m lectureutils.finetune classification`` and by the web service (05 §12: its ``predict_batch``).

Labels follow NSMC: 0 = negative (부정), 1 = positive (긍정). ``inference_fn`` returns the lecture's
fields (sentence, prediction, positive_data, negative_data, positive_width, negative_width), with the
probabilities rounded to 4 decimals and the bar widths as percentages with 2 decimals ("54.57",
not the lecture's "54.56999999999999").
"""

from __future__ import annotations

from pathlib import Path

from ..checkpoints import saved_model_folder

from ..training import LECTURE_MAX_LENGTH

__all__ = [
    "NEGATIVE", "POSITIVE", "ID2LABEL", "LABEL2ID", "KOREAN_LABELS", "PREDICTION_NAMES", "FIELDS",
    "load_pretrained_classifier", "load_classifier", "is_hub_id", "prediction_name", "format_result", "check_sentence",
    "positive_probabilities", "inference_fn", "predict_batch",
]

NEGATIVE = 0
POSITIVE = 1
ID2LABEL = {NEGATIVE: "negative", POSITIVE: "positive"}
LABEL2ID = {name: index for index, name in ID2LABEL.items()}
KOREAN_LABELS = {NEGATIVE: "부정", POSITIVE: "긍정"}
PREDICTION_NAMES = {NEGATIVE: "부정 (negative)", POSITIVE: "긍정 (positive)"}
FIELDS = ("sentence", "prediction", "positive_data", "negative_data", "positive_width", "negative_width")


def load_pretrained_classifier(name: str, **kwargs):
    """A pre-trained BERT with a new two-class head (``AutoModelForSequenceClassification``) (05 §4).

    ``name`` resolves through ``lectureutils.models`` (offline: the cache or a stand-in). The new
    classification layer starts random; fine-tuning trains it together with BERT.
    """
    from transformers import AutoModelForSequenceClassification

    from ..models import load_model

    return load_model(
        AutoModelForSequenceClassification, name, num_labels=len(ID2LABEL), id2label=ID2LABEL, label2id=LABEL2ID, **kwargs
    )


def load_classifier(directory, device: str | None = None):
    """Reload a fine-tuned classifier saved with ``save_pretrained``: returns ``(model, tokenizer)`` (05 §9).

    ``directory`` is a folder, or the Hub id (``owner/name``) of a fine-tuned model, e.g. the instructor's
    ``CHECKPOINT`` (05, Parameters). Only safetensors weights are accepted (no pickled ``pytorch_model.bin``).
    The model is in evaluation mode, on ``device`` if given.
    """
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    if is_hub_id(directory):
        source = str(directory)
        try:
            model = AutoModelForSequenceClassification.from_pretrained(source, use_safetensors=True)
        except OSError as error:
            raise FileNotFoundError(f"{source} is neither a saved model folder here nor a model on the Hugging Face "
                                    f"Hub with safetensors weights ({error}).") from None
    else:
        source = str(saved_model_folder(directory, "classification"))
        model = AutoModelForSequenceClassification.from_pretrained(source, use_safetensors=True)
    tokenizer = AutoTokenizer.from_pretrained(source)
    if model.config.num_labels != len(ID2LABEL):
        raise ValueError(f"{folder} holds a {model.config.num_labels}-class model; expected 2 (negative, positive).")
    if device is not None:
        model = model.to(device)
    model.eval()
    return model, tokenizer


def is_hub_id(name) -> bool:
    """True for ``owner/name`` that is no folder here: a model on the Hugging Face Hub (05, Parameters)."""
    text = str(name)
    return (not Path(text).exists() and text.count("/") == 1 and not text.startswith((".", "/", "~"))
            and all(part.strip() for part in text.split("/")))


def prediction_name(positive_probability: float) -> str:
    """The lecture's ``prediction`` for a probability of being positive: "긍정 (positive)" from 0.5 on, after
    rounding to 4 decimals as the printed probability is, else "부정 (negative)" (05 §10)."""
    return PREDICTION_NAMES[POSITIVE if round(float(positive_probability), 4) >= 0.5 else NEGATIVE]


def format_result(sentence: str, positive_probability: float) -> dict:
    """The lecture's result fields for one sentence, from the probability that it is positive (05 §10).

    Probabilities are rounded to 4 decimals, the negative one as 1 - positive so that the two add up
    to exactly 1; the bar widths are percentages with 2 decimals.
    """
    positive = round(float(positive_probability), 4)
    negative = round(1.0 - positive, 4)
    return {
        "sentence": sentence,
        "prediction": prediction_name(positive),
        "positive_data": f"{KOREAN_LABELS[POSITIVE]} {positive:.4f}",
        "negative_data": f"{KOREAN_LABELS[NEGATIVE]} {negative:.4f}",
        "positive_width": f"{positive * 100:.2f}",
        "negative_width": f"{negative * 100:.2f}",
    }


def check_sentence(sentence, what: str = "sentence") -> str:
    """Return ``sentence`` if it is a non-empty string, else raise TypeError/ValueError saying why (05 §10, 06 §8)."""
    from ..inputs import check_text

    return check_text(sentence, what=what)


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

    Example: ``inference_fn("이 핸드폰 배터리 수명이 정말 길다", model, tokenizer)`` gives
    ``{"sentence": ..., "prediction": "긍정 (positive)", "positive_data": "긍정 0.5457", ...}``.
    An empty or whitespace-only sentence raises ValueError; text beyond ``max_length`` tokens is cut off.
    """
    check_sentence(sentence)
    [positive] = positive_probabilities([sentence], model, tokenizer, max_length)
    return format_result(sentence, positive)


def predict_batch(sentences, model, tokenizer, batch_size: int = 32, max_length: int = LECTURE_MAX_LENGTH) -> list[dict]:
    """``inference_fn`` for many sentences (results in input order), each with three more fields: ``positive`` and
    ``negative`` as unrounded numbers, and ``truncated``, True when the sentence has more than ``max_length`` tokens
    and only the first ``max_length`` were read (05 §10; what the web service answers, 05 §12).

    Sentences are sorted by length and batched so that each batch needs little padding: a batch ends when it holds
    ``batch_size`` sentences or the next sentence is more than 1.5 times as long as its shortest (in tokens).
    Every sentence is checked first: an empty one raises ValueError naming its position.
    """
    if isinstance(sentences, str):
        raise TypeError("predict_batch takes a list of sentences; for one sentence use inference_fn.")
    sentences = list(sentences)
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}.")
    for position, sentence in enumerate(sentences):
        check_sentence(sentence, what=f"sentence at position {position}")
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
