"""Loading an NLI model and asking it about pairs: ``nli_fn`` for one pair, ``predict_batch`` for many.

Taught in notebooks/09_sentence_pair_classification.ipynb (§5 "Inference", §6 "Saving, reloading").
``predict_batch`` is what the web service runs for the ``nli`` task (``POST /api/nli``). Label names come from the
model's own ``config.id2label`` (saved with it), so a reloaded checkpoint answers with names, whatever
order another project used for the ids.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..checkpoints import saved_model_folder
from ..training import LECTURE_MAX_LENGTH
from .corpus import ID2LABEL, LABEL2ID, LABELS

__all__ = ["load_pretrained_nli", "load_nli_model", "check_pair", "predict_batch", "nli_fn"]


def load_pretrained_nli(name: str, **kwargs):
    """A pre-trained BERT with a new 3-way head and the label names in its config: the
    ``AutoModelForSequenceClassification.from_pretrained`` call 09 §3 writes out, for ``python -m lectureutils.finetune
    nli``. ``name`` resolves through ``lectureutils.models`` (offline: the cache or a stand-in).
    """
    from transformers import AutoModelForSequenceClassification

    from ..models import load_model

    return load_model(AutoModelForSequenceClassification, name, num_labels=len(LABELS), id2label=ID2LABEL,
                      label2id=LABEL2ID, **kwargs)


def _checkpoint_source(checkpoint) -> str:
    """A saved folder (checked: config.json and safetensors weights), or a Hub id (``org/name``) that is no folder
    here: ``from_pretrained(..., use_safetensors=True)`` then downloads its safetensors weights only (09 §3)."""
    path = Path(checkpoint)
    if not path.exists() and re.fullmatch(r"[\w.-]+/[\w.-]+", str(checkpoint)):
        return str(checkpoint)
    return str(saved_model_folder(path, "nli"))


def load_nli_model(directory, device: str | None = None):
    """Reload a fine-tuned NLI model saved with ``save_pretrained``: ``(model, tokenizer)`` (09 §6; 09's
    ``CHECKPOINT``). ``directory`` is a saved folder, or a fine-tuned model's Hub id.

    Only safetensors weights are loaded (never a pickled ``.bin``, never remote code). The config must
    name the three labels; the model is returned in evaluation mode, on ``device`` if given.
    """
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = _checkpoint_source(directory)
    model = AutoModelForSequenceClassification.from_pretrained(str(folder), use_safetensors=True)
    names = set(model.config.id2label.values())
    if names != set(LABELS):
        raise ValueError(f"{folder} predicts {sorted(names)}, not the NLI labels {list(LABELS)}.")
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    if device is not None:
        model = model.to(device)
    model.eval()
    return model, tokenizer


def _limit(tokenizer, model, max_length: int) -> int:
    from ..inputs import max_model_length

    return min(max_length, max_model_length(tokenizer, model))


def check_pair(premise, hypothesis, tokenizer, model=None, *, max_length: int = LECTURE_MAX_LENGTH,
               truncate: bool = False, where: str = "") -> int:
    """Check one pair before it reaches the model; returns its length in tokens (09 §5).

    A premise or hypothesis that is not a string, or is empty, raises TypeError/ValueError saying which.
    A pair longer than ``max_length`` tokens (or the model's limit) raises ``lectureutils.tasks.InputTooLong`` (a
    ValueError), unless ``truncate=True``: then the premise is cut (``only_first``) and the hypothesis kept whole.
    """
    from ..inputs import check_text
    from ..tasks import InputTooLong

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

    Returns one dict per pair: ``{"premise", "hypothesis", "label", "probabilities": {name: p, ...}}``
    with the names from ``model.config.id2label`` and probabilities summing to 1. Every pair is checked
    first (:func:`check_pair`); a bad one raises naming its position. Pairs are sorted by length and
    batched ``batch_size`` at a time, so that batches need little padding. The web service answers
    ``POST /api/nli`` with it.
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
    """Does ``premise`` entail, contradict or say nothing about ``hypothesis``? (09 §5)

    Returns ``{"premise", "hypothesis", "label", "probabilities": {"entailment": p, "neutral": p,
    "contradiction": p}}``. An empty text or an over-long pair raises ValueError with the reason
    (``truncate=True`` cuts the premise instead).
    """
    check_pair(premise, hypothesis, tokenizer, model, max_length=max_length, truncate=truncate)
    [result] = predict_batch([(premise, hypothesis)], model, tokenizer, max_length=max_length, truncate=truncate)
    return result
