"""Plumbing for pre-training a mini BERT with MLM + NSP (notebook 08): reading the corpus, sentence pairs, what
the masking did, batches, evaluation. The lesson (tokenizer, config, 80/10/10, the loop) is in the notebook; its
plots are in ``lectureutils.plots``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from .nsp import IS_NEXT, NOT_NEXT

__all__ = ["read_documents", "split_documents", "SentencePair", "make_nsp_pairs", "encode_nsp_pairs",
           "masked_batches", "masking_statistics", "evaluate_pretraining", "top_mask_tokens"]


def read_documents(path) -> list[list[str]]:
    """The documents of a file with one sentence a line and blank lines between documents, each a list of
    sentences (08, "The corpus")."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No corpus at {path}: it should be data/corpus_en.txt in the repository.")
    documents, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        sentence = line.strip()
        if sentence:
            current.append(sentence)
        elif current:
            documents.append(current)
            current = []
    if current:
        documents.append(current)
    return documents


def split_documents(documents, held_out_fraction: float = 0.15, seed: int = 0):
    """(training, held-out) documents, shuffled with ``seed``; by document, so no held-out sentence or pair is
    ever trained on (08, "The corpus")."""
    if not 0 < held_out_fraction < 1:
        raise ValueError(f"held_out_fraction must be between 0 and 1, not {held_out_fraction}.")
    if len(documents) < 4:
        raise ValueError(f"Need at least 4 documents to split, got {len(documents)}.")
    order = list(range(len(documents)))
    random.Random(seed).shuffle(order)
    held_out_count = min(len(documents) - 2, max(2, round(held_out_fraction * len(documents))))
    held_out = [documents[i] for i in sorted(order[:held_out_count])]
    training = [documents[i] for i in sorted(order[held_out_count:])]
    return training, held_out


@dataclass(frozen=True)
class SentencePair:
    """Segment A, segment B, and whether B really follows A (``IS_NEXT``) or is random (``NOT_NEXT``) (08, §3)."""

    first: str
    second: str
    label: int
    document: int  # index of A's document
    second_document: int  # index of B's document


def make_nsp_pairs(documents, seed: int = 0, sentences_per_segment: int = 1, positive_fraction: float = 0.5):
    """NSP pairs, one per place a document can be cut: A is up to ``sentences_per_segment`` sentences before the
    cut; B, with probability ``positive_fraction``, what really follows (``IS_NEXT``), else as many sentences from
    another document (``NOT_NEXT``). A new ``seed`` per epoch draws afresh (08, "Sentence pairs")."""
    if sentences_per_segment < 1:
        raise ValueError("sentences_per_segment must be at least 1.")
    usable = [number for number, document in enumerate(documents) if len(document) >= 1]
    if len(usable) < 2:
        raise ValueError("Need at least two non-empty documents to draw random segments from another document.")
    rng = random.Random(seed)
    pairs = []
    for number, document in enumerate(documents):
        for cut in range(1, len(document)):
            first = " ".join(document[max(0, cut - sentences_per_segment) : cut])
            if rng.random() < positive_fraction:
                second = " ".join(document[cut : cut + sentences_per_segment])
                pairs.append(SentencePair(first, second, IS_NEXT, number, number))
                continue
            other = rng.choice([candidate for candidate in usable if candidate != number])
            start = rng.randrange(len(documents[other]))
            second = " ".join(documents[other][start : start + sentences_per_segment])
            pairs.append(SentencePair(first, second, NOT_NEXT, number, other))
    return pairs


def encode_nsp_pairs(tokenizer, pairs, max_length: int = 128) -> list[dict]:
    """Features for ``DataCollatorForLanguageModeling``: the pair's ids, ``special_tokens_mask`` (so [CLS]/[SEP]
    are never masked) and ``next_sentence_label`` (08, "Masking")."""
    encoded = tokenizer(
        [pair.first for pair in pairs],
        [pair.second for pair in pairs],
        truncation="longest_first",
        max_length=max_length,
        return_special_tokens_mask=True,
    )
    features = []
    for index, pair in enumerate(pairs):
        feature = {key: encoded[key][index] for key in encoded.keys()}
        feature["next_sentence_label"] = pair.label
        features.append(feature)
    return features


def masked_batches(features, collator, batch_size: int, seed: int | None = None, drop_last: bool = False) -> list[dict]:
    """``features`` cut into padded, masked batches by ``collator``, shuffled when ``seed`` is given: each epoch's,
    and once a fixed held-out set (08, "Before training")."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    order = list(range(len(features)))
    if seed is not None:
        random.Random(seed).shuffle(order)
    batches = []
    for start in range(0, len(order), batch_size):
        chosen = order[start : start + batch_size]
        if drop_last and len(chosen) < batch_size:
            break
        batches.append(collator([dict(features[i]) for i in chosen]))
    return batches


def masking_statistics(original_ids, masked_ids, labels, special_tokens_mask, mask_token_id: int) -> dict:
    """What MLM masking did to a batch: maskable tokens, the share chosen (15 %), and of those the shares replaced
    by [MASK], by another token, or kept (80/10/10); ``labels`` is -100 where not chosen (08, "Masking")."""
    import torch

    original_ids = torch.as_tensor(original_ids)
    masked_ids = torch.as_tensor(masked_ids)
    labels = torch.as_tensor(labels)
    special = torch.as_tensor(special_tokens_mask).bool()
    if not original_ids.shape == masked_ids.shape == labels.shape == special.shape:
        raise ValueError("original_ids, masked_ids, labels and special_tokens_mask must have the same shape.")
    chosen = labels != -100
    if (chosen & special).any():
        raise ValueError("A special token was chosen for masking.")
    if not torch.equal(labels[chosen], original_ids[chosen]):
        raise ValueError("The labels of chosen positions must be the original ids.")
    if not torch.equal(masked_ids[~chosen], original_ids[~chosen]):
        raise ValueError("A position that was not chosen has changed.")
    maskable = int((~special).sum())
    selected = int(chosen.sum())
    to_mask = int((chosen & (masked_ids == mask_token_id)).sum())
    unchanged = int((chosen & (masked_ids == original_ids)).sum())
    randomised = selected - to_mask - unchanged
    share = (lambda count: count / selected) if selected else (lambda count: 0.0)
    return {
        "maskable tokens": maskable,
        "chosen": selected,
        "chosen share": selected / maskable if maskable else 0.0,
        "[MASK] share": share(to_mask),
        "random share": share(randomised),
        "unchanged share": share(unchanged),
    }


def evaluate_pretraining(model, batches) -> dict:
    """Masked-token and NSP accuracy and mean losses of a BertForPreTraining model on fixed, masked ``batches``
    (08, "Before training", "After training")."""
    import torch
    import torch.nn.functional as F

    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    correct_tokens = total_tokens = correct_pairs = total_pairs = 0
    mlm_loss_sum = nsp_loss_sum = 0.0
    with torch.no_grad():
        for batch in batches:
            labels = batch["labels"].to(device)
            nsp_labels = batch["next_sentence_label"].to(device)
            outputs = model(
                input_ids=batch["input_ids"].to(device),
                attention_mask=batch["attention_mask"].to(device),
                token_type_ids=batch["token_type_ids"].to(device),
            )
            chosen = labels != -100
            predictions = outputs.prediction_logits.argmax(dim=-1)
            correct_tokens += int((predictions[chosen] == labels[chosen]).sum())
            total_tokens += int(chosen.sum())
            mlm_loss_sum += float(F.cross_entropy(outputs.prediction_logits[chosen], labels[chosen], reduction="sum"))
            correct_pairs += int((outputs.seq_relationship_logits.argmax(dim=-1) == nsp_labels).sum())
            total_pairs += len(nsp_labels)
            nsp_loss_sum += float(F.cross_entropy(outputs.seq_relationship_logits, nsp_labels, reduction="sum"))
    model.train(was_training)
    if total_tokens == 0 or total_pairs == 0:
        raise ValueError("No masked tokens or no pairs to evaluate.")
    return {
        "mlm_accuracy": correct_tokens / total_tokens,
        "nsp_accuracy": correct_pairs / total_pairs,
        "mlm_loss": mlm_loss_sum / total_tokens,
        "nsp_loss": nsp_loss_sum / total_pairs,
        "masked_tokens": total_tokens,
        "pairs": total_pairs,
    }


def top_mask_tokens(model, tokenizer, sentence: str, top_k: int = 3) -> list[str]:
    """The ``top_k`` tokens a BertForPreTraining (or ...ForMaskedLM) model predicts for the sentence's one mask
    (08, "Fill in the blank, before and after")."""
    import torch

    if sentence.count(tokenizer.mask_token) != 1:
        raise ValueError(f"Put exactly one {tokenizer.mask_token} in the sentence: {sentence!r}")
    device = next(model.parameters()).device
    inputs = tokenizer(sentence, return_tensors="pt").to(device)
    position = (inputs["input_ids"][0] == tokenizer.mask_token_id).nonzero()[0, 0]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        outputs = model(**inputs)
    model.train(was_training)
    logits = outputs.prediction_logits if hasattr(outputs, "prediction_logits") else outputs.logits
    best = logits[0, position].topk(top_k).indices
    return tokenizer.convert_ids_to_tokens(best.tolist())
