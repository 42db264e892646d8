"""Reloading an NLI model and asking it about pairs: ``nli_fn`` for one pair, ``predict_batch`` for many.

Taught in notebooks/09_sentence_pair_classification.ipynb (§5 "Inference", §6 "Saving, reloading"); ``predict_batch``
is what the web service runs for ``nli``. Label names come from the model's own ``config.id2label``.
"""

from __future__ import annotations

from ..checkpoints import load_checkpoint
from ..inputs import check_text, max_model_length
from ..tasks import InputTooLong
from ..training import LECTURE_MAX_LENGTH
from .corpus import NLI_LABELS

__all__ = ["load_nli_model", "check_pair", "predict_batch", "nli_fn"]


def load_nli_model(directory, device: str | None = None):
    """``(model, tokenizer)`` of a fine-tuned NLI model: a saved folder or a Hub id (09's ``CHECKPOINT``),
    safetensors only, in evaluation mode; its config must name the three labels (09 §6)."""
    from transformers import AutoModelForSequenceClassification

    model, tokenizer = load_checkpoint(AutoModelForSequenceClassification, directory, "nli", device)
    names = set(model.config.id2label.values())
    if names != set(NLI_LABELS):
        raise ValueError(f"{directory} predicts {sorted(names)}, not the NLI labels {list(NLI_LABELS)}.")
    return model, tokenizer


def _limit(tokenizer, model, max_length: int) -> int:
    return min(max_length, max_model_length(tokenizer, model))


def check_pair(premise, hypothesis, tokenizer, model=None, *, max_length: int = LECTURE_MAX_LENGTH,
               truncate: bool = False, where: str = "") -> int:
    """Check one pair before it reaches the model; returns its length in tokens (09 §5).

    Too long raises ``lectureutils.tasks.InputTooLong`` unless ``truncate=True`` (then only the premise is cut).
    """
    for what, text in (("premise", premise), ("hypothesis", hypothesis)):
        check_text(text, what=what + where)
    limit = _limit(tokenizer, model, max_length)
    length = len(tokenizer(premise, hypothesis, truncation=False)["input_ids"])
    if length > limit and not truncate:
        raise InputTooLong(f"The pair{where} is {length} tokens long, more than the {limit} this model reads: "
                           "shorten the premise, or pass truncate=True to cut the premise.", "premise", length, limit)
    alone = len(tokenizer(hypothesis, truncation=False)["input_ids"]) + 1  # the hypothesis, [CLS], 2 x [SEP]
    if length > limit and alone >= limit:
        raise InputTooLong(f"The hypothesis{where} alone fills the {limit} tokens this model reads: shorten it.",
                           "hypothesis", alone, limit)
    return length


def predict_batch(pairs, model, tokenizer, *, batch_size: int = 32, max_length: int = LECTURE_MAX_LENGTH,
                  truncate: bool = False) -> list[dict]:
    """Label and probabilities for each ``(premise, hypothesis)`` of ``pairs``, in input order (09 §5).

    Every pair is checked first; a bad one raises naming its position. Batched by length (little padding).
    """
    import torch

    if isinstance(pairs, tuple) and len(pairs) == 2 and all(isinstance(text, str) for text in pairs):
        raise TypeError("predict_batch takes a list of (premise, hypothesis) pairs; for one pair use nli_fn.")
    pairs = [tuple(pair) for pair in pairs]
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}.")
    lengths = []
    for position, pair in enumerate(pairs):
        if len(pair) != 2:
            raise ValueError(f"The pair at position {position} has {len(pair)} parts; give (premise, hypothesis).")
        lengths.append(check_pair(*pair, tokenizer, model, max_length=max_length, truncate=truncate,
                                  where=f" at position {position}"))
    names = [model.config.id2label[index] for index in range(model.config.num_labels)]
    limit = _limit(tokenizer, model, max_length)
    device = next(model.parameters()).device
    order = sorted(range(len(pairs)), key=lengths.__getitem__)
    results: list[dict] = [{}] * len(pairs)
    was_training = model.training
    model.eval()
    try:
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            inputs = tokenizer([pairs[i][0] for i in chunk], [pairs[i][1] for i in chunk], truncation="only_first",
                               max_length=limit, padding=True, return_tensors="pt").to(device)
            with torch.inference_mode():
                probabilities = model(**inputs).logits.float().softmax(dim=-1).cpu().tolist()
            for index, row in zip(chunk, probabilities):
                best = max(range(len(names)), key=row.__getitem__)
                results[index] = {"premise": pairs[index][0], "hypothesis": pairs[index][1], "label": names[best],
                                  "probabilities": dict(zip(names, row))}
    finally:
        model.train(was_training)
    return results


def nli_fn(premise: str, hypothesis: str, model, tokenizer, *, max_length: int = LECTURE_MAX_LENGTH,
           truncate: bool = False) -> dict:
    """Does ``premise`` entail, contradict or say nothing about ``hypothesis``? (09 §5)"""
    check_pair(premise, hypothesis, tokenizer, model, max_length=max_length, truncate=truncate)
    [result] = predict_batch([(premise, hypothesis)], model, tokenizer, max_length=max_length, truncate=truncate)
    return result
